"""FileFields (avatars) on S3 through django-storages, their URLs signed for the endpoint
clients reach (AWS_S3_PUBLIC_ENDPOINT_URL), like the audio URLs of media_pipeline.storage.s3."""

from functools import cached_property

from django.conf import settings
from storages.backends.s3 import S3Storage


class PublicUrlS3Storage(S3Storage):
    @cached_property
    def _url_signer(self) -> S3Storage | None:
        public = settings.AWS_S3_PUBLIC_ENDPOINT_URL
        return S3Storage(endpoint_url=public) if public else None

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        if self._url_signer is None:
            return super().url(name, parameters, expire, http_method)
        return self._url_signer.url(name, parameters, expire, http_method)
