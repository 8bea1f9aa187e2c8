"""Pages for people who open a link: a public playlist (/p/), a share link (/s/) and a track
(/t/), each with a player of 30-second previews. No account, session or token is needed."""

import math

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from core.api.errors import NotFound
from core.api.throttles import AnonRateThrottle, ScopedRateThrottle
from core.library.previews import track_preview
from core.playlists.services import playlist_share_visit
from core.sharepages import selectors
from core.sharepages.headers import content_security_policy, with_page_headers
from media_pipeline.storage import get_storage

# Where the preview redirect leads: presigned URLs point at the object store.
PROBE_KEY = "derived/origin-probe"


def _storage_origin_url() -> str:
    return get_storage().presign_download(PROBE_KEY, expires_in=60).url


def _absolute(request: HttpRequest, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def _respond(
    request: HttpRequest, template: str, context: dict, *, images: list[str], shared_link: bool
) -> HttpResponse:
    response = render(request, template, {**context, "noindex": shared_link})
    csp = content_security_policy(image_urls=images, media_urls=[_storage_origin_url()])
    return with_page_headers(response, csp=csp, shared_link=shared_link)


def _not_found(request: HttpRequest, message: str, *, shared_link: bool) -> HttpResponse:
    response = render(
        request, "share/not_found.html", {"message": message, "noindex": True}, status=404
    )
    return with_page_headers(response, csp=content_security_policy(), shared_link=shared_link)


def _playlist_response(request: HttpRequest, playlist, *, shared_link: bool) -> HttpResponse:
    page = selectors.playlist_page(playlist)
    first_preview = next((t.preview_path for t in page.tracks if t.preview_path), "")
    meta = {
        "title": playlist.name,
        "description": playlist.description
        or f"A playlist by {page.owner_name}, {len(page.tracks)} tracks",
        "url": request.build_absolute_uri(),
        "image": _absolute(request, page.mosaic[0]) if page.mosaic else "",
        "audio": _absolute(request, first_preview) if first_preview else "",
    }
    images = [t.artwork for t in page.tracks if t.artwork]
    return _respond(
        request,
        "share/playlist.html",
        {"page": page, "meta": meta},
        images=images,
        shared_link=shared_link,
    )


def public_playlist_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        playlist = selectors.public_playlist(pk)
    except NotFound:
        return _not_found(request, "This playlist is private or gone.", shared_link=False)
    return _playlist_response(request, playlist, shared_link=False)


def share_link_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        share = playlist_share_visit(token=token)
    except NotFound:
        return _not_found(request, "This link was revoked or has expired.", shared_link=True)
    return _playlist_response(request, share.playlist, shared_link=True)


def track_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        track = selectors.public_track(pk)
    except NotFound:
        return _not_found(request, "This track is not available.", shared_link=False)
    item = selectors.page_track(track)
    lyrics = getattr(track, "lyrics", None)
    offset = track.media.preview_offset if item.preview_path else None
    meta = {
        "title": f"{track.title} — {track.artist.name}",
        "description": f"{track.title} by {track.artist.name}"
        + (f", from {item.album}" if item.album else ""),
        "url": request.build_absolute_uri(),
        "image": _absolute(request, item.artwork) if item.artwork else "",
        "audio": _absolute(request, item.preview_path) if item.preview_path else "",
    }
    context = {
        "track": item,
        "meta": meta,
        "lyrics": lyrics,
        "offset_ms": round((offset or 0) * 1000),
    }
    images = [item.artwork] if item.artwork else []
    return _respond(request, "share/track.html", context, images=images, shared_link=False)


class _PreviewScope:
    throttle_scope = "preview"


def track_preview_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """The stable address of a track's preview (players, `og:audio`): a redirect to a fresh
    presigned URL, throttled per client address like POST /api/tracks/{id}/preview/.

    A plain view, not an API one: the audio element asks for audio/*, and the API's schema
    stays under /api/."""
    for throttle in (AnonRateThrottle(), ScopedRateThrottle()):
        if not throttle.allow_request(request, _PreviewScope()):
            wait = throttle.wait()
            response = JsonResponse(
                {"code": "throttled", "detail": "Too many previews; try again shortly."},
                status=429,
            )
            if wait is not None:
                response["Retry-After"] = str(math.ceil(wait))
            return response
    try:
        grant = track_preview(track_id=pk)
    except NotFound as exc:
        return JsonResponse({"code": "not_found", "detail": exc.detail}, status=404)
    response = HttpResponseRedirect(grant.url)
    response["Cache-Control"] = "no-store"
    return response
