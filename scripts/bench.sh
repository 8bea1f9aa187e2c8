#!/usr/bin/env bash
# The benchmark in one command (docs/benchmarks.md): a throwaway PostgreSQL, generated data at
# the chosen scale, the API under gunicorn, wrk against each hot endpoint and the floor.
#   scripts/bench.sh --scale small|medium|large [more options of python -m bench.run]
#   scripts/bench.sh --scale small --peer DIR [more options of python -m bench.peer]
#     Tonearm next to the seed project it replaces (DIR: a checkout of
#     Kochiya35/Music_Streming at commit 27e2e74), same data, same server and load,
#     alternating rounds, ratios (bench/peer.py, bench/peer_overlay/).
# Results: bench/results/<date>-<scale>[-peer].json and .md
# BENCH_TIMED, if set, is a command prefix for the timed part only (the load runs), e.g. a
# wrapper that waits until the machine is otherwise idle; BENCH_UNTIMED one for the data
# generation (e.g. a wrapper that shares the machine fairly).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$ROOT/scripts/postgres.sh"

SCALE=small
PEER=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --scale=*) SCALE=${1#--scale=}; shift ;;
    --peer) PEER=$2; shift 2 ;;
    --peer=*) PEER=${1#--peer=}; shift ;;
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
read -r -a TIMED <<<"${BENCH_TIMED:-}"
read -r -a UNTIMED <<<"${BENCH_UNTIMED:-}"
"${UNTIMED[@]}" python -m bench.generate --scale "$SCALE"
if [ -n "$PEER" ]; then
  "${TIMED[@]}" python -m bench.peer --peer "$PEER" --scale "$SCALE" "${ARGS[@]}"
else
  "${TIMED[@]}" python -m bench.run --scale "$SCALE" "${ARGS[@]}"
fi
echo "Machine load after: $(uptime)"
