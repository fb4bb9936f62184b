#!/usr/bin/env bash
# The layers point one way (docs/architecture.md): SQL only in src/store/, src/core/ includes nothing above it, and
# src/store/ includes neither web/ nor export/. Prints each breach with its file and line; exits 1 when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(
  grep -rnE '\b(db_prepare|db_exec|sqlite3_[a-z0-9_]+)\s*\(' src --include='*.c' --include='*.h' | grep -v '^src/store/' \
    | sed 's/^/SQL outside src\/store: /'
  grep -rnE '^#include "(store|web|http|search|import|export|pages)/' src/core | sed 's/^/src\/core includes a layer above it: /'
  grep -rnE '^#include "(web|http|pages|export)/' src/store | sed 's/^/src\/store includes web or export: /'
)
if [ -n "$out" ]; then
  echo "$out" | sed 's/^/layers: /'
  echo "not ok - layers: $(echo "$out" | wc -l) breaches"
  exit 1
fi
echo "ok - layers: SQL only in src/store, core and store include nothing above them"
