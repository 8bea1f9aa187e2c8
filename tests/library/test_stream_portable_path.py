"""The stream on databases other than PostgreSQL (SQLite, the embedded default): the read and
the history insert are two statements there. Run here on PostgreSQL by taking that path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.library.models import Play
from tests import factories
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def portable_path(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "portable")


def test_a_stream_opens_one_entry_and_a_repeat_reuses_it(alice, alice_client, track):
    first = alice_client.post(stream_url(track.pk))
    second = alice_client.post(stream_url(track.pk))

    assert first.status_code == second.status_code == 200
    assert first.json()["play_id"] == second.json()["play_id"]
    assert Play.objects.get().user == alice


def test_a_new_play_is_a_read_and_an_insert(alice_client, track):
    with CaptureQueriesContext(connection) as queries:
        alice_client.post(stream_url(track.pk))

    statements = [
        query["sql"].split()[0]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert statements == ["SELECT", "INSERT"]


def test_a_variant_is_streamed_when_it_exists(alice_client, track):
    factories.TrackVariantFactory(track=track, quality="low", size=99)

    body = alice_client.post(stream_url(track.pk), {"quality": "low"}).json()

    assert (body["quality"], body["size"]) == ("low", 99)


def test_without_a_dedup_window_every_stream_opens_an_entry(alice_client, track, settings):
    settings.PLAY_DEDUP_WINDOW_SECONDS = 0

    ids = {alice_client.post(stream_url(track.pk)).json()["play_id"] for _ in range(2)}

    assert len(ids) == 2


@pytest.mark.parametrize("which", ["hidden_track", "unready_track"])
def test_unplayable_tracks_are_not_found(request, alice_client, which):
    track = request.getfixturevalue(which)

    assert alice_client.post(stream_url(track.pk)).status_code == 404
    assert not Play.objects.exists()


def test_a_deactivated_account_is_refused(alice, alice_client, track):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert alice_client.post(stream_url(track.pk)).json()["code"] == "user_inactive"
    assert not Play.objects.exists()


def test_a_token_from_before_a_password_change_is_refused_in_the_one_read(
    alice, alice_client, track
):
    alice.set_password("a-brand-new-Passphrase-7")
    alice.save()

    with CaptureQueriesContext(connection) as queries:
        response = alice_client.post(stream_url(track.pk))

    assert response.json()["code"] == "token_revoked"
    assert len(queries.captured_queries) == 1
    assert not Play.objects.exists()
