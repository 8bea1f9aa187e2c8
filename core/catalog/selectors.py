"""Reads on the catalog, with their joins built in so payloads cost a constant number of
queries."""

from django.db import models
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from config import prepared
from core.api.errors import NotFound
from core.catalog.models import Album, Artist, Genre, Track
from core.catalog.querysets import TrackQuerySet, albums_visible_to, playable_track_count


def track_list(*, user, detail: bool = False) -> TrackQuerySet:
    """Tracks `user` may see, ready for either track payload (the detail ones with `detail`),
    newest first."""
    return (
        Track.objects.visible_to(user)
        .for_listing(detail=detail)
        .with_uploader()
        .with_managed_flag(user)
        .with_favorite_flag(user)
        .with_my_rating(user)
        .order_by("-created_at", "-id")
    )


def track_get(*, user, track_id: int) -> Track:
    """One track `user` may see, ready for its detail payload; NotFound otherwise, whether it
    exists or not."""
    track = track_list(user=user, detail=True).filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def _favorite_flag(user, kind: str):
    from core.library.favorites import favorite_flag

    return favorite_flag(user, kind)


def artist_list(user=None) -> QuerySet[Artist]:
    """Artists with their playable tracks' count, whether `user` made them a favorite and
    whether `user` follows each, in the same query."""
    from core.artists.models import ArtistFollow

    artists = Artist.objects.annotate(
        track_count=playable_track_count(), is_favorite=_favorite_flag(user, "artist")
    )
    if user is not None and user.is_authenticated:
        follows = ArtistFollow.objects.filter(user=user, artist=models.OuterRef("pk"))
        artists = artists.annotate(is_following=models.Exists(follows))
    else:
        artists = artists.annotate(
            is_following=models.Value(False, output_field=models.BooleanField())
        )
    return artists.order_by("name", "id")


def album_list(user=None) -> QuerySet[Album]:
    """Albums `user` may see (hidden ones only to moderators, staff and the artist's managers)
    with their playable tracks' count and all-time counted listens, in the same query (both
    aggregate the one join on tracks), whether `user` made them a favorite and `user`'s stars
    (`my_rating`)."""
    from core.ratings.selectors import my_album_rating

    playable = Q(tracks__status="ready", tracks__is_hidden=False)
    return (
        albums_visible_to(Album.objects.select_related("artist"), user)
        .annotate(
            track_count=playable_track_count(),
            listen_count=Coalesce(Sum("tracks__listen_count", filter=playable), 0),
            is_favorite=_favorite_flag(user, "album"),
            my_rating=my_album_rating(user),
        )
        .order_by("artist__name", "title", "id")
    )


def genre_list() -> QuerySet[Genre]:
    return Genre.objects.annotate(track_count=playable_track_count()).order_by("name", "id")


def track_identities(track_ids: list[int]) -> list[dict]:
    """What names a track outside the catalog (title, artist, album, genres), for each of
    `track_ids` that exists, hidden or not; two queries whatever the number of tracks."""
    rows = list(
        Track.objects.filter(pk__in=track_ids).values(
            "id", "title", "artist_id", "artist__name", "album_id", "album__title"
        )
    )
    genres: dict[int, list[tuple[int, str]]] = {}
    through = Track.genres.through.objects.filter(track_id__in=[row["id"] for row in rows])
    for track_id, genre_id, name in through.values_list("track_id", "genre_id", "genre__name"):
        genres.setdefault(track_id, []).append((genre_id, name))
    return [
        {
            "track_id": row["id"],
            "title": row["title"],
            "artist_id": row["artist_id"],
            "artist_name": row["artist__name"],
            "album_id": row["album_id"],
            "album_title": row["album__title"] or "",
            "genres": genres.get(row["id"], []),
        }
        for row in rows
    ]


def has_listener_role_only(user) -> bool:
    """Neither moderator, staff nor uploader (no query: the roles come with the user)."""
    from core.roles import can_moderate, can_upload

    return not (can_moderate(user) or can_upload(user))


def has_own_catalog(user) -> bool:
    """Whether `user` uploaded tracks (from before a role was taken, say) or manages an
    artist: then their track pages show more than the public's. One query."""
    from core.artists.models import ArtistManager

    flags = (
        type(user)
        .objects.filter(pk=user.pk)
        .annotate(
            has_uploads=models.Exists(Track.objects.filter(uploaded_by=user)),
            has_managed=models.Exists(ArtistManager.objects.filter(user=user)),
        )
    )
    found = flags.values_list("has_uploads", "has_managed").first()
    return found is None or any(found)


Marks = dict[int, tuple[bool, int | None]]  # track id: (is_favorite, my_rating)
_VERSION, _FAVORITE, _STARS = 0, 1, 2


def _marks(user, track_ids: list[int], *, version: bool) -> tuple[int | None, Marks]:
    """`user`'s favorites and stars among `track_ids` (statements of the library and ratings
    rooms) and, if `version`, where the catalog stands: one round trip in all."""
    from core.catalog.caching import CATALOG_VERSION, sequence_sql
    from core.library.selectors import favorite_marks_sql
    from core.ratings.selectors import track_stars_sql

    parts: list[tuple[int, str, list]] = []
    if version:
        parts.append(
            (_VERSION, f"SELECT ({sequence_sql(CATALOG_VERSION)}), CAST(NULL AS integer)", [])
        )
    if track_ids:
        parts.append((_FAVORITE, *favorite_marks_sql(user_id=user.pk, track_ids=track_ids)))
        parts.append((_STARS, *track_stars_sql(user_id=user.pk, track_ids=track_ids)))
    position, favorites, stars = None, set(), {}
    if parts:
        rows = prepared.fetch_all(
            " UNION ALL ".join(
                f"SELECT {part}, mark.* FROM ({sql}) mark"  # noqa: S608 (the rooms' SQL)
                for part, sql, _ in parts
            ),
            [param for *_, params in parts for param in params],
        )
        for part, key, value in rows:
            if part == _VERSION:
                position = key
            elif part == _FAVORITE:
                favorites.add(key)
            else:
                stars[key] = value
    return position, {pk: (pk in favorites, stars.get(pk)) for pk in track_ids}


def listener_marks(*, user, track_ids: list[int]) -> Marks:
    """(is_favorite, my_rating) of `user` for each of `track_ids`: the per-listener part of a
    public track payload kept for everyone (core/catalog/kept_pages.py). One statement, two
    index lookups, whatever the number of tracks."""
    return _marks(user, track_ids, version=False)[1]


def catalog_version_and_marks(*, user, track_ids: list[int]) -> tuple[int, Marks]:
    """`listener_marks` and the catalog version (PostgreSQL only) in the same statement, for
    pages whose track ids are known before the version is needed (history)."""
    position, marks = _marks(user, track_ids, version=True)
    assert position is not None, "the version is read on PostgreSQL only"
    return position, marks


def playable_track_ids(track_ids: list[int]) -> set[int]:
    """Which of `track_ids` a listener may stream today, in one query."""
    return set(Track.objects.playable().filter(pk__in=track_ids).values_list("pk", flat=True))


def shown_album_ids(album_ids: list[int]) -> set[int]:
    """Which of `album_ids` public lists may show today (not hidden), in one query."""
    return set(Album.objects.filter(pk__in=album_ids, is_hidden=False).values_list("pk", flat=True))


def track_ids() -> QuerySet:
    """Every track's id, hidden or not, for a subquery."""
    return Track.objects.values("pk")


def playable_tracks(*, genre_id: int | None = None) -> TrackQuerySet:
    """Tracks a listener may stream (of one genre), for a subquery (`track_id__in=...`)."""
    tracks = Track.objects.playable()
    return tracks if genre_id is None else tracks.filter(genres=genre_id)


def genre_exists(genre_id: int) -> bool:
    return Genre.objects.filter(pk=genre_id).exists()


def artists_by_id(artist_ids: list[int]) -> dict[int, Artist]:
    return Artist.objects.in_bulk(artist_ids)


def albums_by_id(album_ids: list[int]) -> dict[int, Album]:
    return Album.objects.select_related("artist").in_bulk(album_ids)


def track_titles(track_ids: list[int]) -> dict[int, str]:
    """Titles of those of `track_ids` that exist, hidden or not; one query."""
    return dict(Track.objects.filter(pk__in=track_ids).values_list("pk", "title"))
