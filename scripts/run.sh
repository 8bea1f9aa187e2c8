#!/usr/bin/env bash
# Sets up and runs Tonearm on the embedded defaults: SQLite, local object storage,
# database-backed job queue. Creates demo users and tracks, then serves on
# $BIND_ADDRESS:$PORT (127.0.0.1:8000) with a media processing worker and the stale-job sweep
# beside the server (logs in $DATA_DIR/log). The settings it chooses go to var/local.env, which
# the settings read, so `python manage.py ...` beside it needs nothing more.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

apt_install ffprobe ffmpeg
ensure_venv requirements.txt

export DEBUG=${DEBUG:-true}
export DATA_DIR=${DATA_DIR:-$ROOT/var}
PORT=${PORT:-8000}
# Debug pages and the shared demo passwords: this machine only, unless asked (BIND_ADDRESS=0.0.0.0).
BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
mkdir -p "$DATA_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s "$DATA_DIR/secret_key" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DATA_DIR/secret_key"
  SECRET_KEY=$(cat "$DATA_DIR/secret_key")
  export SECRET_KEY
fi
# A worker killed mid-job leaves its working copy behind: the one worker here clears its
# folder's leftovers before it starts.
export PIPELINE_WORK_DIR=${PIPELINE_WORK_DIR:-$DATA_DIR/work}

# What this command chose, for manage.py run beside it (config/settings.py reads the file; a
# variable set in the environment still wins).
export LOCAL_ENV_FILE=${LOCAL_ENV_FILE:-$ROOT/var/local.env}
mkdir -p "$(dirname "$LOCAL_ENV_FILE")"
(
  umask 077
  cat >"$LOCAL_ENV_FILE" <<EOF
# Written by scripts/run.sh at each start: the settings it runs with, read by config/settings.py
# for any variable the environment does not set.
DEBUG=$DEBUG
SECRET_KEY=$SECRET_KEY
DATA_DIR=$DATA_DIR
PUBLIC_BASE_URL=$PUBLIC_BASE_URL
PIPELINE_WORK_DIR=$PIPELINE_WORK_DIR
EOF
)

python manage.py migrate --noinput
# With DEBUG off the server refuses to start without them (config/startup.py).
python manage.py collectstatic --noinput --verbosity 0
python manage.py seed_demo

# Each process in its own process group (job control on), so that stopping this script stops
# each one whole (runserver's reloader child too) and Ctrl+C reaches only this script.
set -m
export PYTHONUNBUFFERED=1
LOG_DIR=$DATA_DIR/log
mkdir -p "$LOG_DIR"
mkdir -p "$PIPELINE_WORK_DIR"
find "$PIPELINE_WORK_DIR" -mindepth 1 -maxdepth 1 -name 'tonearm-track-*' -exec rm -rf {} +
PROCESS_GROUPS=()
start_process() {
  # start_process LOG COMMAND...: run COMMAND in the background, its output appended to LOG
  # ("-" for this terminal).
  local log=$1
  shift
  if [ "$log" = - ]; then "$@" & else "$@" >>"$log" 2>&1 & fi
  PROCESS_GROUPS+=("$!")
}
stop_processes() {
  # SIGTERM: the worker finishes the job it is on, then exits; wait for all of them.
  local group
  set +m # no job notices while they stop
  for group in "${PROCESS_GROUPS[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
  wait || true
}
on_exit stop_processes
trap 'exit 130' INT
trap 'exit 143' TERM

start_process "$LOG_DIR/worker.log" python manage.py db_worker --no-reload
start_process "$LOG_DIR/sweeper.log" python manage.py sweep_stale_jobs --every 60
echo "Worker and stale-job sweep started; logs: $LOG_DIR/worker.log, $LOG_DIR/sweeper.log"
echo "Tonearm on http://$BIND_ADDRESS:$PORT/  (API docs: /api/docs/, admin: /admin/)"
echo "manage.py beside it takes the same settings ($LOCAL_ENV_FILE): python manage.py COMMAND"
start_process - python manage.py runserver "$BIND_ADDRESS:$PORT"
# Until any of them stops (then the others are stopped too) or this script is interrupted.
wait -n
