"""DELETE /api/me/: the password confirms; personal data goes, uploaded tracks stay."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from core.accounts.models import AppPassword
from core.catalog.models import Track
from core.insights.models import ListenerQuarterHour, ListenerTrack
from core.library.models import (
    AlbumFavorite,
    ArtistFavorite,
    ExternalListen,
    Favorite,
    Play,
    PlayQueue,
)
from core.playlists.models import Playlist, PlaylistShare
from core.portability.deletion import DELETE, KEEP, READ_ONLY, USER_KEYS
from core.portability.models import DataExport
from core.portability.services import export_run
from core.recommendations.models import DailyMix, ListenerCandidate, RadioSeed, RadioSession
from media_pipeline.storage import ObjectNotFound, get_storage
from tests import factories
from tests.history_import import files
from tests.history_import.conftest import imported
from tests.insights.conftest import listen, utc

ME = "/api/me/"


def user_keys() -> dict[str, models.ForeignKey]:
    """Every field of every model (through tables included) that points at an account."""
    user_model = get_user_model()
    return {
        f"{model._meta.app_label}.{model.__name__}.{field.name}": field
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }


def test_every_user_key_in_the_models_is_handled_by_account_deletion():
    assert sorted(user_keys()) == sorted(USER_KEYS)


@pytest.mark.parametrize("key", sorted(user_keys()))
def test_each_user_key_deletes_or_keeps_rows_as_the_registry_says(key):
    field = user_keys()[key]
    expected = {DELETE: models.CASCADE, KEEP: models.SET_NULL, READ_ONLY: models.DO_NOTHING}
    assert field.remote_field.on_delete is expected[USER_KEYS[key]]
    if USER_KEYS[key] == READ_ONLY:
        assert field.model._meta.managed is False


@pytest.fixture
def everything(alice, alice_client, queen, uploader):
    """Alice has history (streamed and imported), favorites (tracks, albums, artists, genres),
    a shared playlist, a report, a token, an app password, a play queue, recommendations, an
    export and an uploaded track; bob has history too."""
    own_track = factories.TrackFactory(uploaded_by=alice, title="Mine")
    listen(alice, queen, utc(2026, 1, 2, 10, 0))
    factories.FavoriteFactory(user=alice, track=queen)
    AlbumFavorite.objects.create(user=alice, album=queen.album)
    ArtistFavorite.objects.create(user=alice, artist=queen.artist)
    alice.favorite_genres.add(factories.GenreFactory())
    PlayQueue.objects.create(user=alice, track_ids=[queen.pk], current_track_id=queen.pk)
    ListenerCandidate.objects.create(user=alice, track=own_track, score=1.0, because=queen)
    DailyMix.objects.create(user=alice, number=1, title="Daily Mix 1")
    RadioSession.objects.create(user=alice, seed_kind=RadioSeed.TRACK, seed_id=queen.pk)
    playlist = factories.PlaylistFactory(owner=alice)
    factories.PlaylistItemFactory(playlist=playlist, track=queen, position=1000)
    factories.PlaylistShareFactory(playlist=playlist)
    imported(
        alice_client,
        files.json_lines([files.listenbrainz_listen(artist="Ada", title="One", at=files.at(0))]),
        filename="l.jsonl",
    )
    alice_client.post("/api/me/tokens/", {"name": "player"})
    assert alice_client.post("/api/me/app-passwords/", {"name": "phone"}).status_code == 201
    export_id = alice_client.post("/api/me/export/").json()["id"]
    export = DataExport.objects.get(pk=export_id)
    export_run(export_id=export.pk, token=str(export.token))
    return {"own_track": own_track, "export_key": DataExport.objects.get(pk=export_id).key}


@pytest.mark.django_db
def test_deleting_the_account_deletes_its_personal_data(
    alice, alice_client, bob, queen, everything, django_capture_on_commit_callbacks
):
    listen(bob, queen, utc(2026, 1, 3, 10, 0))

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.delete(ME, {"password": factories.PASSWORD}, format="json")

    assert response.status_code == 204
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    for model, key in (
        (Play, "user"),
        (ExternalListen, "user"),
        (Favorite, "user"),
        (AlbumFavorite, "user"),
        (ArtistFavorite, "user"),
        (PlayQueue, "user"),
        (AppPassword, "user"),
        (ListenerCandidate, "user"),
        (DailyMix, "user"),
        (RadioSession, "user"),
        (Playlist, "owner"),
        (ListenerQuarterHour, "user"),
        (ListenerTrack, "user"),
    ):
        assert not model.objects.filter(**{f"{key}_id": alice.pk}).exists(), model
    assert PlaylistShare.objects.count() == 0
    assert not get_user_model().favorite_genres.through.objects.filter(user_id=alice.pk).exists()
    assert Play.objects.filter(user=bob).count() == 1
    queen.refresh_from_db()
    assert queen.listen_count == 1
    with pytest.raises(ObjectNotFound):
        get_storage().head(everything["export_key"])


@pytest.mark.django_db
def test_uploaded_tracks_stay_in_the_catalog_with_no_uploader(
    alice, alice_client, api_client, everything
):
    alice_client.delete(ME, {"password": factories.PASSWORD}, format="json")

    track = Track.objects.get(pk=everything["own_track"].pk)
    assert track.uploaded_by is None
    response = api_client.get(f"/api/tracks/{track.pk}/")
    assert response.status_code == 200 and response.json()["title"] == "Mine"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"), [({}, 400), ({"password": ""}, 400), ({"password": "wrong"}, 403)]
)
def test_without_the_right_password_nothing_is_deleted(
    alice, alice_client, everything, body, status
):
    response = alice_client.delete(ME, body, format="json")

    assert response.status_code == status
    assert get_user_model().objects.filter(pk=alice.pk).exists()
    assert ExternalListen.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_anonymous_callers_cannot_delete(api_client):
    assert api_client.delete(ME, {"password": "x"}, format="json").status_code == 401
