#!/usr/bin/env python3
# make bench, reports part: fills a database made by `dxday seed-demo` with a national-scale reporting year by year
# (about 10,000 units, five campaigns, ~1,000,000 submitted values, form_total to match) for bench/reports.sh.
# Usage: gen_reports.py DB [UNITS]. Figures go to stdout as `name: value unit`, progress to stderr.
import json
import random
import sqlite3
import sys
import time
import unicodedata
from datetime import date, timedelta

YEARS = range(2022, 2027)
BENCH_INDICATORS = 8          # added to every report form so it has 20 indicators, as real report forms do
REPORT_SHARE, PLAN_SHARE = 0.85, 0.90
DRAFT_SHARE, ON_TIME_SHARE = 0.02, 0.80


def fold(s):
    # Same keys as core/text.c's text_fold: lower case, marks dropped, đ as d, single spaces.
    s = unicodedata.normalize("NFD", s.lower().replace("đ", "d"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).split())


def open_on(unit, day):
    return (unit["from"] or "0000") <= day <= (unit["to"] or "9999")


def add_communes(db, rng, target):
    have = db.execute("SELECT COUNT(*) FROM org_unit").fetchone()[0]
    provinces = db.execute("SELECT id, path FROM org_unit WHERE kind = 'province' AND valid_to IS NULL ORDER BY id").fetchall()
    need = max(0, target - have)
    # Uneven provinces, as in life: weights between 0.5 and 1.5, remainders to the first ones.
    weights = [rng.uniform(0.5, 1.5) for _ in provinces]
    shares = [int(need * w / sum(weights)) for w in weights]
    for i in range(need - sum(shares)):
        shares[i % len(shares)] += 1
    next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM org_unit").fetchone()[0]
    units, aliases, n = [], [], 0
    for (pid, ppath), count in zip(provinces, shares):
        for _ in range(count):
            n += 1
            uid, name = next_id, f"Xã Thử nghiệm {n}"
            next_id += 1
            folded = fold(name)
            # valid_from is left open so the same communes report in every campaign, 2022 included: the bench wants
            # five years of national volume, not a faithful history of the 2025 reorganisation.
            units.append((uid, f"xa-bench-{uid}", "commune", "commune", pid, name, folded, f"{ppath}{uid}/"))
            aliases.append((uid, name, folded, folded.replace(" ", "")))
    with db:
        db.executemany("INSERT INTO org_unit (id, code, kind, level, parent_id, name, name_folded, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", units)
        db.executemany("INSERT INTO org_alias (org_id, alias, alias_folded, alias_compact, is_name) VALUES (?, ?, ?, ?, 1)", aliases)
        # The server keys its in-memory unit tree on this too, so a running server would rebuild it.
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('orgs_edited', ?)", (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),))
    return len(units)


def widen_report_form(db, form_id):
    # Eight more integer indicators after the built-in ones; skipped when a previous run already added them.
    last = db.execute("SELECT MAX(sort) FROM indicator WHERE form_id = ?", (form_id,)).fetchone()[0]
    rows = [(form_id, f"bench_{k:02d}", last + k, f"Chỉ tiêu thử nghiệm {k}", "lượt") for k in range(1, BENCH_INDICATORS + 1)]
    db.executemany("INSERT OR IGNORE INTO indicator (form_id, code, sort, label, type, unit, required, min, max) "
                   "VALUES (?, ?, ?, ?, 'integer', ?, 0, 0, 1000000)", rows)


def expected_units(units, assign, due):
    # form_assign semantics: any row matches when all its set columns match; org_id means the subtree under it.
    paths = {u["id"]: u["path"] for u in units}
    out = []
    for u in units:
        if u["kind"] == "nation" or not open_on(u, due):
            continue
        for kind, level, org in assign:
            if (kind is None or kind == u["kind"]) and (level is None or level == u["level"]) and \
               (org is None or u["path"].startswith(paths.get(org, "\0"))):
                out.append(u)
                break
    return out


SCALE = {"commune": 1, "province": 40, "ministry": 8, "association": 5, "youth_union": 20}


def value(rng, ind, kind):
    # One plausible value for an indicator: (num, txt). Rules of the report form hold (learners >= classes,
    # participants >= activities) because the pairs are drawn together in report_values.
    k = SCALE.get(kind, 3)
    t, code = ind["type"], ind["code"]
    if t == "integer":
        return rng.randint(0, 200 * k), None
    if t == "decimal":
        return round(rng.uniform(0, 50 * k), 1), None
    if t == "bool":
        return (1 if rng.random() < 0.9 else 0), None
    if t == "choice":
        return None, rng.choice(ind["choices"])
    if code == "so_ky_hieu":
        return None, f"{rng.randint(1, 999)}/KH-UBND"
    return (None, "Thiếu kinh phí và nhân lực cho Tổ công nghệ số cộng đồng.") if rng.random() < 0.2 else (None, None)


def report_values(rng, inds, kind):
    k = SCALE.get(kind, 3)
    acts = rng.randint(1, 30 * k)
    classes = rng.randint(0, 10 * k)
    fixed = {"so_hoat_dong": acts, "luot_tham_gia": acts * rng.randint(20, 300), "so_lop_tap_huan": classes,
             "so_hoc_vien": classes * rng.randint(10, 40) + rng.randint(0, 20), "nguoi_dan_duoc_huong_dan": rng.randint(0, 5000 * k),
             "so_hoat_dong_du_kien": rng.randint(1, 40 * k)}
    return [(i["id"], fixed[i["code"]], None) if i["code"] in fixed else (i["id"],) + value(rng, i, kind) for i in inds]


def load_form(db, rng, form, units, sub_id):
    """Submissions and values of one form, in one transaction. Returns (next id, submissions, values)."""
    due = form["due"]
    assign = db.execute("SELECT kind, level, org_id FROM form_assign WHERE form_id = ?", (form["id"],)).fetchall()
    inds = [dict(id=r[0], code=r[1], type=r[2], choices=json.loads(r[3]) if r[3] else None)
            for r in db.execute("SELECT id, code, type, choices FROM indicator WHERE form_id = ? ORDER BY sort", (form["id"],))]
    share = REPORT_SHARE if form["kind"] == "report" else PLAN_SHARE
    due_day = date.fromisoformat(due)
    # seed-demo's own demo submissions stay as they are; those units are skipped, and the totals below count them.
    taken = {r[0] for r in db.execute("SELECT org_id FROM submission WHERE form_id = ? AND period = ?", (form["id"], form["period"]))}
    subs, vals = [], []
    for u in expected_units(units, assign, due):
        if rng.random() >= share or u["id"] in taken:
            continue
        parts = u["path"].strip("/").split("/")
        top = int(parts[1]) if len(parts) > 1 else int(parts[0])
        hour = rng.randint(1, 10)   # 08:00–17:00 in Hà Nội is 01–10 UTC, so the UTC day is the local day
        if rng.random() < DRAFT_SHARE:
            day = due_day - timedelta(days=rng.randint(0, 30))
            subs.append((sub_id, form["id"], u["id"], form["period"], "draft", None, None, None, None, top, u["path"], u["kind"],
                         f"{day.isoformat()}T{hour:02d}:{rng.randint(0, 59):02d}:00Z"))
        else:
            on_time = rng.random() < ON_TIME_SHARE
            day = due_day - timedelta(days=rng.randint(0, 40)) if on_time else due_day + timedelta(days=rng.randint(1, 20))
            at = f"{day.isoformat()}T{hour:02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
            subs.append((sub_id, form["id"], u["id"], form["period"], "submitted", at, at, day.isoformat(), int(on_time), top, u["path"],
                         u["kind"], at))
        for ind_id, num, txt in report_values(rng, inds, u["kind"]):
            if num is not None or txt is not None:
                vals.append((sub_id, ind_id, num, txt))
        sub_id += 1
    db.executemany("INSERT INTO submission (id, form_id, org_id, period, status, version, first_submitted_at, submitted_at, submitted_on, "
                   "on_time, top_id, org_path, org_kind, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)", subs)
    db.executemany("INSERT INTO submission_value (submission_id, indicator_id, num, txt) VALUES (?, ?, ?, ?)", vals)
    # Totals rebuilt from what is stored, the way store/submission.c keeps them: received values only, non-null num.
    db.execute("DELETE FROM form_total WHERE form_id = ?", (form["id"],))
    db.execute("INSERT INTO form_total (form_id, period, top_id, org_kind, indicator_id, total, n) "
               "SELECT s.form_id, s.period, s.top_id, s.org_kind, v.indicator_id, SUM(v.num), COUNT(*) "
               "FROM submission s JOIN submission_value v ON v.submission_id = s.id "
               "WHERE s.form_id = ? AND s.status IN ('submitted', 'approved') AND v.num IS NOT NULL "
               "GROUP BY s.form_id, s.period, s.top_id, s.org_kind, v.indicator_id", (form["id"],))
    return sub_id, len(subs), len(vals)


def check(db, code):
    """form_total against the values it sums, for one form: the two sums and counts must agree."""
    fid = db.execute("SELECT id FROM form WHERE code = ?", (code,)).fetchone()[0]
    t_sum, t_n = db.execute("SELECT COALESCE(SUM(total), 0), COALESCE(SUM(n), 0) FROM form_total WHERE form_id = ?", (fid,)).fetchone()
    v_sum, v_n = db.execute("SELECT COALESCE(SUM(v.num), 0), COUNT(v.num) FROM submission s JOIN submission_value v ON v.submission_id = s.id "
                            "WHERE s.form_id = ? AND s.status IN ('submitted', 'approved') AND v.num IS NOT NULL", (fid,)).fetchone()
    # The sums add the same doubles in different orders, so allow rounding in the last places.
    ok = t_n == v_n and abs(t_sum - v_sum) <= 1e-9 * max(1.0, abs(v_sum))
    print(f"bench: {code} form_total {t_sum:.1f} over {t_n} values, submission_value {v_sum:.1f} over {v_n}: {'ok' if ok else 'MISMATCH'}",
          file=sys.stderr)
    return ok


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen_reports.py DB [UNITS]")
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    t0 = time.monotonic()
    rng = random.Random(42)
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -200000")
    added = add_communes(db, rng, target)
    units = [dict(id=r[0], kind=r[1], level=r[2], path=r[3], **{"from": r[4], "to": r[5]})
             for r in db.execute("SELECT id, kind, level, path, valid_from, valid_to FROM org_unit ORDER BY id")]
    sub_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM submission").fetchone()[0]
    total_subs = total_vals = 0
    for year in YEARS:
        forms = [dict(id=r[0], code=r[1], kind=r[2], due=r[3], period=f"{year:04d}")
                 for r in db.execute("SELECT id, code, kind, due FROM form WHERE code IN (?, ?) ORDER BY id", (f"ke-hoach-{year}", f"bao-cao-{year}"))]
        db.execute("BEGIN")
        for f in forms:
            if f["kind"] == "report":
                widen_report_form(db, f["id"])
            sub_id, ns, nv = load_form(db, rng, f, units, sub_id)
            total_subs += ns
            total_vals += nv
            print(f"bench: {f['code']}: {ns} submissions, {nv} values", file=sys.stderr)
        db.execute("COMMIT")
    # No ANALYZE: dxday never runs it, so the planner must see what it sees in production.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ok = check(db, "bao-cao-2026")
    elapsed = time.monotonic() - t0
    print(f"reports_units: {len(units)} units ({added} communes added)")
    print(f"reports_submissions: {total_subs}")
    print(f"reports_values: {total_vals} rows")
    print(f"reports_form_total: {db.execute('SELECT COUNT(*) FROM form_total').fetchone()[0]} rows")
    print(f"reports_gen_time: {elapsed:.1f} s")
    db.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
