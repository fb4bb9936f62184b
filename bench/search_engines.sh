#!/usr/bin/env bash
# Search and the assistant on SQLite and on PostgreSQL, side by side: the same data on each (demo, seed documents,
# synthetic passages), then 200 varied searches and 100 questions one after another, timed, and their answers compared.
# Must not touch a database it did not create: PostgreSQL is BENCH_PG's server (a database of its own) or a throwaway.
set -euo pipefail
cd "$(dirname "$0")/.."
passages=${BENCH_PASSAGES:-20000}
tmp=$(mktemp -d /tmp/dxday-bench-engines.XXXXXXXX)
pids=() pgdir="" pgdb="" admin=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "$pgdb" ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1
  [ -n "$pgdir" ] && bash tests/pg/stop.sh "$pgdir" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

. bench/lib.sh

if [ -n "${BENCH_PG:-}" ]; then admin=$BENCH_PG; else pgdir="$tmp/pg"; admin=$(bash tests/pg/start.sh "$pgdir"); fi
pgdb="dxday_bench_engines_$$"
psql "$admin" -qc "CREATE DATABASE $pgdb"
pg="${admin%/*}/$pgdb"

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
            s = " ".join(vocab[int(rng.random() ** 2 * len(vocab))] for _ in range(rng.randint(12, 20)))
            sents.append(s[0].upper() + s[1:] + ".")
        o.write(" ".join(sents) + "\n")
PY

ports=()
for eng in sqlite postgresql; do
  db="$tmp/bench.db"; [ "$eng" = postgresql ] && db=$pg
  build/dxday --db "$db" migrate >/dev/null
  build/dxday --db "$db" seed-demo >/dev/null
  if ls ../shared/seeds/*.txt >/dev/null 2>&1; then
    for f in ../shared/seeds/*.txt; do build/dxday --db "$db" import-plan "$f" --save >/dev/null; done
  fi
  start=$(date +%s.%N)
  build/dxday --db "$db" bench-index "$tmp/corpus.txt" >/dev/null
  end=$(date +%s.%N)
  echo "engines_${eng}_index_rate: $(awk -v n="$passages" -v a="$start" -v b="$end" 'BEGIN {printf "%d", n / (b - a)}') passages/s"
  port=$(free_port $((18900 + ${#ports[@]} * 20)))
  DXDAY_NO_REMINDERS=1 DXDAY_ASK_PER_MINUTE=100000000 build/dxday --db "$db" serve --port "$port" --bind 127.0.0.1 \
    >"$tmp/$eng.log" 2>&1 &
  pids+=($!)
  timeout 20 bash -c "until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.1; done"
  ports+=("$port")
done

# 200 searches: runs of one to four words of the evaluation questions, each new to the server (no cache answers);
# 100 questions: the evaluation questions with a term no passage holds and a counter, so each is new too. One
# connection, one request after another: the time one person waits, and the engines compared on the same work.
python3 - "${ports[0]}" "${ports[1]}" <<'PY'
import json, sys, time, urllib.parse, urllib.request
ports = {"sqlite": sys.argv[1], "postgresql": sys.argv[2]}
qs = [l.split("\t")[0] for l in open("tests/fixtures/ask/seed_questions.tsv", encoding="utf8") if l.strip() and not l.startswith("#")]
searches, seen = [], set()
for n in (2, 1, 3, 4):
    for q in qs:
        w = q.replace("?", "").split()
        for i in range(0, len(w) - n + 1, n):
            s = " ".join(w[i:i + n])
            if s.lower() not in seen and len(searches) < 200:
                seen.add(s.lower()); searches.append(s)
questions = ["%s zq%d" % (qs[i % len(qs)], i) for i in range(100)]

def get(port, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), data=body,
                                 headers={"Content-Type": "application/json"} if body else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())

def strip(a):  # the question echoed back carries the counter; everything else must match
    a.pop("query", None); a.pop("question", None)
    return a

out = {}
for eng, port in ports.items():
    res, lat = [], []
    for s in searches:
        t = time.perf_counter(); res.append(strip(get(port, "/api/search?" + urllib.parse.urlencode({"q": s, "limit": 20}))))
        lat.append((time.perf_counter() - t) * 1000)
    slow = sorted(zip(lat, searches), reverse=True)[:3]
    print("bench: %s: slowest searches: %s" % (eng, ", ".join("%r %.0f ms" % (q, t) for t, q in slow)), file=sys.stderr)
    ans, alat = [], []
    for q in questions:
        t = time.perf_counter(); ans.append(strip(get(port, "/api/ask", json.dumps({"q": q}).encode())))
        alat.append((time.perf_counter() - t) * 1000)
    out[eng] = (res, ans)
    lat.sort(); alat.sort()
    print("engines_%s_search_200: %.0f ms" % (eng, sum(lat)))
    print("engines_%s_search_p50: %.2f ms" % (eng, lat[len(lat) // 2]))
    print("engines_%s_search_p99: %.2f ms" % (eng, lat[len(lat) * 99 // 100]))
    print("engines_%s_ask_100: %.0f ms" % (eng, sum(alat)))
    print("engines_%s_ask_p50: %.2f ms" % (eng, alat[len(alat) // 2]))
    print("engines_%s_ask_p99: %.2f ms" % (eng, alat[len(alat) * 99 // 100]))
    sys.stdout.flush()
same = lambda a, b: sum(json.dumps(x, sort_keys=True) == json.dumps(y, sort_keys=True) for x, y in zip(a, b))
print("engines_same_search_results: %d/%d" % (same(out["sqlite"][0], out["postgresql"][0]), len(searches)))
print("engines_same_answers: %d/%d" % (same(out["sqlite"][1], out["postgresql"][1]), len(questions)))
PY
