"""Integrated loudness and true peak (EBU R128) with ffmpeg's ebur128 filter."""

import math
import re
from dataclasses import dataclass
from pathlib import Path

from media_pipeline.audio import tools

REFERENCE_LUFS = -18.0  # ReplayGain 2.0's reference level
SILENCE_LUFS = -70.0  # the absolute gate: nothing louder was measured

_SUMMARY = re.compile(r"Summary:(.*)", re.S)
_INTEGRATED = re.compile(r"I:\s+(-?(?:\d+(?:\.\d+)?|inf))\s+LUFS")
_PEAK = re.compile(r"Peak:\s+(-?(?:\d+(?:\.\d+)?|inf))\s+dBFS")


class LoudnessError(Exception):
    """ffmpeg could not measure the file."""


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float | None
    replay_gain_db: float | None


def replay_gain(integrated_lufs: float) -> float | None:
    """ReplayGain 2.0 gain: what brings the track to -18 LUFS; None for silence."""
    if integrated_lufs <= SILENCE_LUFS:
        return None
    return round(REFERENCE_LUFS - integrated_lufs, 2)


def _number(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None


def measure(path: Path | tools.Source) -> Loudness:
    """Decode the first audio stream once and read ebur128's summary."""
    src = tools.source(path)
    try:
        result = _run(src)
    except tools.ToolTimeout as exc:
        raise LoudnessError(str(exc)) from exc
    summary = _SUMMARY.search(result.stderr)
    integrated = _INTEGRATED.search(summary.group(1)) if summary else None
    if result.returncode != 0 or not integrated:
        raise LoudnessError(tools.last_line(result.stderr) or "no loudness summary")
    lufs = _number(integrated.group(1))
    lufs = SILENCE_LUFS if lufs is None else max(lufs, SILENCE_LUFS)
    peak = _PEAK.search(summary.group(1))
    return Loudness(
        integrated_lufs=lufs,
        true_peak_db=_number(peak.group(1)) if peak else None,
        replay_gain_db=replay_gain(lufs),
    )


def _run(src: tools.Source):
    return tools.run(
        [
            *tools.ffmpeg_input(src),
            "-nostats",
            "-map",
            "0:a:0",
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        timeout=src.time_limit(),
    )
