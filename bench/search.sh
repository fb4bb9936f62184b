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

db="$tmp/search.db"
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
echo "search_passages: $(sqlite3 "$db" 'SELECT COUNT(*) FROM search_passage') rows"

port=$(free_port 18800)
DXDAY_NO_REMINDERS=1 DXDAY_ASK_PER_MINUTE=100000000 build/dxday --db "$db" serve --port "$port" >"$tmp/dxday.log" 2>&1 &
pids+=($!)
timeout 10 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"

# Questions of the assistant's evaluation set, and a counter in the search URL so the page cache never answers.
python3 - "$tmp/ask.lua" "$tmp/search.lua" <<'PY'
import json, sys
qs = [l.split("\t")[0] for l in open("tests/fixtures/ask/seed_questions.tsv", encoding="utf8") if l.strip() and not l.startswith("#")]
lua = "local qs = {" + ",".join(json.dumps(json.dumps({"q": q}, ensure_ascii=False), ensure_ascii=False) for q in qs) + "}\n"
open(sys.argv[1], "w", encoding="utf8").write(lua + """local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, qs[(i % #qs) + 1])
end
""")
words = ["chuyen doi so", "to cong nghe so cong dong", "dich vu cong truc tuyen", "ke hoach", "tuyen truyen", "nghe an", "thanh nien"]
open(sys.argv[2], "w", encoding="utf8").write("local qs = {" + ",".join(json.dumps(w) for w in words) + """}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. qs[(i % #qs) + 1]:gsub(" ", "+") .. "&n=" .. i)
end
""")
PY
a=$(measure ask "http://127.0.0.1:$port/" -s "$tmp/ask.lua")
s=$(measure search "http://127.0.0.1:$port/" -s "$tmp/search.lua")
echo "$a"; echo "$s"
p99=$(echo "$a" | awk '/ask_p99/ {print $2}')
echo "ask_p99_target_20ms: $(awk -v p="$p99" 'BEGIN {print (p > 0 && p < 20 ? "met" : "missed")}')"
echo "search_dxday_rss: $(ps -o rss= -p "${pids[0]}" | awk '{printf "%.1f MB", $1 / 1024}')"
