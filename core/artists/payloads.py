"""Payloads that gather several reads: an artist's page and a page of the feed, each in a
constant number of queries."""

from core.artists import selectors
from core.artists.feed import FAVORITE, PLAYLIST, FeedItem
from core.artists.permissions import can_manage_artist
from core.artists.serializers import ArtistDetailOutputSerializer
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


def feed_payloads(items: list[FeedItem], request) -> list[dict]:
    """Payloads of a page of the feed: the tracks, albums, playlists, artists and people of
    the page read once each, whatever the page's length."""
    from django.contrib.auth import get_user_model

    from core.catalog.models import Artist
    from core.playlists.models import Playlist

    user = request.user
    track_ids = {item.track_id for item in items if item.track_id is not None}
    tracks = list(catalog_selectors.track_list(user=user).filter(pk__in=track_ids))
    track_by_id = dict(zip([t.pk for t in tracks], track_payloads(tracks, user), strict=True))
    album_ids = {item.album_id for item in items if item.album_id is not None}
    albums = {
        album.pk: AlbumOutputSerializer(album, context={"request": request}).data
        for album in catalog_selectors.album_list(user).filter(pk__in=album_ids)
    }
    artists = Artist.objects.in_bulk({item.artist_id for item in items if item.artist_id})
    playlists = Playlist.objects.in_bulk({i.playlist_id for i in items if i.playlist_id})
    people = (
        get_user_model()
        .objects.only("pk", "username")
        .in_bulk({item.user_id for item in items if item.user_id})
    )
    result = []
    for item in items:
        track = track_by_id.get(item.track_id)
        artist = artists.get(item.artist_id)
        if artist is None and track is not None:
            artist = track["artist"]
        elif artist is not None:
            artist = {"id": artist.pk, "name": artist.name}
        playlist = playlists.get(item.playlist_id)
        person = people.get(item.user_id)
        result.append(
            {
                "kind": _kind(item),
                "at": item.at,
                "artist": artist,
                "track": track,
                "album": albums.get(item.album_id),
                "playlist": {"id": playlist.pk, "name": playlist.name} if playlist else None,
                "user": {"id": person.pk, "username": person.username} if person else None,
            }
        )
    return result
