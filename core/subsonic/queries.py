"""The reads the Subsonic methods share, built on the catalog's and library's QuerySets: each
list costs a constant number of queries."""

from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.catalog import selectors as catalog
from core.catalog.models import Album, Artist, Genre, Track
from core.library.favorites import favorite_since
from core.library.models import Play

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


def albums(user) -> QuerySet[Album]:
    """Albums with at least one playable track, ready for an album payload."""
    return (
        catalog.album_list(user=user)
        .annotate(
            duration=Coalesce(
                Sum("tracks__duration", filter=_PLAYABLE), 0.0, output_field=FloatField()
            ),
            starred_at=favorite_since(user, "album"),
        )
        .filter(track_count__gt=0)
    )


def _album_count() -> Subquery:
    """The outer artist's albums with a playable track, as a subquery: joining them beside
    the artist's tracks would multiply the rows."""
    albums = (
        Album.objects.filter(artist=OuterRef("pk"), tracks__status="ready", tracks__is_hidden=False)
        .order_by()
        .values("artist")
        .annotate(count=Count("pk", distinct=True))
        .values("count")
    )
    return Subquery(albums)


def artists(user) -> QuerySet[Artist]:
    """Artists with at least one playable track, ready for an artist payload."""
    return (
        catalog.artist_list(user=user)
        .annotate(
            album_count=Coalesce(_album_count(), 0),
            starred_at=favorite_since(user, "artist"),
        )
        .filter(track_count__gt=0)
    )


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
