#!/usr/bin/env bash
# make bench, door-to-door part: a demo database with ~20,900 teams over ~3,000 communes and ten days of entries with
# their aggregates (bench/dtd_gen.sql), then the campaign's live page and its JSON as the national coordinator sees
# them, each against nginx serving the same bytes; on SQLite, then on a PostgreSQL copy (pg_*). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
tmp=$(mktemp -d --tmpdir --suffix=-dxday-bench-dtd)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
pgdir=""
trap '[ -n "$pgdir" ] && bash tests/pg/stop.sh "$pgdir"; cleanup' EXIT

. bench/lib.sh

# 1. The dataset: the demo (with its campaign, 01/10–10/10/2026) and the generated teams, entries and aggregates.
db="$tmp/bench.db"
build/dxday --db "$db" seed-demo >/dev/null
sqlite3 "$db" < bench/dtd_gen.sql
cid=$(sqlite3 "$db" "SELECT id FROM dtd_campaign WHERE starts_on = '2026-10-01' ORDER BY id LIMIT 1")
echo "bench: $(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM cdt_team) || ' teams, ' || (SELECT COUNT(*) FROM guidance_entry) || ' entries, ' || (SELECT COUNT(*) FROM guidance_day) || ' unit-days, ' || (SELECT COUNT(*) FROM guidance_day_service) || ' unit-day-services'")" >&2

bench_engine() {
local pre=$1 db=$2
port=$(free_port "${BENCH_DTD_PORT:-18800}")
DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" >"$tmp/dxday.log" 2>&1 &
dx_pid=$!
pids+=("$dx_pid")
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
session=$(sign_in "$port" dieuphoi@dxday.vn dxday-demo-2026 "$tmp/cookies")
cookie="Cookie: dxday_session=$session"

pages=("campaign /chien-dich/$cid campaign.html text/html"
       "campaign_api /api/door-to-door/$cid campaign.json application/json")

# Cold: the first request of each, made from the aggregates (the first also builds the unit tree).
for p in "${pages[@]}"; do
  read -r name path _ _ <<<"$p"
  t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$cookie" "http://127.0.0.1:$port$path")
  [ "${t%% *}" = 200 ] || { echo "bench: $path answered ${t%% *}" >&2; cat "$tmp/dxday.log" >&2; exit 1; }
  echo "${pre}${name}_cold: $(awk -v s="${t#* }" 'BEGIN {printf "%.2f", s * 1000}') ms"
done
# A province's drill-down, cold: the same aggregates joined to the units of its subtree.
t=$(curl -s -o /dev/null -w '%{time_total}' -H "$cookie" "http://127.0.0.1:$port/api/door-to-door/$cid?org=nghe-an")
echo "${pre}campaign_province_cold: $(awk -v s="$t" 'BEGIN {printf "%.2f", s * 1000}') ms"

mirror_pages "$port" "$((${BENCH_DTD_PORT:-18800} + 100))" "$cookie" "${pages[@]}"

worst=0
for p in "${pages[@]}"; do
  read -r name path _ _ <<<"$p"
  a=$(measure "$pre$name" "http://127.0.0.1:$port$path" -H "$cookie")
  b=$(measure "${pre}nginx_$name" "http://127.0.0.1:$nport$path")
  echo "$a"; echo "$b"
  ratio "$pre$name" "$a" "$b"
  worst=$(echo "$a" | awk -v w="$worst" '/_p99/ {print ($2 > w ? $2 : w)}')
done
echo "${pre}dtd_dxday_rss: $(ps -o rss= -p "$dx_pid" | awk '{printf "%.1f", $1 / 1024}') MB"
echo "${pre}campaign_p99_target_50ms: $(awk -v w="$worst" 'BEGIN {print (w <= 50 ? "met" : "missed")}')"
kill "$dx_pid" "$ng_pid" 2>/dev/null; wait "$dx_pid" "$ng_pid" 2>/dev/null || true
}

bench_engine "" "$db"
pgdir=$(mktemp -d /tmp/dxday-bench-pg.XXXXXX)
pg_url=$(pg_copy_of "$db" "$pgdir")
[ -n "$pg_url" ] && bench_engine pg_ "$pg_url"
