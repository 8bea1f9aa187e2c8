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
# collectstatic needs settings that load; the key is thrown away with this layer's environment.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput
USER tonearm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
# gthread, 3 workers x 4 threads, measured on 2 cores (docs/benchmarks.md#server-and-worker-count):
# sync workers queue behind slow requests (floor 2-4x lower), threads overlap database waits.
# The media worker runs the same image with `python manage.py db_worker` (see docker-compose.yml).
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_WORKERS:-3} --threads ${WEB_THREADS:-4} --worker-class gthread --access-logfile - --forwarded-allow-ips='*'"]
