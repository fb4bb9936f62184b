#!/usr/bin/env python3
# make bench, guidance part: fills a database made by `dxday seed-demo` with a national door-to-door campaign's log —
# 20,000 teams (one per synthetic commune under the provinces), 100,000 members, 5,000,000 entries over ten days with
# their services and the per-unit daily aggregates to match — and signs a sample of members in for bench/guidance.sh.
# Usage: gen_guidance.py DB LUA_OUT [TEAMS] [ENTRIES] [SIGNED_IN]. Figures to stdout as `name: value unit`, progress
# to stderr. Must not be pointed at a real database: it writes accounts with sessions it knows the tokens of.
import hashlib
import json
import random
import secrets
import sqlite3
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from gen_reports import add_communes

MEMBERS_PER_TEAM = 5
FIRST_DAY, DAYS = date(2026, 10, 1), 10
NOW = "2026-09-20T00:00:00Z"


def log(msg):
    print(f"gen_guidance: {msg}", file=sys.stderr, flush=True)


def main():
    db_path, lua_out = sys.argv[1], sys.argv[2]
    n_teams = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    n_entries = int(sys.argv[4]) if len(sys.argv) > 4 else 5000000
    n_signed = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
    rng = random.Random(16)
    started = time.time()
    db = sqlite3.connect(db_path, isolation_level=None)
    # Generation only: the server reopens the file in WAL with its own settings.
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")

    # One commune-level unit per team, spread unevenly over the provinces (gen_reports' communes).
    have = db.execute("SELECT COUNT(*) FROM org_unit").fetchone()[0]
    add_communes(db, rng, have + n_teams)
    communes = [r[0] for r in db.execute("SELECT id FROM org_unit WHERE code LIKE 'xa-bench-%' ORDER BY id DESC LIMIT ?", (n_teams,))]
    communes.sort()
    log(f"{len(communes)} communes in {time.time() - started:.0f} s")

    services = [r[0] for r in db.execute("SELECT code FROM guidance_service WHERE active = 1 ORDER BY sort")]
    svc_weights = [10, 8, 6, 3, 4, 2, 7][:len(services)] + [1] * max(0, len(services) - 7)
    db.execute("BEGIN")
    team0 = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cdt_team").fetchone()[0]
    teams = [(team0 + i, org) for i, org in enumerate(communes)]
    db.executemany("INSERT INTO cdt_team (id, org_id, name, name_folded, active, founded_on, created_at) "
                   "VALUES (?, ?, ?, ?, 1, '2024-01-01', ?)",
                   ((t, org, f"Tổ công nghệ số cộng đồng {t}", f"to cong nghe so cong dong {t}", NOW) for t, org in teams))
    # Members; the first of every k-th team gets an account (team_member on the team's unit) and a session.
    user0 = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM app_user").fetchone()[0]
    step = max(1, len(teams) // max(1, n_signed))
    signed = [(t, org) for t, org in teams[::step]][:n_signed]
    users = {t: user0 + i for i, (t, _) in enumerate(signed)}
    db.executemany("INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)",
                   ((u, f"thanhvien{u}@vidu.vn", f"Thành viên {u}", NOW) for u in users.values()))
    db.executemany("INSERT INTO user_role (user_id, role, org_id) VALUES (?, 'team_member', ?)",
                   ((users[t], org) for t, org in signed))
    origins = ["commune_official", "youth_union", "police", "post", "telecom", "volunteer"]
    db.executemany("INSERT INTO cdt_member (team_id, name, team_role, origin, user_id, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
                   ((t, f"Thành viên {t}-{k}", "leader" if k == 0 else "member", origins[(t + k) % len(origins)],
                     users.get(t) if k == 0 else None, NOW) for t, _ in teams for k in range(MEMBERS_PER_TEAM)))
    sessions = []
    for t, _ in signed:
        token, csrf = secrets.token_hex(24), secrets.token_hex(16)
        db.execute("INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, '2099-01-01T00:00:00Z')",
                   (hashlib.sha256(token.encode()).hexdigest(), users[t], csrf, NOW))
        sessions.append((token, csrf, t))
    db.execute("COMMIT")
    log(f"{len(teams)} teams, {len(teams) * MEMBERS_PER_TEAM} members, {len(sessions)} signed in, {time.time() - started:.0f} s")

    # Entries over the ten days, with their services; the aggregates summed here and written once at the end.
    day_agg = defaultdict(lambda: [0] * 8)
    svc_agg = defaultdict(int)
    days = [(FIRST_DAY + timedelta(days=k)).isoformat() for k in range(DAYS)]
    entry0 = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM guidance_entry").fetchone()[0]
    chunk = 200000
    for start in range(0, n_entries, chunk):
        entries, links = [], []
        for i in range(start, min(n_entries, start + chunk)):
            t, org = teams[i % len(teams)]
            day = days[(i // len(teams)) % DAYS]
            people = rng.randint(1, 12)
            split = rng.random() < 0.6
            male = rng.randint(0, people) if split else None
            female = people - male if split else None
            ages = None
            if split:
                a = [rng.randint(0, people) for _ in range(3)]
                a.sort()
                ages = [a[0], a[1] - a[0], a[2] - a[1], people - a[2]]
            picked = sorted(set(rng.choices(range(len(services)), svc_weights, k=rng.randint(1, 3))))
            codes = [services[k] for k in picked]
            eid = entry0 + i
            entries.append((eid, f"gen-{eid}", t, org, users.get(t, user0), day, f"Thôn {rng.randint(1, 15)}", people, male, female,
                            *(ages or (None, None, None, None)), json.dumps(codes), NOW))
            links.extend((eid, c) for c in codes)
            g = day_agg[(org, day)]
            g[0] += 1
            g[1] += people
            for k, v in enumerate((male, female, *(ages or (0, 0, 0, 0)))):
                g[2 + k] += v or 0
            for c in codes:
                svc_agg[(org, day, c)] += people
        db.execute("BEGIN")
        db.executemany("INSERT INTO guidance_entry (id, client_id, team_id, org_id, user_id, day, place, people, male, female, "
                       "age_u18, age_18_35, age_36_59, age_60p, services, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       entries)
        db.executemany("INSERT INTO guidance_entry_service (entry_id, service) VALUES (?, ?)", links)
        db.execute("COMMIT")
        log(f"{min(n_entries, start + chunk)} entries, {time.time() - started:.0f} s")
    db.execute("BEGIN")
    db.executemany("INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ((org, day, *g) for (org, day), g in day_agg.items()))
    db.executemany("INSERT INTO guidance_day_service (org_id, day, service, people) VALUES (?, ?, ?, ?)",
                   ((org, day, c, p) for (org, day, c), p in svc_agg.items()))
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()

    with open(lua_out, "w") as f:
        f.write("sessions = {" + ",".join('{"%s","%s",%d}' % s for s in sessions) + "}\n")
    print(f"guidance_teams: {len(teams)} teams")
    print(f"guidance_members: {len(teams) * MEMBERS_PER_TEAM} members")
    print(f"guidance_entries_generated: {n_entries} entries")
    print(f"guidance_generate_seconds: {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
