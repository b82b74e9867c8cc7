#!/usr/bin/env bash
# Starts and stops a private Redis and PostgreSQL in one folder, on free loopback
# ports, for `make run`, `make test` and the benchmarks. Nothing outside DIR is touched.
#   ops/services.sh start DIR   -> starts both, writes DIR/env, prints the URLs
#   ops/services.sh stop DIR    -> stops what DIR/env names, by PID
#   ops/services.sh redis DIR   -> starts only a Redis in DIR (tests that restart Redis)
# DIR/env is a shell fragment: FRONTDESK_REDIS_URL, FRONTDESK_DATABASE_URL, REDIS_PID,
# REDIS_PORT, PG_PORT, PG_DATA.
set -euo pipefail

cmd=${1:?usage: services.sh start|stop|redis DIR}
dir=${2:?usage: services.sh start|stop|redis DIR}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Says which part did not start and shows the end of its log, then exits 1.
fail() {
  local what=$1 log=$2
  echo "services.sh: $what did not start; the end of $log:" >&2
  tail -n 20 "$log" 2>/dev/null | sed 's/^/  /' >&2
  exit 1
}

# Runs a PostgreSQL tool as a non-root user: initdb and postgres refuse root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
  local port
  port=$(free_port)
  mkdir -p "$dir/redis"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/redis" \
    --appendonly yes --appendfsync always --maxmemory-policy noeviction \
    --maxmemory 1gb --save "" --daemonize yes --enable-debug-command local \
    --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" \
    || fail "redis-server (port $port)" "$dir/redis/redis.log"
  for _ in $(seq 100); do
    [ -s "$dir/redis/redis.pid" ] && redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.05
  done
  redis-cli -p "$port" ping >/dev/null 2>&1 || fail "redis-server (port $port)" "$dir/redis/redis.log"
  {
    echo "REDIS_PORT=$port"
    echo "REDIS_PID=$(cat "$dir/redis/redis.pid")"
    echo "FRONTDESK_REDIS_URL=redis://127.0.0.1:$port/0"
  } >> "$dir/env"
}

start_pg() {
  local port data="$dir/pg/data"
  port=$(free_port)
  mkdir -p "$dir/pg"
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir/pg"
  as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 \
    || fail "PostgreSQL's initdb" "$dir/pg/initdb.log"
  # A throwaway instance: durability settings off to keep tests fast.
  as_pg "$PGBIN/pg_ctl" -D "$data" -l "$dir/pg/postgres.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || fail "PostgreSQL (port $port)" "$dir/pg/postgres.log"
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres frontdesk \
    || fail "PostgreSQL's createdb" "$dir/pg/postgres.log"
  {
    echo "PG_PORT=$port"
    echo "PG_DATA=$data"
    echo "PG_PID=$(head -n 1 "$data/postmaster.pid")"
    echo "FRONTDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:$port/frontdesk"
  } >> "$dir/env"
}

case "$cmd" in
  start)
    mkdir -p "$dir"; : > "$dir/env"
    start_redis
    start_pg
    grep FRONTDESK_ "$dir/env"
    ;;
  redis)
    mkdir -p "$dir"; : > "$dir/env"
    start_redis
    grep FRONTDESK_ "$dir/env"
    ;;
  stop)
    [ -f "$dir/env" ] || exit 0
    # shellcheck disable=SC1091
    . "$dir/env"
    if [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
      as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || kill "${PG_PID:-0}" 2>/dev/null || true
    fi
    if [ -n "${REDIS_PID:-}" ]; then
      kill "$REDIS_PID" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.05; done
    fi
    ;;
  *) echo "usage: services.sh start|stop|redis DIR" >&2; exit 2 ;;
esac
