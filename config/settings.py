"""Tonearm settings, read from the environment (see .env.example and docs/operations.md)."""

import base64
import hashlib
import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import orjson
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
    load_local_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# What scripts/run.sh chose (DEBUG, SECRET_KEY, DATA_DIR...), so that manage.py beside it needs
# nothing typed; set in the environment, a variable wins. Empty: read no file.
_local_env_file = env_str("LOCAL_ENV_FILE", str(BASE_DIR / "var" / "local.env"))
if _local_env_file:
    load_local_env(Path(_local_env_file))
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "storages",
    "django_tasks",
    # Before django_tasks_db: its db_worker command is media_pipeline's, which waits out
    # database outages.
    "media_pipeline",
    "django_tasks_db",
    "core",
]

MIDDLEWARE = [
    "config.proxy.TrustedProxyMiddleware",
    # Health probes come by address, not by a name in ALLOWED_HOSTS (core/health.py).
    "core.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.api.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, the session user and messages for the admin and the site, not under /api/,
    # which authenticates by token (config/browser.py). CSRF stays Django's own (the deploy
    # checks look for it by name); DRF's views are exempt from it.
    "config.browser.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.api.middleware.DebugJsonNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.browser.AuthenticationMiddleware",
    "config.browser.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_database_url = f"sqlite:///{DATA_DIR / 'tonearm.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
_conn_max_age = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
try:
    _database = dj_database_url.parse(
        env_str("DATABASE_URL", _default_database_url),
        conn_max_age=_conn_max_age,
        # No SELECT 1 before each request: config/connections.py closes the connections the
        # server ended by looking at their sockets instead.
        conn_health_checks=False,
    )
except ValueError:
    # Name the variable, never the value: the URL holds the password.
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database URL (postgres://user:password@host:5432/name)"
    ) from None
if not _database.get("NAME"):
    raise ImproperlyConfigured("DATABASE_URL names no database (postgres://user@host:5432/name)")
# The password as it is, outside the URL, where `@ : / # ? %` would need percent-encoding.
_database_password = env_str("DATABASE_PASSWORD", "")
if _database_password:
    _database["PASSWORD"] = _database_password
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded setup writes from the server, a worker and the sweep at once: transactions
    # take SQLite's write lock when they begin and wait for it, rather than failing with
    # "database is locked" when a read turns into a write; WAL lets reads go on meanwhile.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
        **_database.get("OPTIONS", {}),
    }
    # Covering indexes (INCLUDE) are a PostgreSQL read optimisation; SQLite keeps the key only.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif _database["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for a web app's sessions (docs/benchmarks.md): PostgreSQL 15 sizes a
    # Memoize node's cache from the join's row estimate, not the page's LIMIT, and setting it
    # up cost more than a whole 20-row track page; parallel workers take the cores that
    # concurrent requests need; the data is in memory or on SSD, not behind a seeking disk.
    _default_session_options = (
        "-c enable_memoize=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    _session_options = " ".join(
        filter(
            None,
            [
                _database.get("OPTIONS", {}).get("options"),
                env_str("DATABASE_SESSION_OPTIONS", _default_session_options),
            ],
        )
    )
    if _session_options:
        _database.setdefault("OPTIONS", {})["options"] = _session_options
DATABASES = {"default": _database}
# The statements run on nearly every request are planned once per connection (config/prepared.py);
# off behind a pooler in transaction mode (PgBouncer), where sessions change hands.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["core.accounts.backends.LockoutModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Without collectstatic (development, tests) whitenoise serves from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_ROOT.is_dir()
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

# Object storage: audio goes through media_pipeline.storage, FileFields through django-storages.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "local", ("local", "s3"))
LOCAL_STORAGE_ROOT = Path(env_str("LOCAL_STORAGE_ROOT", str(DATA_DIR / "storage")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "tonearm")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None
# The endpoint clients reach, when not the app's (MinIO at http://minio:9000 inside Docker):
# upload and stream URLs are signed for it. Empty: AWS_S3_ENDPOINT_URL.
AWS_S3_PUBLIC_ENDPOINT_URL = env_str("AWS_S3_PUBLIC_ENDPOINT_URL", "") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "us-east-1")
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID", "") or None
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY", "") or None
AWS_S3_ADDRESSING_STYLE = env_choice(
    "AWS_S3_ADDRESSING_STYLE", "virtual", ("virtual", "path", "auto")
)
AWS_S3_SIGNATURE_VERSION = env_str("AWS_S3_SIGNATURE_VERSION", "s3v4")
AWS_S3_CONNECT_TIMEOUT = env_int("AWS_S3_CONNECT_TIMEOUT", 5, minimum=1)
AWS_S3_READ_TIMEOUT = env_int("AWS_S3_READ_TIMEOUT", 30, minimum=1)
AWS_S3_MAX_ATTEMPTS = env_int("AWS_S3_MAX_ATTEMPTS", 3, minimum=1)
# Stream and upload URLs are issued only if the store answered a ping this recently.
STORAGE_PROBE_SECONDS = env_int("STORAGE_PROBE_SECONDS", 5, minimum=0)
# Absolute base of the URLs the local backend signs (it serves uploads and downloads itself).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
AWS_QUERYSTRING_EXPIRE = env_int("MEDIA_URL_EXPIRY_SECONDS", 3600, minimum=1)
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_LOCATION = "media"

MEDIA_URL = "/media/"
MEDIA_ROOT = LOCAL_STORAGE_ROOT / "media"
if STORAGE_BACKEND == "s3":
    _default_storage = {"BACKEND": "media_pipeline.storage.filefields.PublicUrlS3Storage"}
else:
    # No options: FileSystemStorage follows MEDIA_ROOT and MEDIA_URL, even when overridden.
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The local backend's upload views refuse a key whose slot was closed; the domain answers
# (media_pipeline never imports core, so the check is named here).
STORAGE_CLOSED_KEY_CHECK = "core.uploads.discarded.upload_slot_closed"
# Text read from files' tags goes through the same policy as typed text (core/text.py).
AUDIO_TAG_TEXT_CLEANER = "core.text.clean"

UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024**3, minimum=1)
UPLOAD_URL_EXPIRY_SECONDS = env_int("UPLOAD_URL_EXPIRY_SECONDS", 900, minimum=1)
UPLOAD_REGISTER_WINDOW_SECONDS = env_int("UPLOAD_REGISTER_WINDOW_SECONDS", 86400, minimum=60)
# Larger files go up in parts (S3 multipart): each part at least 5 MiB except the last, at
# most 10,000 parts, so the part size grows past UPLOAD_PART_SIZE for very large files.
UPLOAD_MULTIPART_THRESHOLD = env_int("UPLOAD_MULTIPART_THRESHOLD", 64 * 1024**2, minimum=1)
UPLOAD_PART_SIZE = env_int("UPLOAD_PART_SIZE", 16 * 1024**2, minimum=5 * 1024**2)
# The smallest part but the last that the local backend accepts, as S3 does (5 MiB).
UPLOAD_MIN_PART_SIZE = env_int("UPLOAD_MIN_PART_SIZE", 5 * 1024**2, minimum=1)
if UPLOAD_PART_SIZE > 5 * 1024**3:
    raise ImproperlyConfigured(f"UPLOAD_PART_SIZE must be at most 5 GiB, got {UPLOAD_PART_SIZE}")
STREAM_URL_EXPIRY_SECONDS = env_int("STREAM_URL_EXPIRY_SECONDS", 300, minimum=1)
PREVIEW_URL_EXPIRY_SECONDS = env_int("PREVIEW_URL_EXPIRY_SECONDS", 120, minimum=1)
PLAY_DEDUP_WINDOW_SECONDS = env_int("PLAY_DEDUP_WINDOW_SECONDS", 30, minimum=0)
# A progress report is held to the wall time since its play started plus this much slack.
PLAY_PROGRESS_TOLERANCE_SECONDS = env_int("PLAY_PROGRESS_TOLERANCE_SECONDS", 5, minimum=0)

# Listening history brought in from other services (core/history_import): the largest file,
# rows written per batch (one transaction each), when a silent run counts as dead, and how
# long a finished export's download URL works.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 200 * 1024**2, minimum=1)
IMPORT_BATCH_ROWS = env_int("IMPORT_BATCH_ROWS", 5000, minimum=1)
IMPORT_STALE_AFTER_SECONDS = env_int("IMPORT_STALE_AFTER_SECONDS", 300, minimum=10)
# ListenBrainz's API (/1/): requests per window for a valid token and per address without one,
# ListenBrainz's own defaults (core/history_import/ratelimit.py).
LISTENBRAINZ_RATELIMIT_PER_TOKEN = env_int("LISTENBRAINZ_RATELIMIT_PER_TOKEN", 50, minimum=1)
LISTENBRAINZ_RATELIMIT_PER_IP = env_int("LISTENBRAINZ_RATELIMIT_PER_IP", 30, minimum=1)
LISTENBRAINZ_RATELIMIT_WINDOW = env_int("LISTENBRAINZ_RATELIMIT_WINDOW", 10, minimum=1)
EXPORT_URL_EXPIRY_SECONDS = env_int("EXPORT_URL_EXPIRY_SECONDS", 600, minimum=1)

# Listening insights: the time zone of listeners who have not chosen one, and how long a
# computed chart is served before it is computed again (at most a minute, by design).
LISTENER_TIME_ZONE = env_str("LISTENER_TIME_ZONE", "UTC")
if LISTENER_TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(
        f"LISTENER_TIME_ZONE must be an IANA time zone, got {LISTENER_TIME_ZONE!r}"
    )
# inline: a progress report that counts a listen updates the rollups itself; deferred: it
# leaves the listen to `manage.py apply_listens --every N`, and statistics lag by up to N s.
INSIGHTS_ROLLUPS = env_choice("INSIGHTS_ROLLUPS", "inline", ("inline", "deferred"))
# How long a listener's computed statistics stay in the cache, under the version of their
# rollups (a change computes them again at once); 0 computes them on every request.
INSIGHTS_STATS_CACHE_SECONDS = env_int("INSIGHTS_STATS_CACHE_SECONDS", 86400, minimum=0)
# How long the sums of a listener's whole past UTC month stay in the cache after their last use:
# the day's first view of a long period reads its edges and reuses its months. 0: not kept.
INSIGHTS_MONTHS_CACHE_SECONDS = env_int("INSIGHTS_MONTHS_CACHE_SECONDS", 604800, minimum=0)
# Longest that payloads built from the catalog (charts' rendered entries, catalog pages) are
# kept while the catalog does not change; listen and follower counts in them may lag by that
# long. 0: nothing kept. docs/architecture.md#catalog-version.
CATALOG_CACHE_SECONDS = env_int("CATALOG_CACHE_SECONDS", 60, minimum=0)
CHARTS_CACHE_SECONDS = env_int("CHARTS_CACHE_SECONDS", 60, minimum=1)
if CHARTS_CACHE_SECONDS > 60:
    raise ImproperlyConfigured(
        f"CHARTS_CACHE_SECONDS must be at most 60, got {CHARTS_CACHE_SECONDS}"
    )
# Largest request body read into memory (JSON); larger ones are a 413. Completing a multipart
# upload of 10,000 parts takes about 600 KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024**2, minimum=1024)
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1024**2, minimum=1)
# Width x height above which an avatar is refused before decoding (decompression bombs).
AVATAR_MAX_PIXELS = env_int("AVATAR_MAX_PIXELS", 25_000_000, minimum=1)
# Hosts (and their subdomains) an artist's profile may link to, over https only.
ARTIST_LINK_HOSTS = env_list(
    "ARTIST_LINK_HOSTS",
    "wikipedia.org,youtube.com,youtu.be,bandcamp.com,soundcloud.com,musicbrainz.org,"
    "discogs.com,instagram.com,mastodon.social,spotify.com,music.apple.com,deezer.com",
)

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured("REDIS_URL must be a redis://, rediss:// or unix:// URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Per process: entries beyond CACHE_MAX_ENTRIES cull a third of them at once (Django's
    # default of 300 let rate-limit counters, kept pages and statistics push each other out).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000, minimum=1)},
        }
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # orjson: the same compact UTF-8 JSON, rendered several times faster (docs/benchmarks.md);
    # non-string keys become strings as the standard library's json made them.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
    # Every request counts against `anon` (per client address) or `user` (per account); views
    # with a `throttle_scope` (stream, presign) against that scope too. See core/api/throttles.py.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonRateThrottle",
        "core.api.throttles.UserRateThrottle",
        "core.api.throttles.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "120/min"),
        "user": env_str("THROTTLE_USER", "600/min"),
        "auth": env_str("THROTTLE_AUTH", "20/min"),
        "presign": env_str("THROTTLE_PRESIGN", "60/min"),
        "stream": env_str("THROTTLE_STREAM", "300/min"),
        "preview": env_str("THROTTLE_PREVIEW", "60/min"),
        "report": env_str("THROTTLE_REPORT", "20/hour"),
        "charts": env_str("THROTTLE_CHARTS", "60/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # JSON only, bounded and free of control characters; other types are a 415 (the profile
    # view adds multipart for avatars).
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    # OPTIONS answers 405: DRF's metadata introspection failed (500) on views without a
    # serializer_class, and the OpenAPI schema already describes every operation.
    "DEFAULT_METADATA_CLASS": None,
}
# Addresses (or networks) of the reverse proxies in front of the app: only their
# X-Forwarded-* headers are believed (https, client address); anyone else's are dropped
# (config/proxy.py). gunicorn takes the same list as its forwarded-allow-ips.
TRUSTED_PROXY_IPS = env_networks("TRUSTED_PROXY_IPS", "127.0.0.1,::1")
# Reverse proxies in front of the app whose X-Forwarded-For is trusted for client IPs
# (throttles, login lockout). 0 uses REMOTE_ADDR, so clients cannot spoof their IP.
REST_FRAMEWORK["NUM_PROXIES"] = env_int("NUM_PROXIES", 0, minimum=0)
# Failed logins per username and client IP before that pair is locked out, failed logins per
# client IP (any usernames) before the address is, and for how long. Every password check goes
# through the lockout: the API, the admin and anything else calling authenticate().
LOGIN_LOCKOUT_ATTEMPTS = env_int("LOGIN_LOCKOUT_ATTEMPTS", 5, minimum=1)
LOGIN_LOCKOUT_ADDRESS_ATTEMPTS = env_int("LOGIN_LOCKOUT_ADDRESS_ATTEMPTS", 20, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

# Fernet keys that encrypt app passwords at rest (the Subsonic API needs them readable for
# its token auth), comma-separated: the first encrypts, all decrypt, so a new key goes first
# and `manage.py rotate_app_passwords` re-encrypts under it (docs/operations.md).
APP_PASSWORD_KEYS = env_list("APP_PASSWORD_KEYS")
if not APP_PASSWORD_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("APP_PASSWORD_KEYS must be set when DEBUG is false")
    # The embedded run only: a key derived from SECRET_KEY, never the same as it.
    APP_PASSWORD_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"tonearm app passwords\0" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
# Seconds a process remembers a successful app password check (0: never): apps call many
# times a minute. Revoking forgets at once in the process that revokes; other processes within
# these seconds (docs/operations.md).
APP_PASSWORD_CACHE_SECONDS = env_int("APP_PASSWORD_CACHE_SECONDS", 60, minimum=0)
# How long the ranking of the most listened albums (Subsonic getAlbumList type=frequent) is
# kept in the cache before it is ranked again; 0: ranked on every call.
SUBSONIC_FREQUENT_CACHE_SECONDS = env_int("SUBSONIC_FREQUENT_CACHE_SECONDS", 300, minimum=0)
# The Subsonic API's stream and download: "redirect" answers 302 to a presigned URL;
# "accel" answers X-Accel-Redirect for an nginx in front that fetches from storage itself.
SUBSONIC_STREAM_MODE = env_choice("SUBSONIC_STREAM_MODE", "redirect", ("redirect", "accel"))
# Where nginx's internal location proxies the presigned URL (docs/subsonic.md).
SUBSONIC_ACCEL_PREFIX = env_str("SUBSONIC_ACCEL_PREFIX", "/_subsonic_media/")
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tonearm API",
    "DESCRIPTION": "Upload audio straight to object storage, stream it, and curate it.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The system's fonts: Redoc's own (Montserrat, Roboto) would come from a font service.
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StreamQualityEnum": "core.processing.selectors.STREAM_QUALITIES",
        "ReportStatusEnum": "core.reports.models.ReportStatus",
        "StatusEnum": "core.catalog.models.TrackStatus",  # the name it had before reports
        "ImportStatusEnum": "core.history_import.models.ImportStatus",
        "ExportStatusEnum": "core.portability.models.ExportStatus",
        "KindEnum": "core.reports.models.ReportKind",  # its name before the feed's kinds
        "FeedItemKindEnum": "core.artists.serializers.FEED_KINDS",
        "FollowingKindEnum": "core.artists.serializers.FOLLOWING_KINDS",
    },
    # Path ids (config/converters.py): ASCII digits within 64 bits, anything else a 404.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    # In the order a client meets them: sign in, browse, upload, listen, curate.
    "TAGS": [
        {
            "name": "accounts",
            "description": "Register, log in (JWT access and rotating refresh tokens), log out, "
            "your own profile and avatar, an export of your data, deleting your account: "
            "`/api/auth/`, `/api/me/`.",
        },
        {
            "name": "tracks",
            "description": "Browse, search and filter tracks; register an upload as a track; "
            "edit or delete your own.",
        },
        {
            "name": "uploads",
            "description": "Large files sent in parts: presign parts, complete, resume, abort.",
        },
        {
            "name": "artists",
            "description": "Artists: their pages, profiles and managers, statistics for "
            "managers; following artists and people, and the release feed.",
        },
        {"name": "albums", "description": "Albums, with their artwork and playable tracks."},
        {"name": "genres", "description": "Genres, with their count of playable tracks."},
        {"name": "ratings", "description": "Rate tracks and albums with 1 to 5 stars."},
        {
            "name": "library",
            "description": "Stream a track, report playback, your history and favorites.",
        },
        {
            "name": "imports",
            "description": "Bring your listening history from Spotify, Last.fm or ListenBrainz "
            "files, and tokens for other players to scrobble to Tonearm (`/1/submit-listens`).",
        },
        {
            "name": "lyrics",
            "description": "A track's lyrics, plain and timed (LRC); search them with "
            "`GET /api/tracks/?lyrics=`.",
        },
        {
            "name": "playlists",
            "description": "Ordered playlists, public ones, and share links.",
        },
        {
            "name": "insights",
            "description": "Your listening statistics, activity and year in review; public "
            "profiles' statistics; charts of the whole catalog.",
        },
        {
            "name": "recommendations",
            "description": "Tracks for you with the reason for each, daily mixes, similar "
            "tracks and artists, and radio, from a model trained offline on listening data.",
        },
        {
            "name": "reports",
            "description": "Tell moderators about a track or a public playlist; follow your "
            "reports' status.",
        },
    ],
}

LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own defaults give "django" a console handler of its own (in debug) and
    # "django.server" another: each line then came out twice, or in a second format. Every
    # record goes through the root's one handler instead.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Background jobs (media processing) through the tasks API: docs/operations.md#workers
TASKS_BACKEND = env_choice("TASKS_BACKEND", "db", ("db", "rq", "immediate"))
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
PIPELINE_MAX_ATTEMPTS = env_int("PIPELINE_MAX_ATTEMPTS", 5, minimum=1)
PIPELINE_RETRY_BACKOFF_SECONDS = env_int("PIPELINE_RETRY_BACKOFF_SECONDS", 30, minimum=0)
PIPELINE_STALE_AFTER_SECONDS = env_int("PIPELINE_STALE_AFTER_SECONDS", 600, minimum=10)
PIPELINE_HEARTBEAT_SECONDS = env_int("PIPELINE_HEARTBEAT_SECONDS", 30, minimum=1)
PIPELINE_TOOL_TIMEOUT_SECONDS = env_int("PIPELINE_TOOL_TIMEOUT_SECONDS", 3600, minimum=1)
PIPELINE_VARIANTS = env_list("PIPELINE_VARIANTS", "normal,low")
if not set(PIPELINE_VARIANTS) <= {"normal", "low"}:
    raise ImproperlyConfigured(
        f"PIPELINE_VARIANTS may list normal and low, got {PIPELINE_VARIANTS}"
    )
PIPELINE_WORK_DIR = env_str("PIPELINE_WORK_DIR", "") or None
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("REDIS_URL must be set when TASKS_BACKEND is rq")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": PIPELINE_TOOL_TIMEOUT_SECONDS * 4}
    }

# Benchmark server only (scripts/bench.sh): the floor endpoints under /api/bench/ and a per-request
# SQL query count in the X-Bench-Queries header. Never on in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)
if BENCH_ENDPOINTS:
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
