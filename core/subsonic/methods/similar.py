"""getSimilarSongs(2) and getArtistInfo(2), read from the recommendations room (tracks and artists
listened to by the same people, topped up by the same artist and genre), with the artist's
biography and images from its profile (core/artists)."""

from django.core.files.storage import default_storage

from core.catalog.models import Album, Track
from core.recommendations import selectors as recommendations
from core.subsonic import ids, payloads, queries
from core.subsonic.envelope import SubsonicError, TextElement
from core.subsonic.registry import Call, method

SIMILAR_MAX = 100


def _seed_track(call: Call, kind: str, pk: int) -> Track | None:
    """The track a song, album or artist id stands for: the song; the album's first playable
    track; None for an artist (its similar artists lead instead)."""
    visible = queries.songs(call.user)
    if kind == "track":
        track = visible.filter(pk=pk).first()
    elif kind == "album":
        album = Album.objects.filter(pk=pk).first()
        track = (
            visible.filter(album=album).order_by("track_number", "id").first() if album else None
        )
    else:
        return None
    if track is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Song not found.")
    return track


def _similar_songs(call: Call) -> list[dict]:
    kind, pk = ids.parse(call.params.require("id"))
    count = call.params.get_int("count", 50, maximum=SIMILAR_MAX)
    track = _seed_track(call, kind, pk)
    if track is not None:
        order = [p.track_id for p in recommendations.similar_tracks(track=track, limit=count)]
    else:
        artist = queries.artists(call.user).filter(pk=pk).first()
        if artist is None:
            raise SubsonicError(SubsonicError.NOT_FOUND, "Artist not found.")
        similar = recommendations.similar_artists(artist=artist, limit=count)
        artist_ids = [pick.artist.pk for pick in similar]
        order = list(
            queries.songs(call.user)
            .filter(artist_id__in=artist_ids)
            .order_by("-listen_count", "id")
            .values_list("id", flat=True)[:count]
        )
    by_id = queries.songs(call.user).in_bulk(order)
    return [payloads.song(by_id[pk]) for pk in order if pk in by_id]


@method("getSimilarSongs2")
def get_similar_songs2(call: Call) -> dict:
    return {"similarSongs2": {"song": _similar_songs(call)}}


@method("getSimilarSongs")
def get_similar_songs(call: Call) -> dict:
    return {"similarSongs": {"song": _similar_songs(call)}}


def _profile(call: Call, artist) -> dict:
    """The artist's profile as its managers wrote it (core/artists): the biography, and its
    image's smallest, middle and largest sides as absolute URLs."""
    files = artist.image_files or {}
    by_side = [
        TextElement(call.request.build_absolute_uri(default_storage.url(files[side])))
        for side in sorted(files, key=int)
    ]
    images = (
        {
            "smallImageUrl": by_side[0],
            "mediumImageUrl": by_side[len(by_side) // 2],
            "largeImageUrl": by_side[-1],
        }
        if by_side
        else {}
    )
    return {"biography": TextElement(artist.bio) if artist.bio else None, **images}


def _artist_info(call: Call, render) -> dict:
    pk = ids.parse_kind(call.params.require("id"), "artist")
    count = call.params.get_int("count", 20, maximum=SIMILAR_MAX)
    artist = queries.artists(call.user).filter(pk=pk).first()
    if artist is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Artist not found.")
    similar = [p.artist.pk for p in recommendations.similar_artists(artist=artist, limit=count)]
    by_id = queries.artists(call.user).in_bulk(similar)
    return {
        **_profile(call, artist),
        "similarArtist": [render(by_id[pk]) for pk in similar if pk in by_id],
    }


@method("getArtistInfo2")
def get_artist_info2(call: Call) -> dict:
    return {"artistInfo2": _artist_info(call, payloads.artist)}


@method("getArtistInfo")
def get_artist_info(call: Call) -> dict:
    return {"artistInfo": _artist_info(call, payloads.artist_dir)}
