"""Reads on the catalog, with their joins built in so payloads cost a constant number of
queries."""

from django.db.models import QuerySet

from core.api.errors import NotFound
from core.catalog.models import Album, Artist, Genre, Track
from core.catalog.querysets import TrackQuerySet, playable_track_count


def track_list(*, user, detail: bool = False) -> TrackQuerySet:
    """Tracks `user` may see, ready for either track payload (the detail ones with `detail`),
    newest first."""
    return (
        Track.objects.visible_to(user)
        .for_listing(detail=detail)
        .with_uploader()
        .with_favorite_flag(user)
        .order_by("-created_at", "-id")
    )


def track_get(*, user, track_id: int) -> Track:
    """One track `user` may see, ready for its detail payload; NotFound otherwise, whether it
    exists or not."""
    track = track_list(user=user, detail=True).filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def artist_list() -> QuerySet[Artist]:
    return Artist.objects.annotate(track_count=playable_track_count()).order_by("name", "id")


def album_list() -> QuerySet[Album]:
    return (
        Album.objects.select_related("artist")
        .annotate(track_count=playable_track_count())
        .order_by("artist__name", "title", "id")
    )


def genre_list() -> QuerySet[Genre]:
    return Genre.objects.annotate(track_count=playable_track_count()).order_by("name", "id")
