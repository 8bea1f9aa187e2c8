"""List pages built from rows (core/catalog/payloads.py) are byte for byte what the serializers
make, over generated catalogs, for every viewer; and a serializer field the fast path does not
know turns it off rather than going missing."""

from unittest import mock

import pytest
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from core.artists.models import ArtistManager
from core.catalog import payloads
from core.catalog.models import Track, TrackStatus
from core.catalog.serializers import TrackOutputSerializer, TrackOwnerOutputSerializer
from core.processing.models import TrackMedia
from tests import factories

pytestmark = pytest.mark.django_db

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(str.strip)
tracks = st.lists(
    st.fixed_dictionaries(
        {
            "title": names,
            "with_album": st.booleans(),
            "album_year": st.none() | st.integers(1000, 9999),
            "genres": st.sets(st.integers(0, 3), max_size=4),
            "variants": st.sets(st.sampled_from(["normal", "low"])),
            "favorite": st.booleans(),
            "media": st.none()
            | st.fixed_dictionaries(
                {
                    "artwork": st.sampled_from([{}, {"64": "a/64.jpg", "256": "a/256.jpg"}]),
                    "loudness": st.none()
                    | st.tuples(
                        st.floats(-70, 0, allow_nan=False),
                        st.none() | st.floats(-20, 3, allow_nan=False),
                        st.none() | st.floats(-30, 30, allow_nan=False),
                    ),
                }
            ),
            "duration": st.none() | st.floats(0, 10_000, allow_nan=False),
            "state": st.sampled_from(["ready", "hidden", "processing", "failed"]),
            "own": st.booleans(),
            "managed": st.booleans(),
        }
    ),
    max_size=8,
)


def _make(spec: dict, *, owner, listener, genres, manager) -> Track:
    artist = factories.ArtistFactory()
    if spec["managed"]:
        ArtistManager.objects.create(artist=artist, user=manager)
    album = (
        factories.AlbumFactory(artist=artist, year=spec["album_year"])
        if spec["with_album"]
        else None
    )
    track = factories.TrackFactory(
        title=spec["title"],
        artist=artist,
        album=album,
        duration=spec["duration"],
        status=TrackStatus.FAILED
        if spec["state"] == "failed"
        else TrackStatus.PROCESSING
        if spec["state"] == "processing"
        else TrackStatus.READY,
        failure_reason="not audio" if spec["state"] == "failed" else "",
        is_hidden=spec["state"] == "hidden",
        genres=[genres[n] for n in sorted(spec["genres"])],
        **({"uploaded_by": owner} if spec["own"] else {}),
    )
    for quality in spec["variants"]:
        factories.TrackVariantFactory(track=track, quality=quality)
    if spec["favorite"]:
        factories.FavoriteFactory(user=listener, track=track)
    if spec["media"] is not None:
        lufs, peak, gain = spec["media"]["loudness"] or (None, None, None)
        TrackMedia.objects.create(
            track=track,
            artwork=spec["media"]["artwork"],
            loudness_lufs=lufs,
            true_peak_db=peak,
            replay_gain_db=gain,
        )
    return track


def _both_ways(client, params: dict) -> tuple[bytes, bytes]:
    with freeze_time("2026-12-02 12:00:00"):
        fast = client.get("/api/tracks/", params)
        with mock.patch.object(payloads, "track_plans", lambda: None):
            slow = client.get("/api/tracks/", params)
    assert fast.status_code == slow.status_code == 200
    return fast.content, slow.content


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    catalog=tracks,
    viewer=st.sampled_from(["anonymous", "listener", "owner", "manager", "moderator"]),
)
def test_the_fast_list_is_the_serializers_json_byte_for_byte(
    api_client, alice, bob, uploader, moderator, catalog, viewer
):
    with transaction.atomic():
        genres = [factories.GenreFactory(name=name) for name in ("rock", "Ambient", "jazz", "Ö")]
        for spec in catalog:
            _make(spec, owner=uploader, listener=alice, genres=genres, manager=bob)
        user = {"listener": alice, "owner": uploader, "manager": bob, "moderator": moderator}.get(
            viewer
        )
        if user is not None:
            api_client.force_authenticate(user)
        fast, slow = _both_ways(api_client, {"page_size": 100})
        searched = _both_ways(api_client, {"page_size": 100, "search": "a"})
        api_client.force_authenticate(None)
        transaction.set_rollback(True)

    assert fast == slow
    assert searched[0] == searched[1]


def test_every_list_field_has_a_fast_path():
    # Fails when a field is added to a track list serializer that the fast path cannot build:
    # add its builder to core/catalog/payloads.py (lists serialize the slow way until then).
    assert payloads.track_plans() is not None


def test_a_plain_column_added_to_the_serializer_appears_in_the_fast_payload():
    class WithStorageKey(TrackOutputSerializer):
        class Meta(TrackOutputSerializer.Meta):
            fields = [*TrackOutputSerializer.Meta.fields, "storage_key"]

    plan = payloads.make_plan(WithStorageKey(), Track, payloads._track_builder)

    assert plan is not None
    assert [name for name, _ in plan.steps][-1] == "storage_key"
    assert "storage_key" in plan.columns


def test_a_computed_field_unknown_to_the_fast_path_turns_it_off():
    class WithMood(TrackOwnerOutputSerializer):
        mood = serializers.SerializerMethodField()

        class Meta(TrackOwnerOutputSerializer.Meta):
            fields = [*TrackOwnerOutputSerializer.Meta.fields, "mood"]

        def get_mood(self, track) -> str:
            return "calm"

    assert payloads.make_plan(WithMood(), Track, payloads._track_builder) is None
