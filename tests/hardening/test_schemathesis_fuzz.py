"""Schemathesis over the project's own OpenAPI schema: every operation, as a listener and as an
uploader, with no server error, and every answer matching the documented status, content type
and body schema.

The requests go through Django's test handler inside the test's transaction, so the seeded
objects (`world`) are visible and everything the fuzzer creates is rolled back afterwards.
Every other case aims at a real object (a track, a playlist, a share link, a history entry or
an upload of the caller's), so the fuzzer gets past the 404s into the views' bodies.
"""

import itertools
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from django.test.client import ClientHandler
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.hardening.conftest import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 15


class DjangoTestApp:
    """A WSGI application around Django's test handler: unlike the production handler it
    leaves the test's database connection (and transaction) open between requests."""

    def __init__(self) -> None:
        self.handler = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ: dict, start_response: Callable) -> Iterator[bytes]:
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return iter(response) if response.streaming else iter([response.content])


def _load_schema() -> schemathesis.BaseSchema:
    """The schema drf-spectacular serves at /api/schema/, built in process."""
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = DjangoTestApp()
    return schema


api = _load_schema()


def _real_path_parameters(world: World, user, path: str) -> dict[str, object]:
    """Path parameters that name objects the caller can reach (made afresh: an earlier case
    may have deleted the seeded ones)."""
    if path.startswith("/api/albums/"):
        return {"id": world.album.pk}
    if path.startswith("/api/artists/"):
        return {"id": world.artist.pk}
    if path.startswith("/api/tracks/"):
        return {"id": world.track.pk}
    if path.startswith("/api/playlists/"):
        share = factories.PlaylistShareFactory(playlist__owner=user)
        return {"id": share.playlist_id, "share_id": share.pk}
    if path.startswith("/api/shared/"):
        return {"token": factories.PlaylistShareFactory().token}
    if path.startswith("/api/history/"):
        return {"play_id": factories.PlayFactory(user=user).pk}
    if path.startswith("/api/uploads/"):
        return {"upload_id": str(world.upload.pk)}
    return {}


@pytest.fixture
def turns() -> Iterator[int]:
    """Counts the cases of one test run, to aim every other one at real objects."""
    return itertools.count()


def _call(case, user, world: World, turns: Iterator[int]) -> None:
    if case.path_parameters and next(turns) % 2 == 0:
        real = _real_path_parameters(world, user, case.path)
        case.path_parameters = {
            name: real.get(name, value) for name, value in case.path_parameters.items()
        }
    token = RefreshToken.for_user(user).access_token
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@api.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_a_listener_as_documented(case, world, turns):
    _call(case, world.owner, world, turns)


@pytest.mark.django_db
@api.parametrize()
@FUZZ_SETTINGS
def test_every_operation_answers_an_uploader_as_documented(case, world, turns):
    _call(case, world.track_uploader, world, turns)
