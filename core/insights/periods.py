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


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Spans:
    """The instants [start, end) cut into what the rollups hold whole: UTC months strictly
    inside (`months`, first days, end exclusive), whole UTC days around them (`days`, date
    ranges, end exclusive) and quarter hours at the edges (`quarters`, UTC instants). Every
    time zone's local day boundary is a quarter hour, so the cut is exact in every zone."""

    start: datetime
    end: datetime
    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]
    quarters: tuple[tuple[datetime, datetime], ...]

    def outside_months(self) -> tuple[tuple[datetime, datetime], ...]:
        """The instants not covered by `months`: what rows finer than a month must give."""
        if self.months is None:
            return ((self.start, self.end),)
        first = datetime.combine(self.months[0], time(), UTC)
        after = datetime.combine(self.months[1], time(), UTC)
        return tuple((a, b) for a, b in ((self.start, first), (after, self.end)) if a < b)


def spans_of(start: datetime, end: datetime) -> Spans:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first_day = start.date() if start.time() == time() else start.date() + timedelta(days=1)
    end_day = end.date()
    if first_day >= end_day:
        return Spans(start, end, None, (), ((start, end),) if start < end else ())
    first_month = first_day if first_day.day == 1 else _next_month(first_day)
    end_month = end_day.replace(day=1)
    day_start = datetime.combine(first_day, time(), UTC)
    day_end = datetime.combine(end_day, time(), UTC)
    quarters = tuple((a, b) for a, b in ((start, day_start), (day_end, end)) if a < b)
    if first_month >= end_month:
        return Spans(start, end, None, ((first_day, end_day),), quarters)
    days = tuple((a, b) for a, b in ((first_day, first_month), (end_month, end_day)) if a < b)
    return Spans(start, end, (first_month, end_month), days, quarters)
