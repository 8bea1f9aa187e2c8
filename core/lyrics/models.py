"""A track's lyrics: plain text, optionally timed lines, and where they came from."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from core.catalog.models import Track


class LyricsSource(models.TextChoices):
    TAGS = "tags", "The file's tags"
    LRC = "lrc", "An LRC file beside the audio"
    EDITED = "edited", "Edited through the API"


class TrackLyrics(models.Model):
    """The lyrics shown for a track. Tags fill them at processing; an LRC sidecar or an edit
    replaces them, and processing never writes over those."""

    track = models.OneToOneField(
        Track, on_delete=models.CASCADE, primary_key=True, related_name="lyrics"
    )
    plain = models.TextField(blank=True)
    synced = models.JSONField(
        default=list, blank=True, help_text='[{"time_ms": 12500, "text": "..."}], in order'
    )
    source = models.CharField(max_length=10, choices=LyricsSource.choices)
    language = models.CharField(max_length=35, blank=True, help_text="BCP 47 tag, e.g. en, pt-BR")
    # PostgreSQL only: `plain` as words and positions, kept by a trigger (core migration 0021)
    # under a GIN index, so a phrase is checked against stored positions rather than by
    # re-reading every candidate's text. Always null on SQLite.
    document = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "track lyrics"
        verbose_name_plural = "track lyrics"

    def __str__(self) -> str:
        return f"Lyrics of track {self.track_id}"
