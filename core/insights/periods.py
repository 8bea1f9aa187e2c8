"""Periods of local calendar days, and the UTC instants that bound them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PERIODS = ("7d", "4w", "6m", "12m", "all", "custom")
EARLIEST = date(1970, 1, 1)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or the month's last day if it has none."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


@dataclass(frozen=True)
class Window:
    """Local calendar days from `first` to `last`, both inclusive, in `tz`."""

    first: date
    last: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        """The UTC instant local `first` begins."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The UTC instant the day after local `last` begins (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Window":
        """The window of the same number of days just before this one."""
        last = self.first - timedelta(days=1)
        return Window(first=last - timedelta(days=self.days - 1), last=last, tz=self.tz)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]


def local_today(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(tz).date()


def window_for(
    period: str, *, tz: ZoneInfo, first: date | None = None, last: date | None = None
) -> Window:
    """The window of a named period ending today (local), or of `first`..`last` for custom.
    For `all` the caller gives `first`: the local day of the listener's first listen."""
    today = local_today(tz)
    if period == "custom":
        return Window(first=first, last=last, tz=tz)
    starts = {
        "7d": today - timedelta(days=6),
        "4w": today - timedelta(days=27),
        "6m": months_before(today, 6) + timedelta(days=1),
        "12m": months_before(today, 12) + timedelta(days=1),
        "all": min(first or today, today),
    }
    return Window(first=starts[period], last=today, tz=tz)


def year_window(year: int, tz: ZoneInfo) -> Window:
    return Window(first=date(year, 1, 1), last=date(year, 12, 31), tz=tz)
