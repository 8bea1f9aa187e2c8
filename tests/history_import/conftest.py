"""Fixtures for imports: a file through the whole API flow, and the background run."""

import pytest
from django.core.cache import cache

from core.history_import.matching import forget_shared_index
from core.history_import.models import HistoryImport
from core.history_import.run import import_run
from tests import factories
from tests.catalog.uploading import put_bytes

CONTENT_TYPES = {"json": "application/json", "zip": "application/zip", "csv": "text/csv"}


def start_import(client, data: bytes, *, filename: str = "history.json", content_type=None):
    """Presign, PUT the bytes, and start the import; returns the POST's response."""
    content_type = content_type or CONTENT_TYPES.get(filename.rsplit(".", 1)[-1], "text/plain")
    slot = client.post(
        "/api/imports/presigned_upload/",
        {"filename": filename, "content_type": content_type, "size": len(data)},
        format="json",
    )
    assert slot.status_code == 201, slot.json()
    put = put_bytes(slot.json(), data)
    assert put.status_code in (200, 201, 204), put.content
    return client.post("/api/imports/", {"upload_id": slot.json()["upload_id"]}, format="json")


def run(import_id: int) -> HistoryImport:
    """Run the import as its worker would, with the token it was sent with."""
    job = HistoryImport.objects.get(pk=import_id)
    import_run(import_id=job.pk, token=str(job.token))
    job.refresh_from_db()
    return job


def imported(client, data: bytes, **options) -> HistoryImport:
    response = start_import(client, data, **options)
    assert response.status_code == 202, response.json()
    return run(response.json()["id"])


@pytest.fixture
def queen(db):
    """A catalog track that Spotify rows name (354 s)."""
    artist = factories.ArtistFactory(name="Queen")
    album = factories.AlbumFactory(title="A Night at the Opera", artist=artist)
    return factories.TrackFactory(
        title="Bohemian Rhapsody", artist=artist, album=album, duration=354.0
    )


@pytest.fixture(autouse=True)
def _fresh_catalog_index():
    """Scrobbles match against an index kept a minute per process, and ListenBrainz's API
    counts requests in the cache for a window: neither carries across tests."""
    forget_shared_index()
    cache.clear()
    yield
    forget_shared_index()
    cache.clear()
