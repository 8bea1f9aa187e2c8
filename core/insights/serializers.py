from datetime import date

from rest_framework import serializers

from core.accounts.models import available_time_zones
from core.catalog.serializers import TrackOutputSerializer
from core.insights.charts import LIMIT_MAX
from core.insights.periods import EARLIEST, PERIODS

MAX_LIMIT = 50
LATEST = date(2100, 12, 31)


def _time_zone_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=64,
        help_text="IANA time zone for this request only (e.g. Asia/Kathmandu); defaults to "
        "the listener's profile `time_zone`.",
    )


def _check_time_zone(value: str) -> str:
    if value not in available_time_zones():
        raise serializers.ValidationError("Unknown time zone; use an IANA name.")
    return value


def _from_to(field: type[serializers.Field], helps: tuple[str, str], **kwargs) -> dict:
    """`from` and `to` fields: Python keywords, so declared in get_fields() rather than as
    class attributes."""
    return {
        name: field(help_text=help_text, **kwargs)
        for name, help_text in zip(("from", "to"), helps, strict=True)
    }


class StatsQueryInputSerializer(serializers.Serializer):
    from_to_help = (
        "First day of a `custom` period (ISO date, the listener's time zone), inclusive.",
        "Last day of a `custom` period (ISO date), inclusive.",
    )
    period = serializers.ChoiceField(
        choices=PERIODS,
        default="4w",
        help_text="Ending today: `7d`, `4w` (28 days), `6m`, `12m` (calendar months), `all` "
        "(since the first listen); or `custom` with `from` and `to`.",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=10, help_text="Items per top list."
    )
    tz = _time_zone_field()

    def get_fields(self) -> dict:
        return {
            **super().get_fields(),
            **_from_to(serializers.DateField, self.from_to_help, required=False),
        }

    def validate_tz(self, value: str) -> str:
        return _check_time_zone(value)

    def validate(self, attrs: dict) -> dict:
        errors = {}
        for name in ("from", "to"):
            value = attrs.get(name)
            if value is not None and not EARLIEST <= value <= LATEST:
                errors[name] = [f"Must be between {EARLIEST} and {LATEST}."]
        if attrs["period"] == "custom":
            for name in ("from", "to"):
                if attrs.get(name) is None:
                    errors.setdefault(name, ["Required for a custom period."])
        if errors:
            raise serializers.ValidationError(errors)
        if attrs["period"] == "custom" and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before `from`."]})
        return attrs


class TimeZoneQueryInputSerializer(serializers.Serializer):
    tz = _time_zone_field()

    def validate_tz(self, value: str) -> str:
        return _check_time_zone(value)


class PeriodOutputSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        helps = ("First day, inclusive.", "Last day, inclusive.")
        return _from_to(serializers.DateField, helps)


class TotalsOutputSerializer(serializers.Serializer):
    listens = serializers.IntegerField(help_text="Counted listens")
    minutes = serializers.FloatField(help_text="Minutes played over those listens, one decimal")
    tracks = serializers.IntegerField(help_text="Distinct tracks")
    artists = serializers.IntegerField(help_text="Distinct artists")
    albums = serializers.IntegerField(help_text="Distinct albums")


class NamedRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AlbumTitleRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class StatsTrackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    artist = NamedRefOutputSerializer()
    album = AlbumTitleRefOutputSerializer(allow_null=True)
    playable = serializers.BooleanField(
        help_text="False once the track is hidden or deleted: it still counts, but cannot "
        "be streamed."
    )


class StatsAlbumOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    artist = NamedRefOutputSerializer()


class _TopItem(serializers.Serializer):
    rank = serializers.IntegerField(min_value=1)
    previous_rank = serializers.IntegerField(
        allow_null=True, help_text="Rank in the previous period; null when new there."
    )
    count = serializers.IntegerField(help_text="Counted listens")
    minutes = serializers.FloatField()
    share = serializers.FloatField(help_text="Percent of the period's listens, one decimal")


class TopTrackOutputSerializer(_TopItem):
    track = StatsTrackOutputSerializer()


class TopArtistOutputSerializer(_TopItem):
    artist = NamedRefOutputSerializer()


class TopAlbumOutputSerializer(_TopItem):
    album = StatsAlbumOutputSerializer()


class TopGenreOutputSerializer(_TopItem):
    genre = NamedRefOutputSerializer()


class TopListsOutputSerializer(serializers.Serializer):
    tracks = TopTrackOutputSerializer(many=True)
    artists = TopArtistOutputSerializer(many=True)
    albums = TopAlbumOutputSerializer(many=True)
    genres = TopGenreOutputSerializer(many=True)


class StatsOutputSerializer(serializers.Serializer):
    period = PeriodOutputSerializer()
    totals = TotalsOutputSerializer()
    previous_totals = TotalsOutputSerializer(
        help_text="The period of the same length just before; zeros for `all`."
    )
    top = TopListsOutputSerializer()


class DailyOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    listens = serializers.IntegerField()
    minutes = serializers.FloatField()


def _counts(length: int, help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=length,
        max_length=length,
        help_text=help_text,
    )


class ActivityOutputSerializer(serializers.Serializer):
    time_zone = serializers.CharField()
    by_hour = _counts(24, "Listens by local hour, 0 to 23")
    by_weekday = _counts(7, "Listens by weekday, Monday first")
    by_month = _counts(12, "Listens by month, January first")
    daily = DailyOutputSerializer(many=True, help_text="Every day of the period, in order")


class StreakOutputSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        helps = ("First day of the streak; null without listens", "Last day")
        return {
            "days": serializers.IntegerField(min_value=0),
            **_from_to(serializers.DateField, helps, allow_null=True),
        }


class FirstListenOutputSerializer(serializers.Serializer):
    track = StatsTrackOutputSerializer()
    at = serializers.DateTimeField(help_text="When that listen started")


class NewArtistsOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = NamedRefOutputSerializer(many=True, help_text="The first 50, earliest first")


class GenreShareOutputSerializer(serializers.Serializer):
    genre = NamedRefOutputSerializer()
    share = serializers.FloatField(help_text="Percent of the year's listens, one decimal")


class RecapOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    totals = TotalsOutputSerializer()
    top = TopListsOutputSerializer(help_text="Five of each; previous ranks from the year before")
    top_month = serializers.IntegerField(
        min_value=1, max_value=12, allow_null=True, help_text="The month with most listens"
    )
    longest_streak = StreakOutputSerializer()
    first_listen = FirstListenOutputSerializer(allow_null=True)
    new_artists = NewArtistsOutputSerializer(
        help_text="Artists whose first counted listen ever falls in the year"
    )
    genres = GenreShareOutputSerializer(many=True)


# --- Charts ---


class ChartQueryInputSerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=("day", "week", "month", "year", "all"),
        default="week",
        help_text="The window ending now: 24 hours, 7, 30 or 365 days, or all time.",
    )
    genre = serializers.IntegerField(required=False, min_value=1, help_text="A genre's id")
    limit = serializers.IntegerField(min_value=1, max_value=LIMIT_MAX, default=20)


class _ChartEntry(serializers.Serializer):
    rank = serializers.IntegerField(min_value=1)
    previous_rank = serializers.IntegerField(
        allow_null=True, help_text="Rank in the window just before; null when new there."
    )
    movement = serializers.ChoiceField(choices=("new", "up", "down", "same"))
    count = serializers.IntegerField(help_text="Counted listens")
    listeners = serializers.IntegerField(help_text="Distinct listeners")


class ChartTrackEntryOutputSerializer(_ChartEntry):
    track = TrackOutputSerializer()


class ChartArtistEntryOutputSerializer(_ChartEntry):
    artist = NamedRefOutputSerializer()


class ChartAlbumEntryOutputSerializer(_ChartEntry):
    album = StatsAlbumOutputSerializer()


class _Chart(serializers.Serializer):
    entry_serializer: type[serializers.Serializer] = _ChartEntry

    def get_fields(self) -> dict:
        return {
            "period": serializers.CharField(),
            "from": serializers.DateTimeField(
                allow_null=True, help_text="Start of the window; null for `all`"
            ),
            "to": serializers.DateTimeField(help_text="End of the window (the computation)"),
            "results": self.entry_serializer(many=True),
        }


class TrackChartOutputSerializer(_Chart):
    entry_serializer = ChartTrackEntryOutputSerializer


class ArtistChartOutputSerializer(_Chart):
    entry_serializer = ChartArtistEntryOutputSerializer


class AlbumChartOutputSerializer(_Chart):
    entry_serializer = ChartAlbumEntryOutputSerializer
