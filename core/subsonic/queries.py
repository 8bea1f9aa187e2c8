"""The reads the Subsonic methods share, built on the catalog's and library's QuerySets: each
list costs a constant number of queries, and lists of albums and artists read the playable
totals the database keeps (AlbumPlayable, ArtistPlayable; migration 0040)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.catalog import selectors as catalog
from core.catalog.models import Album, Artist, ArtistIndexChange, Genre, Track
from core.catalog.querysets import albums_visible_to
from core.library.favorites import favorite_since
from core.library.models import ArtistFavorite, Play
from core.ratings.selectors import my_album_rating

_PLAYABLE = Q(tracks__status="ready", tracks__is_hidden=False)


def songs(user) -> QuerySet[Track]:
    """Playable tracks, ready for a child payload (`starred_at` for `user`)."""
    return (
        Track.objects.playable()
        .for_listing()
        .with_my_rating(user)
        .annotate(starred_at=favorite_since(user, "track"))
        .order_by("-created_at", "-id")
    )


def _album_listens() -> Coalesce:
    """The outer album's playable tracks' counted listens, as a subquery: computed for the rows
    of a page only (AlbumPlayable keeps no listen counts)."""
    listens = (
        Track.objects.playable()
        .filter(album=OuterRef("pk"))
        .order_by()
        .values("album")
        .annotate(total=Sum("listen_count"))
        .values("total")
    )
    return Coalesce(Subquery(listens), 0)


def albums(user) -> QuerySet[Album]:
    """Albums `user` may see (a hidden album only by its artist's managers, moderators and
    staff, as in the REST API) with at least one playable track, ready for an album payload:
    the totals are the kept ones (AlbumPlayable), so a page costs what its rows cost."""
    return (
        albums_visible_to(Album.objects.select_related("artist"), user)
        .filter(playable_totals__track_count__gt=0)
        .annotate(
            track_count=F("playable_totals__track_count"),
            duration=F("playable_totals__duration"),
            listen_count=_album_listens(),
            starred_at=favorite_since(user, "album"),
            my_rating=my_album_rating(user),
        )
    )


# The most listened albums are ranked this deep at a time and kept in the cache for
# SUBSONIC_FREQUENT_CACHE_SECONDS: `getAlbumList2?type=frequent` pages from that ranking
# instead of summing every listened track's listens per call.
FREQUENT_DEPTH = 2000
# Ids read past the page, standing in for albums hidden since the ranking was made.
FREQUENT_SLACK = 20
FREQUENT_CACHE_KEY = "subsonic:frequent-albums"


def _most_listened(*, offset: int, size: int) -> list[int]:
    """A page of the albums whose playable tracks were listened to most (one pass over the
    tracks with listens, grouped by album)."""
    rows = (
        Track.objects.playable()
        .filter(listen_count__gt=0, album__isnull=False)
        .order_by()
        .values("album_id")
        .annotate(total=Sum("listen_count"))
        .order_by("-total", "album_id")
        .values_list("album_id", flat=True)
    )
    return list(rows[offset : offset + size])


def most_listened_album_ids(*, offset: int, size: int) -> list[int]:
    """Ids from `offset` of the most listened albums, at least `size` of them where there are
    (a few more, so that albums hidden since the ranking was made can be skipped): from the
    kept ranking, which may be up to SUBSONIC_FREQUENT_CACHE_SECONDS old; deeper pages are
    ranked in the call."""
    seconds = settings.SUBSONIC_FREQUENT_CACHE_SECONDS
    ranking = cache.get(FREQUENT_CACHE_KEY) if seconds else None
    if ranking is None:
        ranking = _most_listened(offset=0, size=FREQUENT_DEPTH)
        if seconds:
            cache.set(FREQUENT_CACHE_KEY, ranking, seconds)
    wanted = size + FREQUENT_SLACK
    if offset + wanted > len(ranking) == FREQUENT_DEPTH:
        return _most_listened(offset=offset, size=wanted)
    return ranking[offset : offset + wanted]


def artists(user) -> QuerySet[Artist]:
    """Artists with at least one playable track, ready for an artist payload (the kept
    totals, ArtistPlayable)."""
    return Artist.objects.filter(playable_totals__track_count__gt=0).annotate(
        track_count=F("playable_totals__track_count"),
        album_count=F("playable_totals__album_count"),
        starred_at=favorite_since(user, "artist"),
    )


def in_order(queryset: QuerySet, ids: list[int]) -> list:
    """The rows of `queryset` with these ids, in the ids' order (a page chosen first, then
    loaded with its annotations)."""
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def genres() -> QuerySet[Genre]:
    """Genres with their playable songs and the albums those are on."""
    return (
        catalog.genre_list()
        .annotate(
            album_count=Count("tracks__album", filter=_PLAYABLE, distinct=True),
        )
        .filter(track_count__gt=0)
        .order_by(F("name").asc())
    )


def last_played_on_album(user) -> Subquery:
    """When `user` last started a track of the outer album (null if never), for an annotation."""
    plays = Play.objects.filter(user=user, track__album=OuterRef("pk")).order_by("-started_at")
    return Subquery(plays.values("started_at")[:1])


def album_ids_of_genre(name: str) -> QuerySet:
    """Ids of the albums with a playable track of the genre `name`, for a subquery."""
    return Track.objects.playable().filter(genres__name__iexact=name).values("album_id")


def starred_artists(user) -> dict[int, datetime]:
    """When `user` starred each of their favorite artists, by artist id (in id order)."""
    rows = ArtistFavorite.objects.filter(user=user).order_by("artist_id")
    return dict(rows.values_list("artist_id", "created_at"))


def artist_index_rows(pks: Collection[int] | None = None) -> list[tuple[int, str, int]]:
    """(id, name, album count) of every artist with a playable track (the kept totals,
    ArtistPlayable), or of those among `pks`: the artist index of getArtists and getIndexes.
    Plain tuples, no model instances: the index holds every artist, and loading 10^5 Artist
    rows with all their columns took most of its 3.6 s (docs/benchmarks.md)."""
    artists = Artist.objects.filter(playable_totals__track_count__gt=0)
    if pks is not None:
        artists = artists.filter(pk__in=pks)
    return list(artists.values_list("pk", "name", "playable_totals__album_count"))


@dataclass(frozen=True)
class IndexChanges:
    """Rows of the artist index's change log (ArtistIndexChange) at or past a horizon, and the
    horizon to read from next time."""

    horizon: int
    rows: list[ArtistIndexChange]


# The oldest transaction whose rows of the log a later statement may see appear: the oldest
# running one (the snapshot's xmin), or this connection's own, whichever is older.
_HORIZON = (
    "least(pg_snapshot_xmin(pg_current_snapshot()), pg_current_xact_id_if_assigned())::text::bigint"
)


def artist_index_changes(since: int | None) -> IndexChanges:
    """The artist index's changes logged by transactions from `since` on (None: from the
    horizon this statement returns), in one statement on PostgreSQL. Every change a reader did
    not see at its last read was written by a transaction at or past the horizon that read
    returned, whatever the commit order: nothing is missed, and no time margin is guessed."""
    table = connection.ops.quote_name(ArtistIndexChange._meta.db_table)
    sql = (
        f"SELECT h.horizon, c.id, c.artist_id, c.xid FROM (SELECT {_HORIZON} AS horizon) AS h "  # noqa: S608 (fixed names)
        f"LEFT JOIN {table} AS c ON c.xid >= coalesce(%s, h.horizon) ORDER BY c.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [since])
        names = [column.name for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    rows = [
        ArtistIndexChange(id=row["id"], artist_id=row["artist_id"], xid=row["xid"])
        for row in found
        if row["id"] is not None
    ]
    return IndexChanges(horizon=found[0]["horizon"], rows=rows)
