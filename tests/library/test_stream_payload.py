"""The stream's answer built without the serializer (core/library/payloads.stream_payload) is
StreamOutputSerializer's JSON for every kind of grant, and an empty body means the defaults."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from core.library.payloads import stream_payload
from core.library.serializers import StreamOutputSerializer
from core.library.stream import StreamGrant
from tests import factories

grants = st.builds(
    StreamGrant,
    url=st.just("http://testserver/media/signed/a.mp3?sig=x&exp=1"),
    expires_at=st.datetimes(
        min_value=datetime(2000, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
    ),
    content_type=st.sampled_from(["audio/mpeg", "audio/mp4", "audio/flac"]),
    size=st.integers(0, 2**40),
    duration=st.one_of(st.none(), st.floats(0, 10**5, allow_nan=False), st.integers(0, 10**5)),
    play_id=st.integers(1, 2**62),
    quality=st.sampled_from(["original", "normal", "low"]),
)


@given(grant=grants)
def test_the_stream_payload_is_the_serializers_json(grant):
    render = JSONRenderer().render

    assert render(stream_payload(grant)) == render(StreamOutputSerializer(grant).data)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"quality": "original"}, {"client": ""}])
def test_an_empty_body_means_the_defaults(alice_client, body):
    track = factories.TrackFactory()

    response = alice_client.post(
        f"/api/tracks/{track.pk}/stream/", body, format="json", HTTP_USER_AGENT="Player/1"
    )

    assert response.status_code == 200
    assert response.json()["quality"] == "original"
    assert factories.PlayFactory._meta.model.objects.get().client == "Player/1"


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[], ["low"], {"quality": "best"}])
def test_a_body_that_is_not_options_is_refused(alice_client, body):
    track = factories.TrackFactory()

    response = alice_client.post(f"/api/tracks/{track.pk}/stream/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
