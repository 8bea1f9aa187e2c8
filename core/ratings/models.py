"""Listeners' ratings (1 to 5 stars) of tracks and albums: one per listener per item. The
counts and sums that payloads show live on the items (`rating_count`, `rating_total`)."""

from django.conf import settings
from django.db import models


def _stars_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name=name)


class TrackRating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="track_rating_unique"),
            _stars_check("track_rating_stars_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ★{self.stars} track {self.track_id}"


class AlbumRating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    album = models.ForeignKey("core.Album", on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "album"], name="album_rating_unique"),
            _stars_check("album_rating_stars_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ★{self.stars} album {self.album_id}"
