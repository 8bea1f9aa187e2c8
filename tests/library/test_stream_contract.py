"""The stream's SQL and Track.objects.playable() agree: a stream succeeds exactly when the track
is playable, over every status, visibility and variant, on both of the stream's paths (the one
PostgreSQL statement, and the read-then-insert of other databases), and gives the variant when
the track has one."""

import itertools

import pytest

from core.catalog.models import Track, TrackStatus
from core.library import stream
from core.library.models import Play
from core.processing.models import VariantQuality
from core.processing.selectors import ORIGINAL
from tests import factories
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db

CASES = list(itertools.product(TrackStatus.values, [False, True], [None, *VariantQuality.values]))


@pytest.fixture(params=["one_round_trip", "read_then_insert"])
def stream_path(request, monkeypatch):
    if request.param == "read_then_insert":
        monkeypatch.setattr(stream, "_one_round_trip", lambda: False)
    elif stream._one_round_trip() is False:
        pytest.fail("the one-statement path needs PostgreSQL: run with scripts/test.sh")
    return request.param


@pytest.mark.parametrize(("status", "hidden", "variant"), CASES)
@pytest.mark.parametrize("quality", [ORIGINAL, *VariantQuality.values])
def test_a_stream_succeeds_exactly_when_the_track_is_playable(
    alice_client, stream_path, status, hidden, variant, quality
):
    track = factories.TrackFactory(status=status, is_hidden=hidden)
    if variant is not None:
        factories.TrackVariantFactory(track=track, quality=variant)
    playable = Track.objects.playable().filter(pk=track.pk).exists()

    response = alice_client.post(stream_url(track.pk), {"quality": quality})

    assert response.status_code == (200 if playable else 404), response.content
    assert Play.objects.filter(track=track).exists() == playable
    if playable:
        given = quality if quality == variant else ORIGINAL
        assert response.json()["quality"] == given
