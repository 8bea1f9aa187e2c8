"""Demo accounts and a small catalog of generated tones, for the run command.

The tones go through the media pipeline like any upload: queued here, processed by the worker
the run command starts (waveform, loudness, streaming variants), then ready to play.
"""

import io
import math
import os
import struct
import wave

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from core import roles
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.models import User
from core.playlists.models import Playlist, PlaylistItem
from core.processing.jobs import track_process_enqueue
from core.processing.models import ProcessingJob
from media_pipeline.storage import get_storage

SAMPLE_RATE = 22050
DEMO_TRACKS = [
    # title, artist, album, genre, frequency (Hz), seconds
    ("A440", "The Tuning Forks", "Reference Tones", "Ambient", 440.0, 40),
    ("Middle C", "The Tuning Forks", "Reference Tones", "Ambient", 261.63, 35),
    ("Low E", "Bass Department", "Four Strings", "Electronic", 41.2, 45),
    ("High G", "Bass Department", "Four Strings", "Electronic", 783.99, 32),
    ("Perfect Fifth", "Interval Club", "Harmony", "Classical", 660.0, 38),
    ("Octave", "Interval Club", "Harmony", "Classical", 880.0, 31),
]


def sine_wav(frequency: float, seconds: int) -> bytes:
    """A mono 16-bit WAV of a sine tone with a short fade in and out."""
    frames = bytearray()
    total = SAMPLE_RATE * seconds
    fade = SAMPLE_RATE // 10
    for n in range(total):
        envelope = min(1.0, n / fade, (total - n) / fade)
        sample = 0.3 * envelope * math.sin(2 * math.pi * frequency * n / SAMPLE_RATE)
        frames += struct.pack("<h", int(sample * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Create demo users (admin, artist, listener) and a few tracks, queued for processing by "
        "the worker. Idempotent."
    )

    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD", "tonearm-demo")
        self._user("admin", password, is_staff=True, is_superuser=True)
        artist = self._user("artist", password, group=roles.UPLOADERS)
        listener = self._user("listener", password)
        self._user("moderator", password, is_staff=True, group=roles.MODERATORS)

        tracks = [self._track(artist, *spec) for spec in DEMO_TRACKS]
        self._playlist(listener, tracks)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(tracks)} tracks (playable once the worker has processed "
                "them). Log in as admin, artist, moderator or "
                f"listener with password {password!r} (set DEMO_PASSWORD to change it)."
            )
        )

    def _user(self, username, password, *, is_staff=False, is_superuser=False, group=None):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@tonearm.invalid",
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    @transaction.atomic
    def _track(self, uploader, title, artist_name, album_title, genre_name, frequency, seconds):
        key = f"audio/demo/{artist_name}-{title}.wav".lower().replace(" ", "-")
        existing = Track.objects.filter(storage_key=key).first()
        if existing:
            if not ProcessingJob.objects.filter(track=existing).exists():
                track_process_enqueue(track_id=existing.pk)  # seeded before the pipeline ran
            return existing
        audio = sine_wav(frequency, seconds)
        get_storage().upload_fileobj(key, io.BytesIO(audio), content_type="audio/wav")
        artist, _ = Artist.objects.get_or_create(name=artist_name)
        album, _ = Album.objects.get_or_create(
            title=album_title, artist=artist, defaults={"year": 2026}
        )
        genre, _ = Genre.objects.get_or_create(name=genre_name)
        track = Track.objects.create(
            title=title,
            artist=artist,
            album=album,
            year=2026,
            storage_key=key,
            size=len(audio),
            content_type="audio/wav",
            status=TrackStatus.PROCESSING,
            uploaded_by=uploader,
        )
        track.genres.add(genre)
        track_process_enqueue(track_id=track.pk)
        return track

    def _playlist(self, owner, tracks) -> None:
        playlist, created = Playlist.objects.get_or_create(
            owner=owner,
            name="Tuning up",
            defaults={"description": "Every demo tone, in order.", "is_public": True},
        )
        if created:
            for index, track in enumerate(tracks, start=1):
                PlaylistItem.objects.create(playlist=playlist, track=track, position=index << 20)
            playlist.items_count = len(tracks)
            playlist.save(update_fields=["items_count"])
