"""Settings for the test suite: the app's own settings with test-only defaults."""

import os
import tempfile

# Never what scripts/run.sh wrote for manage.py beside it (var/local.env).
os.environ.setdefault("LOCAL_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="tonearm-test-"))
# The durable database queue, as in production. Inside a test's transaction nothing is ever
# sent (on_commit does not fire), so registering runs no processing; tests that want it use
# the immediate backend or start a real `db_worker` (tests/media_pipeline/worker_helpers.py).
os.environ.setdefault("TASKS_BACKEND", "db")
# A fixed Fernet key for app passwords (production must set its own).
os.environ.setdefault("APP_PASSWORD_KEYS", "dGVzdC1rZXktZm9yLWFwcC1wYXNzd29yZHMtMzJieXQ=")
if "DATABASE_URL" not in os.environ:
    if os.environ.get("TEST_SQLITE") != "1":
        raise RuntimeError(
            "The test suite runs on PostgreSQL: use scripts/test.sh, set DATABASE_URL, "
            "or opt in to SQLite for a quick run with TEST_SQLITE=1."
        )
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(os.environ["DATA_DIR"], "test.sqlite3")

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000/min" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    },
}

# Static files from the apps' folders, whatever a checkout's STATIC_ROOT holds: a `staticfiles/`
# left by scripts/run.sh (collected before a static file was added) must not hide new files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
