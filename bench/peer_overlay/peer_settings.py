"""The peer's settings on PostgreSQL, for the side-by-side bench (see README.md here)."""

import os
from urllib.parse import urlsplit

from config.settings import *  # noqa: F403 (the peer's own settings, then the overlay)

_url = urlsplit(os.environ["PEER_DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": _url.username or "",
        "PASSWORD": _url.password or "",
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        # As Tonearm's bench: persistent connections.
        "CONN_MAX_AGE": 600,
    }
}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "peer_urls"
LOGGING_CONFIG = None
# The peer's shipped migrations create only User and Track (its other tables were never
# migrated): the bench builds its tables from the models with `migrate --run-syncdb`.
MIGRATION_MODULES = {"core": None}
