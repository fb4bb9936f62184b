#!/usr/bin/env bash
# make bench, knowledge contests: a round with 200,000 participants on SQLite — attempts submitted per second, and the
# live ranking page's latency while they arrive. Must not touch anything but 127.0.0.1 and its own temp dir; every run
# is bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
people=${BENCH_PARTICIPANTS:-200000}
waiting=${BENCH_WAITING:-60000}     # of them, started and not yet submitted: the ones wrk submits for
tmp=$(mktemp -d --tmpdir --suffix=-dxday-bench-qc)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
. bench/lib.sh

# 1. The demo database; its open round gets 200,000 participants in the 34 provinces: the rest already scored, the
#    $waiting last started a minute ago with a session each; 1,000 scored ones signed in too (their page counts their rank).
db="$tmp/qc.db"
build/dxday --db "$db" seed-demo >/dev/null
python3 - "$db" "$people" "$waiting" "$tmp" <<'PY'
import hashlib, json, random, secrets, sqlite3, sys, time
db, n, waiting, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
c = sqlite3.connect(db)
slug, rid = c.execute("SELECT c.slug, r.id FROM contest c JOIN quiz_round r ON r.contest_id = c.id WHERE c.kind = 'quiz' "
                      "AND r.opens_at <= strftime('%Y-%m-%dT%H:%M:%SZ','now') AND r.closes_at > strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                      "ORDER BY r.id LIMIT 1").fetchone()
rn = c.execute("SELECT n FROM quiz_round WHERE id = ?", (rid,)).fetchone()[0]
answers = {}
for seq, kind, ans in c.execute("SELECT seq, kind, answer FROM contest_question WHERE round_id = ?", (rid,)):
    a = json.loads(ans)
    answers[str(seq)] = a[0] if kind == 'short' else a
provs = [r[0] for r in c.execute("SELECT id FROM org_unit WHERE kind = 'province' AND valid_to IS NULL ORDER BY id")]
rnd = random.Random(17)
now_ms = int(time.time() * 1000)
iso = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
later = "2099-01-01T00:00:00Z"
first = c.execute("SELECT COALESCE(MAX(id), 0) FROM app_user").fetchone()[0] + 1
c.executemany("INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)",
              ((first + i, f"thisinh{i}@bench.vn", f"Thí sinh {i}", iso) for i in range(n)))
c.executemany("INSERT INTO contest_participant (user_id, name, province_id, age_band, created_at) VALUES (?, ?, ?, '25-34', ?)",
              ((first + i, f"Thí sinh {i}", provs[i % len(provs)], iso) for i in range(n)))
scored = n - waiting
def attempt(i):
    done = i < scored
    started = now_ms - (3600_000 if done else 60_000)
    t = rnd.randint(40_000, 600_000) if done else None
    return (rid, first + i, provs[i % len(provs)], '[]', started, iso, iso if done else None, t,
            rnd.randint(0, 10) if done else None, '{}' if done else None)
c.executemany("INSERT INTO contest_attempt (round_id, user_id, province_id, qorder, started_ms, started_at, finished_at, "
              "time_ms, score, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (attempt(i) for i in range(n)))
# The rank slices the server keeps on each submission (store_qc_slice_add), made here for what was written directly.
c.execute("DELETE FROM contest_rank_slice WHERE round_id = ?", (rid,))
for prov, group in (("0", ""), ("province_id", "province_id, ")):
    c.execute(f"INSERT INTO contest_rank_slice (round_id, province_id, score, slice, n) SELECT round_id, {prov}, score, "
              f"time_ms / 10000, COUNT(*) FROM contest_attempt WHERE round_id = ? AND score IS NOT NULL "
              f"GROUP BY round_id, {group}score, time_ms / 10000", (rid,))
def sessions(users, name):
    rows = []
    for u in users:
        token, csrf = secrets.token_hex(24), secrets.token_hex(16)
        rows.append((hashlib.sha256(token.encode()).hexdigest(), u, csrf, iso, later))
        yield token, csrf
    c.executemany("INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", rows)
# Sessions one per line ("token csrf"): a Lua table literal of 60,000 would pass LuaJIT's constant limit.
with open(f"{out}/submit.txt", "w") as f:
    f.write("".join("%s %s\n" % s for s in sessions(range(first + scored, first + n), "w")))
with open(f"{out}/reader.txt", "w") as f:
    f.write("".join("%s %s\n" % s for s in sessions(range(first, first + scored, max(1, scored // 1000)), "r")))
with open(f"{out}/submit.lua", "w") as f:
    f.write("body = %s\n" % json.dumps(json.dumps({"answers": answers})))
c.commit()
with open(f"{out}/paths.txt", "w") as f:
    f.write(f"/cuoc-thi/{slug}/vong/{rn} /api/contests/{slug}/rounds/{rn}\n")
PY
read -r page api < "$tmp/paths.txt"
cat >> "$tmp/submit.lua" <<EOT
$(cat <<'LUA'
function load_sessions(path)
  local t = {}
  for line in io.lines(path) do local a, b = line:match("(%S+) (%S+)"); t[#t + 1] = { a, b } end
  return t
end
LUA
)
sessions = load_sessions("$tmp/submit.txt")
EOT
cat >> "$tmp/submit.lua" <<'EOT'
-- Each thread takes every other waiting participant, once: one attempt each, as the contest allows.
-- The run's first argument skips the participants earlier runs submitted for.
local id, counter, skip = 0, 0, 0
function setup(thread) id = id + 1; thread:set("tid", id) end
function init(args) skip = tonumber(args[1] or "0") end
function request()
  local s = sessions[skip + tid + 2 * counter] or sessions[1]
  counter = counter + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Cookie"] = "dxday_session=" .. s[1],
                                   ["X-CSRF-Token"] = s[2] }, body)
end
EOT
cat > "$tmp/reader.lua" <<EOT
$(cat <<'LUA'
function load_sessions(path)
  local t = {}
  for line in io.lines(path) do local a, b = line:match("(%S+) (%S+)"); t[#t + 1] = { a, b } end
  return t
end
LUA
)
sessions = load_sessions("$tmp/reader.txt")
EOT
cat >> "$tmp/reader.lua" <<'EOT'
local counter = 0
function request()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  return wrk.format("GET", nil, { ["Cookie"] = "dxday_session=" .. s[1], ["Accept"] = "application/json" })
end
EOT

port=$(free_port 19150)
# BENCH_THREADS: the server's worker threads (its default: one per core). Writers waiting for a sync hold a worker each.
DXDAY_NO_REMINDERS=1 build/dxday --db "$db" serve --port "$port" ${BENCH_THREADS:+--threads "$BENCH_THREADS"} >"$tmp/dxday.log" 2>&1 &
pids+=($!)
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
base="http://127.0.0.1:$port"
echo "qc_sqlite_synchronous: ${DXDAY_SYNCHRONOUS:-full}"
echo "qc_participants: $(sqlite3 "$db" "SELECT COUNT(*) FROM contest_attempt") attempts in the round"
echo "qc_ranking_page_bytes: $(curl -sf "$base$page" | wc -c) B"

# 2. The ranking page alone (anonymous, HTML), and a scored participant's page (it counts their own rank).
conns=8 measure qc_ranking_idle "$base$page"
conns=8 measure qc_own_rank_idle "$base$api" -s "$tmp/reader.lua"

# The server's own CPU time (user + system, in ms): what a request costs whatever else the shared machine runs.
dx_pid=${pids[-1]}
cpu_ms() { awk '{print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$dx_pid/stat"; }
scored() { sqlite3 "$db" "SELECT COUNT(*) FROM contest_attempt WHERE score IS NOT NULL"; }

# 3. Submissions alone, by waiting participants, each once: their rate and the server's CPU per submission.
base_scored=$(scored)
c0=$(cpu_ms)
# BENCH_PERF=FILE: a perf profile of the server during this phase, for finding where a submission's time goes.
[ -n "${BENCH_PERF:-}" ] && perf record -q -g -p "$dx_pid" -o "$BENCH_PERF" -- sleep "$secs" 2>/dev/null &
wrk -t2 -c16 -d"${secs}s" --latency -s "$tmp/submit.lua" "$base$api/answers" -- 0 > "$tmp/alone.out"
c1=$(cpu_ms)
done1=$(( $(scored) - base_scored ))
echo "qc_submit_alone_rps: $(awk '/Requests\/sec/ {printf "%d", $2}' "$tmp/alone.out") req/s"
echo "qc_submit_alone_p99: $(awk '$1=="99%" {print $2}' "$tmp/alone.out" | ms) ms"
echo "qc_submit_cpu: $(awk -v c=$((c1 - c0)) -v n="$done1" 'BEGIN {printf "%.3f", n ? c / n : 0}') ms per submission (the server's user + system time)"

# 4. Submissions by the next waiting participants while anonymous readers load the ranking page.
before=$(scored)
wrk -t2 -c4 -d"${secs}s" --latency "$base$page" > "$tmp/read.out" &
rd=$!
wrk -t2 -c16 -d"${secs}s" --latency -s "$tmp/submit.lua" "$base$api/answers" -- "$((waiting / 2))" > "$tmp/submit.out"
wait "$rd"
after=$(scored)
for f in alone submit read; do
  if grep -qE 'Non-2xx|Socket errors' "$tmp/$f.out"; then grep -E 'Non-2xx|Socket errors' "$tmp/$f.out" | sed "s/^/bench: qc $f: /" >&2; fi
done
sub=$(awk '/Requests\/sec/ {printf "%d", $2}' "$tmp/submit.out")
echo "qc_submit_rps: $sub req/s"
echo "qc_submit_p99: $(awk '$1=="99%" {print $2}' "$tmp/submit.out" | ms) ms"
echo "qc_submitted_stored: $((after - before)) attempts scored ($(awk -v a=$((after - before)) -v s="$secs" 'BEGIN {printf "%d", a / s}')/s)"
echo "qc_ranking_live_rps: $(awk '/Requests\/sec/ {printf "%d", $2}' "$tmp/read.out") req/s"
p99=$(awk '$1=="99%" {print $2}' "$tmp/read.out" | ms)
echo "qc_ranking_live_p50: $(awk '$1=="50%" {print $2}' "$tmp/read.out" | ms) ms"
echo "qc_ranking_live_p99: $p99 ms"
echo "qc_target_2000_submits_per_s: $(awk -v r="$sub" 'BEGIN {print (r >= 2000 ? "met" : "missed")}')"
echo "qc_target_ranking_p99_50ms: $(awk -v p="$p99" 'BEGIN {print (p < 50 ? "met" : "missed")}')"
