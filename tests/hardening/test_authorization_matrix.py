"""Who may call what: every URL pattern under /api/ and /storage/, and the probes, against every
role, with the status each must get. A URL pattern (or an API view's method) without a row here
fails the suite, so a new endpoint cannot ship without deciding who may call it.

Roles: anonymous; listener and other (two listeners who own nothing in the path); owner (of the
object in the path: the playlist's owner, the track's or upload's uploader, the play's user);
uploader (an uploader who does not own it); moderator; staff. Each cell runs on fresh objects.
For an artist's routes, owner is a manager of the artist (of the album's artist) and other a
manager of another artist.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from core.models import User
from tests import factories
from tests.conftest import client_for
from tests.hardening.conftest import World

ROLES = ("anonymous", "listener", "other", "owner", "uploader", "moderator", "staff")

# Admin has its own session login and permission checks (tests/*/test_admin.py); the schema
# and its two viewers are public documentation.
NOT_IN_MATRIX = {"admin/": "Django admin: staff sessions, tested in the areas' test_admin.py"}


@dataclass(frozen=True)
class Call:
    """How to call one URL pattern with one method on the world's objects."""

    path: Callable[[World], str]
    body: Callable[[World], dict] | None = None
    owner: Callable[[World], object] = lambda w: w.owner
    other: Callable[[World], object] | None = None


def _track(w: World) -> str:
    return f"/api/tracks/{w.track.pk}/"


def _playlist(w: World) -> str:
    return f"/api/playlists/{w.private_playlist.pk}/"


def _upload(w: World) -> str:
    return f"/api/uploads/{w.upload.pk}/"


def _owners_app_password(w: World) -> int:
    from core.accounts.app_passwords import app_password_create

    return app_password_create(user=w.owner, name="Owner's app")[0].pk


def _by_uploader(w: World):
    return w.track_uploader


def _mix(w: World) -> str:
    """The owner's daily mix (as training makes them), made on first use."""
    from core.recommendations.models import DailyMix, DailyMixItem

    mix, created = DailyMix.objects.get_or_create(user=w.owner, number=1, title="Daily mix 1")
    if created:
        DailyMixItem.objects.create(mix=mix, track=w.track, position=1)
    return f"/api/me/mixes/{mix.pk}/"


def _radio(w: World) -> str:
    from core.recommendations.models import RadioSession

    session = RadioSession.objects.create(user=w.owner, seed_kind="track", seed_id=w.track.pk)
    return f"/api/radio/{session.pk}/"


def _owners_import(w: World) -> str:
    """An import of the owner's, made when the cell runs."""
    from core.history_import.models import HistoryImport

    return f"/api/imports/{HistoryImport.objects.create(user=w.owner, filename='h.json').pk}/"


def _owners_import_slot(w: World) -> dict:
    """An import slot of the owner's, never filled: the owner's import is a 400."""
    from datetime import timedelta

    from django.utils import timezone

    from core.uploads.models import Upload

    upload = Upload.objects.create(
        user=w.owner,
        key=f"imports/2026/12/{w.owner.pk}.json",
        filename="h.json",
        content_type="application/json",
        size=10,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return {"upload_id": str(upload.pk)}


def _owners_token(w: World) -> str:
    from core.history_import.scrobbles import scrobble_token_create

    return f"/api/me/tokens/{scrobble_token_create(user=w.owner).token.pk}/"


def _owners_export(w: World) -> str:
    from core.portability.models import DataExport

    return f"/api/me/export/{DataExport.objects.create(user=w.owner).pk}/"


def _artist_manager(w: World):
    """The manager of the world's artist (made on first use)."""
    from core.artists.models import ArtistManager

    user = User.objects.filter(username="artist_manager").first()
    if user is None:
        user = factories.UserFactory(username="artist_manager")
        ArtistManager.objects.create(artist=w.artist, user=user)
    return user


def _other_artist_manager(w: World):
    from core.artists.models import ArtistManager

    user = factories.UserFactory(username="other")
    ArtistManager.objects.create(artist=factories.ArtistFactory(), user=user)
    return user


def _artist(w: World) -> str:
    return f"/api/artists/{w.artist.pk}/"


def _managers(w: World) -> str:
    _artist_manager(w)
    return _artist(w) + "managers/"


def ArtistCall(path, body=None) -> "Call":
    """A call on the world's artist: owner its manager, other another artist's manager."""
    return Call(path, body, owner=_artist_manager, other=_other_artist_manager)


PRESIGN = {"filename": "a.mp3", "content_type": "audio/mpeg", "size": 1000}

CALLS: dict[tuple[str, str], Call] = {
    ("api/auth/register/", "post"): Call(
        lambda w: "/api/auth/register/",
        lambda w: {"username": "newcomer", "email": "new@example.com", "password": "V3ry-long-pw!"},
    ),
    ("api/auth/token/", "post"): Call(
        lambda w: "/api/auth/token/",
        lambda w: {"username": "owner", "password": factories.PASSWORD},
    ),
    ("api/auth/token/refresh/", "post"): Call(
        lambda w: "/api/auth/token/refresh/", lambda w: {"refresh": "not-a-token"}
    ),
    ("api/auth/logout/", "post"): Call(
        lambda w: "/api/auth/logout/", lambda w: {"refresh": "not-a-token"}
    ),
    ("api/me/", "get"): Call(lambda w: "/api/me/"),
    ("api/me/", "patch"): Call(lambda w: "/api/me/", lambda w: {"nickname": "Nick"}),
    ("api/me/password/", "post"): Call(
        lambda w: "/api/me/password/", lambda w: {"current": "wrong", "new": "V3ry-long-pw!"}
    ),
    ("api/tracks/", "get"): Call(lambda w: "/api/tracks/"),
    ("api/tracks/", "post"): Call(
        lambda w: "/api/tracks/",
        lambda w: {"upload_id": str(w.upload.pk), "title": "T", "artist": "A"},
        _by_uploader,
    ),
    ("api/tracks/presigned_upload/", "post"): Call(
        lambda w: "/api/tracks/presigned_upload/", lambda w: PRESIGN
    ),
    ("api/tracks/<id:pk>/", "get"): Call(_track, owner=_by_uploader),
    ("api/tracks/<id:pk>/", "patch"): Call(_track, lambda w: {"title": "New"}, _by_uploader),
    ("api/tracks/<id:pk>/", "delete"): Call(_track, owner=_by_uploader),
    ("api/artists/", "get"): Call(lambda w: "/api/artists/"),
    ("api/artists/<id:pk>/", "get"): Call(lambda w: f"/api/artists/{w.artist.pk}/"),
    ("api/albums/", "get"): Call(lambda w: "/api/albums/"),
    ("api/albums/<id:pk>/", "get"): Call(lambda w: f"/api/albums/{w.album.pk}/"),
    ("api/albums/<id:pk>/", "patch"): ArtistCall(
        lambda w: f"/api/albums/{w.album.pk}/", lambda w: {"title": "Renamed"}
    ),
    ("api/artists/<id:pk>/", "patch"): ArtistCall(_artist, lambda w: {"bio": "New"}),
    ("api/artists/<id:pk>/managers/", "get"): ArtistCall(_managers),
    ("api/artists/<id:pk>/managers/", "post"): ArtistCall(
        _managers, lambda w: {"username": "track_uploader"}
    ),
    # The manager removes themselves: the last one may not (409).
    ("api/artists/<id:pk>/managers/<str:username>/", "delete"): ArtistCall(
        lambda w: _managers(w) + "artist_manager/"
    ),
    ("api/artists/<id:pk>/stats/", "get"): ArtistCall(lambda w: _artist(w) + "stats/"),
    ("api/artists/<id:pk>/follow/", "post"): ArtistCall(lambda w: _artist(w) + "follow/"),
    ("api/artists/<id:pk>/follow/", "delete"): ArtistCall(lambda w: _artist(w) + "follow/"),
    # The owner's profile is private (the default): nobody may follow them.
    ("api/users/<str:username>/follow/", "post"): Call(lambda w: "/api/users/owner/follow/"),
    ("api/users/<str:username>/follow/", "delete"): Call(lambda w: "/api/users/owner/follow/"),
    ("api/me/following/", "get"): Call(lambda w: "/api/me/following/"),
    ("api/me/feed/", "get"): Call(lambda w: "/api/me/feed/?include=friends"),
    ("api/tracks/<id:pk>/rating/", "put"): Call(
        lambda w: _track(w) + "rating/", lambda w: {"stars": 4}, _by_uploader
    ),
    ("api/tracks/<id:pk>/rating/", "delete"): Call(
        lambda w: _track(w) + "rating/", owner=_by_uploader
    ),
    ("api/albums/<id:pk>/rating/", "put"): Call(
        lambda w: f"/api/albums/{w.album.pk}/rating/", lambda w: {"stars": 4}
    ),
    ("api/albums/<id:pk>/rating/", "delete"): Call(lambda w: f"/api/albums/{w.album.pk}/rating/"),
    ("api/genres/", "get"): Call(lambda w: "/api/genres/"),
    ("api/tracks/<id:pk>/stream/", "post"): Call(
        lambda w: _track(w) + "stream/", lambda w: {}, _by_uploader
    ),
    ("api/tracks/<id:pk>/toggle_favorite/", "post"): Call(
        lambda w: _track(w) + "toggle_favorite/", owner=_by_uploader
    ),
    ("api/tracks/<id:pk>/preview/", "post"): Call(
        lambda w: _track(w) + "preview/", owner=_by_uploader
    ),
    ("api/tracks/<id:pk>/lyrics/", "get"): Call(
        lambda w: _track(w) + "lyrics/", owner=_by_uploader
    ),
    ("api/tracks/<id:pk>/lyrics/", "put"): Call(
        lambda w: _track(w) + "lyrics/", lambda w: {"plain": "New words"}, _by_uploader
    ),
    ("api/tracks/<id:pk>/lyrics/", "delete"): Call(
        lambda w: _track(w) + "lyrics/", owner=_by_uploader
    ),
    # The public pages: no account needed; a private playlist is reached by its share link.
    ("p/<id:pk>/", "get"): Call(lambda w: f"/p/{w.public_playlist.pk}/"),
    ("s/<slug:token>/", "get"): Call(lambda w: f"/s/{w.share.token}/"),
    ("t/<id:pk>/", "get"): Call(lambda w: f"/t/{w.track.pk}/"),
    ("t/<id:pk>/preview", "get"): Call(lambda w: f"/t/{w.track.pk}/preview"),
    ("api/favorites/", "get"): Call(lambda w: "/api/favorites/"),
    ("api/albums/<id:pk>/toggle_favorite/", "post"): Call(
        lambda w: f"/api/albums/{w.album.pk}/toggle_favorite/"
    ),
    ("api/artists/<id:pk>/toggle_favorite/", "post"): Call(
        lambda w: f"/api/artists/{w.artist.pk}/toggle_favorite/"
    ),
    ("api/favorites/albums/", "get"): Call(lambda w: "/api/favorites/albums/"),
    ("api/favorites/artists/", "get"): Call(lambda w: "/api/favorites/artists/"),
    ("api/me/app-passwords/", "get"): Call(lambda w: "/api/me/app-passwords/"),
    ("api/me/app-passwords/", "post"): Call(
        lambda w: "/api/me/app-passwords/", lambda w: {"name": "DSub"}
    ),
    ("api/me/app-passwords/<id:pk>/", "delete"): Call(
        lambda w: f"/api/me/app-passwords/{_owners_app_password(w)}/"
    ),
    # The Subsonic API answers every call with 200, errors in its envelope; it ignores JWTs
    # (tests/subsonic hold who may do what there).
    ("rest/<str:name>", "get"): Call(lambda w: "/rest/ping"),
    ("api/history/", "get"): Call(lambda w: "/api/history/"),
    ("api/history/", "delete"): Call(lambda w: "/api/history/"),
    ("api/history/<id:play_id>/progress/", "post"): Call(
        lambda w: f"/api/history/{w.play.pk}/progress/", lambda w: {"played_seconds": 10}
    ),
    ("api/reports/", "get"): Call(lambda w: "/api/reports/"),
    ("api/reports/", "post"): Call(
        lambda w: "/api/reports/",
        lambda w: {"kind": "playlist", "id": w.public_playlist.pk, "reason": "spam"},
    ),
    ("api/playlists/", "get"): Call(lambda w: "/api/playlists/"),
    ("api/playlists/", "post"): Call(lambda w: "/api/playlists/", lambda w: {"name": "Mine"}),
    ("api/playlists/public/", "get"): Call(lambda w: "/api/playlists/public/"),
    ("api/playlists/<id:pk>/", "get"): Call(_playlist),
    ("api/playlists/<id:pk>/", "patch"): Call(_playlist, lambda w: {"name": "Renamed"}),
    ("api/playlists/<id:pk>/", "delete"): Call(_playlist),
    ("api/playlists/<id:pk>/items/", "get"): Call(lambda w: _playlist(w) + "items/"),
    ("api/playlists/<id:pk>/add/", "post"): Call(
        lambda w: _playlist(w) + "add/", lambda w: {"track_id": w.track.pk}
    ),
    ("api/playlists/<id:pk>/remove/", "post"): Call(
        lambda w: _playlist(w) + "remove/", lambda w: {"track_id": w.track.pk}
    ),
    ("api/playlists/<id:pk>/reorder/", "post"): Call(
        lambda w: _playlist(w) + "reorder/", lambda w: {"range_start": 0, "insert_before": 1}
    ),
    ("api/playlists/<id:pk>/shares/", "get"): Call(lambda w: _playlist(w) + "shares/"),
    ("api/playlists/<id:pk>/shares/", "post"): Call(
        lambda w: _playlist(w) + "shares/", lambda w: {}
    ),
    ("api/playlists/<id:pk>/shares/<id:share_id>/", "delete"): Call(
        lambda w: _playlist(w) + f"shares/{w.share.pk}/"
    ),
    ("api/shared/<slug:token>/", "get"): Call(lambda w: f"/api/shared/{w.share.token}/"),
    ("api/shared/<slug:token>/items/", "get"): Call(
        lambda w: f"/api/shared/{w.share.token}/items/"
    ),
    ("api/uploads/<uuid:upload_id>/", "get"): Call(_upload, owner=_by_uploader),
    ("api/uploads/<uuid:upload_id>/parts/", "post"): Call(
        lambda w: _upload(w) + "parts/", lambda w: {"part_numbers": [1]}, _by_uploader
    ),
    ("api/uploads/<uuid:upload_id>/complete/", "post"): Call(
        lambda w: _upload(w) + "complete/",
        lambda w: {"parts": [{"part_number": 1, "etag": '"x"'}]},
        _by_uploader,
    ),
    ("api/uploads/<uuid:upload_id>/abort/", "post"): Call(
        lambda w: _upload(w) + "abort/", owner=_by_uploader
    ),
    ("api/me/stats/", "get"): Call(lambda w: "/api/me/stats/"),
    ("api/me/stats/activity/", "get"): Call(lambda w: "/api/me/stats/activity/"),
    ("api/me/stats/recap/<int:year>/", "get"): Call(lambda w: "/api/me/stats/recap/2026/"),
    # The owner's statistics are private (the default): a 404 for everyone, the owner too.
    ("api/users/<str:username>/stats/", "get"): Call(lambda w: "/api/users/owner/stats/"),
    ("api/charts/tracks/", "get"): Call(lambda w: "/api/charts/tracks/"),
    ("api/charts/artists/", "get"): Call(lambda w: "/api/charts/artists/"),
    ("api/charts/albums/", "get"): Call(lambda w: "/api/charts/albums/"),
    ("api/me/recommendations/tracks/", "get"): Call(lambda w: "/api/me/recommendations/tracks/"),
    ("api/me/mixes/", "get"): Call(lambda w: "/api/me/mixes/"),
    ("api/me/mixes/<id:mix_id>/save/", "post"): Call(lambda w: _mix(w) + "save/"),
    ("api/tracks/<id:pk>/similar/", "get"): Call(lambda w: _track(w) + "similar/"),
    ("api/artists/<id:pk>/similar/", "get"): Call(lambda w: f"/api/artists/{w.artist.pk}/similar/"),
    ("api/radio/", "post"): Call(
        lambda w: "/api/radio/", lambda w: {"seed": "track", "id": w.track.pk}
    ),
    # Sessions are their listener's own: everyone else gets a 404, moderators too.
    ("api/radio/<uuid:session_id>/next/", "get"): Call(lambda w: _radio(w) + "next/"),
    ("api/schema/", "get"): Call(lambda w: "/api/schema/"),
    ("api/docs/", "get"): Call(lambda w: "/api/docs/"),
    ("api/redoc/", "get"): Call(lambda w: "/api/redoc/"),
    # The storage endpoints answer to the signed token in the URL, never to a user: a forged
    # token is refused whoever sends it (the token checks: tests/media_pipeline).
    ("storage/upload/<str:token>", "put"): Call(lambda w: "/storage/upload/forged", lambda w: {}),
    ("storage/part/<str:token>", "put"): Call(lambda w: "/storage/part/forged", lambda w: {}),
    ("storage/download/<str:token>", "get"): Call(lambda w: "/storage/download/forged"),
    # Local storage backend only: avatars and artwork, public by design; unknown files 404.
    ("media/<path:path>", "get"): Call(lambda w: "/media/avatars/nobody.webp"),
    ("api/me/", "delete"): Call(lambda w: "/api/me/", lambda w: {"password": factories.PASSWORD}),
    ("api/imports/presigned_upload/", "post"): Call(
        lambda w: "/api/imports/presigned_upload/",
        lambda w: {"filename": "h.json", "content_type": "application/json", "size": 10},
    ),
    ("api/imports/", "get"): Call(lambda w: "/api/imports/"),
    ("api/imports/", "post"): Call(lambda w: "/api/imports/", _owners_import_slot),
    ("api/imports/<id:pk>/", "get"): Call(_owners_import),
    ("api/me/tokens/", "get"): Call(lambda w: "/api/me/tokens/"),
    ("api/me/tokens/", "post"): Call(lambda w: "/api/me/tokens/", lambda w: {"name": "player"}),
    ("api/me/tokens/<id:pk>/", "delete"): Call(_owners_token),
    ("api/me/export/", "post"): Call(lambda w: "/api/me/export/"),
    ("api/me/export/<id:pk>/", "get"): Call(_owners_export),
    # ListenBrainz's API answers to scrobble tokens (`Authorization: Token ...`) only, never to
    # a session or a JWT (token checks: tests/history_import/test_scrobbling.py).
    ("1/submit-listens", "post"): Call(
        lambda w: "/1/submit-listens", lambda w: {"listen_type": "single", "payload": []}
    ),
    ("1/validate-token", "get"): Call(lambda w: "/1/validate-token"),
    ("healthz", "get"): Call(lambda w: "/healthz"),
    ("", "get"): Call(lambda w: "/"),
    ("api/", "get"): Call(lambda w: "/api/"),
    ("readyz", "get"): Call(lambda w: "/readyz"),
}


def _hidden(w: World, obj, role: str):
    """`obj` (the world's track or album) hidden by its artist's manager or by moderation."""
    by = _artist_manager(w) if role == "manager" else factories.ModeratorFactory(username="hider")
    type(obj).objects.filter(pk=obj.pk).update(is_hidden=True, hidden_role=role, hidden_by=by)


def _hidden_track(role: str) -> Callable[[World], str]:
    def path(w: World) -> str:
        _hidden(w, w.track, role)
        return _track(w)

    return path


def _hidden_album(role: str) -> Callable[[World], str]:
    def path(w: World) -> str:
        _hidden(w, w.album, role)
        return f"/api/albums/{w.album.pk}/"

    return path


def _hide(hidden: bool) -> Callable[[World], dict]:
    return lambda w: {"is_hidden": hidden}


# Hiding and unhiding go through the routes' PATCH above; a row per case of who hid it, as the
# answer depends on it. For all of them owner is a manager of the artist, other another
# artist's manager.
HIDING_CALLS: dict[tuple[str, str, str], Call] = {
    ("api/tracks/<id:pk>/", "patch", "hide"): ArtistCall(_track, _hide(True)),
    ("api/tracks/<id:pk>/", "patch", "unhide a manager's hide"): ArtistCall(
        _hidden_track("manager"), _hide(False)
    ),
    ("api/tracks/<id:pk>/", "patch", "unhide a moderator's hide"): ArtistCall(
        _hidden_track("moderator"), _hide(False)
    ),
    ("api/tracks/<id:pk>/", "get", "hidden by a manager"): ArtistCall(_hidden_track("manager")),
    ("api/albums/<id:pk>/", "patch", "hide"): ArtistCall(
        lambda w: f"/api/albums/{w.album.pk}/", _hide(True)
    ),
    ("api/albums/<id:pk>/", "patch", "unhide a manager's hide"): ArtistCall(
        _hidden_album("manager"), _hide(False)
    ),
    ("api/albums/<id:pk>/", "patch", "unhide a moderator's hide"): ArtistCall(
        _hidden_album("moderator"), _hide(False)
    ),
    ("api/albums/<id:pk>/", "get", "hidden by a manager"): ArtistCall(_hidden_album("manager")),
}

#   anonymous listener other owner uploader moderator staff
HIDING_EXPECTED: dict[tuple[str, str, str], tuple[int, ...]] = {
    ("api/tracks/<id:pk>/", "patch", "hide"): (401, 403, 403, 200, 403, 200, 200),
    # Those who may not see a hidden track get the 404 of an unknown one.
    ("api/tracks/<id:pk>/", "patch", "unhide a manager's hide"): (
        401,
        404,
        404,
        200,
        404,
        200,
        200,
    ),
    ("api/tracks/<id:pk>/", "patch", "unhide a moderator's hide"): (
        401,
        404,
        404,
        403,
        404,
        200,
        200,
    ),
    ("api/tracks/<id:pk>/", "get", "hidden by a manager"): (404, 404, 404, 200, 404, 200, 200),
    ("api/albums/<id:pk>/", "patch", "hide"): (401, 404, 404, 200, 404, 200, 200),
    ("api/albums/<id:pk>/", "patch", "unhide a manager's hide"): (
        401,
        404,
        404,
        200,
        404,
        200,
        200,
    ),
    ("api/albums/<id:pk>/", "patch", "unhide a moderator's hide"): (
        401,
        404,
        404,
        403,
        404,
        200,
        200,
    ),
    ("api/albums/<id:pk>/", "get", "hidden by a manager"): (404, 404, 404, 200, 404, 200, 200),
}


def _routes(patterns=None, prefix: str = "") -> list[tuple[str, object]]:
    """(route, callback) of every URL pattern, routes as written in the URL conf."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.callback))
    return found


def _view_methods(callback) -> set[str]:
    """The methods an API view implements; empty for plain functions."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return set()
    names = {"get", "post", "put", "patch", "delete"}
    return {name for name in names if hasattr(view_class, name)}


def _client(role: str, world: World, call: Call) -> APIClient:
    users = {
        "listener": lambda: factories.UserFactory(username="listener"),
        "other": lambda: (
            call.other(world) if call.other else factories.UserFactory(username="other")
        ),
        "owner": lambda: call.owner(world),
        "uploader": lambda: factories.UploaderFactory(username="another_uploader"),
        "moderator": lambda: factories.ModeratorFactory(username="moderator"),
        "staff": lambda: factories.StaffFactory(username="staff"),
    }
    return APIClient() if role == "anonymous" else client_for(users[role]())


def _send(client: APIClient, method: str, call: Call, world: World):
    body = call.body(world) if call.body else None
    return getattr(client, method)(call.path(world), body, format="json")


# Expected status per role, in the order of ROLES:
#   anonymous listener other owner uploader moderator staff
EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("api/auth/register/", "post"): (201, 201, 201, 201, 201, 201, 201),
    ("api/auth/token/", "post"): (200, 200, 200, 200, 200, 200, 200),
    ("api/auth/token/refresh/", "post"): (401, 401, 401, 401, 401, 401, 401),
    ("api/auth/logout/", "post"): (401, 401, 401, 401, 401, 401, 401),
    ("api/me/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/", "patch"): (401, 200, 200, 200, 200, 200, 200),
    # Every caller changes only their own password, and only with it: a wrong one is a 400.
    ("api/me/password/", "post"): (401, 400, 400, 400, 400, 400, 400),
    ("api/tracks/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/tracks/", "post"): (401, 403, 403, 400, 404, 404, 404),
    ("api/tracks/presigned_upload/", "post"): (401, 403, 403, 403, 201, 201, 201),
    ("api/tracks/<id:pk>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/", "patch"): (401, 403, 403, 200, 403, 200, 200),
    ("api/tracks/<id:pk>/", "delete"): (401, 403, 403, 204, 403, 204, 204),
    ("api/artists/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/artists/<id:pk>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/albums/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/albums/<id:pk>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    # Artist routes: other is another artist's manager, owner a manager of this artist.
    ("api/albums/<id:pk>/", "patch"): (401, 404, 404, 200, 404, 200, 200),
    ("api/artists/<id:pk>/", "patch"): (401, 404, 404, 200, 404, 200, 200),
    ("api/artists/<id:pk>/managers/", "get"): (401, 404, 404, 200, 404, 200, 200),
    ("api/artists/<id:pk>/managers/", "post"): (401, 404, 404, 201, 404, 201, 201),
    ("api/artists/<id:pk>/managers/<str:username>/", "delete"): (
        401,
        404,
        404,
        409,
        404,
        204,
        204,
    ),
    ("api/artists/<id:pk>/stats/", "get"): (401, 404, 404, 200, 404, 200, 200),
    ("api/artists/<id:pk>/follow/", "post"): (401, 200, 200, 200, 200, 200, 200),
    ("api/artists/<id:pk>/follow/", "delete"): (401, 200, 200, 200, 200, 200, 200),
    # Following oneself is a 400; a private profile is a 404 to everyone else.
    ("api/users/<str:username>/follow/", "post"): (401, 404, 404, 400, 404, 404, 404),
    ("api/users/<str:username>/follow/", "delete"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/following/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/feed/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/rating/", "put"): (401, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/rating/", "delete"): (401, 200, 200, 200, 200, 200, 200),
    ("api/albums/<id:pk>/rating/", "put"): (401, 200, 200, 200, 200, 200, 200),
    ("api/albums/<id:pk>/rating/", "delete"): (401, 200, 200, 200, 200, 200, 200),
    ("api/genres/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/stream/", "post"): (401, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/toggle_favorite/", "post"): (401, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/preview/", "post"): (200, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/lyrics/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/tracks/<id:pk>/lyrics/", "put"): (401, 403, 403, 200, 403, 200, 200),
    ("api/tracks/<id:pk>/lyrics/", "delete"): (401, 403, 403, 204, 403, 204, 204),
    ("p/<id:pk>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("s/<slug:token>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("t/<id:pk>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("t/<id:pk>/preview", "get"): (302, 302, 302, 302, 302, 302, 302),
    ("api/favorites/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/albums/<id:pk>/toggle_favorite/", "post"): (401, 200, 200, 200, 200, 200, 200),
    ("api/artists/<id:pk>/toggle_favorite/", "post"): (401, 200, 200, 200, 200, 200, 200),
    ("api/favorites/albums/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/favorites/artists/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/app-passwords/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/app-passwords/", "post"): (401, 201, 201, 201, 201, 201, 201),
    # Only one's own: anyone else's id is not found, staff included.
    ("api/me/app-passwords/<id:pk>/", "delete"): (401, 404, 404, 204, 404, 404, 404),
    ("rest/<str:name>", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/reports/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/reports/", "post"): (401, 201, 201, 201, 201, 201, 201),
    ("api/history/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/history/", "delete"): (401, 200, 200, 200, 200, 200, 200),
    ("api/history/<id:play_id>/progress/", "post"): (401, 404, 404, 200, 404, 404, 404),
    ("api/playlists/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/playlists/", "post"): (401, 201, 201, 201, 201, 201, 201),
    ("api/playlists/public/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/playlists/<id:pk>/", "get"): (404, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/", "patch"): (401, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/", "delete"): (401, 404, 404, 204, 404, 404, 404),
    ("api/playlists/<id:pk>/items/", "get"): (404, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/add/", "post"): (401, 404, 404, 201, 404, 404, 404),
    ("api/playlists/<id:pk>/remove/", "post"): (401, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/reorder/", "post"): (401, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/shares/", "get"): (401, 404, 404, 200, 404, 404, 404),
    ("api/playlists/<id:pk>/shares/", "post"): (401, 404, 404, 201, 404, 404, 404),
    ("api/playlists/<id:pk>/shares/<id:share_id>/", "delete"): (
        401,
        404,
        404,
        204,
        404,
        404,
        404,
    ),
    ("api/shared/<slug:token>/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/shared/<slug:token>/items/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/uploads/<uuid:upload_id>/", "get"): (401, 403, 403, 200, 404, 404, 404),
    ("api/uploads/<uuid:upload_id>/parts/", "post"): (401, 403, 403, 400, 404, 404, 404),
    ("api/uploads/<uuid:upload_id>/complete/", "post"): (401, 403, 403, 400, 404, 404, 404),
    ("api/uploads/<uuid:upload_id>/abort/", "post"): (401, 403, 403, 204, 404, 404, 404),
    ("api/me/stats/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/stats/activity/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/stats/recap/<int:year>/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/users/<str:username>/stats/", "get"): (404, 404, 404, 404, 404, 404, 404),
    ("api/charts/tracks/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/charts/artists/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/charts/albums/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/me/recommendations/tracks/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/mixes/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/mixes/<id:mix_id>/save/", "post"): (401, 404, 404, 201, 404, 404, 404),
    ("api/tracks/<id:pk>/similar/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/artists/<id:pk>/similar/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/radio/", "post"): (401, 201, 201, 201, 201, 201, 201),
    ("api/radio/<uuid:session_id>/next/", "get"): (401, 404, 404, 200, 404, 404, 404),
    ("api/schema/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/docs/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/redoc/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("storage/upload/<str:token>", "put"): (403, 403, 403, 403, 403, 403, 403),
    ("storage/part/<str:token>", "put"): (403, 403, 403, 403, 403, 403, 403),
    ("storage/download/<str:token>", "get"): (403, 403, 403, 403, 403, 403, 403),
    # Each caller deletes their own account only, with their own password.
    ("api/me/", "delete"): (401, 204, 204, 204, 204, 204, 204),
    ("api/imports/presigned_upload/", "post"): (401, 201, 201, 201, 201, 201, 201),
    ("api/imports/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/imports/", "post"): (401, 404, 404, 400, 404, 404, 404),
    ("api/imports/<id:pk>/", "get"): (401, 404, 404, 200, 404, 404, 404),
    ("api/me/tokens/", "get"): (401, 200, 200, 200, 200, 200, 200),
    ("api/me/tokens/", "post"): (401, 201, 201, 201, 201, 201, 201),
    ("api/me/tokens/<id:pk>/", "delete"): (401, 404, 404, 204, 404, 404, 404),
    ("api/me/export/", "post"): (401, 202, 202, 202, 202, 202, 202),
    ("api/me/export/<id:pk>/", "get"): (401, 404, 404, 200, 404, 404, 404),
    ("1/submit-listens", "post"): (401, 401, 401, 401, 401, 401, 401),
    ("1/validate-token", "get"): (400, 400, 400, 400, 400, 400, 400),
    ("healthz", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("api/", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("readyz", "get"): (200, 200, 200, 200, 200, 200, 200),
    ("media/<path:path>", "get"): (404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route_method", list(EXPECTED), ids=[f"{m} {r}" for r, m in EXPECTED])
def test_each_role_gets_the_expected_status(route_method, role, world):
    method = route_method[1]
    call = CALLS[route_method]
    response = _send(_client(role, world, call), method, call, world)

    assert response.status_code == EXPECTED[route_method][ROLES.index(role)], response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "case", list(HIDING_EXPECTED), ids=[f"{m} {r} {c}" for r, m, c in HIDING_EXPECTED]
)
def test_each_role_hides_and_unhides_as_expected(case, role, world):
    call = HIDING_CALLS[case]
    response = _send(_client(role, world, call), case[1], call, world)

    assert response.status_code == HIDING_EXPECTED[case][ROLES.index(role)], response.content


def test_hiding_rows_are_on_routes_of_the_matrix():
    assert set(HIDING_CALLS) == set(HIDING_EXPECTED)
    assert {(route, method) for route, method, _ in HIDING_EXPECTED} <= set(EXPECTED)


def test_every_url_pattern_and_api_method_has_a_row():
    rows = {route for route, _ in EXPECTED}
    missing = []
    for route, callback in _routes():
        if any(route.startswith(prefix) for prefix in NOT_IN_MATRIX):
            continue
        if route not in rows:
            missing.append(route)
        missing += [
            f"{m.upper()} {route}" for m in _view_methods(callback) if (route, m) not in EXPECTED
        ]
    assert missing == []
    assert set(EXPECTED) == set(CALLS)
