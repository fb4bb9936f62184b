#!/usr/bin/env bash
# Load-tests a fresh dxday (home page, /api/orgs search) with wrk next to nginx serving the same home bytes.
# Must not touch anything but 127.0.0.1 and its own temp dir, nor leave servers running or take unbounded time.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/build/dxday"
secs=${BENCH_SECONDS:-10}
threads=${BENCH_THREADS:-}            # dxday --threads; empty = its default (one per core)
wrk_args=(-t2 -c64 --latency)
host=127.0.0.1

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $secs =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer, got '$secs'"
[ -x "$bin" ] || die "$bin missing: run 'make build/dxday' (or 'make bench')"
for t in wrk curl nginx setsid timeout; do
  command -v "$t" >/dev/null || die "$t not found: run 'bash scripts/deps.sh bench'"
done
nginx_bin=$(command -v nginx)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dxday-bench.XXXXXX")
dx_pid="" ng_pid=""

# Stops one server we started: TERM, a bounded wait, then KILL for its whole session (nginx workers too).
# Each server is started under setsid, so its pid is also its process group id.
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$ng_pid"
  stop "$dx_pid"
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True when nothing accepts connections on the port (it may still be bound; starting then fails and we move on).
port_free() { ! timeout 1 bash -c ": </dev/tcp/$host/$1" 2>/dev/null; }

# Waits (bounded) until URL answers 200 while PID is alive; false if the process died or time ran out.
wait_http() {
  local pid=$1 url=$2
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      kill -0 "$pid" 2>/dev/null && return 0 || return 1
    fi
    sleep 0.1
  done
  return 1
}

# --- dxday ------------------------------------------------------------------------------------------
log "fresh database in $tmp"
timeout 60 "$bin" --db "$tmp/bench.db" migrate >&2
timeout 60 "$bin" --db "$tmp/bench.db" seed-demo >&2

port=18400
dx_port=""
while [ -z "$dx_port" ] && [ "$port" -lt 18500 ]; do
  if port_free "$port"; then
    setsid "$bin" --db "$tmp/bench.db" serve --port "$port" --bind "$host" ${threads:+--threads "$threads"} \
      >"$tmp/dxday.log" 2>&1 &
    dx_pid=$!
    if wait_http "$dx_pid" "http://$host:$port/healthz"; then dx_port=$port; else stop "$dx_pid"; dx_pid=""; fi
  fi
  port=$((port + 1))
done
[ -n "$dx_port" ] || { cat "$tmp/dxday.log" >&2 2>/dev/null || true; die "dxday did not start on any port 18400-18499"; }
curl -fsS --max-time 5 "http://$host:$dx_port/healthz" | grep -q '"status" *: *"ok"' || die "/healthz is not ok"
log "dxday pid $dx_pid on $host:$dx_port${threads:+ (--threads $threads)}"

# --- nginx twin: the very same home page bytes, served as a static file -----------------------------
mkdir -p "$tmp/www" "$tmp/nginx"
code=$(curl -s -o "$tmp/www/index.html" -w '%{http_code}' --max-time 10 "http://$host:$dx_port/")
[ "$code" = 200 ] || die "GET / answered $code"
log "home page: $(wc -c <"$tmp/www/index.html") bytes"
# Workers must be able to read $tmp (mktemp made it 0700); as root they would otherwise run as nobody.
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
# Temp paths default to /var/lib/nginx, which a non-root user cannot create; only set the built-in ones.
temp_lines="client_body_temp_path $tmp/nginx/body;"
for m in proxy fastcgi uwsgi scgi; do
  "$nginx_bin" -V 2>&1 | grep -q -- "--without-http_${m}_module" || temp_lines+=" ${m}_temp_path $tmp/nginx/$m;"
done

# Defaults otherwise (sendfile off: one writev, the faster path for a few KB on loopback). open_file_cache
# spares nginx an open/fstat/close per request, as dxday's page cache spares it the rendering: a strong baseline.
write_nginx_conf() {
  cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  open_file_cache max=16;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  $temp_lines
  server {
    listen $host:$1;
    root $tmp/www;
    index index.html;
  }
}
EOF
}

port=$((dx_port + 1))
ng_port=""
while [ -z "$ng_port" ] && [ "$port" -lt 18600 ]; do
  if port_free "$port"; then
    write_nginx_conf "$port"
    setsid "$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' \
      >"$tmp/nginx/stdout.log" 2>&1 &
    ng_pid=$!
    if wait_http "$ng_pid" "http://$host:$port/"; then ng_port=$port; else stop "$ng_pid"; ng_pid=""; fi
  fi
  port=$((port + 1))
done
[ -n "$ng_port" ] || { cat "$tmp/nginx/error.log" "$tmp/nginx/stdout.log" >&2 2>/dev/null || true; die "nginx did not start"; }
curl -s --max-time 10 "http://$host:$ng_port/" | cmp -s - "$tmp/www/index.html" || die "nginx does not serve the same bytes"
log "nginx pid $ng_pid on $host:$ng_port"

# --- load ------------------------------------------------------------------------------------------
# Runs wrk (bounded by timeout) and prints "RPS P99_MS"; warns on stderr about errors or non-2xx answers.
run_wrk() {
  local label=$1 dur=$2 url=$3 out
  out=$(timeout $((dur + 30)) wrk "${wrk_args[@]}" -d"${dur}s" "$url") || die "wrk failed against $url"
  echo "$out" >"$tmp/wrk-$label.txt"
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    log "warning ($label): $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ';')"
  fi
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
      if (f < 0) { print "unknown latency unit " $2 > "/dev/stderr"; exit 1 }
      p99 = v * f
    }
    END { if (rps == "" || p99 == "") exit 1; printf "%s %s\n", rps, p99 }' <<<"$out" \
    || die "could not parse wrk output for $label"
}

bench() {
  local label=$1 url=$2
  log "warm-up $label (2 s)"
  run_wrk "$label-warm" 2 "$url" >/dev/null
  log "measure $label (${secs} s): $url"
  run_wrk "$label" "$secs" "$url"
}

orgs_url="http://$host:$dx_port/api/orgs?q=ha+noi"
code=$(curl -s -o "$tmp/orgs.json" -w '%{http_code}' --max-time 10 "$orgs_url")
log "GET /api/orgs?q=ha+noi answered $code, $(wc -c <"$tmp/orgs.json") bytes"

r=$(bench home "http://$host:$dx_port/");         read -r home_rps home_p99 <<<"$r"
r=$(bench nginx_home "http://$host:$ng_port/");   read -r ng_rps ng_p99 <<<"$r"
r=$(bench orgs_search "$orgs_url");               read -r orgs_rps orgs_p99 <<<"$r"
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$dx_pid/status")

# --- report ----------------------------------------------------------------------------------------
awk -v hr="$home_rps" -v hp="$home_p99" -v nr="$ng_rps" -v np="$ng_p99" \
    -v sr="$orgs_rps" -v sp="$orgs_p99" -v rss="$rss_kb" 'BEGIN {
  printf "home_rps: %.0f req/s\n", hr
  printf "home_p99: %.2f ms\n", hp
  printf "nginx_home_rps: %.0f req/s\n", nr
  printf "nginx_home_p99: %.2f ms\n", np
  printf "home_vs_nginx: %.2f\n", (nr > 0 ? hr / nr : 0)
  printf "orgs_search_rps: %.0f req/s\n", sr
  printf "orgs_search_p99: %.2f ms\n", sp
  printf "dxday_rss: %.1f MB\n", rss / 1024
}'
