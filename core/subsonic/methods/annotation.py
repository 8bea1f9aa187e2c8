"""star, unstar (favorites of songs, albums and artists) and scrobble."""

from datetime import UTC, datetime

from core.library.favorites import favorite_set
from core.library.scrobble import now_playing_set, play_scrobble
from core.subsonic import ids
from core.subsonic.envelope import SubsonicError
from core.subsonic.params import parse_int
from core.subsonic.registry import Call, method

_MS_MAX = 253402300799999  # 9999-12-31


def _targets(call: Call) -> list[tuple[str, int]]:
    params = call.params
    targets = [ids.parse(raw) for raw in params.get_list("id")]
    targets += [("album", ids.parse_kind(raw, "album")) for raw in params.get_list("albumId")]
    targets += [("artist", ids.parse_kind(raw, "artist")) for raw in params.get_list("artistId")]
    if not targets:
        raise SubsonicError(SubsonicError.MISSING_PARAMETER, "Required parameter is missing: id")
    return targets


def _star(call: Call, favorite: bool) -> dict:
    for kind, pk in _targets(call):
        favorite_set(user=call.user, kind=kind, object_id=pk, favorite=favorite)
    return {}


@method("star")
def star(call: Call) -> dict:
    return _star(call, True)


@method("unstar")
def unstar(call: Call) -> dict:
    return _star(call, False)


@method("scrobble")
def scrobble(call: Call) -> dict:
    params = call.params
    songs = [ids.parse_kind(raw, "track") for raw in params.get_list("id")]
    if not songs:
        raise SubsonicError(SubsonicError.MISSING_PARAMETER, "Required parameter is missing: id")
    times = [parse_int(raw, "time", maximum=_MS_MAX) for raw in params.get_list("time")]
    submission = params.get_bool("submission", True)
    for index, track_id in enumerate(songs):
        if not submission:
            now_playing_set(user=call.user, track_id=track_id, client=call.client)
            continue
        played_at = (
            datetime.fromtimestamp(times[index] / 1000, tz=UTC) if index < len(times) else None
        )
        play_scrobble(user=call.user, track_id=track_id, played_at=played_at, client=call.client)
    return {}
