#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for tests: initdb into DIR (default: a new /tmp/dxday-pg.XXXXXX), a free loopback port,
# prints its connection string (postgresql://dxday@127.0.0.1:PORT/dxday) on stdout. Must not touch any other cluster,
# listen beyond 127.0.0.1, or be used for data anyone keeps (fsync is off). Stop it with tests/pg/stop.sh DIR.
# Usage: tests/pg/start.sh [DIR]   env: DXDAY_PG_PORTS=FROM-TO (default 15432-15531), PG_BIN (default: newest installed)
set -euo pipefail
dir=${1:-}
if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/dxday-pg.XXXXXX); fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for b in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$b/initdb" ] && { bin=$b; break; }
  done
fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "tests/pg: PostgreSQL server binaries not found (scripts/deps.sh test installs postgresql)" >&2; exit 1; }

# As root the server must run as another user (postgres refuses root): the directory is then that user's.
as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "tests/pg: running as root needs the postgres user (from the postgresql package)" >&2; exit 1; }
  as=(runuser -u postgres --)
  chown postgres: "$dir"
fi
run() { "${as[@]}" "$@"; }

# Idempotent: a server this directory already runs is reused.
if [ -f "$dir/url" ] && [ -f "$dir/data/postmaster.pid" ] && run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  cat "$dir/url"; exit 0
fi
touch "$dir/.dxday-pg"   # tests/pg/stop.sh removes only directories that carry this mark

if [ ! -f "$dir/data/PG_VERSION" ]; then
  rm -rf "$dir/data"
  run "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions \
    > "$dir/initdb.log" 2>&1 || { echo "tests/pg: initdb failed:" >&2; tail -20 "$dir/initdb.log" >&2; exit 1; }
fi

# DXDAY_PG_DURABLE=1 (the benchmarks): fsync on, as SQLite's synchronous=FULL is, so the engines are compared fairly.
durability="-c fsync=off -c full_page_writes=off"
[ "${DXDAY_PG_DURABLE:-}" = 1 ] && durability="-c fsync=on -c full_page_writes=on"
range=${DXDAY_PG_PORTS:-15432-15531}
from=${range%-*} to=${range#*-}
started=""
for port in $(seq "$from" "$to"); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
  # fsync off and no WAL archiving: a test server trades durability on power loss for speed; a crash of the server
  # process alone still loses nothing acknowledged (the OS keeps the WAL).
  if run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c synchronous_commit=on -c max_connections=200" \
       start > "$dir/pg_ctl.log" 2>&1; then
    started=$port; break
  fi
  # Another process took the port between the probe and the start: try the next one.
  grep -q 'could not bind\|Address already in use' "$dir/server.log" 2>/dev/null || { echo "tests/pg: pg_ctl start failed:" >&2; tail -20 "$dir/server.log" "$dir/pg_ctl.log" >&2 2>/dev/null; exit 1; }
done
[ -n "$started" ] || { echo "tests/pg: no free port in $range" >&2; exit 1; }

# A role and a database like a deployment's: not a superuser, owner of its database, allowed to create test databases.
# A server restarted in the same DIR (tests/pg/fault.test.mjs) keeps its role and database.
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$started" -U postgres -d postgres)
[ "$("${psql[@]}" -tAc "SELECT count(*) FROM pg_roles WHERE rolname = 'dxday'" 2>/dev/null)" = 1 ] ||
"${psql[@]}" -c "CREATE ROLE dxday LOGIN CREATEDB" -c "CREATE DATABASE dxday OWNER dxday ENCODING 'UTF8' TEMPLATE template0" \
  > "$dir/setup.log" 2>&1 || { echo "tests/pg: creating the dxday role and database failed:" >&2; cat "$dir/setup.log" >&2; exit 1; }
echo "postgresql://dxday@127.0.0.1:$started/dxday" > "$dir/url"
echo "tests/pg: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$started, data in $dir (stop: tests/pg/stop.sh $dir)" >&2
cat "$dir/url"
