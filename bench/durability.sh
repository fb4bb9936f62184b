#!/usr/bin/env bash
# make bench, durability part: what PRAGMA synchronous=FULL costs against NORMAL (both WAL) on a real write route,
# signed-in task progress updates (POST /api/tasks/{id}/updates), each mode on its own copy of the same database.
# Must stay on loopback and on a disk-backed directory (a tmpfs makes fsync free and the comparison meaningless).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
tasks=${BENCH_TASKS:-2000}
# build/ is on the disk the default var/dxday.db lives on; /tmp may be a tmpfs.
tmp=$(mktemp -d "${BENCH_TMPDIR:-$PWD/build}/dxday-bench-durability.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

. bench/lib.sh

# 1. The demo database with enough tasks that each one gathers only a few updates during the run: the task's JSON
#    (returned after every update, with all its updates) stays small, so the figures measure the write, not the reply.
build/dxday --db "$tmp/base.db" seed-demo >/dev/null
sqlite3 "$tmp/base.db" >/dev/null <<EOT
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $tasks)
INSERT INTO task (plan_id, ref, sort, title, due, status, progress)
  SELECT plan_id, ref || '.b' || i, sort + i, title || ' (bench ' || i || ')', due, status, progress FROM task, n WHERE task.id = 1;
INSERT INTO task_unit (task_id, role, name, org_id)
  SELECT t.id, u.role, u.name, u.org_id FROM task t JOIN task_unit u ON u.task_id = 1 WHERE t.ref LIKE '%.b%';
PRAGMA wal_checkpoint(TRUNCATE);
EOT
read -r first last < <(sqlite3 -separator ' ' "$tmp/base.db" "SELECT MIN(id), MAX(id) FROM task WHERE ref LIKE '%.b%'")
echo "bench: durability on $(df -T "$tmp" | awk 'NR == 2 {print $2}') ($tmp), tasks $first..$last" >&2
# What one sync costs on this disk, the unit of FULL's price: a WAL append of one page and fdatasync, 200 times.
python3 - "$tmp/sync.probe" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
times = []
for i in range(200):
    os.pwrite(fd, os.urandom(4096), i * 4096)
    t = time.perf_counter(); os.fdatasync(fd); times.append((time.perf_counter() - t) * 1000)
os.close(fd)
times.sort()
print("disk_fdatasync_p50: %.2f ms" % times[100])
print("disk_fdatasync_p99: %.2f ms" % times[197])
PY

cat > "$tmp/update.lua" <<EOT
local first, count, counter, id = $first, $((last - first + 1)), 0, 0
function setup(thread) id = id + 1; thread:set("tid", id) end
function request()
  counter = counter + 1
  local task = first + (counter * 7919 + tid * 104729) % count
  local body = '{"status": "in_progress", "progress": ' .. (counter % 100) .. ', "note": "bench ' .. tid .. '-' .. counter .. '"}'
  return wrk.format("POST", "/api/tasks/" .. task .. "/updates",
                    { ["Content-Type"] = "application/json", ["Cookie"] = "dxday_session=" .. session,
                      ["X-CSRF-Token"] = csrf }, body)
end
EOT

# 2. Each mode: a fresh copy of the database, dxday with DXDAY_SYNCHRONOUS set, the national coordinator signed in
#    (every unit is in scope), then task updates at 32 connections (throughput) and at 2 (wrk's least: the latency of a
#    quiet server, where the commit's own sync is most of the time).
run_mode() {  # mode
  local mode=$1 db="$tmp/$1.db" port log="$tmp/$1.log" session csrf before after
  cp "$tmp/base.db" "$db"
  port=$(free_port 18800)
  DXDAY_SYNCHRONOUS=$mode DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" >"$log" 2>&1 &
  pid=$!
  # Runs in $(...), a subshell: its own trap (on a global pid, still set when the trap runs) stops this server on
  # every way out, an early exit included.
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
  timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
  session=$(sign_in "$port" dieuphoi@dxday.vn dxday-demo-2026 "$tmp/$mode.jar")
  csrf=$(curl -s -b "$tmp/$mode.jar" "http://127.0.0.1:$port/tai-khoan" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  { echo "session, csrf = \"$session\", \"$csrf\""; cat "$tmp/update.lua"; } > "$tmp/$mode.lua"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$tmp/$mode.jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"status": "in_progress", "progress": 1, "note": "bench probe"}' "http://127.0.0.1:$port/api/tasks/$first/updates")
  [ "$code" = 201 ] || { echo "bench: a task update answered $code" >&2; cat "$log" >&2; exit 1; }
  before=$(sqlite3 "$db" "SELECT COUNT(*) FROM task_update")
  measure "update_$mode" "http://127.0.0.1:$port/" -s "$tmp/$mode.lua"
  conns=2 measure "update_c2_$mode" "http://127.0.0.1:$port/" -s "$tmp/$mode.lua"
  after=$(sqlite3 "$db" "SELECT COUNT(*) FROM task_update")
  echo "update_${mode}_stored: $((after - before)) rows"
}

normal=$(run_mode normal); echo "$normal"
full=$(run_mode full); echo "$full"
fig() { echo "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
for c in "" c2_; do
  n=$(fig "$normal" "update_${c}normal_rps"); f=$(fig "$full" "update_${c}full_rps")
  echo "update_${c}full_vs_normal: $(awk -v a="$f" -v b="$n" 'BEGIN {printf "%.3g", (b > 0 ? a / b : 0)}')"
  n=$(fig "$normal" "update_${c}normal_p50"); f=$(fig "$full" "update_${c}full_p50")
  echo "update_${c}full_extra_p50: $(awk -v a="$f" -v b="$n" 'BEGIN {printf "%.2f", a - b}') ms"
done
