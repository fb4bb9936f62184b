/* Demo accounts for a first look: an admin of the whole tree, a central coordinator, officers of a province
 * and of a provincial Youth Union branch. Idempotent; must not touch accounts that already exist. */
#include "store/seed/seed.h"
#include <stdio.h>
#include <time.h>

const struct demo_account demo_accounts[] = {
    { "admin@dxday.vn", "Quản trị hệ thống", "admin", "vn", "dxday-admin-2026" },
    { "dieuphoi@dxday.vn", "Nguyễn Văn Điều Phối", "coordinator", "vn", "dxday-demo-2026" },
    { "nghean@dxday.vn", "Trần Thị Nghệ An", "officer", "nghe-an", "dxday-demo-2026" },
    { "doan.nghean@dxday.vn", "Lê Văn Đoàn", "officer", "doan-nghe-an", "dxday-demo-2026" },
    { 0 },
};

int store_seed_demo(db *d, int (*hash)(const char *pw, char out[160]))
{
    char now[21];
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm_utc));
    db_begin(d);
    for (const struct demo_account *a = demo_accounts; a->email; a++) {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user WHERE email = ?");
        db_bind_text(s, 1, a->email);
        if (db_scalar_int(s, 0)) continue;
        char h[160];
        if (hash(a->password, h)) goto fail;
        s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id");
        db_bind_text(s, 1, a->email);
        db_bind_text(s, 2, a->name);
        db_bind_text(s, 3, h);
        db_bind_text(s, 4, now);
        int64_t uid = db_scalar_int(s, 0);
        s = db_prepare(d, "INSERT INTO user_role (user_id, role, org_id) SELECT ?, ?, id FROM org_unit WHERE code = ?");
        db_bind_int(s, 1, uid);
        db_bind_text(s, 2, a->role);
        db_bind_text(s, 3, a->org_code);
        int rc = db_step(s);
        db_done(s);
        if (!uid || rc == DB_ERROR) goto fail;
    }
    if (store_seed_demo_contests(d, hash)) goto fail;  /* award contests (issue 17): after the accounts above */
    return db_commit(d) || store_seed_demo_quiz_contest(d, hash);
fail:
    fprintf(stderr, "seed-demo: %s\n", db_errmsg(d));
    db_rollback(d);
    return -1;
}
