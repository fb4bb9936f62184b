/* Demo trainings for `make run`: a finished class of Nghệ An with attendance and certificates, an upcoming one that is
 * full with a waiting list, and an online class of the Youth Union; trainers are the first approved experts when the
 * experts' seed made some. Goes through the trainings' own store calls; once (nothing when a class exists). */
#include "store/seed/seed.h"
#include "store/training.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t org(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ?");
    db_bind_text(s, 1, code);
    return db_scalar_int(s, 0);
}

/* A day `off` days from today (Vietnamese calendar), ISO, and a session at hh:00 of it. */
static void day(int off, char out[11]) { date_format_iso(date_from_days(date_to_days(date_today()) + off), out); }
static void at(int off, int hh, char out[17])
{
    char d[11];
    day(off, d);
    snprintf(out, 17, "%.10sT%02u:00", d, (unsigned)hh % 100u);
}

static int64_t make(db *d, struct training_in *in, const char *now)
{
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    if (store_training_create(d, in, 0, now, &id, &res) != STORE_OK) {
        fprintf(stderr, "seed-demo: training %s: %s %s\n", in->title, res.message, res.detail);
        store_result_free(&res);
        return 0;
    }
    return id;
}

static int64_t nominate(db *d, int64_t tid, const char *name, int64_t org_id, const char *now)
{
    struct store_result res = STORE_RESULT_OK;
    struct nominee_in in = { .name = name, .org_id = org_id, .waiting = true };
    int64_t id = 0;
    const char *st;
    if (store_training_nominate(d, tid, &in, 0, now, &id, &st, &res) != STORE_OK) store_result_free(&res);
    return id;
}

int store_seed_demo_trainings(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM training");
    if (db_scalar_int(s, 0) > 0) return 0;
    int64_t na = org(d, "nghe-an"), doan = org(d, "doan-nghe-an"), ward = org(d, "demo-vinh-1");
    if (!na) return 0;
    if (!ward) ward = na;
    if (!doan) doan = na;
    s = db_prepare(d, "SELECT id FROM expert WHERE status = 'approved' ORDER BY id LIMIT 2");
    json_t *ex = db_rows(s);
    int64_t trainers[2];
    int ntrainers = 0;
    for (size_t i = 0; i < json_array_size(ex) && i < 2; i++) trainers[ntrainers++] = json_integer_value(json_object_get(json_array_get(ex, i), "id"));
    json_decref(ex);
    s = db_prepare(d, "SELECT slug FROM course WHERE status = 'open' ORDER BY id LIMIT 1");
    json_t *course = db_row(s);
    const char *slugs[1] = { json_string_value(json_object_get(course, "slug")) };
    char now[21];
    date_utc_iso(time(NULL), now);
    char d1[11], d2[11], a1[17], a2[17], u1[11], u2[11], b1[17], b2[17], o1[11], o2[11], c1[17];
    day(-30, d1); day(-29, d2); at(-30, 8, a1); at(-29, 8, a2);
    day(20, u1); day(21, u2); at(20, 8, b1); at(21, 14, b2);
    day(35, o1); day(35, o2); at(35, 19, c1);
    int rc = -1;
    if (db_begin(d)) { json_decref(course); return -1; }
    struct training_session_in s1[] = { { a1, "Tổng quan chuyển đổi số và Đề án 06" }, { a2, "Dịch vụ công trực tuyến và dữ liệu số" } };
    struct training_in done = { .title = "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã", .audience = "officials", .org_id = na,
                                .starts_on = d1, .ends_on = d2, .place = "Hội trường UBND tỉnh Nghệ An, TP. Vinh", .capacity = 30,
                                .min_sessions = 2, .description = "Lớp hai buổi: khai thác dịch vụ công trực tuyến, bảo đảm an toàn thông tin.",
                                .sessions = s1, .nsessions = 2, .trainers = trainers, .ntrainers = ntrainers,
                                .courses = slugs, .ncourses = slugs[0] ? 1 : 0 };
    int64_t t1 = make(d, &done, now);
    struct training_session_in s2[] = { { b1, "Lãnh đạo chuyển đổi số ở cấp xã" }, { b2, "Xây dựng kế hoạch chuyển đổi số năm 2027" } };
    struct training_in soon = { .title = "Chuyển đổi số cho lãnh đạo cấp xã", .audience = "leaders", .org_id = na, .starts_on = u1,
                                .ends_on = u2, .place = "Trường Chính trị tỉnh Nghệ An", .capacity = 3, .min_sessions = 2,
                                .sessions = s2, .nsessions = 2, .trainers = trainers, .ntrainers = ntrainers };
    int64_t t2 = make(d, &soon, now);
    struct training_session_in s3[] = { { c1, "Kỹ năng số cho cán bộ Đoàn và tổ công nghệ số cộng đồng" } };
    struct training_in online = { .title = "Tập huấn cán bộ Đoàn về hướng dẫn người dân dùng dịch vụ số", .audience = "youth_officers",
                                  .org_id = doan, .starts_on = o1, .ends_on = o2, .online_url = "https://meet.example.vn/doan-nghe-an",
                                  .capacity = 100, .min_sessions = 1, .sessions = s3, .nsessions = 1 };
    int64_t t3 = make(d, &online, now);
    json_decref(course);
    if (!t1 || !t2 || !t3) goto out;
    static const char *const people[] = { "Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Quốc Toàn", "Hoàng Văn Nam" };
    struct store_result res = STORE_RESULT_OK;
    for (int i = 0; i < 5; i++) {
        int64_t nid = nominate(d, t1, people[i], i % 2 ? ward : na, now);
        if (!nid || store_training_decide(d, t1, nid, i == 4 ? "declined" : "confirmed", now, &res)) goto out;
    }
    s = db_prepare(d, "SELECT id FROM training_session WHERE training_id = ? ORDER BY seq");
    db_bind_int(s, 1, t1);
    json_t *sessions = db_rows(s);
    s = db_prepare(d, "SELECT id FROM training_nominee WHERE training_id = ? AND status = 'confirmed' ORDER BY id");
    db_bind_int(s, 1, t1);
    json_t *ids = db_rows(s), *all = json_array(), *most = json_array();
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *v = json_object_get(json_array_get(ids, i), "id");
        json_array_append(all, v);
        if (i != 3) json_array_append(most, v);   /* the fourth missed the second session: no certificate */
    }
    int n = 0;
    bool ok = json_array_size(sessions) == 2 &&
              !store_training_attend(d, json_integer_value(json_object_get(json_array_get(sessions, 0), "id")), t1, all, 0, now, &n, &res) &&
              !store_training_attend(d, json_integer_value(json_object_get(json_array_get(sessions, 1), "id")), t1, most, 0, now, &n, &res);
    json_decref(sessions);
    json_decref(ids);
    json_decref(all);
    json_decref(most);
    json_t *issued = NULL;
    if (!ok || store_training_certify(d, t1, now, &issued, &res)) { json_decref(issued); goto out; }
    json_decref(issued);
    static const char *const leaders[] = { "Đặng Văn Quang", "Võ Thị Hạnh", "Bùi Minh Đức", "Ngô Thị Thu", "Đỗ Văn Thành" };
    for (int i = 0; i < 5; i++) {
        int64_t nid = nominate(d, t2, leaders[i], i % 2 ? ward : na, now);
        if (!nid) goto out;
        if (i == 0 && store_training_decide(d, t2, nid, "confirmed", now, &res)) goto out;
    }
    rc = 0;
out:
    if (rc) {
        fprintf(stderr, "seed-demo: trainings: %s\n", db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}
