from django.db import connections, models

from core.roles import can_moderate

MEDIA_DETAIL_FIELDS = ("media__waveform", "media__lyrics", "media__lyrics_synced")


# Shorter search terms match the start of titles and names only (pg_trgm needs three).
SEARCH_SUBSTRING_MIN = 3
# Up to this many matching artists (and albums) are looked up before the track query and
# given to it as constants; beyond it the track query looks them up itself.
SEARCH_INLINE_IDS = 5_000


def search_lookup(term: str) -> str:
    """`icontains` for a term long enough for the trigram indexes, else `istartswith`."""
    return "icontains" if len(term) >= SEARCH_SUBSTRING_MIN else "istartswith"


def matching_ids(db: str, *querysets: models.QuerySet) -> tuple[list[int] | None, ...]:
    """The ids each queryset matches, in one round trip; None for one that matches more than
    SEARCH_INLINE_IDS."""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.order_by()[: SEARCH_INLINE_IDS + 1].query.sql_with_params()
        parts.append(f"ARRAY({sql})")
        params.extend(part_params)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return tuple(None if len(ids) > SEARCH_INLINE_IDS else ids for ids in row)


class _EqualsAnyOf(models.Func):
    """`column = ANY(%s)`, the ids bound as one array: a constant to PostgreSQL, which tests a
    row against a hash of it, and one parameter to bind rather than one per id."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = models.BooleanField()

    def __init__(self, column: str, ids: list[int]):
        from django.contrib.postgres.fields import ArrayField

        array = models.Value(ids, output_field=ArrayField(models.BigIntegerField()))
        super().__init__(models.F(column), array)


def id_in(column: str, ids: list[int] | None, queryset: models.QuerySet) -> models.Q:
    """`column = ANY(the ids)` when they are known, else `column IN (subquery)`: either way
    PostgreSQL tests a row against a hash of the ids (docs/benchmarks.md)."""
    if ids is None:
        return models.Q(**{f"{column}__in": queryset})
    return models.Q(_EqualsAnyOf(column, ids))


def variant_flag(quality: str) -> str:
    """The name of the annotation saying whether a track has a variant of `quality`."""
    return f"has_{quality}_variant"


def _playable_q(prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}status": "ready", f"{prefix}is_hidden": False})


def visible_track_q(user, prefix: str) -> models.Q:
    """`TrackQuerySet.visible_to(user)` as a condition on a related track (`prefix`, such as
    "track__"), for rows that join their track: a page of them then checks its own rows'
    tracks by primary key, where `track__in=visible_to(user)` hashed every visible track."""
    if can_moderate(user):
        return models.Q()
    if user is not None and user.is_authenticated:
        from core.artists.models import ArtistManager

        managed = ArtistManager.objects.filter(user=user).values("artist_id")
        return (
            _playable_q(prefix)
            | models.Q(**{f"{prefix}uploaded_by": user})
            | models.Q(**{f"{prefix}artist_id__in": managed})
        )
    return _playable_q(prefix)


def visible_track_sql(user, track: str) -> tuple[str, list]:
    """`visible_track_q` as plain SQL on a joined track table aliased `track`, with its
    parameters, for statements written once (core/library/history_reads.py); "TRUE" for
    moderators and staff. tests/library/test_history_reads.py holds the two equal."""
    if can_moderate(user):
        return "TRUE", []
    from core.artists.models import ArtistManager
    from core.catalog.models import Track, TrackStatus

    def column(model, name: str) -> str:
        return connections["default"].ops.quote_name(model._meta.get_field(name).column)

    playable = (
        f"({track}.{column(Track, 'status')} = %s AND NOT {track}.{column(Track, 'is_hidden')})"
    )
    if user is None or not user.is_authenticated:
        return playable, [TrackStatus.READY.value]
    managers = connections["default"].ops.quote_name(ArtistManager._meta.db_table)
    managed = (
        f"SELECT {column(ArtistManager, 'artist')} FROM {managers} "  # noqa: S608 (model names)
        f"WHERE {column(ArtistManager, 'user')} = %s"
    )
    owner, artist = column(Track, "uploaded_by"), column(Track, "artist")
    return (
        f"({playable} OR {track}.{owner} = %s OR {track}.{artist} IN ({managed}))",
        [TrackStatus.READY.value, user.pk, user.pk],
    )


class TrackQuerySet(models.QuerySet):
    def playable(self) -> "TrackQuerySet":
        """Tracks a listener may see and stream: ready and not hidden."""
        return self.filter(_playable_q())

    def visible_to(self, user) -> "TrackQuerySet":
        """Everything for moderators and staff; playable tracks plus one's own uploads and the
        tracks of the artists one manages otherwise (one statement: the managed artists are
        an uncorrelated subquery)."""
        if can_moderate(user):
            return self.all()
        if user is not None and user.is_authenticated:
            from core.artists.models import ArtistManager

            managed = ArtistManager.objects.filter(user=user).values("artist_id")
            return self.filter(
                _playable_q() | models.Q(uploaded_by=user) | models.Q(artist_id__in=managed)
            )
        return self.playable()

    def with_favorite_flag(self, user) -> "TrackQuerySet":
        """Annotate `is_favorite` for `user` in the same query."""
        if user is None or not user.is_authenticated:
            return self.annotate(
                is_favorite=models.Value(False, output_field=models.BooleanField())
            )
        from core.library.models import Favorite

        return self.annotate(
            is_favorite=models.Exists(
                Favorite.objects.filter(user=user, track=models.OuterRef("pk"))
            )
        )

    def for_listing(self, *, detail: bool = False) -> "TrackQuerySet":
        """Joins and prefetches for a track payload: lists cost a constant number of queries.

        What processing found (TrackMedia) comes in the same query; its waveform and lyrics,
        the bulk of it, only with `detail`."""
        tracks = (
            self.select_related("artist", "album", "album__artist", "media")
            .prefetch_related("genres")
            .with_variant_flags()
        )
        return tracks.select_related("lyrics") if detail else tracks.defer(*MEDIA_DETAIL_FIELDS)

    def with_variant_flags(self) -> "TrackQuerySet":
        """Annotate `has_<quality>_variant` for each streaming variant quality, in the same
        query (see `variant_flag`)."""
        from core.processing.models import TrackVariant, VariantQuality

        return self.annotate(
            **{
                variant_flag(quality): models.Exists(
                    TrackVariant.objects.filter(track=models.OuterRef("pk"), quality=quality)
                )
                for quality in VariantQuality.values
            }
        )

    def search(self, term: str) -> "TrackQuerySet":
        """Case-insensitive match on the title, the artist's name or the album's title: anywhere
        in them for terms of SEARCH_SUBSTRING_MIN characters or more, at their start for shorter
        ones (a type-ahead's first keystrokes; no index can narrow a one-letter substring).

        Each branch tests a column of the track itself (the artist and album ids are looked up
        first), so PostgreSQL answers with index scans (trigram, prefix, foreign key) instead
        of scanning every track (docs/benchmarks.md).
        """
        from core.catalog.models import Album, Artist

        term = term.strip()
        if not term:
            return self
        lookup = search_lookup(term)
        artists = Artist.objects.filter(**{f"name__{lookup}": term}).values("pk")
        albums = Album.objects.filter(**{f"title__{lookup}": term}).values("pk")
        if connections[self.db].vendor == "postgresql":
            artist_ids, album_ids = matching_ids(self.db, artists, albums)
        else:
            artist_ids = album_ids = None
        return self.filter(
            models.Q(**{f"title__{lookup}": term})
            | id_in("artist_id", artist_ids, artists)
            | id_in("album_id", album_ids, albums)
        )

    def with_my_rating(self, user) -> "TrackQuerySet":
        """Annotate `my_rating`, `user`'s stars (null when none), in the same query."""
        from core.ratings.selectors import my_track_rating

        return self.annotate(my_rating=my_track_rating(user))

    def with_managed_flag(self, user) -> "TrackQuerySet":
        """Annotate `is_managed`: `user` manages the track's artist (who then gets the manager
        payload, with `is_hidden` and who hid it), in the same query."""
        if user is None or not user.is_authenticated:
            return self.annotate(is_managed=models.Value(False, output_field=models.BooleanField()))
        from core.artists.models import ArtistManager

        managers = ArtistManager.objects.filter(user=user, artist_id=models.OuterRef("artist_id"))
        return self.annotate(is_managed=models.Exists(managers))

    def with_uploader(self) -> "TrackQuerySet":
        """Join the uploader, shown in owner and staff payloads."""
        return self.select_related("uploaded_by")


def playable_track_count(prefix: str = "tracks") -> models.Count:
    """Count of the playable tracks reached through `prefix`, for an annotation."""
    return models.Count(
        prefix,
        filter=models.Q(**{f"{prefix}__status": "ready", f"{prefix}__is_hidden": False}),
        distinct=True,
    )


def has_playable_tracks(prefix: str = "") -> models.Q:
    """Artists (or the artist reached through `prefix`, e.g. "neighbour__") with at least one
    playable track, read from the totals the database keeps (ArtistPlayable, migration 0040)
    instead of joining every track."""
    return models.Q(**{f"{prefix}playable_totals__track_count__gt": 0})


def albums_visible_to(albums: models.QuerySet, user) -> models.QuerySet:
    """Albums `user` may see: all for moderators and staff; those not hidden plus the albums
    of the artists one manages otherwise."""
    if can_moderate(user):
        return albums
    if user is not None and user.is_authenticated:
        from core.artists.models import ArtistManager

        managed = ArtistManager.objects.filter(user=user).values("artist_id")
        return albums.filter(models.Q(is_hidden=False) | models.Q(artist_id__in=managed))
    return albums.filter(is_hidden=False)


def rating_value() -> models.Expression:
    """The average of an item's stars from its counters (`rating_count`, `rating_total`), null
    when unrated: what `?ordering=rating` sorts tracks and albums by."""
    from django.db.models.functions import Cast

    return models.Case(
        models.When(rating_count=0, then=models.Value(None)),
        default=Cast("rating_total", models.FloatField())
        / Cast("rating_count", models.FloatField()),
        output_field=models.FloatField(),
    )
