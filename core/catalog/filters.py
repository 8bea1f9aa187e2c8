"""Query parameters of the catalog's list endpoints."""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import NotAuthenticated, ValidationError

from config.ints import INT64_MIN, parse_int
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.catalog.querysets import rating_value, search_lookup
from core.roles import can_moderate, can_upload

SEARCH_MAX_LENGTH = 200


class BoundedIntegerField(forms.IntegerField):
    """An integer in ASCII digits within 64 bits (config/ints.py); anything else is a 400."""

    def to_python(self, value: str | None) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip(), minimum=INT64_MIN)
        if number is None:
            raise forms.ValidationError("Enter a whole number of at most 64 bits.", code="invalid")
        return number


@extend_schema_field(OpenApiTypes.INT64)
class IntegerFilter(django_filters.NumberFilter):
    field_class = BoundedIntegerField


class SortKeyFilter(django_filters.ChoiceFilter):
    """One sort key (`-` for descending), with missing values last in both directions and `id`
    as the tie-breaker, so that pages never overlap.

    A plain choice, so the schema shows one string enum: clients generated from it send one
    value, and a repeated parameter is refused by the filter set rather than half ignored.
    """

    def __init__(self, *, fields: tuple[str, ...], **kwargs) -> None:
        keys = [key for field in fields for key in (field, f"-{field}")]
        super().__init__(choices=[(key, key) for key in keys], **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        # `rating` is the average of the stars, from the counters kept on the row.
        expression = rating_value() if value.lstrip("-") == "rating" else F(value.lstrip("-"))
        if value.startswith("-"):
            return qs.order_by(expression.desc(nulls_last=True), "-id")
        return qs.order_by(expression.asc(nulls_last=True), "id")


class TrackFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive match on title, artist name or album title: anywhere for "
        "three characters or more, at their start for one or two.",
    )
    lyrics = django_filters.CharFilter(
        method="filter_lyrics",
        max_length=200,
        help_text="A line (or a few words in order) of the lyrics, in any case: PostgreSQL's "
        "full-text phrase search; a substring match on SQLite.",
    )
    genre = django_filters.CharFilter(
        method="filter_genre",
        max_length=100,
        help_text="A genre id, or a genre name (case-insensitive).",
    )
    artist = IntegerFilter(field_name="artist_id", help_text="Artist id.")
    album = IntegerFilter(field_name="album_id", help_text="Album id.")
    year_min = IntegerFilter(field_name="year", lookup_expr="gte")
    year_max = IntegerFilter(field_name="year", lookup_expr="lte")
    duration_min = django_filters.NumberFilter(
        field_name="duration", lookup_expr="gte", help_text="Seconds."
    )
    duration_max = django_filters.NumberFilter(
        field_name="duration", lookup_expr="lte", help_text="Seconds."
    )
    status = django_filters.ChoiceFilter(
        choices=TrackStatus.choices,
        method="filter_status",
        help_text="Uploaders, moderators and staff only; 400 for listeners.",
    )
    uploaded_by = django_filters.ChoiceFilter(
        choices=[("me", "me")],
        method="filter_uploaded_by",
        help_text="`me`: only the tracks you uploaded, in any status.",
    )
    min_ratings = IntegerFilter(
        field_name="rating_count",
        lookup_expr="gte",
        help_text="Only tracks rated by at least this many listeners (with `ordering=-rating`).",
    )
    ordering = SortKeyFilter(
        fields=("title", "created_at", "year", "duration", "rating"),
        help_text="One sort key, `-` for descending. Default: `-created_at` (newest first). "
        "`rating` is the average of the stars; unrated tracks come last.",
    )

    class Meta:
        model = Track
        fields: list[str] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if hasattr(self.data, "getlist") and len(self.data.getlist("ordering")) > 1:
            self.form.add_error("ordering", "Give one sort key; the parameter may not repeat.")
            return False
        return valid

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_lyrics(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from core.lyrics.selectors import tracks_matching_lyrics

        return tracks_matching_lyrics(queryset, value)

    def filter_genre(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        genre_id = parse_int(value)
        if genre_id is not None:
            return queryset.filter(genres__id=genre_id)
        # Not an id (other digits than ASCII ones, or past 64 bits): a genre's name.
        return queryset.filter(genres__name__iexact=value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = self.request.user
        # Listeners only ever see ready tracks: a status filter would silently mislead them.
        if not (can_moderate(user) or can_upload(user)):
            raise ValidationError(
                {"status": ["Only uploaders, moderators and staff may filter by status."]}
            )
        return queryset.filter(status=value)

    def filter_uploaded_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = self.request.user
        if not user.is_authenticated:
            raise NotAuthenticated("Sign in to list your own uploads.")
        return queryset.filter(uploaded_by=user)


class ArtistFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive match on the name: anywhere for three characters or more, "
        "at its start for one or two.",
    )

    class Meta:
        model = Artist
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(**{f"name__{search_lookup(value)}": value})


class AlbumFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive match on the album title or artist name: anywhere for "
        "three characters or more, at their start for one or two.",
    )
    artist = IntegerFilter(field_name="artist_id", help_text="Artist id.")
    year = IntegerFilter(field_name="year")
    min_ratings = IntegerFilter(
        field_name="rating_count",
        lookup_expr="gte",
        help_text="Only albums rated by at least this many listeners (with `ordering=-rating`).",
    )
    ordering = SortKeyFilter(
        fields=("title", "year", "rating"),
        help_text="One sort key, `-` for descending. Default: artist name, then title. "
        "`rating` is the average of the stars; unrated albums come last.",
    )

    class Meta:
        model = Album
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        lookup = search_lookup(value)
        return queryset.filter(
            Q(**{f"title__{lookup}": value}) | Q(**{f"artist__name__{lookup}": value})
        )


class GenreFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = Genre
        fields: list[str] = []
