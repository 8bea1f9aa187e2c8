"""Catalog objects as the spec's elements: child (song), AlbumID3, ArtistID3, and the folder
forms of albums and artists (getMusicDirectory, getAlbumList, search2)."""

from typing import Any

from core.catalog.models import Album, Artist, Track
from core.catalog.serializers import rating_average
from core.subsonic import ids
from media_pipeline.audio.formats import extension


def _seconds(value: float | None) -> int:
    return round(value) if value else 0


def ratings(item: Track | Album) -> dict[str, Any]:
    """The caller's stars (`my_rating`, from the ratings room) and everyone's average."""
    return {
        "userRating": getattr(item, "my_rating", None),
        "averageRating": rating_average(count=item.rating_count, total=item.rating_total),
    }


def song(track: Track) -> dict[str, Any]:
    """A child element for a track loaded by queries.songs()."""
    media = getattr(track, "media", None)
    album = track.album
    genres = [genre.name for genre in track.genres.all()]
    bitrate = media.bitrate if media is not None else None
    suffix = extension(track.content_type)
    payload: dict[str, Any] = {
        "id": str(track.pk),
        "parent": ids.album_id(album.pk) if album else ids.artist_id(track.artist_id),
        "isDir": False,
        "title": track.title,
        "album": album.title if album else None,
        "artist": track.artist.name,
        "track": track.track_number,
        "year": track.year or (album.year if album else None),
        "genre": genres[0] if genres else None,
        "coverArt": ids.album_id(album.pk) if album else f"{ids.TRACK}{track.pk}",
        "size": track.size,
        "contentType": track.content_type,
        "suffix": suffix,
        "duration": _seconds(track.duration),
        "bitRate": bitrate // 1000 if bitrate else None,
        "path": f"{track.artist.name}/{album.title if album else ''}/{track.pk}.{suffix}",
        "playCount": track.listen_count,
        "created": track.created_at,
        "starred": getattr(track, "starred_at", None),
        "albumId": ids.album_id(album.pk) if album else None,
        "artistId": ids.artist_id(track.artist_id),
        "type": "music",
        "mediaType": "song",
        "isVideo": False,
        "genres": [{"name": name} for name in genres],
        **ratings(track),
    }
    if media is not None and media.replay_gain_db is not None:
        payload["replayGain"] = {
            "trackGain": round(media.replay_gain_db, 2),
            "trackPeak": round(10 ** (media.true_peak_db / 20), 6)
            if media.true_peak_db is not None
            else None,
        }
    return payload


def album(album: Album) -> dict[str, Any]:
    """An AlbumID3 element for an album loaded by queries.albums()."""
    return {
        "id": ids.album_id(album.pk),
        "name": album.title,
        "artist": album.artist.name,
        "artistId": ids.artist_id(album.artist_id),
        "coverArt": ids.album_id(album.pk),
        "songCount": album.track_count,
        "duration": _seconds(album.duration),
        "playCount": album.listen_count,
        "created": album.created_at,
        "starred": getattr(album, "starred_at", None),
        "year": album.year,
        "userRating": getattr(album, "my_rating", None),
    }


def album_dir(album: Album) -> dict[str, Any]:
    """An album as a child folder (getAlbumList, getMusicDirectory, search2)."""
    return {
        "id": ids.album_id(album.pk),
        "parent": ids.artist_id(album.artist_id),
        "isDir": True,
        "title": album.title,
        "album": album.title,
        "artist": album.artist.name,
        "year": album.year,
        "coverArt": ids.album_id(album.pk),
        "duration": _seconds(getattr(album, "duration", None)),
        "playCount": album.listen_count,
        "created": album.created_at,
        "starred": getattr(album, "starred_at", None),
        **ratings(album),
    }


def artist(artist: Artist) -> dict[str, Any]:
    """An ArtistID3 element for an artist loaded by queries.artists()."""
    return artist_of_row(
        artist.pk, artist.name, artist.album_count, getattr(artist, "starred_at", None)
    )


def artist_of_row(pk: int, name: str, album_count: int, starred) -> dict[str, Any]:
    """An ArtistID3 element from its values (queries.artist_index_rows and a star)."""
    return {
        "id": ids.artist_id(pk),
        "name": name,
        "coverArt": ids.artist_id(pk),
        "albumCount": album_count,
        "starred": starred,
    }


def artist_dir(artist: Artist) -> dict[str, Any]:
    """An artist as the folder form's <artist> (getIndexes, search2, getStarred)."""
    return artist_dir_of_row(artist.pk, artist.name, None, getattr(artist, "starred_at", None))


def artist_dir_of_row(pk: int, name: str, album_count: int | None, starred) -> dict[str, Any]:
    """The folder form's <artist> from its values (the album count is not shown)."""
    return {"id": ids.artist_id(pk), "name": name, "starred": starred}
