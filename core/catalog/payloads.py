"""Track payloads for list pages without DRF's per-field machinery.

A page is read with `.values()` (no model instances: a track, its artist, album, uploader and
media made six per row) and each payload built from the row. The serializers stay the source
of truth, of the OpenAPI schema and of these payloads: a plan is made from each serializer's
own field list, in its order, and

- a field that is a plain column of the model (any serializer field whose source is a
  concrete, non-relation column) is read from the row and given to that serializer field's own
  `to_representation`: a column added to a serializer appears here by itself;
- a nested or computed field (artist, album, genres, artwork...) has a builder below, which
  expects the nested serializer's exact field list;
- any other field (a new SerializerMethodField, a nested serializer or annotation not known
  here) makes the plan None: the views then serialize as before, and
  tests/catalog/test_fast_payloads.py fails until a builder is added here.

The same tests hold the two paths to byte-for-byte the same JSON over generated catalogs.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from rest_framework import serializers

from core.catalog.models import Album, Track
from core.catalog.querysets import variant_flag
from core.catalog.serializers import (
    MANAGER,
    OWNER,
    PUBLIC,
    AlbumOutputSerializer,
    TrackManagerOutputSerializer,
    TrackOutputSerializer,
    TrackOwnerOutputSerializer,
    payload_tier,
    rating_average,
)
from core.processing.models import VariantQuality
from core.processing.selectors import ORIGINAL, artwork_urls_of

Row = dict[str, Any]


@dataclass
class Context:
    """What builders share for one page: the genres of its tracks, read in one query, and
    for pages of entries that nest a track (history), those tracks' payloads by id."""

    genres: dict[int, list[dict]]
    tracks: dict[int, dict] = field(default_factory=dict)
    request: Any = None  # for absolute URLs of stored files (album artwork)


Step = Callable[[Row, Context], Any]


@dataclass(frozen=True)
class Plan:
    columns: tuple[str, ...]
    steps: tuple[tuple[str, Step], ...]

    def build(self, row: Row, context: Context) -> dict:
        return {name: step(row, context) for name, step in self.steps}


def _fields_are(field: serializers.Field, names: list[str]) -> bool:
    return isinstance(field, serializers.Serializer) and list(field.fields) == names


def _ref(prefix: str, names: list[str], *, nullable: bool) -> Callable:
    """A nested reference ({"id": ..., "name": ...}) from the row's joined columns."""
    columns = [f"{prefix}_id" if name == "id" else f"{prefix}__{name}" for name in names]

    def step(row: Row, context: Context) -> dict | None:
        if nullable and row[columns[0]] is None:
            return None
        return {name: row[column] for name, column in zip(names, columns, strict=True)}

    return tuple(columns), step


def _artwork(row: Row, context: Context) -> dict | None:
    urls = artwork_urls_of(row["media__artwork"], expires_in=settings.AWS_QUERYSTRING_EXPIRE)
    return urls or None


def _rating_average(row: Row, context: Context) -> float | None:
    return rating_average(count=row["rating_count"], total=row["rating_total"])


def _loudness(row: Row, context: Context) -> dict | None:
    if row["media__loudness_lufs"] is None:
        return None
    return {
        "lufs": row["media__loudness_lufs"],
        "true_peak_db": row["media__true_peak_db"],
        "replay_gain_db": row["media__replay_gain_db"],
    }


_QUALITY_FLAGS = tuple((quality, variant_flag(quality)) for quality in VariantQuality.values)


def _qualities(row: Row, context: Context) -> list[str]:
    return [ORIGINAL, *(quality for quality, flag in _QUALITY_FLAGS if row[flag])]


def _track_builder(name: str, field: serializers.Field) -> tuple[tuple[str, ...], Step] | None:
    """Columns and builder of one nested or computed track field; None if not known here."""
    if name == "artist" and _fields_are(field, ["id", "name"]):
        return _ref("artist", ["id", "name"], nullable=False)
    if name == "album" and _fields_are(field, ["id", "title", "year"]):
        return _ref("album", ["id", "title", "year"], nullable=True)
    if name == "uploaded_by" and _fields_are(field, ["id", "username"]):
        # Null once the uploader deleted their account (the track stays in the catalog).
        return _ref("uploaded_by", ["id", "username"], nullable=True)
    if (
        name == "genres"
        and isinstance(field, serializers.ListSerializer)
        and _fields_are(field.child, ["id", "name"])
    ):
        return (), lambda row, context: context.genres.get(row["id"], [])
    if not isinstance(field, serializers.SerializerMethodField):
        return None
    if name == "is_favorite":
        return ("is_favorite",), lambda row, context: bool(row["is_favorite"])
    if name == "my_rating":
        return ("my_rating",), lambda row, context: row["my_rating"]
    if name == "rating_average":
        return ("rating_count", "rating_total"), _rating_average
    if name == "artwork":
        return ("media__artwork",), _artwork
    if name == "loudness":
        return ("media__loudness_lufs", "media__true_peak_db", "media__replay_gain_db"), _loudness
    if name == "qualities":
        return tuple(flag for _, flag in _QUALITY_FLAGS), _qualities
    return None


def _column_step(column: str, field: serializers.Field) -> Step:
    represent = field.to_representation

    def step(row: Row, context: Context) -> Any:
        value = row[column]
        return None if value is None else represent(value)

    return step


def _model_column(model: type[models.Model], source: str) -> str | None:
    """The column a serializer field's source reads, if it is a plain column of `model`."""
    if source == "pk":
        return model._meta.pk.attname
    try:
        field = model._meta.get_field(source)
    except Exception:
        return None
    if not field.concrete or field.is_relation:
        return None
    return field.attname


def make_plan(
    serializer: serializers.Serializer,
    model: type[models.Model],
    builder: Callable[[str, serializers.Field], tuple[tuple[str, ...], Step] | None],
) -> Plan | None:
    """A plan following `serializer`'s fields in order; None if a field has no way here."""
    columns: dict[str, None] = {model._meta.pk.attname: None}
    steps = []
    for name, serializer_field in serializer.fields.items():
        known = builder(name, serializer_field)
        if known is None:
            column = None
            computed = serializers.BaseSerializer | serializers.SerializerMethodField
            if not isinstance(serializer_field, computed):
                column = _model_column(model, serializer_field.source)
            if column is None:
                return None
            known = (column,), _column_step(column, serializer_field)
        field_columns, step = known
        columns.update(dict.fromkeys(field_columns))
        steps.append((name, step))
    return Plan(tuple(columns), tuple(steps))


@dataclass(frozen=True)
class TrackPlans:
    """The list plans of the three track payloads (serializers.payload_tier)."""

    public: Plan
    manager: Plan
    owner: Plan

    def by_tier(self) -> dict[str, Plan]:
        return {PUBLIC: self.public, MANAGER: self.manager, OWNER: self.owner}


@cache
def track_plans() -> TrackPlans | None:
    """The public, manager and owner list plans, or None when a serializer has a field this
    module cannot build (then lists serialize through the serializers)."""
    plans = [
        make_plan(serializer, Track, _track_builder)
        for serializer in (
            TrackOutputSerializer(),
            TrackManagerOutputSerializer(),
            TrackOwnerOutputSerializer(),
        )
    ]
    if None in plans:
        return None
    return TrackPlans(*plans)


def _genres_of(track_ids: list[int]) -> dict[int, list[dict]]:
    """Each track's genres as the genres field shows them (by name, Genre's ordering)."""
    genres: dict[int, list[dict]] = {}
    if not track_ids:
        return genres
    rows = (
        Track.genres.through.objects.filter(track_id__in=track_ids)
        .order_by("genre__name", "genre_id")
        .values_list("track_id", "genre_id", "genre__name")
    )
    for track_id, genre_id, name in rows:
        genres.setdefault(track_id, []).append({"id": genre_id, "name": name})
    return genres


def track_rows(queryset: models.QuerySet) -> models.QuerySet | None:
    """`queryset` (from `selectors.track_list`, filtered, searched, ordered) read as the rows
    the plans need; None when the plans cannot serve it."""
    plans = track_plans()
    if plans is None:
        return None
    columns = dict.fromkeys(
        [*plans.owner.columns, *plans.public.columns, "uploaded_by_id", *_managed_flag(queryset)]
    )
    rows = queryset.prefetch_related(None).values(*columns)
    rows.counted_as = queryset  # see CappedCountPaginator.count
    return rows


def _managed_flag(queryset: models.QuerySet) -> tuple[str, ...]:
    return ("is_managed",) if "is_managed" in queryset.query.annotations else ()


def track_row_payloads(rows: Iterable[Row], user) -> list[dict]:
    """Payloads of a page of `track_rows`, each by `serializers.payload_tier` (as
    serializers.track_payloads chooses)."""
    rows = list(rows)
    plans = track_plans()
    assert plans is not None, "track_rows gave rows, so the plans exist"
    by_tier = plans.by_tier()
    context = Context(genres=_genres_of([row["id"] for row in rows]))
    return [
        by_tier[
            payload_tier(
                user=user,
                uploaded_by_id=row["uploaded_by_id"],
                is_managed=bool(row.get("is_managed")),
            )
        ].build(row, context)
        for row in rows
    ]


def public_payloads_by_id(queryset: models.QuerySet, track_ids: list[int]) -> dict | None:
    """Public list payloads of `track_ids` from `queryset` (for_listing, with the favorite
    flag), by id, in two queries; None when the plans cannot serve it."""
    plans = track_plans()
    if plans is None:
        return None
    public = plans.public
    rows = list(queryset.prefetch_related(None).filter(pk__in=track_ids).values(*public.columns))
    context = Context(genres=_genres_of([row["id"] for row in rows]))
    return {row["id"]: public.build(row, context) for row in rows}


def _album_artwork(row: Row, context: Context) -> str | None:
    """As DRF's ImageField shows it: the stored file's URL, absolute with a request."""
    name = row["artwork"]
    if not name:
        return None
    url = Album._meta.get_field("artwork").storage.url(name)
    return context.request.build_absolute_uri(url) if context.request is not None else url


def _album_builder(name: str, field: serializers.Field) -> tuple[tuple[str, ...], Step] | None:
    """Columns and builder of one nested, computed or annotated album field."""
    if name == "artist" and _fields_are(field, ["id", "name"]):
        return _ref("artist", ["id", "name"], nullable=False)
    if name == "artwork" and isinstance(field, serializers.ImageField):
        return ("artwork",), _album_artwork
    if name in ("track_count", "listen_count") and type(field) is serializers.IntegerField:
        return (name,), lambda row, context: row[name]
    if name == "is_favorite" and type(field) is serializers.BooleanField:
        return ("is_favorite",), lambda row, context: bool(row["is_favorite"])
    if not isinstance(field, serializers.SerializerMethodField):
        return None
    if name == "my_rating":
        return ("my_rating",), lambda row, context: row["my_rating"]
    if name == "rating_average":
        return ("rating_count", "rating_total"), _rating_average
    return None


@cache
def album_plan() -> Plan | None:
    """The album payload's plan, or None when AlbumOutputSerializer has a field not built
    here (then albums serialize through the serializer)."""
    return make_plan(AlbumOutputSerializer(), Album, _album_builder)


def album_payloads_by_id(queryset: models.QuerySet, request) -> dict[int, dict] | None:
    """Album payloads of `queryset` (from `selectors.album_list`, filtered) by id, in one
    query; None when the plan cannot serve it."""
    plan = album_plan()
    if plan is None:
        return None
    context = Context(genres={}, request=request)
    rows = queryset.prefetch_related(None).values(*plan.columns)
    return {row["id"]: plan.build(row, context) for row in rows}
