# Shared by the bench scripts (sourced after they cd to the repository root and set $secs): a free loopback port,
# wrk's latencies in milliseconds, and one measured URL printed as name_rps / name_p50 / name_p99 lines.
free_port() { local p; for p in $(seq "$1" $(($1 + 100))); do (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null || { echo "$p"; return; }; done; }
ms() { awk '{v=$1; u=$1; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v); if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v}'; }
measure() {  # name url [extra wrk args...]; $conns connections (32 unless set)
  local name=$1 url=$2 c=${conns:-32}; shift 2
  wrk -t2 -c"$c" -d2s "$@" "$url" >/dev/null 2>&1 || true
  local out; out=$(wrk -t2 -c"$c" -d"${secs}s" --latency "$@" "$url")
  # A 403 or a timeout answers fast and would flatter the figures: say so next to them.
  if echo "$out" | grep -qE 'Non-2xx|Socket errors'; then echo "$out" | grep -E 'Non-2xx|Socket errors' | sed "s/^/bench: $name: /" >&2; fi
  echo "${name}_rps: $(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}') req/s"
  echo "${name}_p50: $(echo "$out" | awk '$1=="50%" {print $2}' | ms) ms"
  echo "${name}_p99: $(echo "$out" | awk '$1=="99%" {print $2}' | ms) ms"
}

# One figure from two measure outputs: dxday's requests per second over nginx's on the same bytes.
ratio() {  # name "dxday lines" "nginx lines"
  local ra rb
  ra=$(echo "$2" | awk '/_rps/ {print $2}'); rb=$(echo "$3" | awk '/_rps/ {print $2}')
  echo "${1}_vs_nginx: $(awk -v a="$ra" -v b="$rb" 'BEGIN {printf "%.3g", (b > 0 ? a / b : 0)}')"
}

# Signs in through the API as a demo account and prints the session cookie's value: sign_in PORT EMAIL PASSWORD JAR.
sign_in() {
  local csrf
  csrf=$(curl -s -c "$4" "http://127.0.0.1:$1/api/login" | sed 's/.*"csrf":"\([^"]*\)".*/\1/')
  curl -s -b "$4" -c "$4" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf" \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" "http://127.0.0.1:$1/api/login" >/dev/null
  awk '$6=="dxday_session" {print $7}' "$4"
}

# PostgreSQL beside SQLite: a server of the bench's own (tests/pg/start.sh into DIR, fsync on like SQLite's
# synchronous=FULL) holding what `dxday copy` makes of the SQLite database; prints its URL, or nothing (and says why
# on stderr) where PostgreSQL is not installed. pg_copy_of SQLITE_DB DIR (outside the bench's private temporary directory:
# as root the server runs as postgres, who must reach DIR); stop it with tests/pg/stop.sh DIR.
pg_copy_of() {
  local url
  url=$(DXDAY_PG_DURABLE=1 DXDAY_PG_PORTS=${BENCH_PG_PORTS:-15950-15999} bash tests/pg/start.sh "$2" 2>/dev/null) \
    || { echo "bench: PostgreSQL could not be started (scripts/deps.sh test installs it); its figures are skipped" >&2; return 0; }
  build/dxday copy --from "$1" --to "$url" >"$2/copy.log" 2>&1 \
    || { echo "bench: dxday copy failed:" >&2; tail -5 "$2/copy.log" >&2; return 0; }
  echo "bench: dxday copy: $(tail -1 "$2/copy.log")" >&2
  echo "$url"
}

# nginx serving, at the same paths, the bytes dxday sends for each page, as the yardstick of a signed-in page:
# mirror_pages DXDAY_PORT NGINX_PORT_FROM "HEADER" PAGE... where each PAGE is "name path file content-type". Sets nport
# and ng_pid (added to pids); files and the config go in $tmp.
mirror_pages() {
  local dport=$1 from=$2 hdr=$3 p name path file ctype locations=""
  shift 3
  mkdir -p "$tmp/www"
  for p in "$@"; do
    read -r name path file ctype <<<"$p"
    curl -sf -H "$hdr" "http://127.0.0.1:$dport$path" > "$tmp/www/$file"
    echo "bench: $name $(stat -c %s "$tmp/www/$file") bytes" >&2
    locations+="location = ${path%%\?*} { default_type $ctype; try_files /$file =404; } "
  done
  nport=$(free_port "$from")
  cat > "$tmp/nginx.conf" <<EOT
worker_processes auto; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; default_type text/html; keepalive_requests 100000;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server { listen 127.0.0.1:$nport; root $tmp/www; $locations } }
EOT
  nginx -c "$tmp/nginx.conf" -g 'daemon off;' &
  ng_pid=$!
  pids+=("$ng_pid")
  read -r _ path _ _ <<<"$1"
  timeout 10 bash -c "until curl -sf http://127.0.0.1:$nport$path >/dev/null; do sleep 0.1; done"
}
