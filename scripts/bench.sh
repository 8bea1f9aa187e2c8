#!/usr/bin/env bash
# The benchmark in one command (docs/benchmarks.md): a throwaway PostgreSQL, generated data at
# the chosen scale, the API under gunicorn, wrk against each hot endpoint and the floor.
#   scripts/bench.sh --scale small|medium|large [more options of python -m bench.run]
# Results: bench/results/<date>-<scale>.json and .md
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$ROOT/scripts/postgres.sh"

SCALE=small
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --scale=*) SCALE=${1#--scale=}; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

apt_install wrk wrk
ensure_venv requirements-dev.txt
start_throwaway_postgres
python - <<'PY'
import os

import psycopg

base, _, name = os.environ["DATABASE_URL"].rpartition("/")
with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
    connection.execute(f'CREATE DATABASE "{name}"')
PY
echo "Machine load before: $(uptime)"
python -m bench.generate --scale "$SCALE"
python -m bench.run --scale "$SCALE" "${ARGS[@]}"
echo "Machine load after: $(uptime)"
