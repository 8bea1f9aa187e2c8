"""What an export holds: a registry of sections, each a file of the zip written by one
function from the account's rows, streamed (queryset iterators), so memory stays bounded.

A room that adds data a listener owns registers its section here (`section("x.json")`);
tests/portability/test_export.py checks the zip holds every registered section.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import IO

from core.artists.models import ArtistFollow, UserFollow
from core.library.models import (
    AlbumFavorite,
    ArtistFavorite,
    ExternalListen,
    Favorite,
    HistoryEntry,
    Play,
)
from core.playlists.models import Playlist, PlaylistItem
from core.ratings.models import AlbumRating, TrackRating

Writer = Callable[[object, IO[bytes]], None]
SECTIONS: dict[str, Writer] = {}


def section(name: str) -> Callable[[Writer], Writer]:
    """Register `name` (a file in the zip) as written by the decorated function."""

    def register(writer: Writer) -> Writer:
        SECTIONS[name] = writer
        return writer

    return register


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _json_array(out: IO[bytes], items: Iterable[dict]) -> None:
    """A JSON array written item by item."""
    out.write(b"[")
    for n, item in enumerate(items):
        out.write(b",\n" if n else b"\n")
        out.write(json.dumps(item, ensure_ascii=False).encode())
    out.write(b"\n]\n")


def _track(track) -> dict:
    return {
        "id": track.pk,
        "title": track.title,
        "artist": track.artist.name,
        "album": track.album.title if track.album_id else "",
        "duration": track.duration,
    }


@section("profile.json")
def write_profile(user, out: IO[bytes]) -> None:
    profile = {
        "username": user.username,
        "email": user.email,
        "nickname": user.nickname,
        "bio": user.bio,
        "time_zone": user.time_zone,
        "stats_public": user.stats_public,
        "date_joined": _iso(user.date_joined),
        "has_avatar": bool(user.avatar),
        "favorite_genres": sorted(user.favorite_genres.values_list("name", flat=True)),
    }
    out.write(json.dumps(profile, ensure_ascii=False, indent=2).encode())


def _history(user) -> Iterator[dict]:
    entries = (
        HistoryEntry.objects.filter(user=user)
        .select_related("track", "track__artist", "track__album")
        .order_by("started_at", "entry_id")
    )
    for entry in entries.iterator(chunk_size=2000):
        yield {
            "started_at": _iso(entry.started_at),
            "source": entry.source,
            "counted": entry.counted,
            "played_seconds": entry.played_seconds,
            "client": entry.client,
            "track": _track(entry.track) if entry.track_id else None,
            "external": None
            if entry.track_id
            else {"artist": entry.artist, "title": entry.title, "album": entry.album},
        }


@section("history.json")
def write_history(user, out: IO[bytes]) -> None:
    _json_array(out, _history(user))


@section("favorites.json")
def write_favorites(user, out: IO[bytes]) -> None:
    favorites = (
        Favorite.objects.filter(user=user)
        .select_related("track", "track__artist", "track__album")
        .order_by("created_at", "id")
    )
    _json_array(
        out,
        (
            {"favorited_at": _iso(f.created_at), "track": _track(f.track)}
            for f in favorites.iterator()
        ),
    )


@section("album_favorites.json")
def write_album_favorites(user, out: IO[bytes]) -> None:
    favorites = (
        AlbumFavorite.objects.filter(user=user)
        .select_related("album", "album__artist")
        .order_by("created_at", "id")
    )
    _json_array(
        out,
        (
            {
                "favorited_at": _iso(f.created_at),
                "album": {
                    "id": f.album.pk,
                    "title": f.album.title,
                    "artist": f.album.artist.name,
                    "year": f.album.year,
                },
            }
            for f in favorites.iterator()
        ),
    )


@section("artist_favorites.json")
def write_artist_favorites(user, out: IO[bytes]) -> None:
    favorites = (
        ArtistFavorite.objects.filter(user=user)
        .select_related("artist")
        .order_by("created_at", "id")
    )
    _json_array(
        out,
        (
            {
                "favorited_at": _iso(f.created_at),
                "artist": {"id": f.artist.pk, "name": f.artist.name},
            }
            for f in favorites.iterator()
        ),
    )


@section("ratings.json")
def write_ratings(user, out: IO[bytes]) -> None:
    tracks = (
        TrackRating.objects.filter(user=user)
        .select_related("track", "track__artist", "track__album")
        .order_by("updated_at", "id")
    )
    albums = (
        AlbumRating.objects.filter(user=user)
        .select_related("album", "album__artist")
        .order_by("updated_at", "id")
    )
    _json_array(
        out,
        chain(
            (
                {"rated_at": _iso(r.updated_at), "stars": r.stars, "track": _track(r.track)}
                for r in tracks.iterator()
            ),
            (
                {
                    "rated_at": _iso(r.updated_at),
                    "stars": r.stars,
                    "album": {
                        "id": r.album.pk,
                        "title": r.album.title,
                        "artist": r.album.artist.name,
                        "year": r.album.year,
                    },
                }
                for r in albums.iterator()
            ),
        ),
    )


@section("follows.json")
def write_follows(user, out: IO[bytes]) -> None:
    artists = (
        ArtistFollow.objects.filter(user=user).select_related("artist").order_by("created_at", "id")
    )
    people = (
        UserFollow.objects.filter(follower=user)
        .select_related("followed")
        .order_by("created_at", "id")
    )
    _json_array(
        out,
        chain(
            (
                {
                    "followed_at": _iso(f.created_at),
                    "artist": {"id": f.artist.pk, "name": f.artist.name},
                }
                for f in artists.iterator()
            ),
            (
                {"followed_at": _iso(f.created_at), "user": {"username": f.followed.username}}
                for f in people.iterator()
            ),
        ),
    )


def _playlists(user) -> Iterator[dict]:
    for playlist in Playlist.objects.filter(owner=user).order_by("created_at", "id").iterator():
        items = (
            PlaylistItem.objects.filter(playlist=playlist)
            .select_related("track", "track__artist", "track__album")
            .order_by("position", "id")
        )
        yield {
            "name": playlist.name,
            "description": playlist.description,
            "is_public": playlist.is_public,
            "created_at": _iso(playlist.created_at),
            "tracks": [
                {"position": n, "added_at": _iso(item.added_at), "track": _track(item.track)}
                for n, item in enumerate(items.iterator(chunk_size=2000), start=1)
            ],
        }


@section("playlists.json")
def write_playlists(user, out: IO[bytes]) -> None:
    _json_array(out, _playlists(user))


def _listenbrainz(artist: str, title: str, album: str, duration_ms, at) -> dict:
    metadata: dict = {
        "artist_name": artist,
        "track_name": title,
        "additional_info": {"submission_client": "Tonearm"},
    }
    if album:
        metadata["release_name"] = album
    if duration_ms:
        metadata["additional_info"]["duration_ms"] = int(duration_ms)
    return {"listened_at": int(at.timestamp()), "track_metadata": metadata}


@section("listens.jsonl")
def write_listens(user, out: IO[bytes]) -> None:
    """The counted listens in ListenBrainz's JSON lines, which its importer (and Tonearm's)
    reads: streams of catalog tracks, then listens heard elsewhere."""
    plays = (
        Play.objects.filter(user=user, counted=True)
        .select_related("track", "track__artist", "track__album")
        .order_by("started_at", "id")
    )
    for play in plays.iterator(chunk_size=2000):
        track = play.track
        duration = track.duration * 1000 if track.duration else None
        album = track.album.title if track.album_id else ""
        line = _listenbrainz(track.artist.name, track.title, album, duration, play.started_at)
        out.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    external = ExternalListen.objects.filter(user=user, counted=True).order_by("listened_at", "id")
    for listen in external.iterator(chunk_size=2000):
        line = _listenbrainz(
            listen.artist, listen.title, listen.album, listen.duration_ms, listen.listened_at
        )
        out.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
