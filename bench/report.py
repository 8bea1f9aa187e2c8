"""Markdown tables from benchmark results (one run), and a combined curve table across scales.

python -m bench.report bench/results/2026-01-01-small.json [more.json ...]
"""

import json
import statistics
import sys
from pathlib import Path


def render(result: dict) -> str:
    """One run's report: load table, stream costs, curves."""
    lines = [
        f"### {result['scale']} scale, {result['date']} (commit {result['commit']})",
        "",
        f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
        f"{result['machine']['memory_gib']} GiB, Python {result['machine']['python']}, "
        f"PostgreSQL {result['database']['postgresql']}. Load average before/after: "
        f"{result['load_average_before']} / {result['load_average_after']}.",
        f"Rows: {', '.join(f'{k} {v:,}' for k, v in result['database']['rows'].items())}.",
        f"Method: {result['method']['server']}; {result['method']['load']}.",
        "",
        "| endpoint | req/s | floor req/s | x floor | p50 ms | p95 ms | p99 ms | SQL/req | "
        "non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in result["endpoints"].items():
        floor = statistics.median(run["floor_rps"] for run in f["rounds"])
        lines.append(
            f"| {name} | {f['rps']:,.0f} | {floor:,.0f} | {f['floor_ratio']} | {f['p50']} | "
            f"{f['p95']} | {f['p99']} | {f['queries']} | {f['non_2xx'] + f['errors']} |"
        )
    costs = result.get("stream_costs")
    if costs:
        lines += [
            "",
            f"Stream's own costs, in-process: presign local {costs['presign_local_us']} µs, "
            f"presign S3 {costs['presign_s3_us']} µs, one history insert "
            f"{costs['history_insert_us']} µs, play_start (lock, dedup read, insert) "
            f"{costs['play_start_us']} µs, the whole stream service (account, track and dedup "
            f"read with the insert, presign) {costs['stream_service_us']} µs.",
        ]
    curves = result.get("curves")
    if curves:
        lines += ["", "| in-process | p50 ms | p95 ms |", "|---|---:|---:|"]
        for key in ("track_list", "track_search", "track_search_page_50"):
            lines.append(f"| {key} | {curves[key]['p50']} | {curves[key]['p95']} |")
        for term, figures in curves.get("track_search_by_term", {}).items():
            lines.append(f"| track search '{term}' | {_pair(figures)} |")
        for depth, figures in curves["history_by_depth"].items():
            lines.append(f"| history page at depth {int(depth):,} | {_pair(figures)} |")
        for size, figures in curves["playlist_add_by_size"].items():
            lines.append(f"| playlist add, {int(size):,} items | {_pair(figures)} |")
        for size, figures in curves["playlist_reorder_by_size"].items():
            lines.append(f"| playlist reorder, {int(size):,} items | {_pair(figures)} |")
        lines.append("")
        lines.append(f"Queries: {curves['queries']}.")
    costs = result.get("rollup_costs")
    if costs:
        lines += [
            "",
            "Rollup costs (µs, medians of alternating rounds): "
            + ", ".join(f"{key} {value}" for key, value in costs.items())
            + ".",
        ]
    insights = result.get("insights")
    if insights:
        lines += ["", "| insights, in-process | p50 ms | p95 ms |", "|---|---:|---:|"]
        for key, figures in insights.items():
            if isinstance(figures, dict) and "p50" in figures:
                lines.append(f"| {key} | {_pair(figures)} |")
        lines.append("")
        if "charts_refresh_all_seconds" in insights:
            count, seconds = insights["charts_refresh_all_seconds"]
            lines.append(f"refresh_charts: {count} charts in {seconds} s.")
        if "rebuild_seconds" in insights:
            lines.append(
                f"Rollups rebuilt from {insights['rebuild_listens']:,} counted plays in "
                f"{insights['rebuild_seconds']} s."
            )
        lines.append(f"Insights queries: {insights['queries']}.")
    return "\n".join(lines) + "\n"


def _pair(figures: dict) -> str:
    return f"{figures['p50']} | {figures['p95']}"


def curve_table(results: list[dict]) -> str:
    """Search, list and history-page latency side by side across scales."""
    header = "| in-process p50 / p95 ms | " + " | ".join(
        f"{r['scale']} ({r['database']['rows']['track']:,} tracks)" for r in results
    )
    lines = [header + " |", "|---|" + "---:|" * len(results)]
    for key in ("track_list", "track_search"):
        row = [f"{r['curves'][key]['p50']} / {r['curves'][key]['p95']}" for r in results]
        lines.append(f"| {key} | " + " | ".join(row) + " |")
    row = []
    for r in results:
        depths = r["curves"]["history_by_depth"]
        deepest = max(depths, key=int)
        row.append(f"{depths[deepest]['p50']} / {depths[deepest]['p95']} at {int(deepest):,}")
    lines.append("| history page, deepest | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    results = [json.loads(Path(p).read_text()) for p in sys.argv[1:]]
    for result in results:
        print(render(result))
    if len(results) > 1:
        print(curve_table([r for r in results if "curves" in r]))


if __name__ == "__main__":
    main()
