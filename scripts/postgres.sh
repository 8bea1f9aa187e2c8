# Sourced by scripts/test.sh: a throwaway PostgreSQL server on 127.0.0.1, stopped on exit.
start_throwaway_postgres() {
  apt_install initdb postgresql
  local bindir port owner
  bindir=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PGTMP=$(mktemp -d /tmp/tonearm-pg.XXXXXX)
  port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  owner=$(id -un)
  run_pg() { "$@"; }
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    owner=postgres
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown "$owner" "$PGTMP"
    run_pg() { runuser -u postgres -- "$@"; }
  fi
  run_pg "$bindir/initdb" -D "$PGTMP/data" -U tonearm -A trust --no-sync -E UTF8 >/dev/null
  run_pg "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  PG_STOP="run_pg $bindir/pg_ctl -D $PGTMP/data -m immediate stop"
  on_exit 'eval "$PG_STOP" >/dev/null 2>&1 || true; rm -rf "$PGTMP"'
  export DATABASE_URL="postgres://tonearm@127.0.0.1:$port/tonearm"
  echo "PostgreSQL ready on 127.0.0.1:$port"
}
