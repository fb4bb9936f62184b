#!/usr/bin/env bash
# make bench, reports part: a national-scale reporting database (bench/gen_reports.py: ~10,000 units, five campaigns,
# ~800,000 values), then the national dashboard (page and JSON) and a province drill-down, each against nginx serving
# the same bytes. Loopback only; every run bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
tmp=$(mktemp -d --tmpdir --suffix=-dxday-bench-reports)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
pgdir=""
trap '[ -n "$pgdir" ] && bash tests/pg/stop.sh "$pgdir"; cleanup' EXIT

. bench/lib.sh

# 1. The dataset, written straight into a fresh demo database.
db="$tmp/bench.db"
build/dxday --db "$db" seed-demo >/dev/null
python3 bench/gen_reports.py "$db"

# 2.–4. on one engine: bench_engine PREFIX DB prints every figure with PREFIX before its name ("" for SQLite).
bench_engine() {
local pre=$1 db=$2
# 2. dxday on it, signed in as the national coordinator (dashboard and every province are in scope).
port=$(free_port 18800)
DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" >"$tmp/dxday.log" 2>&1 &
dx_pid=$!
pids+=("$dx_pid")
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
session=$(sign_in "$port" dieuphoi@dxday.vn dxday-demo-2026 "$tmp/cookies")
cookie="Cookie: dxday_session=$session"

# name, dxday path (nginx answers the same path), file in the nginx root, its Content-Type.
pages=("dashboard /bang-dieu-khien?nam=2026 dashboard.html text/html"
       "dashboard_api /api/dashboard?campaign=2026 dashboard.json application/json"
       "drilldown /bao-cao/bao-cao-2026/tien-do?org=nghe-an drilldown.html text/html")

# Cold: the first request of each right after start, so the unit tree and SQLite's page cache are built on the
# clock (the first one pays for the tree; the others find it built). One request each, no warm-up.
for p in "${pages[@]}"; do
  read -r name path _ _ <<<"$p"
  t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$cookie" "http://127.0.0.1:$port$path")
  [ "${t%% *}" = 200 ] || { echo "bench: $path answered ${t%% *}" >&2; cat "$tmp/dxday.log" >&2; exit 1; }
  echo "${pre}${name}_cold: $(awk -v s="${t#* }" 'BEGIN {printf "%.2f", s * 1000}') ms"
done

# 3. nginx with one exact location per page, serving the bytes dxday just sent.
mirror_pages "$port" 18900 "$cookie" "${pages[@]}"

# 4. Each page under load, dxday then nginx.
worst=0
for p in "${pages[@]}"; do
  read -r name path _ _ <<<"$p"
  a=$(measure "$pre$name" "http://127.0.0.1:$port$path" -H "$cookie")
  b=$(measure "${pre}nginx_$name" "http://127.0.0.1:$nport$path")
  echo "$a"; echo "$b"
  ratio "$pre$name" "$a" "$b"
  # The target is for the dashboard a coordinator opens, page or JSON alike: the worse of the two counts.
  case $name in dashboard*) worst=$(echo "$a" | awk -v w="$worst" '/_p99/ {print ($2 > w ? $2 : w)}');; esac
done
echo "${pre}reports_dxday_rss: $(ps -o rss= -p "$dx_pid" | awk '{printf "%.1f", $1 / 1024}') MB"
echo "${pre}dashboard_p99_target_50ms: $(awk -v w="$worst" 'BEGIN {print (w <= 50 ? "met" : "missed")}')"
kill "$dx_pid" "$ng_pid" 2>/dev/null; wait "$dx_pid" "$ng_pid" 2>/dev/null || true
}

bench_engine "" "$db"
# The same pages from PostgreSQL, on a copy of the same data: figures named pg_*.
pgdir=$(mktemp -d /tmp/dxday-bench-pg.XXXXXX)
pg_url=$(pg_copy_of "$db" "$pgdir")
[ -n "$pg_url" ] && bench_engine pg_ "$pg_url"
