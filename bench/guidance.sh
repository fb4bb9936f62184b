#!/usr/bin/env bash
# make bench, guidance part: a national door-to-door campaign's log generated straight into SQLite (20,000 teams,
# 100,000 members, 5,000,000 entries over ten days, aggregates to match), then entries POSTed to /api/guidance by
# many signed-in members at once, each a fresh client_id and a write transaction; the same on a PostgreSQL copy when
# PostgreSQL is installed. Loopback only; every run bounded by wrk's -d. Sizes: BENCH_TEAMS, BENCH_ENTRIES.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
teams=${BENCH_TEAMS:-20000}
entries=${BENCH_ENTRIES:-5000000}
tmp=$(mktemp -d --tmpdir --suffix=-dxday-bench-guidance)
pids=()
pgdir=""
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap '[ -n "$pgdir" ] && bash tests/pg/stop.sh "$pgdir"; cleanup' EXIT

. bench/lib.sh

# 1. The demo database and the campaign's log.
db="$tmp/guidance.db"
build/dxday --db "$db" seed-demo >/dev/null
python3 bench/gen_guidance.py "$db" "$tmp/sessions.lua" "$teams" "$entries"
cat >> "$tmp/sessions.lua" <<'EOT'
-- Each request: a signed-in member logs a visit for their own team, today, under a client_id no run has used.
local counter, id, started = 0, 0, os.time()
local day = os.date("!%Y-%m-%d", os.time() + 7 * 3600)
function setup(thread) id = id + 1; thread:set("tid", id) end
function request()
  counter = counter + 1
  local s = sessions[(counter * 7 + tid) % #sessions + 1]
  local body = '{"client_id":"w' .. started .. '-' .. tid .. '-' .. counter .. '","team_id":' .. s[3] ..
               ',"day":"' .. day .. '","place":"Thôn ' .. (counter % 12 + 1) .. '","people":' .. (counter % 9 + 1) ..
               ',"services":["vneid","dvc"]}'
  return wrk.format("POST", "/api/guidance", { ["Content-Type"] = "application/json", ["Cookie"] = "dxday_session=" .. s[1],
                                               ["X-CSRF-Token"] = s[2] }, body)
end
EOT

q() { case $1 in postgres*://*) psql -XAtq "$1" -c "$2";; *) sqlite3 "$1" "$2";; esac; }

# 2. One engine: bench_engine PREFIX DB prints its figures with PREFIX before their names ("" for SQLite).
bench_engine() {
  local pre=$1 db=$2 port before after
  port=$(free_port 19150)
  DXDAY_SYNCHRONOUS=${sync:-full} DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" ${BENCH_THREADS:+--threads "$BENCH_THREADS"} >"$tmp/dxday-$pre.log" 2>&1 &
  local dx=$!
  pids+=("$dx")
  timeout 30 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
  # One by hand first: a failure here says more than wrk's count of non-2xx answers.
  local one; one=$(sed -n 's/^sessions = {{"\([^"]*\)","\([^"]*\)",\([0-9]*\)}.*/\1 \2 \3/p' "$tmp/sessions.lua")
  set -- $one
  curl -sf -X POST -H "Content-Type: application/json" -H "Cookie: dxday_session=$1" -H "X-CSRF-Token: $2" \
    -d "{\"client_id\":\"probe-${pre%_}-$(date +%s)\",\"team_id\":$3,\"day\":\"$(TZ=Asia/Ho_Chi_Minh date +%F)\",\"people\":3,\"services\":[\"vneid\"]}" \
    "http://127.0.0.1:$port/api/guidance" >/dev/null || { echo "bench: a guidance entry was refused" >&2; tail -5 "$tmp/dxday-$pre.log" >&2; exit 1; }
  # A campaign from the generated log's first day to today, so the entries being sent count on its live page.
  local cid today session
  today=$(TZ=Asia/Ho_Chi_Minh date +%F)
  cid=$(q "$db" "INSERT INTO dtd_campaign (name, starts_on, ends_on, services, created_at) VALUES ('Đo tải: đến hôm nay', '2026-10-01', '$today', '[\"vneid\",\"dvc\",\"cashless\"]', '$today') RETURNING id")
  session=$(sign_in "$port" dieuphoi@dxday.vn dxday-demo-2026 "$tmp/cookies-$pre")
  before=$(q "$db" "SELECT COUNT(*) FROM guidance_entry")
  # The entries and, while they arrive (after measure's 2 s warm-up, ending before the writes do), the centre reading
  # the campaign's live page: the result cache serves its last copy while one request recomputes.
  conns=64 measure "${pre}guidance" "http://127.0.0.1:$port/api/guidance" -s "$tmp/sessions.lua" >"$tmp/post-$pre.txt" &
  local writer=$!
  sleep 3
  secs=$((secs > 4 ? secs - 3 : 1)) conns=8 measure "${pre}campaign_page_while_writing" "http://127.0.0.1:$port/chien-dich/$cid" \
    -H "Cookie: dxday_session=$session" | grep -E '_rps|_p99'
  wait "$writer"
  grep -E '_rps|_p99' "$tmp/post-$pre.txt"
  after=$(q "$db" "SELECT COUNT(*) FROM guidance_entry")
  echo "${pre}guidance_entries_stored: $((after - before)) rows"
  # Every stored entry is in the aggregates exactly once.
  echo "${pre}guidance_aggregates_match: $(q "$db" "SELECT CASE WHEN (SELECT SUM(entries) FROM guidance_day) = (SELECT COUNT(*) FROM guidance_entry) THEN 'yes' ELSE 'no' END")"
  kill "$dx" 2>/dev/null; wait "$dx" 2>/dev/null || true
}

# PostgreSQL gets its copy now, before SQLite's run adds entries.
# BENCH_PG=0 leaves PostgreSQL out (its copy of 5,000,000 entries takes minutes).
pg_url=""
if [ "${BENCH_PG:-1}" != 0 ]; then
  pgdir=$(mktemp -d /tmp/dxday-bench-pg.XXXXXX)
  pg_url=$(pg_copy_of "$db" "$pgdir")
fi
# SQLite twice: the default synchronous=FULL (one sync of the disk per commit, which bounds a VM's writes/s) and NORMAL
# (bench/README.md, Durability, says what each promises); the target is read against both.
bench_engine "" "$db"
out=$(sync=normal bench_engine normal_ "$db")
echo "$out"
rps=$(echo "$out" | awk '/^normal_guidance_rps/ {print $2}')
echo "guidance_target_2000_per_s: $(awk -v r="$rps" 'BEGIN {print (r >= 2000 ? "met" : "missed")}') with synchronous=NORMAL"
p99=$(echo "$out" | awk '/^normal_campaign_page_while_writing_p99/ {print $2}')
echo "campaign_page_while_writing_p99_target_50ms: $(awk -v w="$p99" 'BEGIN {print (w != "" && w <= 50 ? "met" : "missed")}') with synchronous=NORMAL"
[ -n "$pg_url" ] || exit 0
bench_engine pg_ "$pg_url"
