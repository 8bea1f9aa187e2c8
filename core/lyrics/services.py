"""Writes on lyrics: edits through the API, and what files say (tags at processing, an LRC
file beside the audio at import). A person's edit is never replaced by a file's lyrics."""

import logging
import re
from pathlib import Path

from django.db import transaction

from core.api.errors import Forbidden, InvalidInput, NotFound
from core.catalog.models import Track
from core.catalog.services import can_edit_track
from core.lyrics import lrc
from core.lyrics.models import LyricsSource, TrackLyrics
from core.text import clean, refused_characters

logger = logging.getLogger(__name__)

MAX_CHARS = 100_000
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")
MAX_SIDECAR_BYTES = 512 * 1024


def _locked_editable_track(*, user, track_id: int) -> Track:
    # Row lock: concurrent edits of one track's lyrics apply one after the other.
    track = Track.objects.visible_to(user).select_for_update().filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    if not can_edit_track(user, track):
        raise Forbidden("Only the track's uploader, its managers and moderators may edit lyrics.")
    return track


def _check_text(value: str, field: str) -> str:
    if len(value) > MAX_CHARS:
        raise InvalidInput(f"Lyrics may have at most {MAX_CHARS} characters.", field=field)
    if refused := refused_characters(value, multiline=True):
        points = ", ".join(f"U+{ord(ch):04X}" for ch in refused[:5])
        raise InvalidInput(
            f"Lyrics contain characters that are not allowed ({points}).", field=field
        )
    return value.strip()


@transaction.atomic
def lyrics_edit(
    *,
    user,
    track_id: int,
    plain: str | None = None,
    lrc_text: str | None = None,
    language: str = "",
) -> TrackLyrics:
    """Set a track's lyrics from plain text or LRC (which fills the plain text too)."""
    if (plain is None) == (lrc_text is None):
        raise InvalidInput("Give plain or lrc, not both.", field="plain")
    if language and not _LANGUAGE.match(language):
        raise InvalidInput("Give a language tag such as en or pt-BR.", field="language")
    track = _locked_editable_track(user=user, track_id=track_id)
    synced: list[dict] = []
    if lrc_text is not None:
        try:
            lines = lrc.parse(_check_text(lrc_text, "lrc"))
        except lrc.LrcError as exc:
            raise InvalidInput(str(exc), field="lrc") from None
        synced = [{"time_ms": line.time_ms, "text": line.text} for line in lines]
        plain = lrc.plain_text(lines)
    else:
        plain = _check_text(plain or "", "plain")
    lyrics, _ = TrackLyrics.objects.update_or_create(
        track=track,
        defaults={
            "plain": plain,
            "synced": synced,
            "source": LyricsSource.EDITED,
            "language": language,
        },
    )
    return lyrics


@transaction.atomic
def lyrics_delete(*, user, track_id: int) -> None:
    """Clear a track's lyrics, whatever their source."""
    track = _locked_editable_track(user=user, track_id=track_id)
    TrackLyrics.objects.filter(track=track).delete()


def lyrics_from_tags(*, track: Track, plain: str, synced: list[tuple[float, str]]) -> None:
    """Lyrics read from the file's tags at processing: kept only where no LRC file or edit
    gave the track lyrics. Runs inside processing's transaction, the track locked."""
    current = TrackLyrics.objects.filter(track=track).first()
    if current is not None and current.source != LyricsSource.TAGS:
        return
    lines = [{"time_ms": round(time * 1000), "text": text} for time, text in synced]
    plain = plain.strip() or "\n".join(line["text"] for line in lines).strip()
    if not plain and not lines:
        return
    TrackLyrics.objects.update_or_create(
        track=track,
        defaults={"plain": plain[:MAX_CHARS], "synced": lines, "source": LyricsSource.TAGS},
    )


def lyrics_from_sidecar(*, track: Track, audio_path: Path) -> bool:
    """Lyrics from an `.lrc` file beside an imported audio file (same name), if there is one
    that parses; an edit is never replaced. Whether lyrics were taken."""
    sidecar = audio_path.with_suffix(".lrc")
    try:
        if not sidecar.is_file() or sidecar.stat().st_size > MAX_SIDECAR_BYTES:
            return False
        text = clean(sidecar.read_bytes().decode("utf-8-sig", "replace"), multiline=True)
        lines = lrc.parse(text)
    except (OSError, lrc.LrcError) as exc:
        logger.warning("Lyrics file %s ignored: %s", sidecar.name, exc)
        return False
    current = TrackLyrics.objects.filter(track=track).first()
    if current is not None and current.source == LyricsSource.EDITED:
        return False
    TrackLyrics.objects.update_or_create(
        track=track,
        defaults={
            "plain": lrc.plain_text(lines)[:MAX_CHARS],
            "synced": [{"time_ms": line.time_ms, "text": line.text} for line in lines],
            "source": LyricsSource.LRC,
        },
    )
    return True
