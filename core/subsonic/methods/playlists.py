"""getPlaylists, getPlaylist, createPlaylist, updatePlaylist, deletePlaylist, through the
playlists room's selectors and services (each edit moves the snapshot like a REST edit)."""

from django.db.models import Count, FloatField, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from core.api.errors import Forbidden, NotFound
from core.playlists import selectors, services
from core.playlists.models import Playlist
from core.subsonic import ids, payloads, queries
from core.subsonic.envelope import SubsonicError
from core.subsonic.params import parse_int
from core.subsonic.registry import Call, method

_PLAYABLE = Q(items__playable=True)


def _with_totals(playlists):
    return playlists.annotate(
        song_count=Count("items", filter=_PLAYABLE),
        song_duration=Coalesce(
            Sum("items__track__duration", filter=_PLAYABLE), 0.0, output_field=FloatField()
        ),
    )


def _playlist(playlist: Playlist) -> dict:
    return {
        "id": str(playlist.pk),
        "name": playlist.name,
        "comment": playlist.description or None,
        "owner": playlist.owner.username,
        "public": playlist.is_public,
        "songCount": playlist.song_count,
        "duration": round(playlist.song_duration),
        "created": playlist.created_at,
        "changed": playlist.updated_at,
    }


def _visible(call: Call, raw_id: str) -> Playlist:
    pk = parse_int(raw_id, "id", minimum=1)
    try:
        playlist = selectors.playlist_get_visible(user=call.user, playlist_id=pk)
    except NotFound:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Playlist not found.") from None
    return playlist


def _owned(call: Call, raw_id: str) -> Playlist:
    playlist = _visible(call, raw_id)
    if playlist.owner_id != call.user.pk:
        raise SubsonicError(
            SubsonicError.NOT_AUTHORIZED, "Only the playlist's owner may change it."
        )
    return playlist


def _song_ids(call: Call, name: str) -> list[int]:
    return [ids.parse_kind(raw, "track") for raw in call.params.get_list(name)]


def _detail(call: Call, playlist_id: int) -> dict:
    playlist = _with_totals(Playlist.objects.select_related("owner")).get(pk=playlist_id)
    items = selectors.playable_items(playlist_id=playlist.pk).prefetch_related(
        Prefetch("track", queryset=queries.songs(call.user))
    )
    return {"playlist": {**_playlist(playlist), "entry": [payloads.song(i.track) for i in items]}}


@method("getPlaylists")
def get_playlists(call: Call) -> dict:
    username = call.params.get("username")
    if username and username.casefold() != call.user.username.casefold():
        raise SubsonicError(SubsonicError.NOT_AUTHORIZED, "Only one's own playlists may be listed.")
    own = selectors.playlist_list_own(user=call.user)
    public = selectors.playlist_list_public()
    playlists = _with_totals((own | public).distinct().order_by("-created_at", "-id"))
    return {"playlists": {"playlist": [_playlist(p) for p in playlists]}}


@method("getPlaylist")
def get_playlist(call: Call) -> dict:
    playlist = _visible(call, call.params.require("id"))
    return _detail(call, playlist.pk)


@method("createPlaylist")
def create_playlist(call: Call) -> dict:
    params = call.params
    songs = _song_ids(call, "songId")
    if params.get("playlistId"):
        playlist = _owned(call, params.require("playlistId"))
        if name := params.get("name"):
            playlist = services.playlist_update(playlist=playlist, name=name)
        playlist = services.playlist_replace_items(playlist=playlist, track_ids=songs)
    else:
        playlist = services.playlist_create(owner=call.user, name=params.require("name"))
        if songs:
            playlist = services.playlist_replace_items(playlist=playlist, track_ids=songs)
    return _detail(call, playlist.pk)


@method("updatePlaylist")
def update_playlist(call: Call) -> dict:
    params = call.params
    playlist = _owned(call, params.require("playlistId"))
    try:
        playlist = services.playlist_update(
            playlist=playlist,
            name=params.get("name") or None,
            description=params.get("comment"),
            is_public=params.get_bool("public"),
        )
    except Forbidden as exc:
        raise SubsonicError(SubsonicError.NOT_AUTHORIZED, exc.detail) from None
    removals = [parse_int(raw, "songIndexToRemove") for raw in params.get_list("songIndexToRemove")]
    services.playlist_edit_items(
        playlist=playlist, remove_indexes=removals, add_track_ids=_song_ids(call, "songIdToAdd")
    )
    return {}


@method("deletePlaylist")
def delete_playlist(call: Call) -> dict:
    services.playlist_delete(playlist=_owned(call, call.params.require("id")))
    return {}
