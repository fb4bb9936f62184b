#!/usr/bin/env bash
# Stops the throwaway PostgreSQL that tests/pg/start.sh started in DIR and removes DIR. Must not remove a directory
# start.sh did not make (it carries the mark .dxday-pg). Idempotent: a DIR already gone is fine.
# Usage: tests/pg/stop.sh DIR
set -uo pipefail
dir=${1:?usage: tests/pg/stop.sh DIR}
[ -d "$dir" ] || exit 0
[ -f "$dir/.dxday-pg" ] || { echo "tests/pg: $dir was not made by tests/pg/start.sh; left alone" >&2; exit 1; }
bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for b in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$b/pg_ctl" ] && { bin=$b; break; }
  done
fi
as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bin" ]; then
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop > /dev/null 2>&1 \
    || echo "tests/pg: pg_ctl stop failed (see $dir/server.log)" >&2
fi
rm -rf "$dir"
