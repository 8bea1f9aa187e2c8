# syntax=docker/dockerfile:1
# Tonearm: one image for the web server and the media worker.

FROM python:3.11-slim-bookworm AS build
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DATA_DIR=/data \
    PORT=8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 tonearm \
    && mkdir -p /data && chown tonearm /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
WORKDIR /app
COPY --chown=tonearm . .
# collectstatic needs settings that load; the keys are thrown away with this layer's environment.
RUN SECRET_KEY=collectstatic-only APP_PASSWORD_KEYS=collectstatic-only DEBUG=false \
    python manage.py collectstatic --noinput
USER tonearm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
# gunicorn's settings (workers, threads, trusted proxies) are in config/gunicorn.py; it refuses
# to start several workers without REDIS_URL, whose throttles would each count apart.
# The media worker runs the same image with `python manage.py db_worker` (see docker-compose.yml).
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]
