"""Catalog reads kept for everyone, and their HTTP validators.

A catalog page (a track list or search, a track, albums, artists, genres) is the same for every
caller who sees the public catalog, but for each listener's favorite flags and stars. On
PostgreSQL, a GET of such a page is answered from a copy kept in the cache under the catalog
version (core/catalog/caching.py) and the absolute URL asked for, shared by every process through
Redis when it is configured:

- an anonymous caller gets the kept copy itself, or builds it;
- a signed-in listener who sees the public catalog (no moderator or uploader, no uploads of
  their own, no artist to manage: `_sees_public_catalog`) gets the kept copy with
  their own favorite flags and stars marked on its tracks, in one statement whatever the page
  size;
- anyone else (their page shows tracks the public does not see, or richer payloads) gets a page
  built for them, as without this module.

Every answer carries an ETag (a digest of what the page was built from: the version, the keep
window, the URL and, for a listener, their marks) and `Cache-Control: no-cache` (public for the
shared copies, private otherwise), so a client that sends the ETag back in `If-None-Match` gets a
304 without a body; an anonymous 304 costs one query. docs/architecture.md#catalog-version.
"""

import hashlib
import json
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.catalog import caching, payloads, selectors
from core.catalog.models import Track

Build = Callable[[object], Response]  # the page for a user (the caller, or anonymous)
Marks = selectors.Marks


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:40]


def _is_current(request: Request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match")
    return bool(sent) and (sent.strip() == "*" or etag in parse_etags(sent))


def _answer(data, etag: str, *, public: bool, request: Request) -> Response:
    if _is_current(request, etag):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache" if public else "private, no-cache"
    patch_vary_headers(response, ["Authorization"])
    return response


def _tracks_of(data) -> list[dict]:
    """The track payloads of a page: its results, or the page itself for one track."""
    return data.get("results", [data])


def marked_track(track: dict, marks: Marks) -> dict:
    """A public track payload kept for everyone, with a listener's favorite flag and stars
    (`selectors.listener_marks`)."""
    favorite, stars = marks.get(track["id"], (False, None))
    return {**track, "is_favorite": favorite, "my_rating": stars}


def _marked(data, marks: Marks):
    if "results" in data:
        return {**data, "results": [marked_track(track, marks) for track in data["results"]]}
    return marked_track(data, marks)


def _sees_public_catalog(user, version: int, keep: int) -> bool:
    """Whether a listener (no moderator or uploader role) sees the public catalog: no uploads
    of their own, no artist to manage. Remembered under the catalog version, which a new track
    or a manager's assignment moves: no query on a warm cache."""
    key = f"catalog:own:{version}:{user.pk}"
    own = cache.get(key)
    if own is None:
        own = selectors.has_own_catalog(user)
        cache.set(key, own, keep)
    return not own


def answer(
    request: Request,
    build: Build,
    *,
    tracks: bool = False,
    personal: bool = True,
    personal_params: frozenset[str] = frozenset(),
) -> Response:
    """A GET of a catalog page built by `build`. `tracks`: the page holds track payloads
    (`results`, or one track), whose favorite flags and stars are each listener's own;
    `personal=False`: nothing in it depends on the caller (genres); `personal_params`: query
    parameters whose meaning depends on the caller (`uploaded_by=me`): pages asking for them
    are never shared."""
    user = request.user
    if personal_params.intersection(request.query_params):
        return build(user)
    if not caching.keeping():
        return build(user)
    shared = not personal or not user.is_authenticated
    if not shared and not (tracks and selectors.has_listener_role_only(user)):
        return build(user)
    version = caching.catalog_version()
    keep = caching.keep_seconds()
    if not shared and not _sees_public_catalog(user, version, keep):
        return build(user)
    source = _digest(version, caching.keep_window(), request.build_absolute_uri())
    key = f"catalog:page:{source}"
    if shared and _is_current(request, f'W/"{source}"'):
        return _answer(None, f'W/"{source}"', public=True, request=request)
    data = cache.get(key)
    if data is None:
        response = build(user if shared else AnonymousUser())
        if response.status_code != status.HTTP_200_OK:
            return response
        data = response.data
        cache.set(key, data, keep)
    if shared:
        return _answer(data, f'W/"{source}"', public=True, request=request)
    ids = [track["id"] for track in _tracks_of(data)]
    marks = selectors.listener_marks(user=user, track_ids=ids)
    etag = f'W/"{_digest(source, user.pk, sorted(marks.items()))}"'
    return _answer(_marked(data, marks), etag, public=False, request=request)


def _public_payloads(track_ids: list[int], user) -> dict[int, dict] | None:
    tracks = Track.objects.for_listing().with_favorite_flag(user).with_my_rating(user)
    return payloads.public_payloads_by_id(tracks, track_ids)


def public_tracks_by_id(track_ids: list[int], user) -> dict[int, dict] | None:
    """The public list payloads of those of `track_ids` that exist (hidden or not), by id, with
    `user`'s favorite flags and stars, for pages that nest tracks (history). Each payload is
    kept for everyone under the catalog version, so a warm page costs one statement (the version
    and the marks) instead of reading and building every track; None when the payload plans
    cannot serve it (core/catalog/payloads.py)."""
    if not caching.keeping():
        return _public_payloads(track_ids, user)
    if user.is_authenticated:  # the version and the marks in one statement
        version, marks = selectors.catalog_version_and_marks(user=user, track_ids=track_ids)
    else:
        version, marks = caching.catalog_version(), {}
    keep = caching.keep_seconds()
    prefix = f"catalog:track:{version}:{caching.keep_window()}:"
    kept = cache.get_many([f"{prefix}{pk}" for pk in track_ids])
    by_id = {int(key.removeprefix(prefix)): payload for key, payload in kept.items()}
    missing = [pk for pk in track_ids if pk not in by_id]
    if missing:
        built = _public_payloads(missing, AnonymousUser())
        if built is None:
            return None
        cache.set_many({f"{prefix}{pk}": payload for pk, payload in built.items()}, keep)
        by_id.update(built)
    if not user.is_authenticated:
        return by_id
    return {pk: marked_track(payload, marks) for pk, payload in by_id.items()}
