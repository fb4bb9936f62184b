/* Demo Community Digital Technology Teams for `make run`: teams in the demo wards of Vinh and one of the Nghệ An Youth
 * Union, with made-up members (e-mails at demo.dxday.vn), and the demo member account tocns@dxday.vn. Once (nothing
 * when any team exists, or when the demo wards are not there); only the seed-demo command calls this. */
#include "store/seed/seed.h"
#include "store/team.h"
#include <stdio.h>
#include <time.h>

#define MEMBER_EMAIL "tocns@dxday.vn"

struct demo_member { const char *name, *role, *origin, *phone, *email; };
struct demo_team {
    const char *org, *name, *leader, *contact, *founded;
    int active;
    struct demo_member m[9];
};

static const struct demo_team teams[] = {
    { "demo-vinh-1", "Tổ công nghệ số cộng đồng phường Trường Vinh", "Nguyễn Thị Lan", "0912 000 101", "2024-08-20", 1,
      { { "Nguyễn Thị Lan", "leader", "commune_official", "0912000101", "lan.nguyen@demo.dxday.vn" },
        { "Trần Văn Hùng", "deputy", "police", "0912000102", NULL },
        { "Lê Thị Mai", "member", "youth_union", "0912000103", "mai.le@demo.dxday.vn" },
        { "Phạm Quốc Bảo", "member", "telecom", "0912000104", NULL },
        { "Hoàng Thị Thu", "member", "post", "0912000105", NULL },
        { "Võ Minh Tuấn", "member", "volunteer", "0912000106", NULL } } },
    { "demo-vinh-2", "Tổ công nghệ số cộng đồng phường Thành Vinh", "Đặng Văn Long", "0912 000 201", "2024-09-02", 1,
      { { "Đặng Văn Long", "leader", "commune_official", "0912000201", NULL },
        { "Bùi Thị Hạnh", "deputy", "youth_union", "0912000202", NULL },
        { "Ngô Văn Sơn", "member", "police", "0912000203", NULL },
        { "Đinh Thị Ngọc", "member", "volunteer", "0912000204", NULL },
        { "Phan Văn Đức", "member", "telecom", "0912000205", NULL } } },
    { "demo-vinh-3", "Tổ công nghệ số cộng đồng phường Vinh Hưng", "Cao Thị Hương", "0912 000 301", "2024-09-10", 1,
      { { "Cao Thị Hương", "leader", "commune_official", "0912000301", NULL },
        { "Lý Văn Thành", "member", "post", "0912000302", NULL },
        { "Mai Thị Yến", "member", "youth_union", "0912000303", NULL },
        { "Trịnh Văn Nam", "member", "other", "0912000304", NULL } } },
    { "demo-vinh-5", "Tổ công nghệ số cộng đồng phường Vinh Lộc", "Hồ Văn Kiên", "0912 000 501", "2023-10-01", 0,
      { { "Hồ Văn Kiên", "leader", "commune_official", "0912000501", NULL },
        { "Dương Thị Hoa", "deputy", "youth_union", "0912000502", NULL },
        { "Tạ Văn Lực", "member", "volunteer", "0912000503", NULL },
        { "Chu Thị Vân", "member", "telecom", "0912000504", NULL } } },
    { "doan-nghe-an", "Đội thanh niên tình nguyện hỗ trợ chuyển đổi số Tỉnh đoàn Nghệ An", "Nguyễn Đức Anh", "0912 000 601", "2024-09-25", 1,
      { { "Nguyễn Đức Anh", "leader", "youth_union", "0912000601", NULL },
        { "Trần Thị Thảo", "deputy", "youth_union", "0912000602", NULL },
        { "Lê Quang Huy", "member", "youth_union", "0912000603", NULL },
        { "Phạm Thị Linh", "member", "volunteer", "0912000604", NULL },
        { "Vũ Văn Khánh", "member", "telecom", "0912000605", NULL },
        { "Đỗ Thị Trang", "member", "youth_union", "0912000606", NULL },
        { "Hà Văn Phúc", "member", "volunteer", "0912000607", NULL },
        { "Kiều Thị Nhung", "member", "other", "0912000608", NULL } } },
};

static int64_t org_id(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ?");
    db_bind_text(s, 1, code);
    return db_scalar_int(s, 0);
}

/* The demo member's account: the team_member role on the first team's unit, linked to the member who leads it. */
static int member_account(db *d, int64_t team, int64_t member, int64_t org, const char *name, const char *now,
                          int (*hash)(const char *pw, char out[160]))
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user WHERE email = ?");
    db_bind_text(s, 1, MEMBER_EMAIL);
    if (db_scalar_int(s, 0)) return 0;
    char h[160];
    if (hash("dxday-demo-2026", h)) return -1;
    struct store_result res = STORE_RESULT_OK;
    s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, MEMBER_EMAIL);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, h);
    db_bind_text(s, 4, now);
    int64_t uid = db_scalar_int(s, 0);
    s = db_prepare(d, "INSERT INTO user_role (user_id, role, org_id) VALUES (?, 'team_member', ?)");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, org);
    int rc = db_step(s);
    db_done(s);
    if (!uid || rc == DB_ERROR || store_member_link(d, team, member, uid, &res) != STORE_OK) {
        store_result_free(&res);
        return -1;
    }
    return 0;
}

int store_seed_demo_teams(db *d, int (*hash)(const char *pw, char out[160]))
{
    if (db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM cdt_team"), 0) || !org_id(d, teams[0].org)) return 0;
    struct store_result res = STORE_RESULT_OK;
    char now[21];
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm_utc));
    if (db_begin(d)) goto fail;
    for (size_t i = 0; i < sizeof teams / sizeof teams[0]; i++) {
        const struct demo_team *dt = &teams[i];
        int64_t org = org_id(d, dt->org), team = 0, first = 0;
        if (!org) continue;
        struct team_in in = { org, dt->name, dt->leader, dt->contact, dt->founded, dt->active };
        if (store_team_create(d, &in, 0, now, &team, &res) != STORE_OK) goto fail;
        for (int k = 0; k < 9 && dt->m[k].name; k++) {
            const struct demo_member *m = &dt->m[k];
            char phone[16];
            snprintf(phone, sizeof phone, "+84%s", m->phone + 1);
            struct member_in mi = { m->name, m->role, m->origin, phone, m->email, 1 };
            int64_t mid = 0;
            if (store_member_add(d, team, &mi, now, &mid, &res) != STORE_OK) goto fail;
            if (!first) first = mid;
        }
        if (i == 0 && member_account(d, team, first, org, dt->m[0].name, now, hash)) goto fail;
    }
    return db_commit(d);
fail:
    fprintf(stderr, "seed-demo: the demo teams: %s %s\n", res.message, db_errmsg(d));
    store_result_free(&res);
    db_rollback(d);
    return -1;
}
