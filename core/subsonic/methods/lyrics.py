"""getLyrics and getLyricsBySongId (the songLyrics extension), read from the lyrics room."""

from core.api.errors import NotFound
from core.catalog.models import Track
from core.lyrics.selectors import lyrics_get
from core.subsonic import ids
from core.subsonic.registry import Call, method


def _lines(lyrics) -> tuple[bool, list[dict]]:
    if lyrics.synced:
        return True, [{"start": line["time_ms"], "value": line["text"]} for line in lyrics.synced]
    return False, [{"value": line} for line in lyrics.plain.splitlines()]


@method("getLyrics")
def get_lyrics(call: Call) -> dict:
    """Classic Subsonic: plain lyrics of the first visible track with this artist and title."""
    artist, title = call.params.get("artist"), call.params.get("title")
    if not artist or not title:
        return {"lyrics": {}}
    track = (
        Track.objects.visible_to(call.user)
        .filter(artist__name__iexact=artist, title__iexact=title, lyrics__isnull=False)
        .select_related("artist", "lyrics")
        .order_by("id")
        .first()
    )
    if track is None:
        return {"lyrics": {}}
    return {
        "lyrics": {"artist": track.artist.name, "title": track.title, "value": track.lyrics.plain}
    }


@method("getLyricsBySongId")
def get_lyrics_by_song_id(call: Call) -> dict:
    track_id = ids.parse_kind(call.params.require("id"), "track")
    try:
        lyrics = lyrics_get(user=call.user, track_id=track_id)
    except NotFound:
        return {"lyricsList": {"structuredLyrics": []}}
    track = Track.objects.select_related("artist").get(pk=track_id)
    synced, lines = _lines(lyrics)
    return {
        "lyricsList": {
            "structuredLyrics": [
                {
                    "displayArtist": track.artist.name,
                    "displayTitle": track.title,
                    "lang": lyrics.language or "xxx",
                    "offset": 0,
                    "synced": synced,
                    "line": lines,
                }
            ]
        }
    }
