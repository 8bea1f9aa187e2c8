"""LRC, the timed-lyrics format: `[mm:ss.xx]words` lines, checked strictly for what people
send (each fault named by its line number) and leniently for files found beside audio."""

import re
from dataclasses import dataclass

MAX_LINES = 5_000
_STAMPS = re.compile(r"^((?:\[[^\]]*\])+)(.*)$")
_STAMP = re.compile(r"\[([^\]]*)\]")
_TIME = re.compile(r"^(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?$")
_METADATA = re.compile(r"^\[(ar|al|ti|au|by|length|offset|re|ve|tool|#|la|lang):[^\]]*\]$", re.I)


class LrcError(ValueError):
    """The LRC text is malformed; the message names the line."""

    def __init__(self, line: int, message: str):
        super().__init__(f"Line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class TimedLine:
    time_ms: int
    text: str


def _time_ms(stamp: str, line: int) -> int:
    match = _TIME.match(stamp.strip())
    if not match:
        raise LrcError(line, f"[{stamp}] is not a timestamp like [01:23.45].")
    minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60:
        raise LrcError(line, f"[{stamp}] has {seconds} seconds; seconds go up to 59.")
    millis = int(fraction.ljust(3, "0")) if fraction else 0
    return (int(minutes) * 60 + int(seconds)) * 1000 + millis


def parse(text: str) -> list[TimedLine]:
    """The timed lines of `text`, in order. LrcError when a line is neither a timed line nor
    a metadata tag ([ar:...], [ti:...]), a timestamp does not parse, the times do not
    increase, or there is no timed line at all."""
    lines: list[TimedLine] = []
    rows = text.splitlines()
    if len(rows) > MAX_LINES:
        raise LrcError(MAX_LINES + 1, f"LRC text may have at most {MAX_LINES} lines.")
    for number, raw in enumerate(rows, start=1):
        row = raw.strip()
        if not row or _METADATA.match(row):
            continue
        match = _STAMPS.match(row)
        if not match:
            raise LrcError(number, "no timestamp; timed lines start like [01:23.45].")
        words = match.group(2).strip()
        for stamp in _STAMP.findall(match.group(1)):
            time_ms = _time_ms(stamp, number)
            if lines and time_ms <= lines[-1].time_ms:
                raise LrcError(
                    number,
                    f"[{stamp.strip()}] is not after the line before it "
                    f"({format_time(lines[-1].time_ms)}); times must increase.",
                )
            lines.append(TimedLine(time_ms, words))
    if not lines:
        raise LrcError(max(1, len(rows)), "no timed lines.")
    return lines


def format_time(time_ms: int) -> str:
    minutes, rest = divmod(time_ms, 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000 // 10:02d}"


def plain_text(lines: list[TimedLine]) -> str:
    """The words of timed lines as plain lyrics, one line each (empty lines kept as breaks)."""
    return "\n".join(line.text for line in lines).strip()
