"""The listening-history import benchmark works end to end at a tiny size: a Spotify export
through the upload slot and a real worker, every count checked (no timing asserted)."""

import json

from tests.bench.test_bench_small import _bench, bench_database_url  # noqa: F401 (fixture)


def test_a_tiny_spotify_export_is_imported_by_a_worker_and_every_count_checks_out(
    bench_database_url,  # noqa: F811 (the fixture)
    tmp_path,
):
    _bench("bench.generate", bench_database_url, "--scale", "small")
    output = tmp_path / "figures.json"
    _bench(
        "bench.history_import",
        bench_database_url,
        *("--rows", "400", "--workdir", str(tmp_path / "work"), "--output", str(output)),
    )

    figures = json.loads(output.read_text())
    assert figures["rows"] == 400
    assert figures["imported"] + figures["duplicates"] + figures["skipped"] == 400
    assert figures["matched"] > 0 and figures["unmatched"] > 0 and figures["duplicates"] > 0
    assert figures["skipped_reasons"]["podcast episode"] > 0
    assert figures["job_seconds"] > 0 and figures["peak_rss_mb"] > 0
