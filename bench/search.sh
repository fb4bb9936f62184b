#!/usr/bin/env bash
# make bench, search part: 100,000 passages indexed with the Vietnamese tokenizer (plus the seed documents when
# ../shared/seeds is there), then search and the assistant under wrk. Loopback only; every run bounded by wrk's -d.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
passages=${BENCH_PASSAGES:-100000}
tmp=$(mktemp -d /tmp/dxday-bench-search.XXXXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

. bench/lib.sh

# BENCH_DB=path keeps the indexed database there and reuses it when it is already there (profiling, repeated runs).
db=${BENCH_DB:-$tmp/search.db}
if [ -n "${BENCH_DB:-}" ] && [ -s "$db" ]; then
  echo "bench: reusing $db" >&2
else
build/dxday --db "$db" seed-demo >/dev/null
if ls ../shared/seeds/*.txt >/dev/null 2>&1; then
  for f in ../shared/seeds/*.txt; do build/dxday --db "$db" import-plan "$f" --save >/dev/null; done
fi
# Synthetic passages in the words of real plans: syllables drawn with a Zipf-like skew, sentences of 12-20 of them.
python3 - "$tmp/corpus.txt" "$passages" tests/fixtures/plans/*.txt <<'PY'
import random, re, sys
out, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
words = []
for f in files:
    words += re.findall(r"[^\W\d_]+", open(f, encoding="utf8", errors="ignore").read())
vocab = sorted(set(w for w in words if len(w) > 1))
rng = random.Random(42)
with open(out, "w", encoding="utf8") as o:
    for i in range(n):
        sents = []
        for _ in range(rng.randint(3, 6)):
            k = rng.randint(12, 20)
            s = " ".join(vocab[int(rng.random() ** 2 * len(vocab))] for _ in range(k))
            sents.append(s[0].upper() + s[1:] + ".")
        o.write(" ".join(sents) + "\n")
PY
start=$(date +%s.%N)
build/dxday --db "$db" bench-index "$tmp/corpus.txt" >&2
end=$(date +%s.%N)
echo "search_index_rate: $(awk -v n="$passages" -v a="$start" -v b="$end" 'BEGIN {printf "%d", n / (b - a)}') passages/s"
fi
echo "search_passages: $(sqlite3 "$db" 'SELECT COUNT(*) FROM search_passage') rows"


# Questions of the assistant's evaluation set. "ask_repeated" asks them in turn, as citizens ask the same things: after
# the first round the answers come from the answer cache. "ask" makes every question new (a number appended: a term no
# passage holds, so the retrieval is the same but the cache never answers) — the cost of a question never seen before,
# at saturation (32 connections on 2 cores: mostly queueing) and at 2 connections (one per core: the latency a person
# sees when the server is not overloaded). Search the same way: "search" makes every query new ("zq" and a counter, a
# term no passage holds), "search_repeated" repeats seven queries (a counter in the URL keeps the page cache out, so
# the result cache is what answers).
python3 - "$tmp/ask.lua" "$tmp/ask_repeated.lua" "$tmp/search.lua" "$tmp/search_repeated.lua" <<'PY'
import json, sys
qs = [l.split("\t")[0] for l in open("tests/fixtures/ask/seed_questions.tsv", encoding="utf8") if l.strip() and not l.startswith("#")]
qs = [q for q in qs if '"' not in q and "\\" not in q and "]==]" not in q]
table = "local qs = {" + ",".join("[==[" + q + "]==]" for q in qs) + "}\nlocal i = 0\n"
body = lambda suffix: """request = function()
  i = i + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, '{"q":"' .. qs[(i %% #qs) + 1] .. '%s"}')
end
""" % suffix
open(sys.argv[1], "w", encoding="utf8").write(table + body(" zq' .. i .. '"))
open(sys.argv[2], "w", encoding="utf8").write(table + body(""))
words = ["chuyen doi so", "to cong nghe so cong dong", "dich vu cong truc tuyen", "ke hoach", "tuyen truyen", "nghe an", "thanh nien"]
search = lambda suffix: "local qs = {" + ",".join(json.dumps(w) for w in words) + """}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i %% #qs) + 1]:gsub(" ", "+") .. "%s" .. "&n=" .. i)
end
""" % suffix
open(sys.argv[3], "w", encoding="utf8").write(search("+zq\" .. i .. \""))
open(sys.argv[4], "w", encoding="utf8").write(search(""))
PY
# One server (build/dxday, or BENCH_BEFORE: another build, e.g. main's, for a before/after in one run on the same
# database and machine) measured as above; its figures named with the prefix given ("" or "before_"), then its rss.
run_server() {  # binary prefix
  local bin=$1 pre=$2 port pid a a2 r s s2 m p99
  port=$(free_port "${BENCH_PORT:-18800}")
  DXDAY_NO_REMINDERS=1 DXDAY_ASK_PER_MINUTE=100000000 "$bin" --db "$db" serve --port "$port" >"$tmp/dxday-$pre.log" 2>&1 &
  pid=$!
  pids+=($pid)
  timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
  # What both builds must answer alike, byte for byte: every question of the set and the searches, in a hash.
  echo "${pre}results_sha256: $(python3 - "$port" <<'PY'
import hashlib, json, sys, urllib.parse, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
h = hashlib.sha256()
qs = [l.split("\t")[0] for l in open("tests/fixtures/ask/seed_questions.tsv", encoding="utf8") if l.strip() and not l.startswith("#")]
for q in qs:
    req = urllib.request.Request(base + "/api/ask", json.dumps({"q": q}).encode(), {"Content-Type": "application/json"})
    h.update(urllib.request.urlopen(req).read())
for q in ["chuyen doi so", "to cong nghe so cong dong", "dich vu cong truc tuyen", "ke hoach", "tuyen truyen", "nghe an",
          "thanh nien", "chuyển đổi số quốc gia", "ngay 10 thang 10"]:
    for extra in ["", "&loai=task", "&limit=200"]:
        h.update(urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote_plus(q) + extra).read())
print(h.hexdigest()[:16])
PY
)"
  a=$(measure "${pre}ask" "http://127.0.0.1:$port/" -s "$tmp/ask.lua")
  a2=$(conns=2 measure "${pre}ask_c2" "http://127.0.0.1:$port/" -s "$tmp/ask.lua")
  r=$(measure "${pre}ask_repeated" "http://127.0.0.1:$port/" -s "$tmp/ask_repeated.lua")
  s=$(measure "${pre}search" "http://127.0.0.1:$port/" -s "$tmp/search.lua")
  s2=$(measure "${pre}search_repeated" "http://127.0.0.1:$port/" -s "$tmp/search_repeated.lua")
  echo "$a"; echo "$a2"; echo "$r"; echo "$s"; echo "$s2"
  for m in ask ask_c2 ask_repeated; do
    p99=$(printf '%s\n%s\n%s\n' "$a" "$a2" "$r" | awk -v k="${pre}${m}_p99:" '$1 == k {print $2}')
    echo "${pre}${m}_p99_target_20ms: $(awk -v p="$p99" 'BEGIN {print (p > 0 && p < 20 ? "met" : "missed")}')"
  done
  p99=$(echo "$s" | awk -v k="${pre}search_p99:" '$1 == k {print $2}')
  echo "${pre}search_target_1000rps_p99_50ms: $(echo "$s" | awk -v p="$p99" '/_rps:/ {print ($2 >= 1000 && p > 0 && p < 50 ? "met" : "missed")}')"
  echo "${pre}search_dxday_rss: $(ps -o rss= -p "$pid" | awk '{printf "%.1f MB", $1 / 1024}')"
  # Of which the process's own memory and mapped files (the database's pages, the binary and its libraries).
  echo "${pre}search_dxday_rss_anon_file: $(awk '/^RssAnon|^RssFile/ {printf "%s%.1f MB", (n++ ? " + " : ""), $2 / 1024}' /proc/"$pid"/status)"
  echo "${pre}search_dxday_rss_target_128MB: $(ps -o rss= -p "$pid" | awk '{print ($1 < 128 * 1024 ? "met" : "missed")}')"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
[ -n "${BENCH_BEFORE:-}" ] && run_server "$BENCH_BEFORE" before_
run_server build/dxday ""
