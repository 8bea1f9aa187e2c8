"""History files as the services write them (field names and types as in their documentation),
made in the tests."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta


def iso_z(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def spotify_extended_row(
    *,
    end: datetime,
    ms_played: int,
    artist: str | None = "Queen",
    title: str | None = "Bohemian Rhapsody",
    album: str | None = "A Night at the Opera",
    episode: str | None = None,
    audiobook: str | None = None,
) -> dict:
    """One entry of Streaming_History_Audio_*.json (Spotify's extended streaming history)."""
    return {
        "ts": iso_z(end),
        "platform": "android",
        "ms_played": ms_played,
        "conn_country": "SE",
        "ip_addr": "203.0.113.7",
        "master_metadata_track_name": None if episode else title,
        "master_metadata_album_artist_name": None if episode else artist,
        "master_metadata_album_album_name": None if episode else album,
        "spotify_track_uri": None if episode else "spotify:track:4u7EnebtmKWzUH433cf5Qv",
        "episode_name": episode,
        "episode_show_name": "A Show" if episode else None,
        "spotify_episode_uri": "spotify:episode:0Q86acNRm6V9GYx55SXKwf" if episode else None,
        "audiobook_title": audiobook,
        "audiobook_uri": "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe" if audiobook else None,
        "audiobook_chapter_uri": None,
        "audiobook_chapter_title": None,
        "reason_start": "trackdone",
        "reason_end": "trackdone",
        "shuffle": False,
        "skipped": False,
        "offline": False,
        "offline_timestamp": None,
        "incognito_mode": False,
    }


def spotify_account_row(*, end: datetime, ms_played: int, artist: str, title: str) -> dict:
    """One entry of StreamingHistory_music_*.json (Spotify's account data)."""
    return {
        "endTime": end.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        "artistName": artist,
        "trackName": title,
        "msPlayed": ms_played,
    }


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def lastfm_csv(rows: list[tuple[str, str, str, datetime]]) -> bytes:
    """The header-less artist,album,track,date CSV of the common Last.fm exporters."""
    out = io.StringIO()
    writer = csv.writer(out)
    for artist, album, title, at in rows:
        writer.writerow([artist, album, title, at.astimezone(UTC).strftime("%d %b %Y %H:%M")])
    return out.getvalue().encode()


def lastfm_track(*, artist: str, title: str, album: str, at: datetime | None) -> dict:
    """One track of a user.getRecentTracks page; `at` None is the one playing now."""
    track = {
        "artist": {"mbid": "", "#text": artist},
        "streamable": "0",
        "image": [{"size": "small", "#text": "https://lastfm.freetls.fastly.net/i/u/34s/x.png"}],
        "mbid": "",
        "album": {"mbid": "", "#text": album},
        "name": title,
        "url": "https://www.last.fm/music/x/_/y",
    }
    if at is None:
        track["@attr"] = {"nowplaying": "true"}
    else:
        utc = at.astimezone(UTC)
        track["date"] = {"uts": str(int(utc.timestamp())), "#text": utc.strftime("%d %b %Y, %H:%M")}
    return track


def lastfm_page(tracks: list[dict], *, page: int = 1, pages: int = 1) -> dict:
    return {
        "recenttracks": {
            "track": tracks,
            "@attr": {
                "user": "someone",
                "totalPages": str(pages),
                "page": str(page),
                "perPage": "200",
                "total": str(len(tracks)),
            },
        }
    }


def listenbrainz_listen(
    *, artist: str, title: str, at: datetime, album: str = "", duration_ms: int | None = None
) -> dict:
    """One listen as ListenBrainz exports it (a line of its JSON lines export)."""
    metadata: dict = {"artist_name": artist, "track_name": title, "additional_info": {}}
    if album:
        metadata["release_name"] = album
    if duration_ms is not None:
        metadata["additional_info"]["duration_ms"] = duration_ms
    return {
        "listened_at": int(at.timestamp()),
        "inserted_at": int(at.timestamp()) + 5,
        "recording_msid": "c8b3d5b2-3c4e-4f1a-9d52-0e2d8b6f8a11",
        "user_name": "someone",
        "track_metadata": metadata,
    }


def json_lines(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def at(minutes: int, *, base: datetime = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)) -> datetime:
    return base + timedelta(minutes=minutes)
