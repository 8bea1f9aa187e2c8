"""Reads of the artists room: an artist's page, its managers, whom one follows."""

from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Coalesce

from core.api.errors import NotFound
from core.artists.models import ArtistFollow, ArtistManager, UserFollow
from core.catalog import selectors as catalog_selectors
from core.catalog.models import Album, Artist
from core.catalog.querysets import albums_visible_to, playable_track_count
from core.insights.artists import artist_top_track_ids

TOP_TRACKS = 10
TOP_TRACKS_DAYS = 30


def managed_artists_time_zones() -> dict[int, list[str]]:
    """Each artist that has managers, with its managers' time zones (sorted, distinct): the
    ones its statistics are most likely read in."""
    found: dict[int, set[str]] = {}
    rows = ArtistManager.objects.values_list("artist_id", "user__time_zone").order_by()
    for artist_id, time_zone in rows:
        found.setdefault(artist_id, set()).add(time_zone)
    return {artist_id: sorted(zones) for artist_id, zones in sorted(found.items())}


def with_following_flag(artists: models.QuerySet, user) -> models.QuerySet:
    """Annotate `is_following` for `user` in the same query (no query per artist)."""
    if user is None or not user.is_authenticated:
        return artists.annotate(is_following=models.Value(False))
    return artists.annotate(
        is_following=models.Exists(
            ArtistFollow.objects.filter(user=user, artist=models.OuterRef("pk"))
        )
    )


def image_urls(files: dict[str, str]) -> dict[str, str] | None:
    """URLs of an artist's image by side in pixels; None without one."""
    return {side: default_storage.url(name) for side, name in files.items()} or None


def artist_get(*, user, artist_id: int) -> Artist:
    """One artist with its playable track count, all-time counted listens, `is_favorite` and
    `is_following`."""
    from core.library.favorites import favorite_flag

    playable = models.Q(tracks__status="ready", tracks__is_hidden=False)
    artists = Artist.objects.filter(pk=artist_id).annotate(
        track_count=playable_track_count(),
        listen_count=Coalesce(models.Sum("tracks__listen_count", filter=playable), 0),
        is_favorite=favorite_flag(user, "artist"),
    )
    artist = with_following_flag(artists, user).first()
    if artist is None:
        raise NotFound("Artist not found.")
    return artist


def artist_albums(*, user, artist_id: int) -> models.QuerySet[Album]:
    """The artist's albums `user` may see (hidden ones to its managers, moderators, staff)."""
    return (
        albums_visible_to(Album.objects.filter(artist_id=artist_id), user)
        .annotate(track_count=playable_track_count())
        .order_by(models.F("year").desc(nulls_last=True), "title", "id")
    )


def artist_top_tracks(*, user, artist_id: int) -> list[tuple[object, int]]:
    """(track, counted listens in the last 30 days) of the artist's most listened playable
    tracks, best first; three queries (the rollups, the tracks, their genres)."""
    ranked = artist_top_track_ids(artist_id=artist_id, days=TOP_TRACKS_DAYS, limit=TOP_TRACKS)
    tracks = catalog_selectors.track_list(user=user).filter(
        pk__in=[pk for pk, _ in ranked], status="ready", is_hidden=False
    )
    by_id = {track.pk: track for track in tracks}
    return [(by_id[pk], listens) for pk, listens in ranked if pk in by_id]


def artist_managers(artist_id: int) -> models.QuerySet[ArtistManager]:
    return ArtistManager.objects.filter(artist_id=artist_id).select_related("user", "added_by")


def followed_artists(user) -> models.QuerySet[ArtistFollow]:
    """The artists `user` follows, newest follow first."""
    return (
        ArtistFollow.objects.filter(user=user)
        .select_related("artist")
        .order_by("-created_at", "-id")
    )


def followed_users(user) -> models.QuerySet[UserFollow]:
    return (
        UserFollow.objects.filter(follower=user, followed__is_active=True)
        .select_related("followed")
        .order_by("-created_at", "-id")
    )


def follower_count(artist_id: int) -> int:
    return Artist.objects.filter(pk=artist_id).values_list("follower_count", flat=True).first() or 0


def follows_artist(user, artist_ref) -> models.Expression:
    """An annotation: whether `user` follows the artist `artist_ref` points at (an OuterRef or
    F of an artist id)."""
    if user is None or not user.is_authenticated:
        return models.Value(False, output_field=models.BooleanField())
    return models.Exists(ArtistFollow.objects.filter(user=user, artist_id=artist_ref))


def followed_artist_ids(user) -> models.QuerySet:
    """Ids of the artists `user` follows, as a subquery (`artist_id`)."""
    return ArtistFollow.objects.filter(user=user).values("artist_id")


def artist_follow_rows(*, chunk_size: int = 50_000):
    """Every artist follow as (user id, artist id), streamed (recommendations training)."""
    return ArtistFollow.objects.values_list("user_id", "artist_id").iterator(chunk_size=chunk_size)
