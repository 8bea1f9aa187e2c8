"""The upload slot's two shapes, one request or parts, are exactly what the OpenAPI schema says."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.catalog.uploading import PRESIGN_URL
from tests.uploads.multipart_helpers import DATA, use_small_parts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _shape(schema: dict, name: str) -> tuple[set[str], set[str]]:
    component = schema["components"]["schemas"][name]
    return set(component["properties"]), set(component["required"])


def _slot(client, size: int) -> dict:
    body = {"filename": "song.flac", "content_type": "audio/flac", "size": size}
    response = client.post(PRESIGN_URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_slot_is_documented_as_one_request_or_parts(schema):
    response = schema["paths"]["/api/tracks/presigned_upload/"]["post"]["responses"]["201"]
    reference = response["content"]["application/json"]["schema"]["$ref"]

    shapes = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["anyOf"]

    assert [shape["$ref"].rsplit("/", 1)[1] for shape in shapes] == [
        "UploadSlotOutput",
        "MultipartUploadSlotOutput",
    ]


def test_a_single_request_slot_has_exactly_the_documented_fields(schema, uploader_client):
    properties, required = _shape(schema, "UploadSlotOutput")

    slot = _slot(uploader_client, 1000)

    assert set(slot) == properties == required
    assert slot["multipart"] is False


def test_a_multipart_slot_has_exactly_the_documented_fields(schema, uploader_client, settings):
    use_small_parts(settings)
    properties, required = _shape(schema, "MultipartUploadSlotOutput")

    slot = _slot(uploader_client, len(DATA))

    assert set(slot) == properties == required
    assert slot["multipart"] is True
