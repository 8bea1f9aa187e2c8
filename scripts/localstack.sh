# Sourced by scripts/test.sh: LocalStack's S3 on 127.0.0.1, stopped on exit, for the tests that
# prove refusals moto never makes (SigV4 signatures, expiry, signed headers, checksums).
# This LocalStack needs Python 3.13 (it imports warnings.deprecated), so it lives in its own venv
# pinned by requirements-localstack.txt.
# Run as `bash scripts/localstack.sh`, it prints STRICT_S3_ENDPOINT=<url> once ready and stops
# LocalStack when its standard input closes: tests/strict_s3.py starts one that way when run
# outside scripts/test.sh.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
fi

LOCALSTACK_VENV=${LOCALSTACK_VENV:-$ROOT/.venv-localstack}
LOCALSTACK_REQUIREMENTS=$ROOT/requirements-localstack.txt
LOCALSTACK_START_TIMEOUT=${LOCALSTACK_START_TIMEOUT:-90}

find_localstack_python() {
  # Prints the path of a Python 3.13: $LOCALSTACK_PYTHON, then python3.13 on PATH, then pyenv's.
  local candidate
  for candidate in ${LOCALSTACK_PYTHON:-} python3.13 \
    $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13.*/bin/python3 2>/dev/null | sort -rV); do
    # A pyenv shim exists on PATH even when its version is not selected, so run each one.
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  echo "LocalStack needs Python 3.13 and none was found (tried LOCALSTACK_PYTHON," \
    "python3.13 on PATH, and ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.13.*)." \
    "Install one, e.g. 'pyenv install 3.13', or set LOCALSTACK_PYTHON." >&2
  return 1
}

ensure_localstack_venv() {
  # (Re)creates $LOCALSTACK_VENV when its pins changed since it was built, or its Python is gone.
  local lock python stamp wanted
  stamp="$LOCALSTACK_VENV/.installed-requirements-sha256"
  wanted=$(grep -v '^#' "$LOCALSTACK_REQUIREMENTS" | sha256sum | cut -d ' ' -f 1)
  # Test workers may each start LocalStack at once: the first installs, the others wait.
  exec {lock}<"$LOCALSTACK_REQUIREMENTS"
  flock "$lock"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ] \
    || ! "$LOCALSTACK_VENV/bin/python" -c '' 2>/dev/null; then
    python=$(find_localstack_python)
    echo "Installing LocalStack into $LOCALSTACK_VENV with $python ..."
    rm -rf "$LOCALSTACK_VENV"
    "$python" -m venv "$LOCALSTACK_VENV"
    "$LOCALSTACK_VENV/bin/pip" install --quiet --disable-pip-version-check \
      -r "$LOCALSTACK_REQUIREMENTS"
    echo "$wanted" >"$stamp"
  fi
  exec {lock}<&-
}

start_localstack() {
  # Starts LocalStack's S3 with signature validation on, exports STRICT_S3_ENDPOINT.
  local port started
  ensure_localstack_venv
  started=$SECONDS
  LOCALSTACK_TMP=$(mktemp -d /tmp/tonearm-localstack.XXXXXX)
  port=$("$LOCALSTACK_VENV/bin/python" -c \
    'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # A clean environment (a caller's DATA_DIR or DEBUG would reconfigure it). No network here: no
  # DNS server, no certificate download, no analytics. OVERRIDE_IN_DOCKER=0 keeps every file
  # under FILESYSTEM_ROOT even where a container is detected.
  env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
    SERVICES=s3 S3_SKIP_SIGNATURE_VALIDATION=0 GATEWAY_LISTEN="127.0.0.1:$port" \
    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
    DEBUG=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0 \
    OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$LOCALSTACK_TMP/fs" \
    "$LOCALSTACK_VENV/bin/python" -m localstack.runtime.main >"$LOCALSTACK_TMP/localstack.log" 2>&1 &
  LOCALSTACK_PID=$!
  on_exit stop_localstack
  if ! "$LOCALSTACK_VENV/bin/python" - "http://127.0.0.1:$port" "$LOCALSTACK_PID" \
    "$LOCALSTACK_START_TIMEOUT" <<'EOF'; then
import json, os, sys, time, urllib.error, urllib.request

# Ready once S3 answers a request: its first one loads the service, which can take seconds.
endpoint, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("LocalStack exited during start-up.")
    try:
        with urllib.request.urlopen(f"{endpoint}/_localstack/health", timeout=2) as response:
            if json.load(response).get("services", {}).get("s3") in ("available", "running"):
                urllib.request.urlopen(
                    f"{endpoint}/tonearm-start-probe", timeout=max(1, deadline - time.monotonic())
                )
    except urllib.error.HTTPError as error:
        if b"<Code>NoSuchBucket</Code>" in error.read():
            sys.exit(0)
    except (OSError, ValueError):
        pass
    time.sleep(0.2)
sys.exit(f"LocalStack's S3 did not answer within {timeout:g} s.")
EOF
    echo "--- LocalStack log ($LOCALSTACK_TMP/localstack.log) ---" >&2
    tail -n 80 "$LOCALSTACK_TMP/localstack.log" >&2
    return 1
  fi
  export STRICT_S3_ENDPOINT="http://127.0.0.1:$port"
  echo "LocalStack S3 ready on $STRICT_S3_ENDPOINT in $((SECONDS - started)) s"
}

stop_localstack() {
  # Its state is throwaway: after a short grace period, kill it. (After its own clean shutdown
  # the interpreter can linger for seconds in garbage collection.)
  if kill "$LOCALSTACK_PID" 2>/dev/null; then
    for _ in $(seq 20); do
      kill -0 "$LOCALSTACK_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$LOCALSTACK_PID" 2>/dev/null || true
    wait "$LOCALSTACK_PID" 2>/dev/null || true
  fi
  rm -rf "$LOCALSTACK_TMP"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  trap 'exit 143' TERM INT HUP
  start_localstack >&2
  echo "STRICT_S3_ENDPOINT=$STRICT_S3_ENDPOINT"
  read -r _ || true
fi
