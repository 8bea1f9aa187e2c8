"""getSimilarSongs(2) and getArtistInfo(2): the documented empty answers until the
recommendations feature lands; wiring it is a change to these functions."""

from core.subsonic.registry import Call, method


@method("getSimilarSongs2")
def get_similar_songs2(call: Call) -> dict:
    call.params.require("id")
    return {"similarSongs2": {}}


@method("getSimilarSongs")
def get_similar_songs(call: Call) -> dict:
    call.params.require("id")
    return {"similarSongs": {}}


@method("getArtistInfo2")
def get_artist_info2(call: Call) -> dict:
    call.params.require("id")
    return {"artistInfo2": {}}


@method("getArtistInfo")
def get_artist_info(call: Call) -> dict:
    call.params.require("id")
    return {"artistInfo": {}}
