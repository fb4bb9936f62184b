#!/usr/bin/env bash
# `make eval`: a fresh database (SQLite, or PostgreSQL when DXDAY_TEST_PG names a server), migrated and seeded as
# `make run` seeds it, then the evaluation's documents and questions (tests/eval/eval.c). Must not touch other databases.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${DXDAY_TEST_PG:-}" ]; then
  name=dxday_eval_$$
  psql "$DXDAY_TEST_PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  trap 'rm -rf "$tmp"; psql "$DXDAY_TEST_PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null' EXIT
  sep='?'; case "$DXDAY_TEST_PG" in *\?*) sep='&';; esac
  db="${DXDAY_TEST_PG}${sep}dbname=$name"
  case "$DXDAY_TEST_PG" in postgres*://*/*) db="${DXDAY_TEST_PG%/*}/$name";; esac
  echo "engine: postgresql"
else
  db=$tmp/eval.db
  echo "engine: sqlite"
fi
build/dxday --db "$db" migrate >/dev/null
build/dxday --db "$db" seed-demo >/dev/null
docs=tests/eval/docs
[ -d tests/eval/unseen/docs ] && docs=$docs:tests/eval/unseen/docs
held=()
[ -f tests/eval/tuned-other.tsv ] && held+=(tests/eval/tuned-other.tsv)
held+=(tests/eval/heldout.tsv)
[ -f tests/eval/unseen/questions.tsv ] && held+=(tests/eval/unseen/questions.tsv)
LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp build/tests/eval --db "$db" "$docs" tests/eval/tuned.tsv "${held[@]}"
