"""Payloads that gather several reads: an artist's page and a page of the feed, each in a
constant number of queries."""

from core.artists import selectors
from core.artists.feed import FAVORITE, PLAYLIST, FeedItem
from core.artists.permissions import can_manage_artist
from core.artists.serializers import ArtistDetailOutputSerializer
from core.catalog import payloads as catalog_payloads
from core.catalog import selectors as catalog_selectors
from core.catalog.serializers import AlbumOutputSerializer, track_payloads


def artist_payload(*, user, artist_id: int) -> dict:
    artist = selectors.artist_get(user=user, artist_id=artist_id)
    top = selectors.artist_top_tracks(user=user, artist_id=artist_id)
    payloads = track_payloads([track for track, _ in top], user)
    context = {
        "top_tracks": [
            {"track": payload, "listens": listens}
            for payload, (_, listens) in zip(payloads, top, strict=True)
        ],
        "albums": list(selectors.artist_albums(user=user, artist_id=artist_id)),
        "can_manage": bool(user.is_authenticated and can_manage_artist(user, artist_id)),
    }
    return ArtistDetailOutputSerializer(artist, context=context).data


def _kind(item: FeedItem) -> str:
    if item.kind == PLAYLIST:
        return "playlist"
    if item.kind == FAVORITE:
        return "favorite"
    return "track" if item.track_id is not None else "album"


def _track_payloads_by_id(track_ids: set[int], user) -> dict[int, dict]:
    tracks = catalog_selectors.track_list(user=user).filter(pk__in=track_ids)
    rows = catalog_payloads.track_rows(tracks)
    if rows is not None:
        built = catalog_payloads.track_row_payloads(rows, user)
        return {payload["id"]: payload for payload in built}
    tracks = list(tracks)
    return dict(zip([t.pk for t in tracks], track_payloads(tracks, user), strict=True))


def _album_payloads_by_id(album_ids: set[int], request) -> dict[int, dict]:
    albums = catalog_selectors.album_list(request.user).filter(pk__in=album_ids)
    built = catalog_payloads.album_payloads_by_id(albums, request)
    if built is not None:
        return built
    context = {"request": request}
    return {album.pk: AlbumOutputSerializer(album, context=context).data for album in albums}


def feed_payloads(items: list[FeedItem], request) -> list[dict]:
    """Payloads of a page of the feed: the tracks, albums, playlists, artists and people of
    the page read once each, whatever the page's length. Tracks and albums are built from
    `.values()` rows (core/catalog/payloads.py), the same JSON as their serializers make."""
    from django.contrib.auth import get_user_model

    from core.catalog.models import Artist
    from core.playlists.models import Playlist

    user = request.user
    track_ids = {item.track_id for item in items if item.track_id is not None}
    track_by_id = _track_payloads_by_id(track_ids, user) if track_ids else {}
    album_ids = {item.album_id for item in items if item.album_id is not None}
    albums = _album_payloads_by_id(album_ids, request) if album_ids else {}
    artists = dict(
        Artist.objects.filter(pk__in={i.artist_id for i in items if i.artist_id}).values_list(
            "pk", "name"
        )
    )
    playlist_ids = {i.playlist_id for i in items if i.playlist_id}
    playlists = (
        dict(Playlist.objects.filter(pk__in=playlist_ids).values_list("pk", "name"))
        if playlist_ids
        else {}
    )
    person_ids = {item.user_id for item in items if item.user_id}
    people = (
        dict(get_user_model().objects.filter(pk__in=person_ids).values_list("pk", "username"))
        if person_ids
        else {}
    )
    result = []
    for item in items:
        track = track_by_id.get(item.track_id)
        if item.artist_id in artists:
            artist = {"id": item.artist_id, "name": artists[item.artist_id]}
        else:
            artist = track["artist"] if track is not None else None
        playlist = item.playlist_id in playlists
        person = item.user_id in people
        result.append(
            {
                "kind": _kind(item),
                "at": item.at,
                "artist": artist,
                "track": track,
                "album": albums.get(item.album_id),
                "playlist": {"id": item.playlist_id, "name": playlists[item.playlist_id]}
                if playlist
                else None,
                "user": {"id": item.user_id, "username": people[item.user_id]} if person else None,
            }
        )
    return result
