"""getLyrics and getLyricsBySongId (the songLyrics extension): the documented empty answers
until the lyrics feature lands; wiring it is a change to these two functions."""

from core.subsonic.registry import Call, method


@method("getLyrics")
def get_lyrics(call: Call) -> dict:
    return {"lyrics": {}}


@method("getLyricsBySongId")
def get_lyrics_by_song_id(call: Call) -> dict:
    call.params.require("id")
    return {"lyricsList": {"structuredLyrics": []}}
