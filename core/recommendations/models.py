"""What training leaves for requests to read (neighbours, candidates, mixes), and radio sessions.
docs/recommendations.md has the design."""

import uuid

from django.conf import settings
from django.db import models

# An uncounted play that stopped before this many seconds is a skip (training and radio).
SKIP_SECONDS = 30

# The tables training replaces whole hold no foreign keys in the database (db_constraint=False;
# core/recommendations/served.py says why); deleting a track, artist, genre or listener still
# deletes their rows, in Django.


class TrackNeighbour(models.Model):
    """A track listened to by the same people as `track`, with the model's score."""

    # No index of its own: the unique constraint leads with it.
    track = models.ForeignKey(
        "core.Track",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    neighbour = models.ForeignKey(
        "core.Track", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "neighbour"], name="track_neighbour_unique")
        ]
        indexes = [models.Index(fields=["track", "-score"], name="track_neighbour_best_idx")]

    def __str__(self) -> str:
        return f"{self.track_id} ~ {self.neighbour_id}: {self.score:.3f}"


class ArtistNeighbour(models.Model):
    """An artist whose listeners overlap with `artist`'s, with the model's score."""

    artist = models.ForeignKey(
        "core.Artist",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    neighbour = models.ForeignKey(
        "core.Artist", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["artist", "neighbour"], name="artist_neighbour_unique")
        ]
        indexes = [models.Index(fields=["artist", "-score"], name="artist_neighbour_best_idx")]

    def __str__(self) -> str:
        return f"{self.artist_id} ~ {self.neighbour_id}: {self.score:.3f}"


class ReasonKind(models.TextChoices):
    LISTENED = "listened", "Because you listened to"
    FAVORITED = "favorited", "Because you liked"
    PLAYLISTED = "playlisted", "Because you added to a playlist"
    RATED = "rated", "Because you rated highly"
    FOLLOWED = "followed", "New from an artist you follow"
    NEW_IN_GENRE = "new_in_genre", "New in a genre you listen to"


class ListenerCandidate(models.Model):
    """A track the model proposes to a listener, and which of the listener's own tracks led
    to it (shown as the reason)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    track = models.ForeignKey(
        "core.Track", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    score = models.FloatField()
    because = models.ForeignKey(
        "core.Track",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        db_constraint=False,
    )
    because_kind = models.CharField(max_length=16, choices=ReasonKind.choices, blank=True)
    # The genre a "new in a genre you listen to" candidate was picked for.
    because_genre = models.ForeignKey(
        "core.Genre",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="listener_candidate_unique")
        ]
        indexes = [models.Index(fields=["user", "-score"], name="listener_candidate_best_idx")]

    def __str__(self) -> str:
        return f"{self.track_id} for {self.user_id}: {self.score:.3f}"


class DailyMix(models.Model):
    """One of a listener's generated, read-only playlists, remade by each training run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    number = models.PositiveSmallIntegerField()
    genre = models.ForeignKey(
        "core.Genre", on_delete=models.CASCADE, related_name="+", null=True, db_constraint=False
    )
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "number"]
        constraints = [models.UniqueConstraint(fields=["user", "number"], name="daily_mix_unique")]

    def __str__(self) -> str:
        return self.title


class DailyMixItem(models.Model):
    mix = models.ForeignKey(
        DailyMix, on_delete=models.CASCADE, related_name="items", db_constraint=False
    )
    track = models.ForeignKey(
        "core.Track", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["mix", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mix", "position"], name="daily_mix_item_unique")
        ]

    def __str__(self) -> str:
        return f"track {self.track_id} in mix {self.mix_id}"


class RadioSeed(models.TextChoices):
    TRACK = "track", "Track"
    ARTIST = "artist", "Artist"
    GENRE = "genre", "Genre"


class RadioSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seed_kind = models.CharField(max_length=8, choices=RadioSeed.choices)
    seed_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"radio of {self.seed_kind} {self.seed_id}"


class RadioTrack(models.Model):
    """A track a radio session has given, in order: never given twice."""

    session = models.ForeignKey(RadioSession, on_delete=models.CASCADE, related_name="tracks")
    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "track"], name="radio_track_once"),
            models.UniqueConstraint(fields=["session", "position"], name="radio_position_unique"),
        ]

    def __str__(self) -> str:
        return f"track {self.track_id} in radio {self.session_id}"


class TrainingRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"training of {self.finished_at:%Y-%m-%d %H:%M}"
