#!/usr/bin/env bash
# The durability promise under load: concurrent signed-in writers record every task update (and uploaded evidence) the
# server acknowledged, the server is killed with -9 mid-load and restarted, and every acknowledged write must be there;
# then `dxday backup` while the writers run, `dxday restore`, and a server on the restored copy must serve it all.
# Must not touch anything but 127.0.0.1 and its own temp dir, nor leave a server running. Prints ok / not ok lines.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${DXDAY_BIN:-build/dxday}
cycles=${DURABILITY_CYCLES:-3}
writers=${DURABILITY_WRITERS:-6}
tmp=$(mktemp -d /tmp/dxday-durability.XXXXXX)
db="$tmp/data/dxday.db"
pid="" failed=0
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

[ -x "$bin" ] || { not_ok "$bin is built (make build/dxday)"; exit 1; }
for t in node curl sqlite3 sha256sum; do command -v "$t" >/dev/null || { not_ok "$t is installed"; exit 1; }; done
mkdir -p "$tmp/data"
"$bin" --db "$db" migrate >/dev/null && "$bin" --db "$db" seed-demo >/dev/null || { not_ok "migrate and seed-demo"; exit 1; }

port=""
for p in $(seq "${DURABILITY_PORT:-18700}" $((${DURABILITY_PORT:-18700} + 99))); do
  (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null || { port=$p; break; }
done
base="http://127.0.0.1:$port"

start() {
  DXDAY_NO_REMINDERS=1 "$bin" --db "$db" serve --port "$port" --bind 127.0.0.1 >>"$tmp/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && return 0; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  return 1
}

# The writers: each posts task updates with a note no other write has, one of them with an evidence file of unique
# bytes; a write counts as acknowledged only when the whole 201 answer arrived and names the update's id. They stop at
# the first failed connection (the kill) or after ms, and write each acknowledgement to the file before the next request.
cat > "$tmp/writers.mjs" <<'EOF'
import fs from 'node:fs';
const [base, session, csrf, cycle, n, out, ms] = process.argv.slice(2);
const fd = fs.openSync(out, 'a');
const deadline = Date.now() + Number(ms);
let refused = 0;
async function writer(w) {
  const task = (w % 10) + 1;
  for (let i = 0; Date.now() < deadline; i++) {
    const note = `dur-${cycle}-${w}-${i}`;
    const headers = { cookie: `dxday_session=${session}`, 'x-csrf-token': csrf };
    let body, content = null;
    if (w === 0) {
      content = `minh chứng ${note} ${Math.random()}\n`;
      body = new FormData();
      body.set('status', 'in_progress'); body.set('progress', String(i % 100)); body.set('note', note);
      body.set('evidence', new Blob([content], { type: 'text/plain' }), `${note}.txt`);
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({ status: 'in_progress', progress: i % 100, note });
    }
    let res, data;
    try {
      res = await fetch(`${base}/api/tasks/${task}/updates`, { method: 'POST', headers, body });
      data = await res.json();
    } catch { return; }
    if (res.status !== 201) { refused++; continue; }
    const u = (data.task?.updates || []).find((x) => x.note === note);
    if (!u) { refused++; continue; }
    fs.writeSync(fd, `${u.id}|${task}|${note}|${u.evidence_sha || ''}\n`);
  }
}
await Promise.all(Array.from({ length: Number(n) }, (_, w) => writer(w)));
if (refused) console.log(`# ${refused} writes refused (not acknowledged)`);
EOF

start || { cat "$tmp/server.log"; not_ok "the server starts on port $port"; exit 1; }
csrf=$(curl -s -c "$tmp/jar" "$base/api/login" | sed 's/.*"csrf":"\([^"]*\)".*/\1/')
curl -s -b "$tmp/jar" -c "$tmp/jar" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
  -d '{"email":"dieuphoi@dxday.vn","password":"dxday-demo-2026"}' "$base/api/login" >/dev/null
session=$(awk '$6 == "dxday_session" {print $7}' "$tmp/jar")
csrf=$(curl -s -b "$tmp/jar" "$base/tai-khoan" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$session" ] && [ -n "$csrf" ] || { not_ok "the coordinator signs in"; exit 1; }
: > "$tmp/acked"

for c in $(seq "$cycles"); do
  before=$(wc -l < "$tmp/acked")
  node "$tmp/writers.mjs" "$base" "$session" "$csrf" "$c" "$writers" "$tmp/acked" 20000 &
  wpid=$!
  sleep "1.$((RANDOM % 10))"
  kill -9 "$pid"; wait "$pid" 2>/dev/null; code=$?; pid=""
  wait "$wpid"
  now=$(wc -l < "$tmp/acked")
  check "cycle $c: killed with -9 mid-load after $((now - before)) acknowledged writes" "[ $code = 137 ] && [ $((now - before)) -gt 0 ]"

  start || { cat "$tmp/server.log"; not_ok "cycle $c: the server restarts after kill -9"; break; }
  # Every acknowledged update, with the id the server gave it, is in the database the restarted server reads.
  sqlite3 "$db" "SELECT id || '|' || task_id || '|' || note || '|' || COALESCE(evidence_sha, '') FROM task_update WHERE note LIKE 'dur-%'" \
    | sort > "$tmp/present"
  sort "$tmp/acked" > "$tmp/acked.sorted"
  missing=$(comm -23 "$tmp/acked.sorted" "$tmp/present" | wc -l)
  check "cycle $c: all $now acknowledged writes present after restart ($missing missing)" "[ $missing = 0 ]"
  [ "$missing" = 0 ] || comm -23 "$tmp/acked.sorted" "$tmp/present" | head -5 | sed 's/^/#   missing: /'
  bad=0 files=0
  while IFS='|' read -r _ _ _ sha; do
    [ -n "$sha" ] || continue
    files=$((files + 1))
    [ "$(sha256sum < "$tmp/data/files/$sha" 2>/dev/null | cut -c1-64)" = "$sha" ] || bad=$((bad + 1))
  done < "$tmp/acked"
  check "cycle $c: all $files acknowledged evidence files present with their hash" "[ $files -gt 0 ] && [ $bad = 0 ]"
  check "cycle $c: integrity_check ok" "[ \"\$(sqlite3 '$db' 'PRAGMA integrity_check')\" = ok ]"
  # And the restarted server itself answers with them: the last acknowledged update, through the API.
  IFS='|' read -r _ task last _ < <(tail -1 "$tmp/acked")
  check "cycle $c: the restarted server serves the last acknowledged update ($last)" \
    "curl -sf -H 'Cookie: dxday_session=$session' '$base/api/tasks/$task' | grep -q '\"note\":\"$last\"'"
done

echo "# $(wc -l < "$tmp/acked") writes acknowledged in $cycles cycles of kill -9"
[ -n "$pid" ] || exit 1

# Backup while the writers run: a known record with a known file first, then writes before, during and after the backup.
printf 'Biên bản nghiệm thu %s\n' "$RANDOM$RANDOM" > "$tmp/known.txt"
known_sha=$(sha256sum < "$tmp/known.txt" | cut -c1-64)
curl -s -o /dev/null -H "Cookie: dxday_session=$session" -H "X-CSRF-Token: $csrf" -F status=in_progress -F progress=50 \
  -F note=known-record -F "evidence=@$tmp/known.txt;type=text/plain" "$base/api/tasks/3/updates"
node "$tmp/writers.mjs" "$base" "$session" "$csrf" bk "$writers" "$tmp/acked" 3000 &
wpid=$!
sleep 1
at_start=$(wc -l < "$tmp/acked")
head -n "$at_start" "$tmp/acked" | sort > "$tmp/acked.before"
"$bin" --db "$db" backup "$tmp/bk" > "$tmp/backup.out" 2>&1; brc=$?
at_end=$(wc -l < "$tmp/acked")
wait "$wpid"
final=$(wc -l < "$tmp/acked")
cat "$tmp/backup.out" | sed 's/^/# /'
check "backup: succeeds while $writers writers run (acknowledged before it: $at_start, after it: $((final - at_end)))" \
  "[ $brc = 0 ] && [ -f '$tmp/bk/dxday.db' ] && [ $((final - at_end)) -gt 0 ]"
sqlite3 "$tmp/bk/dxday.db" "SELECT id || '|' || task_id || '|' || note || '|' || COALESCE(evidence_sha, '') FROM task_update WHERE note LIKE 'dur-%'" \
  | sort > "$tmp/in.backup"
missing=$(comm -23 "$tmp/acked.before" "$tmp/in.backup" | wc -l)
check "backup: holds every write acknowledged before it began ($missing missing)" "[ $missing = 0 ]"
# One moment: commits are serialised and ids given in commit order, so a consistent copy holds exactly the live rows up
# to its highest id, with no gap where a later commit got in and an earlier one did not.
top=$(sqlite3 "$tmp/bk/dxday.db" "SELECT MAX(id) FROM task_update")
live=$(sqlite3 "$db" "SELECT COUNT(*) || ',' || TOTAL(id) FROM task_update WHERE id <= $top")
copy=$(sqlite3 "$tmp/bk/dxday.db" "SELECT COUNT(*) || ',' || TOTAL(id) FROM task_update")
check "backup: one consistent moment (task updates up to id $top: live $live, backup $copy)" "[ '$live' = '$copy' ]"
check "backup: integrity_check ok" "[ \"\$(sqlite3 '$tmp/bk/dxday.db' 'PRAGMA integrity_check')\" = ok ]"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""

# Restore to a new path, refuse to do it again over the data, then serve the restored copy.
rdb="$tmp/restored/dxday.db"
"$bin" --db "$rdb" restore "$tmp/bk" > "$tmp/restore.out" 2>&1; rrc=$?
sed 's/^/# /' "$tmp/restore.out"
check "restore: into a new path" "[ $rrc = 0 ]"
"$bin" --db "$rdb" restore "$tmp/bk" > "$tmp/restore2.out" 2>&1; rrc=$?
check "restore: refuses a database that has data, without --force" "[ $rrc != 0 ] && grep -q -- --force '$tmp/restore2.out'"
"$bin" --db "$rdb" restore "$tmp/bk" --force > "$tmp/restore3.out" 2>&1; rrc=$?
check "restore: --force replaces it" "[ $rrc = 0 ]"
db=$rdb
start || { cat "$tmp/server.log"; not_ok "restore: a server starts on the restored database"; exit 1; }
n_bk=$(sqlite3 "$tmp/bk/dxday.db" "SELECT (SELECT COUNT(*) FROM task_update) || ',' || (SELECT COUNT(*) FROM audit_log) || ',' || (SELECT COUNT(*) FROM file_blob)")
n_rs=$(sqlite3 "$rdb" "SELECT (SELECT COUNT(*) FROM task_update) || ',' || (SELECT COUNT(*) FROM audit_log) || ',' || (SELECT COUNT(*) FROM file_blob)")
check "restored: the backup's counts (updates, audit entries, files: $n_bk / $n_rs)" "[ '$n_bk' = '$n_rs' ]"
# The same session works: sessions are data too. The known record through the API, its file by its hash.
curl -sf -H "Cookie: dxday_session=$session" "$base/api/tasks/3" > "$tmp/task3.json"
check "restored: the known record is served" "grep -q '\"note\":\"known-record\"' '$tmp/task3.json' && grep -q '$known_sha' '$tmp/task3.json'"
check "restored: its uploaded file is served by its hash, byte for byte" \
  "curl -sf -H 'Cookie: dxday_session=$session' '$base/api/files/$known_sha' | cmp -s - '$tmp/known.txt'"
bad=0
for f in $(sqlite3 "$rdb" "SELECT sha256 FROM file_blob"); do
  [ "$(sha256sum < "$tmp/restored/files/$f" 2>/dev/null | cut -c1-64)" = "$f" ] || bad=$((bad + 1))
done
check "restored: every file the database names is there with its hash ($bad bad)" "[ $bad = 0 ]"
check "restored: integrity_check ok" "[ \"\$(sqlite3 '$rdb' 'PRAGMA integrity_check')\" = ok ]"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""
echo "# $failed failed checks"
[ "$failed" -eq 0 ]
