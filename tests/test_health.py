def test_liveness_answers_without_touching_dependencies(api_client):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_each_dependency(db, api_client):
    response = api_client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "queue": "ok"}


def test_readiness_names_storage_when_it_is_unreachable(db, api_client, settings):
    from media_pipeline.storage import get_storage

    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_ACCESS_KEY_ID = settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_S3_MAX_ATTEMPTS = 1
    settings.AWS_S3_CONNECT_TIMEOUT = 1
    get_storage.cache_clear()

    response = api_client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "storage": "unavailable", "queue": "ok"}
    assert "storage" in body["detail"]
