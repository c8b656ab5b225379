# Sourced by test.sh and bench/run.sh: a PostgreSQL cluster in a temporary folder on a free local port.
# After `start_throwaway_postgres`, PG_PORT and PG_DIR are set; `stop_throwaway_postgres` removes everything.

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

run_as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: use the package's unprivileged user.
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    chown -R "$user" "$PG_DIR"
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

start_throwaway_postgres() {
  PG_BIN=$(find_pg_bin)
  PG_DIR=$(mktemp -d /tmp/abono-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)
  chmod 755 "$PG_DIR"
  run_as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U abono -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run_as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTIONS:-}" >/dev/null
  echo "==> PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_throwaway_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  run_as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
