"""URLs handed to clients name the endpoint clients reach (AWS_S3_PUBLIC_ENDPOINT_URL), while the
app keeps talking to storage on its own endpoint (http://minio:9000 inside Docker)."""

import urllib.request
from urllib.parse import urlsplit

from media_pipeline.storage import get_storage
from media_pipeline.storage.filefields import PublicUrlS3Storage
from tests.deploy.conftest import production_env, run_python


def test_signed_urls_name_the_public_endpoint(aws_settings):
    aws_settings.AWS_S3_ENDPOINT_URL = "http://minio:9000"
    aws_settings.AWS_S3_PUBLIC_ENDPOINT_URL = "https://media.example.com"
    aws_settings.AWS_S3_ADDRESSING_STYLE = "path"
    get_storage.cache_clear()
    storage = get_storage()

    upload = storage.presign_upload("audio/a.mp3", content_type="audio/mpeg", size=3, expires_in=60)
    download = storage.presign_download("audio/a.mp3", expires_in=60)

    for url in (upload.url, download.url):
        assert url.startswith("https://media.example.com/tonearm-audio/audio/a.mp3?"), url
    assert storage.client.meta.endpoint_url == "http://minio:9000"


def test_without_a_public_endpoint_urls_name_the_apps_endpoint(aws_settings):
    aws_settings.AWS_S3_ENDPOINT_URL = "http://minio:9000"
    aws_settings.AWS_S3_PUBLIC_ENDPOINT_URL = None
    aws_settings.AWS_S3_ADDRESSING_STYLE = "path"
    get_storage.cache_clear()

    url = get_storage().presign_download("audio/a.mp3", expires_in=60).url

    assert urlsplit(url).netloc == "minio:9000"


def test_a_url_signed_for_the_public_host_works_there(s3_storage, moto_server, settings):
    # The same moto server under another name: the host the signature covers is the public one.
    public = moto_server.replace("127.0.0.1", "localhost")
    settings.AWS_S3_PUBLIC_ENDPOINT_URL = public
    get_storage.cache_clear()
    storage = get_storage()
    slot = storage.presign_upload("audio/a.mp3", content_type="audio/mpeg", size=3, expires_in=60)

    request = urllib.request.Request(  # noqa: S310 (loopback)
        slot.url, data=b"abc", method="PUT", headers=slot.headers
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        assert response.status == 200

    assert urlsplit(slot.url).hostname == "localhost"
    assert storage.head("audio/a.mp3").size == 3  # read by the app on its own endpoint
    download = storage.presign_download("audio/a.mp3", expires_in=60).url
    with urllib.request.urlopen(download, timeout=10) as response:  # noqa: S310 (loopback)
        assert response.read() == b"abc"


def test_filefield_urls_name_the_public_endpoint(aws_settings):
    aws_settings.AWS_S3_ENDPOINT_URL = "http://minio:9000"
    aws_settings.AWS_S3_PUBLIC_ENDPOINT_URL = "https://media.example.com"
    aws_settings.AWS_S3_ADDRESSING_STYLE = "path"

    url = PublicUrlS3Storage().url("avatars/a.webp")

    assert url.startswith("https://media.example.com/tonearm-audio/media/avatars/a.webp?"), url


def test_avatar_urls_on_s3_name_the_public_endpoint_with_the_projects_settings(tmp_path):
    env = production_env(
        tmp_path,
        STORAGE_BACKEND="s3",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_PUBLIC_ENDPOINT_URL="https://media.example.com",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID="tonearm-app",
        AWS_SECRET_ACCESS_KEY="app-secret",
    )
    show = (
        "import django; django.setup(); from django.core.files.storage import default_storage; "
        "print(default_storage.url('avatars/a.webp'))"
    )

    result = run_python(show, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("https://media.example.com/tonearm/media/avatars/")
