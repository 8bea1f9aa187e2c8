"""Checks a server process makes before it answers anything (config/wsgi.py, config/asgi.py)."""

import gc
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


def freeze_loaded_objects() -> None:
    """Load the URL patterns, then move every object alive (modules, classes, URL patterns,
    settings: about 150,000) out of the garbage collector's reach. Its full collections walked
    them all, a pause of about 80 ms every few hundred requests; they now walk what requests
    left behind (docs/benchmarks.md, "Artists")."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.freeze()
