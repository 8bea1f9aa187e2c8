#!/usr/bin/env bash
# Sets up and runs Tonearm on the embedded defaults: SQLite, local object storage,
# database-backed job queue. Creates demo users and tracks, then serves on $PORT (8000).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

apt_install ffprobe ffmpeg
ensure_venv requirements.txt

export DEBUG=${DEBUG:-true}
export DATA_DIR=${DATA_DIR:-$ROOT/var}
PORT=${PORT:-8000}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
mkdir -p "$DATA_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s "$DATA_DIR/secret_key" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DATA_DIR/secret_key"
  SECRET_KEY=$(cat "$DATA_DIR/secret_key")
  export SECRET_KEY
fi

python manage.py migrate --noinput
python manage.py seed_demo

echo "Tonearm on http://127.0.0.1:$PORT/  (API docs: /api/docs/, admin: /admin/)"
exec python manage.py runserver "0.0.0.0:$PORT"
