"""stream, download and getCoverArt: a 302 to a short-lived presigned URL (or, with
SUBSONIC_STREAM_MODE=accel, an X-Accel-Redirect for nginx), so that audio and image bytes never
pass through Django. A stream is not a play: players report listens with scrobble."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect

from config import prepared
from core.catalog.models import Album, Track
from core.catalog.querysets import albums_visible_to, visible_track_sql
from core.processing.models import TrackMedia
from core.processing.selectors import nearest_source
from core.subsonic import ids
from core.subsonic.envelope import SubsonicError
from core.subsonic.registry import Call, method
from media_pipeline.audio.formats import extension
from media_pipeline.storage import StorageUnavailable, get_storage

# A presigned URL outlives the track by this much: players pause and seek.
URL_SLACK_SECONDS = 600
_KBPS_MAX = 100_000


# What a stream or download reads of its track (nearest_source, the URL's lifetime, the name).
_STREAM_FIELDS = {"id", "title", "duration", "storage_key", "content_type", "size"}


@functools.cache
def _stream_fields() -> tuple[str, ...]:
    """_STREAM_FIELDS in the model's order, the order Model.from_db reads values in."""
    return tuple(f.attname for f in Track._meta.concrete_fields if f.attname in _STREAM_FIELDS)


@functools.cache
def _playable_track_sql(vendor: str) -> str:
    columns = ", ".join(f"t.{Track._meta.get_field(name).column}" for name in _stream_fields())
    playable, _ = visible_track_sql(None, "t")  # what anyone may stream
    return f"SELECT {columns} FROM {Track._meta.db_table} t WHERE t.id = %s AND {playable}"  # noqa: S608


def _playable_track(raw_id: str) -> Track:
    """The playable track of a song id, with the fields a stream reads, in one prepared
    statement: the hottest call of a Subsonic app, where building and compiling the ORM query
    cost more than running it (docs/benchmarks.md)."""
    kind, pk = ids.parse(raw_id)
    row = None
    if kind == "track":
        _, params = visible_track_sql(None, "t")
        rows = prepared.fetch_all(_playable_track_sql(connection.vendor), [pk, *params])
        row = rows[0] if rows else None
    if row is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Song not found.")
    return Track.from_db(connection.alias, _stream_fields(), row)


def _accel(url: str, content_type: str) -> HttpResponse:
    parts = urlsplit(url)
    target = f"{parts.scheme}/{parts.netloc}{parts.path}"
    if parts.query:
        target += f"?{parts.query}"
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.SUBSONIC_ACCEL_PREFIX.rstrip("/") + "/" + target
    response["X-Accel-Buffering"] = "no"
    return response


def _presigned(key: str, *, expires_in: int, content_type: str, filename: str | None = None) -> str:
    try:
        return (
            get_storage()
            .presign_download(
                key, expires_in=expires_in, content_type=content_type, filename=filename
            )
            .url
        )
    except StorageUnavailable:
        raise SubsonicError(
            SubsonicError.GENERIC, "Storage is unavailable; retry shortly."
        ) from None


def _audio(call: Call, *, download: bool) -> HttpResponse:
    params = call.params
    track = _playable_track(params.require("id"))
    if download:
        source = nearest_source(track, format="raw")
    else:
        kbps = params.get_int("maxBitRate", 0, maximum=_KBPS_MAX)
        fmt = (params.get("format") or "").lower() or None
        source = nearest_source(track, max_bitrate=kbps * 1000, format=fmt)
    expires_in = max(
        settings.STREAM_URL_EXPIRY_SECONDS, int(track.duration or 0) + URL_SLACK_SECONDS
    )
    filename = f"{track.title}.{extension(source.content_type)}" if download else None
    url = _presigned(
        source.key, expires_in=expires_in, content_type=source.content_type, filename=filename
    )
    if settings.SUBSONIC_STREAM_MODE == "accel":
        return _accel(url, source.content_type)
    return HttpResponseRedirect(url)


@method("stream")
def stream(call: Call) -> HttpResponse:
    return _audio(call, download=False)


@method("download")
def download(call: Call) -> HttpResponse:
    return _audio(call, download=True)


def _nearest(thumbnails: dict[str, str], size: int | None) -> str | None:
    """The key of the smallest thumbnail at least `size` pixels wide, else the largest."""
    if not thumbnails:
        return None
    sizes = sorted(thumbnails, key=int)
    if size:
        for candidate in sizes:
            if int(candidate) >= size:
                return thumbnails[candidate]
    return thumbnails[sizes[-1]]


def _thumbnails(**track_filter) -> dict[str, str]:
    media = (
        TrackMedia.objects.filter(track__status="ready", track__is_hidden=False, **track_filter)
        .exclude(artwork={})
        .order_by("track__track_number", "track_id")
        .values_list("artwork", flat=True)
        .first()
    )
    return media or {}


@method("getCoverArt")
def get_cover_art(call: Call) -> HttpResponse:
    raw = call.params.require("id")
    size = call.params.get_int("size", None, maximum=10_000)
    kind, pk = ids.parse(raw)
    if kind == "album":
        # A hidden album's cover only for those who may see the album (as in the REST API).
        album = albums_visible_to(Album.objects.all(), call.user).filter(pk=pk).first()
        if album is None:
            raise SubsonicError(SubsonicError.NOT_FOUND, "Cover art not found.")
        if album.artwork:
            return HttpResponseRedirect(call.request.build_absolute_uri(album.artwork.url))
        thumbnails = _thumbnails(track__album_id=pk)
    elif kind == "artist":
        thumbnails = _thumbnails(track__artist_id=pk)
    else:
        thumbnails = _thumbnails(track_id=pk)
    key = _nearest(thumbnails, size)
    if key is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Cover art not found.")
    url = _presigned(key, expires_in=settings.STREAM_URL_EXPIRY_SECONDS, content_type="image/jpeg")
    return HttpResponseRedirect(url)
