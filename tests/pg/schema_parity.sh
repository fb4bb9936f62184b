#!/usr/bin/env bash
# Schema parity of the two engines: migrates a fresh SQLite database with build/dxday, applies src/store/pg/migrations/
# with psql in a throwaway schema of the PostgreSQL server DXDAY_TEST_PG names, and compares tables, columns (name,
# type family, nullability) and named indexes. Must not touch anything outside its own temp dir and schema.
#
# Usage: DXDAY_TEST_PG=postgresql://postgres@127.0.0.1:5432/postgres tests/pg/schema_parity.sh
# Prints ok - / not ok - lines (TAP-like) and exits non-zero on a difference not listed under "intended" below.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${DXDAY_TEST_PG:-}" ]; then
  echo "ok - schema parity # SKIP DXDAY_TEST_PG is not set (a PostgreSQL connection string is needed)"
  exit 0
fi
bin=${DXDAY_BIN:-build/dxday}
for need in sqlite3 psql "$bin"; do
  command -v "$need" >/dev/null 2>&1 || [ -x "$need" ] || { echo "not ok - schema parity: $need is missing"; exit 2; }
done

tmp=$(mktemp -d /tmp/dxday-parity.XXXXXX)
schema="dxday_parity_$$"
psqlq() { psql -X -q -v ON_ERROR_STOP=1 "$DXDAY_TEST_PG" "$@"; }
cleanup() { psqlq -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT

# Differences on purpose, one per line as table|column (column * for the whole table); see the pg migrations' comments.
#  - FTS5's virtual tables (and their shadow tables, skipped below) have no counterpart: PostgreSQL's index is a column.
#  - search_passage.tokens: our tokenizer's tokens as a tsvector with a GIN index (0006_search.sql).
#  - search_count is a view on PostgreSQL (a counter row updated per passage is quadratic there), so its column
#    reads as nullable.
#  - schema_migration is created by src/store/migrate.c, not by a migration file, on both engines.
intended='
search_fts|*
search_vocab|*
search_passage|tokens
search_count|n
schema_migration|*
index:search_passage_tokens
'
is_intended() { grep -qxF -- "$1" <<<"$intended"; }

# --- SQLite: what build/dxday migrate makes --------------------------------------------------------------------------
if ! "$bin" --db "$tmp/parity.db" migrate >"$tmp/migrate.log" 2>&1; then
  echo "not ok - sqlite: $bin migrate failed"; sed 's/^/# /' "$tmp/migrate.log"; exit 1
fi
# Type families: INTEGER → int, REAL → float, TEXT → text, BLOB and bytea → bytes. A PRIMARY KEY column is NOT NULL in effect (SQLite lets a
# non-integer key hold NULL only by a historical bug the store never relies on; PostgreSQL forbids it).
# Table by table: pragma_table_info on FTS5's virtual table would need our tokenizer, which the sqlite3 shell lacks.
plain=$(sqlite3 -batch -noheader "$tmp/parity.db" "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')
          AND name NOT LIKE 'sqlite_%' AND name NOT GLOB 'search_fts_*' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'") ||
  { echo "not ok - sqlite: cannot read the schema"; exit 1; }
for t in $plain; do
  sqlite3 -batch -noheader -separator '|' "$tmp/parity.db" "
    SELECT '$t', p.name,
           CASE upper(p.type) WHEN 'INTEGER' THEN 'int' WHEN 'REAL' THEN 'float' WHEN 'TEXT' THEN 'text' WHEN 'BLOB' THEN 'bytes' ELSE lower(p.type) END,
           CASE WHEN p.\"notnull\" OR p.pk THEN 'not null' ELSE 'null' END
    FROM pragma_table_info('$t') p" || { echo "not ok - sqlite: cannot read table $t"; exit 1; }
done | sort >"$tmp/sqlite.cols"
sqlite3 -batch -noheader "$tmp/parity.db" \
  "SELECT 'index:' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1" >"$tmp/sqlite.idx"
# Virtual tables have no columns in pragma_table_info on every version: name them so the comparison sees them.
sqlite3 -batch -noheader "$tmp/parity.db" \
  "SELECT name || '|*' FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'" >>"$tmp/sqlite.cols"

# --- PostgreSQL: the migrations applied in order, each in one transaction, in a schema of our own ------------------
if ! psqlq -c "CREATE SCHEMA $schema" >/dev/null 2>"$tmp/pg.err"; then
  echo "not ok - postgresql: cannot create a schema on DXDAY_TEST_PG"; sed 's/^/# /' "$tmp/pg.err"; exit 1
fi
n=0
for f in src/store/pg/migrations/[0-9][0-9][0-9][0-9]_*.sql; do
  if ! PGOPTIONS="-c search_path=$schema -c client_min_messages=warning" psqlq -1 -f "$f" >/dev/null 2>"$tmp/pg.err"; then
    echo "not ok - postgresql: $f does not apply"; sed 's/^/# /' "$tmp/pg.err"; exit 1
  fi
  n=$((n + 1))
done
echo "ok - postgresql: $n migrations apply, each in one transaction"

psqlq -A -t -F '|' -c "
  SELECT c.table_name, c.column_name,
         CASE c.data_type WHEN 'bigint' THEN 'int' WHEN 'integer' THEN 'int' WHEN 'smallint' THEN 'int'
                          WHEN 'double precision' THEN 'float' WHEN 'text' THEN 'text' WHEN 'bytea' THEN 'bytes' ELSE c.data_type END,
         CASE c.is_nullable WHEN 'NO' THEN 'not null' ELSE 'null' END
  FROM information_schema.columns c
  WHERE c.table_schema = '$schema'
  ORDER BY 1, 2" >"$tmp/pg.cols" || { echo "not ok - postgresql: cannot read the schema"; exit 1; }
# Named indexes only: those behind PRIMARY KEY and UNIQUE constraints are SQLite's sqlite_autoindex_* on the other side.
psqlq -A -t -c "
  SELECT 'index:' || i.relname FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace s ON s.oid = i.relnamespace
  WHERE s.nspname = '$schema' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
  ORDER BY 1" >"$tmp/pg.idx" || { echo "not ok - postgresql: cannot read the indexes"; exit 1; }

# --- Compare ---------------------------------------------------------------------------------------------------------
fail=0
tables=$( (cut -d'|' -f1 "$tmp/sqlite.cols"; cut -d'|' -f1 "$tmp/pg.cols") | sort -u)
for t in $tables; do
  if is_intended "$t|*"; then echo "ok - $t: differs on purpose (listed in this script)"; continue; fi
  s=$(grep "^$t|" "$tmp/sqlite.cols" | sort); p=$(grep "^$t|" "$tmp/pg.cols" | sort)
  if [ -z "$s" ]; then echo "not ok - $t: only on PostgreSQL"; fail=1; continue; fi
  if [ -z "$p" ]; then echo "not ok - $t: only on SQLite"; fail=1; continue; fi
  bad=0
  while IFS='|' read -r _ col rest; do
    [ -n "$col" ] || continue
    is_intended "$t|$col" && continue
    echo "not ok - $t.$col: SQLite has ${rest//|/, }; PostgreSQL $(grep "^$t|$col|" <<<"$p" | cut -d'|' -f3- | sed 's/|/, /' || true)"
    bad=1
  done < <(comm -23 <(echo "$s") <(echo "$p"))
  while IFS='|' read -r _ col rest; do
    [ -n "$col" ] || continue
    is_intended "$t|$col" && continue
    grep -q "^$t|$col|" <<<"$s" && continue   # reported above as a mismatch
    echo "not ok - $t.$col: only on PostgreSQL (${rest//|/, })"
    bad=1
  done < <(comm -13 <(echo "$s") <(echo "$p"))
  if [ $bad = 0 ]; then echo "ok - $t: $(wc -l <<<"$s") columns alike (name, type, nullability)"; else fail=1; fi
done

while read -r i; do
  [ -n "$i" ] || continue
  is_intended "$i" && continue
  echo "not ok - ${i#index:}: index only on SQLite"; fail=1
done < <(comm -23 <(sort "$tmp/sqlite.idx") <(sort "$tmp/pg.idx"))
while read -r i; do
  [ -n "$i" ] || continue
  is_intended "$i" && continue
  echo "not ok - ${i#index:}: index only on PostgreSQL"; fail=1
done < <(comm -13 <(sort "$tmp/sqlite.idx") <(sort "$tmp/pg.idx"))
[ $fail = 0 ] && echo "ok - indexes: $(grep -c . "$tmp/sqlite.idx") named on SQLite, the same names on PostgreSQL (and the intended ones)"

if [ $fail = 0 ]; then echo "ok - schema parity"; else echo "not ok - schema parity"; fi
exit $fail
