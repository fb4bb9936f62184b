#!/usr/bin/env bash
# make bench, MOOC part: a lesson page and a quiz submission against nginx serving the same bytes, and quiz
# submissions per second on SQLite with 100,000 learners enrolled. Loopback only; every run bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
learners=${BENCH_LEARNERS:-100000}
tmp=$(mktemp -d --tmpdir --suffix=-dxday-bench-mooc)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
pgdir=""
trap '[ -n "$pgdir" ] && bash tests/pg/stop.sh "$pgdir"; cleanup' EXIT

. bench/lib.sh

# 1. The demo database (its courses) and 100,000 learners enrolled in the first course; 1,000 of them signed in.
db="$tmp/mooc.db"
build/dxday --db "$db" seed-demo >/dev/null
python3 - "$db" "$learners" "$tmp/sessions.lua" "$tmp/quiz.txt" <<'PY'
import hashlib, json, secrets, sqlite3, sys
db, n, lua_out, quiz_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = sqlite3.connect(db)
course_id, slug = c.execute("SELECT id, slug FROM course WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()
quiz_id, quiz = c.execute("SELECT id, slug FROM quiz WHERE course_id = ? ORDER BY lesson_id IS NULL, id LIMIT 1", (course_id,)).fetchone()
lesson = c.execute("SELECT slug FROM lesson WHERE course_id = ? ORDER BY seq LIMIT 1", (course_id,)).fetchone()[0]
answers = {str(seq): json.loads(ans) for seq, ans in c.execute("SELECT seq, answer FROM question WHERE quiz_id = ?", (quiz_id,))}
answers = {k: (v[0] if isinstance(v, list) and v and isinstance(v[0], str) else v) for k, v in answers.items()}
now, later = "2026-11-24T00:00:00Z", "2099-01-01T00:00:00Z"
first = c.execute("SELECT COALESCE(MAX(id), 0) FROM app_user").fetchone()[0] + 1
c.executemany("INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)",
              ((first + i, f"hocvien{i}@vidu.vn", f"Học viên {i}", now) for i in range(n)))
c.executemany("INSERT INTO enrolment (user_id, course_id, enrolled_at) VALUES (?, ?, ?)",
              ((first + i, course_id, now) for i in range(n)))
sessions = []
for i in range(0, n, max(1, n // 1000)):
    token, csrf = secrets.token_hex(24), secrets.token_hex(16)
    c.execute("INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
              (hashlib.sha256(token.encode()).hexdigest(), first + i, csrf, now, later))
    sessions.append((token, csrf))
c.commit()
with open(lua_out, "w") as f:
    f.write("sessions = {" + ",".join('{"%s","%s"}' % s for s in sessions) + "}\n")
    f.write("body_tail = %s\n" % json.dumps(', "answers": ' + json.dumps(answers) + "}"))
with open(quiz_out, "w") as f:
    f.write(f"/khoa-hoc/{slug}/{lesson} /api/courses/{slug}/quizzes/{quiz}/attempts\n")
PY
read -r lesson_path quiz_path < "$tmp/quiz.txt"
cat >> "$tmp/sessions.lua" <<'EOT'
-- Every wrk run (the warm-up, the measured run, each engine) sends nonces of its own: a repeated nonce is answered from
-- the first attempt, which is cheaper and not what is measured.
local counter, id, started = 0, 0, os.time()
function setup(thread) id = id + 1; thread:set("tid", id) end
function request()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  local body = '{"nonce": "b' .. started .. '-' .. tid .. '-' .. counter .. '"' .. body_tail
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Cookie"] = "dxday_session=" .. s[1],
                                   ["X-CSRF-Token"] = s[2] }, body)
end
EOT

# A count on either engine: q DB SQL.
q() { case $1 in postgres*://*) psql -XAtq "$1" -c "$2";; *) sqlite3 "$1" "$2";; esac; }

# 2.–4. on one engine: bench_engine PREFIX DB prints every figure with PREFIX before its name ("" for SQLite).
bench_engine() {
local pre=$1 db=$2
# 2. dxday on it.
port=$(free_port 18800)
DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" >"$tmp/dxday.log" 2>&1 &
dx_pid=$!
pids+=("$dx_pid")
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
curl -sf "http://127.0.0.1:$port$lesson_path" > "$tmp/lesson.html" || { echo "bench: $lesson_path failed" >&2; exit 1; }
echo "${pre}lesson_page_bytes: $(stat -c %s "$tmp/lesson.html") B"
one=$(sed -n 's/^sessions = {{"\([^"]*\)","\([^"]*\)"}.*/\1 \2/p' "$tmp/sessions.lua")
tail=$(sed -n 's/^body_tail = //p' "$tmp/sessions.lua" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read()))')
curl -sf -X POST -H "Content-Type: application/json" -H "Cookie: dxday_session=${one% *}" -H "X-CSRF-Token: ${one#* }" \
  -d "{\"nonce\": \"bench-probe-${pre}0001\"$tail" "http://127.0.0.1:$port$quiz_path" > "$tmp/attempt.json" \
  || { echo "bench: a quiz submission failed" >&2; cat "$tmp/dxday.log" >&2; exit 1; }

# 3. nginx with the same bytes: the lesson as a file, the submission's answer as a fixed reply to the same POST.
mkdir -p "$tmp/www"
cp "$tmp/lesson.html" "$tmp/www/lesson.html"
reply=$(sed 's/\\/\\\\/g; s/'"'"'/\\'"'"'/g' "$tmp/attempt.json")
nport=$(free_port 18900)
cat > "$tmp/nginx.conf" <<EOT
worker_processes auto; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 100000;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server { listen 127.0.0.1:$nport; root $tmp/www;
    location = $lesson_path { default_type text/html; try_files /lesson.html =404; }
    location = $quiz_path { default_type application/json; return 200 '$reply'; } } }
EOT
nginx -c "$tmp/nginx.conf" -g 'daemon off;' &
ng_pid=$!
pids+=("$ng_pid")
timeout 10 bash -c "until curl -sf http://127.0.0.1:$nport$lesson_path >/dev/null; do sleep 0.1; done"

# 4. Under load: the lesson an anonymous reader opens, then quiz submissions by 1,000 signed-in learners in turn.
a=$(measure ${pre}lesson "http://127.0.0.1:$port$lesson_path")
b=$(measure ${pre}nginx_lesson "http://127.0.0.1:$nport$lesson_path")
echo "$a"; echo "$b"; ratio ${pre}lesson "$a" "$b"
before=$(q "$db" "SELECT COUNT(*) FROM quiz_attempt")
a=$(measure ${pre}quiz "http://127.0.0.1:$port$quiz_path" -s "$tmp/sessions.lua")
b=$(measure ${pre}nginx_quiz "http://127.0.0.1:$nport$quiz_path" -s "$tmp/sessions.lua")
echo "$a"; echo "$b"; ratio ${pre}quiz "$a" "$b"
after=$(q "$db" "SELECT COUNT(*) FROM quiz_attempt")
echo "${pre}quiz_attempts_stored: $((after - before)) rows"
echo "${pre}mooc_learners: $(q "$db" "SELECT COUNT(*) FROM enrolment") enrolled"
lr=$(echo "$a" | awk '/quiz_rps/ {print $2}')
echo "${pre}quiz_target_2000_per_s: $(awk -v r="$lr" 'BEGIN {print (r >= 2000 ? "met" : "missed")}')"
kill "$ng_pid" 2>/dev/null; wait "$ng_pid" 2>/dev/null || true
}

# PostgreSQL gets a copy of the same data now, before SQLite's run records attempts whose nonces the PostgreSQL run
# would then repeat (a repeated nonce is answered from the first attempt: cheaper, and not what is measured).
pgdir=$(mktemp -d /tmp/dxday-bench-pg.XXXXXX)
pg_url=$(pg_copy_of "$db" "$pgdir")
bench_engine "" "$db"
kill "$dx_pid" 2>/dev/null; wait "$dx_pid" 2>/dev/null || true
# The same from PostgreSQL (figures named pg_*), then two nodes on it behind nginx.
[ -n "$pg_url" ] || exit 0
bench_engine pg_ "$pg_url"
port2=$(free_port $((port + 1)))
DXDAY_NO_REMINDERS=1 build/dxday --db "$pg_url" serve --port "$port2" >"$tmp/dxday2.log" 2>&1 &
pids+=($!)
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port2/healthz >/dev/null; do sleep 0.1; done"
# One nginx in front, first with one node and then with both, so the proxy's own cost is in both figures.
for n in 1 2; do
  up="server 127.0.0.1:$port;"
  [ $n = 2 ] && up="$up server 127.0.0.1:$port2;"
  pport=$(free_port 18950)
  cat > "$tmp/proxy$n.conf" <<EOT
worker_processes auto; pid $tmp/proxy$n.pid; error_log $tmp/proxy-error.log;
events { worker_connections 1024; }
http { access_log off; upstream dxday { $up keepalive 64; }
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server { listen 127.0.0.1:$pport; location / { proxy_pass http://dxday; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Host \$host; } } }
EOT
  nginx -c "$tmp/proxy$n.conf" -g 'daemon off;' &
  px=$!
  pids+=("$px")
  timeout 10 bash -c "until curl -sf http://127.0.0.1:$pport/healthz >/dev/null; do sleep 0.1; done"
  measure pg_nodes${n}_quiz "http://127.0.0.1:$pport$quiz_path" -s "$tmp/sessions.lua" | grep -E '_rps|_p99'
  kill "$px" 2>/dev/null; wait "$px" 2>/dev/null || true
done
