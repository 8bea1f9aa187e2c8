"""Reads of ratings: one's own stars, as an annotation of track and album queries."""

from django.db import models

from core.ratings.models import AlbumRating, TrackRating


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
