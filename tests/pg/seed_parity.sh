#!/usr/bin/env bash
# The demo on both engines: `dxday migrate` and `seed-demo` on a fresh SQLite file and on a fresh PostgreSQL database
# (in the server DXDAY_TEST_PG names), then every table's row count compared, search passages included. Prints
# ok/not ok lines; exits 1 on a difference. Skips (saying so) without DXDAY_TEST_PG. Must not touch other databases.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${DXDAY_BIN:-build/dxday}
[ -n "${DXDAY_TEST_PG:-}" ] || { echo "ok - seed parity # SKIP DXDAY_TEST_PG is not set"; exit 0; }
tmp=$(mktemp -d /tmp/dxday-seed-parity.XXXXXX)
db="dxday_seed_$$"
cleanup() { psql "$DXDAY_TEST_PG" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
base=${DXDAY_TEST_PG%/*}
psql "$DXDAY_TEST_PG" -qc "CREATE DATABASE $db" || { echo "not ok - seed parity: cannot create a database"; exit 1; }
pg="$base/$db"
fail=0
for target in "$tmp/t.db" "$pg"; do
  if ! out=$(DXDAY_FILES="$tmp/files" "$bin" --db "$target" migrate 2>&1 && DXDAY_FILES="$tmp/files" "$bin" --db "$target" seed-demo 2>&1); then
    echo "$out" | tail -5; echo "not ok - migrate and seed-demo on ${target%%:*}"; exit 1
  fi
done
echo "ok - migrate and seed-demo on SQLite and on PostgreSQL"
tables=$(sqlite3 "$tmp/t.db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' AND name NOT IN ('search_vocab') ORDER BY name")
n=0
for t in $tables; do
  a=$(sqlite3 "$tmp/t.db" "SELECT COUNT(*) FROM \"$t\"")
  b=$(psql "$pg" -tAc "SELECT COUNT(*) FROM \"$t\"" 2>&1)
  if [ "$a" != "$b" ]; then echo "not ok - $t: $a rows on SQLite, $b on PostgreSQL"; fail=1; else n=$((n + 1)); fi
done
[ $fail -eq 0 ] && echo "ok - seed parity: $n tables hold the same number of rows on both engines"
exit $fail
