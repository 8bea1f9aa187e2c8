"""Reads of ratings: one's own stars, as an annotation of track and album queries."""

from django.db import models

from config import prepared
from core.ratings.models import AlbumRating, TrackRating


def track_stars_sql(*, user_id: int, track_ids: list[int]) -> tuple[str, list]:
    """A statement of the user's stars for those of `track_ids` they rated, as (track_id,
    stars) rows, for the kept catalog pages' marks (catalog.selectors.listener_marks); plain
    SQL, indexed."""
    among, params = prepared.any_of("track_id", track_ids)
    return (
        f"SELECT track_id, stars FROM {TrackRating._meta.db_table} "  # noqa: S608
        f"WHERE user_id = %s AND {among}",
        [user_id, *params],
    )


def my_track_rating(user) -> models.Expression:
    """An annotation: `user`'s stars for the track of the row, null when none."""
    return _mine(TrackRating, "track", user)


def my_album_rating(user) -> models.Expression:
    return _mine(AlbumRating, "album", user)


def _mine(model, name: str, user) -> models.Expression:
    if user is None or not user.is_authenticated:
        return models.Value(None, output_field=models.PositiveSmallIntegerField())
    stars = model.objects.filter(user=user, **{name: models.OuterRef("pk")}).values("stars")
    return models.Subquery(stars[:1], output_field=models.PositiveSmallIntegerField())


# Stars at or below this are a bad rating, at or above GOOD_STARS a good one (recommendations
# leave out the first and learn from the second).
BAD_STARS = 2
GOOD_STARS = 4


def badly_rated_track_ids(user) -> models.QuerySet:
    """Ids of the tracks `user` rated badly, as a subquery (`track_id`)."""
    return TrackRating.objects.filter(user=user, stars__lte=BAD_STARS).values("track_id")


def badly_rated_album_ids(user) -> models.QuerySet:
    """Ids of the albums `user` rated badly, as a subquery (`album_id`)."""
    return AlbumRating.objects.filter(user=user, stars__lte=BAD_STARS).values("album_id")


def track_rating_rows(*, chunk_size: int = 50_000):
    """Every track rating as (user id, track id, stars, updated at), streamed (training)."""
    return TrackRating.objects.values_list("user_id", "track_id", "stars", "updated_at").iterator(
        chunk_size=chunk_size
    )


def album_rating_rows(*, max_stars: int = BAD_STARS, chunk_size: int = 50_000):
    """Album ratings of at most `max_stars` as (user id, album id, updated at), streamed."""
    return (
        AlbumRating.objects.filter(stars__lte=max_stars)
        .values_list("user_id", "album_id", "updated_at")
        .iterator(chunk_size=chunk_size)
    )
