"""The local backend's signed URLs: the same paths reverse() gives, under the prefix a server
mounted at a sub-path has, and tokens issued compressed by earlier versions still read."""

import pytest
from django.core import signing
from django.urls import reverse, set_script_prefix

from media_pipeline.storage import local
from media_pipeline.storage.local import LocalStorage

BASE = "https://music.example"


@pytest.fixture
def storage(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path, public_base_url=BASE)


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


def _token(url: str, route: str) -> str:
    return url.rsplit(f"/storage/{route}/", 1)[1]


@pytest.mark.parametrize("prefix", ["/", "/tonearm/", "/a/b/"])
def test_signed_urls_are_the_paths_reverse_gives_under_the_script_prefix(
    storage, script_prefix, prefix
):
    script_prefix(prefix)

    download = storage.presign_download("audio/a.mp3", expires_in=60, content_type="audio/mpeg")
    upload = storage.presign_upload("audio/b.mp3", content_type="audio/mpeg", size=3, expires_in=60)
    part = storage.presign_part("audio/c.mp3", "upload-1", 2, size=5, expires_in=60)

    for url, name, route in (
        (download.url, "storage-download", "download"),
        (upload.url, "storage-upload", "upload"),
        (part.url, "storage-part", "part"),
    ):
        token = _token(url, route)
        assert url == BASE + reverse(name, args=[token])
        assert url.startswith(f"{BASE}{prefix}storage/{route}/")
    assert local.read_download_token(_token(download.url, "download")).key == "audio/a.mp3"


def test_a_compressed_token_issued_before_still_reads():
    key = "audio/" + "long-repeated-name-" * 12 + ".mp3"
    payload = {"k": key, "t": "audio/mpeg", "x": 4_102_444_800}  # expires in 2100
    token = signing.dumps(payload, salt=local.DOWNLOAD_SALT, compress=True)
    assert token.startswith(".")  # zlib did shorten this one

    grant = local.read_download_token(token)

    assert (grant.key, grant.content_type) == (key, "audio/mpeg")


@pytest.mark.parametrize(
    "payload",
    [
        {"k": "audio/a.mp3", "t": "audio/mpeg"},
        {"k": "audio/b.flac", "f": "Sigur Rós, Hoppípolla.flac"},  # non-ASCII, escaped
        {"k": "audio/c.mp3", "u": "upload-1", "n": 2, "s": 5},
    ],
)
@pytest.mark.parametrize("salt", [local.DOWNLOAD_SALT, local.UPLOAD_SALT, local.PART_SALT])
def test_tokens_are_the_ones_djangos_signer_writes(monkeypatch, settings, payload, salt):
    settings.SECRET_KEY = "a-secret-key-for-this-test-only-0123456789abcdef"
    monkeypatch.setattr(local, "_now", lambda: 1_796_390_820.7)
    monkeypatch.setattr(signing.time, "time", lambda: 1_796_390_820.7)

    token, expires_at = local._sign(payload, salt=salt, expires_in=300)

    assert token == signing.dumps({**payload, "x": 1_796_391_120}, salt=salt)
    assert signing.loads(token, salt=salt) == {**payload, "x": 1_796_391_120}
    assert expires_at.timestamp() == 1_796_391_120


def test_a_changed_secret_key_signs_with_the_new_key(settings):
    settings.SECRET_KEY = "first-secret-key-for-this-test-only-0123456789abcdef"
    first, _ = local._sign({"k": "audio/a.mp3"}, salt=local.DOWNLOAD_SALT, expires_in=60)
    settings.SECRET_KEY = "second-secret-key-for-this-test-only-0123456789abcdef"
    second, _ = local._sign({"k": "audio/a.mp3"}, salt=local.DOWNLOAD_SALT, expires_in=60)

    assert signing.loads(second, salt=local.DOWNLOAD_SALT)["k"] == "audio/a.mp3"
    with pytest.raises(signing.BadSignature):
        signing.loads(first, salt=local.DOWNLOAD_SALT)
