#!/usr/bin/env bash
# Recommendations at a benchmark scale (docs/recommendations.md): a throwaway PostgreSQL, generated
# data, training (time, peak memory) and the endpoints' in-process p50/p95.
#   scripts/bench_recommendations.sh --scale small|medium|large [--repeat 30]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$ROOT/scripts/postgres.sh"

SCALE=small
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

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
python -m bench.recommendations_serving "${ARGS[@]}"
echo "Machine load after: $(uptime)"
