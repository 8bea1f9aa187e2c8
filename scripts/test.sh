#!/usr/bin/env bash
# Sets up and runs the whole test suite on a throwaway PostgreSQL, then lint.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/catalog -x
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$ROOT/scripts/postgres.sh"

apt_install ffprobe ffmpeg
apt_install redis-server redis-server
apt_install wrk wrk
apt_install jq jq  # the docs test runs the curl examples, which read JSON with jq
apt_install chromium chromium  # tests/browser: the share pages in a real, headless browser
apt_install chromedriver chromium-driver
ensure_venv requirements-dev.txt
start_throwaway_postgres
source "$ROOT/scripts/localstack.sh"
start_localstack

ruff check .
ruff format --check .
python -m pytest -p no:cacheprovider -n "${TEST_WORKERS:-2}" "$@"
