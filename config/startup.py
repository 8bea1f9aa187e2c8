"""Checks a server process makes before it answers anything (config/wsgi.py, config/asgi.py)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def check_static_files_collected() -> None:
    """Refuse to serve when static files are due from collectstatic but were not collected:
    every admin and API docs page would answer 500 (a manifest entry missing)."""
    if settings.DEBUG or settings.STORAGES["staticfiles"]["BACKEND"] != MANIFEST_STORAGE:
        return
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        raise ImproperlyConfigured(
            f"Static files are not collected ({manifest} is missing): run "
            "`python manage.py collectstatic --noinput` before starting the server "
            "(or set STATIC_MANIFEST=false to serve them uncompressed from the apps)."
        )
