#!/usr/bin/env bash
# make bench, plans part: importer throughput on the seeds concatenated to 1 MB, and a unit's inbox with 10,000
# tasks in the database against nginx serving the same bytes. Loopback only; every run bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
tmp=$(mktemp -d /tmp/dxday-bench-plans.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

. bench/lib.sh

# 1. Importer throughput: the seeds (or, without them, the project's own fixtures) repeated to 1 MB.
src=../shared/seeds
ls $src/*.txt >/dev/null 2>&1 || src=tests/fixtures/plans
cat $src/*.txt > "$tmp/one.txt" 2>/dev/null
while [ "$(stat -c %s "$tmp/big.txt" 2>/dev/null || echo 0)" -lt 1000000 ]; do cat "$tmp/one.txt" >> "$tmp/big.txt"; done
build/dxday parse-bench "$tmp/big.txt"

# 2. A unit with 10,000 tasks: ten plans of 1,000 tasks each (numbering stops at 999 per section, as in real plans,
# so each plan has two sections).
db="$tmp/bench.db"
build/dxday --db "$db" seed-demo >/dev/null
for n in $(seq 1 10); do
  python3 - "$tmp/plan$n.txt" "$n" <<'PY'
import sys
n = sys.argv[2]
lines = ["BỘ THÔNG TIN VÀ TRUYỀN THÔNG", f"Số: 9{n}/KH-BTTTT", "Hà Nội, ngày 02 tháng 1 năm 2024", "KẾ HOẠCH",
         f"Đo tốc độ hộp nhiệm vụ, phần {n}"]
for part, roman in enumerate(["I", "II"]):
    lines += [f"{roman}. NHIỆM VỤ PHẦN {part + 1}"]
    for i in range(1, 501):
        lines += [f"{i}. Nhiệm vụ đo tốc độ số {i}", "- Đơn vị chủ trì: Cục Báo chí", "- Đơn vị phối hợp: Vụ Hợp tác quốc tế",
                  f"- Thời gian hoàn thành: trước ngày {1 + i % 28}/{1 + i % 12}/2025", ""]
open(sys.argv[1], "w").write("\n".join(lines))
PY
  build/dxday --db "$db" import-plan "$tmp/plan$n.txt" --save >/dev/null
done
echo "bench: $(sqlite3 "$db" "SELECT COUNT(*) FROM task_unit WHERE org_id = (SELECT id FROM org_unit WHERE code = 'cuc-bc')") tasks name Cục Báo chí" >&2
port=$(free_port 18600)
DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" >"$tmp/dxday.log" 2>&1 &
pids+=($!)
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
session=$(sign_in "$port" dieuphoi@dxday.vn dxday-demo-2026 "$tmp/cookies")
url="http://127.0.0.1:$port/don-vi/cuc-bc/nhiem-vu"
mkdir -p "$tmp/www"
curl -sf -H "Cookie: dxday_session=$session" "$url" > "$tmp/www/index.html"
echo >&2 "bench: inbox page $(stat -c %s "$tmp/www/index.html") bytes, $(grep -c '<tr class' "$tmp/www/index.html") rows shown"
nport=$(free_port 18700)
cat > "$tmp/nginx.conf" <<EOT
worker_processes auto; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; default_type text/html; keepalive_requests 100000;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server { listen 127.0.0.1:$nport; root $tmp/www; location / { try_files /index.html =404; } } }
EOT
nginx -c "$tmp/nginx.conf" -g 'daemon off;' &
pids+=($!)
timeout 10 bash -c "until curl -sf http://127.0.0.1:$nport/ >/dev/null; do sleep 0.1; done"
a=$(measure inbox "$url" -H "Cookie: dxday_session=$session")
b=$(measure nginx_inbox "http://127.0.0.1:$nport/")
echo "$a"; echo "$b"
ra=$(echo "$a" | awk '/_rps/ {print $2}'); rb=$(echo "$b" | awk '/_rps/ {print $2}')
echo "inbox_vs_nginx: $(awk -v a="$ra" -v b="$rb" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
