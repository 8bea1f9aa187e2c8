"""The environment the bench's Django processes run with: production settings, bench endpoints
on, throttles out of the way (the load comes from a handful of users)."""

import os

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "LOCAL_ENV_FILE": "",  # not what scripts/run.sh chose for this checkout
    "SECRET_KEY": "bench-only-secret-key-not-for-production",
    "APP_PASSWORD_KEYS": "YmVuY2gtb25seS1hcHAtcGFzc3dvcmQta2V5LTMyYnk=",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "LOG_LEVEL": "WARNING",
    "LOG_FORMAT": "text",
    "BENCH_ENDPOINTS": "true",
    "JWT_ACCESS_MINUTES": "240",
    "STORAGE_BACKEND": "local",
    "PLAY_DEDUP_WINDOW_SECONDS": "30",
    **{
        f"THROTTLE_{scope}": "100000000/min"
        for scope in ("ANON", "USER", "AUTH", "PRESIGN", "STREAM", "CHARTS")
    },
}


def apply() -> dict[str, str]:
    """Fill the current process's environment with the bench defaults; returns it."""
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (scripts/bench.sh does).")
    return dict(os.environ)


def setup_django() -> None:
    """Django set up as a server process is (config/wsgi.py), for in-process benchmarks."""
    apply()
    import django

    django.setup()
    from config.startup import freeze_loaded_objects

    freeze_loaded_objects()
