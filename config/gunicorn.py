"""gunicorn's settings for the web server: `gunicorn -c config/gunicorn.py config.wsgi`.

gthread, 3 workers x 4 threads, measured on 2 cores (docs/benchmarks.md#server-and-worker-count):
sync workers queue behind slow requests (floor 2-4x lower), threads overlap database waits.
"""

from config.env import env_int, env_networks

bind = f"0.0.0.0:{env_int('PORT', 8000, minimum=1)}"
workers = env_int("WEB_WORKERS", 3, minimum=1)
threads = env_int("WEB_THREADS", 4, minimum=1)
worker_class = "gthread"
accesslog = "-"
# The proxies whose X-Forwarded-Proto gunicorn believes: the list the app trusts as well.
forwarded_allow_ips = ",".join(env_networks("TRUSTED_PROXY_IPS", "127.0.0.1,::1"))

_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def per_process_cache_problem(worker_count: int) -> str | None:
    """Why `worker_count` workers must not start on this cache, or None if they may."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if worker_count <= 1 or backend not in _PER_PROCESS_CACHES:
        return None
    return (
        f"{worker_count} web workers, but the cache lives in each worker's memory (REDIS_URL "
        f"is not set): every rate limit and login lockout would allow {worker_count} times "
        "what it says. Set REDIS_URL, or run one worker (WEB_WORKERS=1)."
    )


def on_starting(server) -> None:
    problem = per_process_cache_problem(server.cfg.workers)
    if problem:
        raise RuntimeError(problem)  # gunicorn prints "Error: ..." and exits 1
