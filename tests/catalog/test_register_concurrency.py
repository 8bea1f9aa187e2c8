"""Registrations arriving at the same moment, on PostgreSQL: one track per upload, one artist
per name."""

import threading

import pytest
from django.db import connection

from core.catalog.models import Album, Artist, Genre, Track
from tests import factories
from tests.catalog.uploading import register, upload
from tests.conftest import client_for

THREADS = 6


def register_together(user, bodies: list[tuple[str, dict]]) -> list:
    """Register each (upload_id, metadata) from its own thread and connection, all at once."""
    clients = [client_for(user) for _ in bodies]
    barrier = threading.Barrier(len(bodies))
    responses: list = [None] * len(bodies)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            upload_id, metadata = bodies[index]
            responses[index] = register(clients[index], upload_id, **metadata)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submits_make_one_track():
    uploader = factories.UploaderFactory()
    presigned = upload(client_for(uploader))

    responses = register_together(uploader, [(presigned["upload_id"], {})] * THREADS)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (THREADS - 1) + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Track.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_share_one_new_artist_album_and_genre():
    uploader = factories.UploaderFactory()
    client = client_for(uploader)
    uploads = [upload(client) for _ in range(THREADS)]
    bodies = [
        (
            presigned["upload_id"],
            {
                "title": f"Part {n}",
                "artist": "Brand New Artist".upper() if n % 2 else "brand new artist",
                "album": "First Album",
                "genres": ["Fresh"],
            },
        )
        for n, presigned in enumerate(uploads)
    ]

    responses = register_together(uploader, bodies)

    assert [r.status_code for r in responses] == [201] * THREADS
    assert Artist.objects.count() == 1
    assert Album.objects.count() == 1
    assert Genre.objects.count() == 1
    assert Track.objects.count() == THREADS
