# Shared by scripts/run.sh and scripts/test.sh: a virtualenv with pinned dependencies.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # apt_install COMMAND PACKAGE: installs the Debian package when COMMAND is missing.
  local probe=$1 package=$2
  if ! command -v "$probe" >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/$probe" >/dev/null; then
    echo "Installing $package ..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
}

ensure_venv() {
  # ensure_venv REQUIREMENTS_FILE
  local requirements=$1 stamp
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-$(basename "$requirements")"
  if [ ! -f "$stamp" ] || [ -n "$(find requirements*.txt -newer "$stamp" 2>/dev/null)" ]; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

EXIT_HOOKS=()
on_exit() {
  # on_exit COMMAND: run COMMAND when the script exits, the latest registered first; each hook
  # runs even if an earlier one fails, so every server started is stopped.
  EXIT_HOOKS+=("$1")
  trap run_exit_hooks EXIT
}

run_exit_hooks() {
  local i
  for ((i = ${#EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
    eval "${EXIT_HOOKS[i]}" || true
  done
}
