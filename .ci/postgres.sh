# Sourced by .ci/run: start a throwaway PostgreSQL as a non-root user in a temporary folder.
# Exports TEST_POSTGRES_URL on success; defines stop_postgres (safe to call when none started).
PG_TMP=""
stop_postgres() { :; }

_pg_PG_BINDIR() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

_start_postgres() {
  local port
  if ! PG_BINDIR=$(_pg_PG_BINDIR); then
    if [ "$(id -u)" -eq 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        >/tmp/ci-postgres-install.log 2>&1 || true
    fi
    PG_BINDIR=$(_pg_PG_BINDIR) || { echo "no PostgreSQL server: its storage tests will be skipped" >&2; return 1; }
  fi
  PG_TMP=$(mktemp -d /tmp/ci-postgres.XXXXXX)
  chmod 755 "$PG_TMP"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" -eq 0 ]; then
    PG_USER=ci-postgres
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    chown "$PG_USER" "$PG_TMP"
    _as_pg() { su -s /bin/sh "$PG_USER" -c "$*"; }
  else
    _as_pg() { sh -c "$*"; }
  fi
  _as_pg "$PG_BINDIR/initdb -D $PG_TMP/data -U postgres -A trust --no-sync" >"$PG_TMP/initdb.log" 2>&1 \
    || { echo "initdb failed (see $PG_TMP/initdb.log): PostgreSQL tests will be skipped" >&2; return 1; }
  _as_pg "$PG_BINDIR/pg_ctl -D $PG_TMP/data -l $PG_TMP/server.log -w -o '-k $PG_TMP -p $port -h 127.0.0.1 -c fsync=off' start" >/dev/null \
    || { echo "PostgreSQL did not start (see $PG_TMP/server.log): its tests will be skipped" >&2; return 1; }
  export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  stop_postgres() {
    _as_pg "$PG_BINDIR/pg_ctl -D $PG_TMP/data -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  }
}

_start_postgres || true
