/* Demo award contests for `make run`: the Vietnam Digital Transformation Awards (VDA) of the current campaign year with
 * five categories, two entries and two demo jurors, and last year's contest with published winners. Once: an existing
 * VDA slug stops it. Must not touch contests it did not make. */
#include "store/seed/seed.h"
#include "store/contest.h"
#include "store/learning.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const VDA = "{"
    "\"title\": \"Giải thưởng Chuyển đổi số Việt Nam (VDA)\", \"score_min\": 1, \"score_max\": 10,"
    "\"rules_md\": \"Giải thưởng tôn vinh cơ quan, doanh nghiệp, cá nhân có thành tích tiêu biểu trong chuyển đổi số. Hồ sơ nộp trực tuyến đến hạn chót; hội đồng giám khảo chấm qua ba vòng: xét điều kiện, sơ khảo và chung khảo. Lễ trao giải tổ chức đầu tháng 10.\","
    "\"categories\": ["
    "{\"code\": \"chinh-quyen-so\", \"name\": \"Chính quyền số xuất sắc\", \"eligible\": [\"organisation\"]},"
    "{\"code\": \"doanh-nghiep\", \"name\": \"Doanh nghiệp chuyển đổi số xuất sắc\", \"eligible\": [\"enterprise\"]},"
    "{\"code\": \"giai-phap\", \"name\": \"Giải pháp, sản phẩm công nghệ số xuất sắc\", \"eligible\": [\"enterprise\", \"organisation\"]},"
    "{\"code\": \"thanh-nien\", \"name\": \"Sáng kiến chuyển đổi số của thanh niên\", \"eligible\": [\"youth\", \"individual\"]},"
    "{\"code\": \"to-cong-nghe-so\", \"name\": \"Tổ công nghệ số cộng đồng, cá nhân tiêu biểu\", \"eligible\": [\"individual\", \"organisation\"]}],"
    "\"fields\": ["
    "{\"code\": \"tom_tat\", \"label\": \"Tóm tắt thành tích, giải pháp\", \"type\": \"longtext\", \"required\": true},"
    "{\"code\": \"nguoi_dung\", \"label\": \"Số người dùng, người hưởng lợi\", \"type\": \"integer\"},"
    "{\"code\": \"linh_vuc\", \"label\": \"Lĩnh vực\", \"type\": \"choice\", \"choices\": [\"Chính phủ số\", \"Kinh tế số\", \"Xã hội số\"], \"required\": true},"
    "{\"code\": \"website\", \"label\": \"Trang web giới thiệu\", \"type\": \"text\"},"
    "{\"code\": \"ho_so\", \"label\": \"Hồ sơ thuyết minh (PDF, tối đa 10 MB)\", \"type\": \"file\", \"max_bytes\": 10485760}],"
    "\"criteria\": ["
    "{\"code\": \"tac_dong\", \"name\": \"Hiệu quả, tác động\", \"weight\": 0.4},"
    "{\"code\": \"doi_moi\", \"name\": \"Tính đổi mới, sáng tạo\", \"weight\": 0.3},"
    "{\"code\": \"nhan_rong\", \"name\": \"Khả năng nhân rộng\", \"weight\": 0.3}],"
    "\"rounds\": [{\"name\": \"Vòng xét điều kiện\", \"kind\": \"eligibility\"}, {\"name\": \"Vòng sơ khảo\", \"kind\": \"shortlist\"},"
    "{\"name\": \"Vòng chung khảo\", \"kind\": \"final\"}]}";

static void iso_at(time_t t, char out[21])
{
    struct tm tm;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

static int64_t account(db *d, const char *email, const char *name, int (*hash)(const char *, char[160]), const char *now)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    db_bind_text(s, 1, email);
    int64_t id = db_scalar_int(s, 0);
    if (id) return id;
    char h[160];
    if (hash("dxday-demo-2026", h)) return 0;
    s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, email), db_bind_text(s, 2, name), db_bind_text(s, 3, h), db_bind_text(s, 4, now);
    return db_scalar_int(s, 0);
}

static int64_t entry(db *d, int64_t contest, const char *cat, int64_t user, const char *kind, int64_t org, const char *ent,
                     const char *name, const char *title, int round, const char *now)
{
    db_stmt *s = db_prepare(d, "INSERT INTO contest_entry (contest_id, category_id, user_id, applicant_kind, org_id, enterprise, "
                               "applicant_name, title, fields, status, round_seq, eligible, created_at, updated_at, submitted_at) "
                               "SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, CASE WHEN ? > 1 THEN 1 END, ?, ?, ? "
                               "FROM contest_category WHERE contest_id = ? AND code = ? RETURNING id");
    db_bind_int(s, 1, contest), db_bind_int(s, 2, user), db_bind_text(s, 3, kind);
    if (org) db_bind_int(s, 4, org); else db_bind_null(s, 4);
    db_bind_text(s, 5, ent), db_bind_text(s, 6, name), db_bind_text(s, 7, title);
    db_bind_text(s, 8, "{\"tom_tat\":\"Ứng dụng nền tảng số phục vụ người dân, doanh nghiệp.\",\"linh_vuc\":\"Chính phủ số\",\"nguoi_dung\":12000}");
    db_bind_int(s, 9, round), db_bind_int(s, 10, round), db_bind_text(s, 11, now), db_bind_text(s, 12, now), db_bind_text(s, 13, now);
    db_bind_int(s, 14, contest), db_bind_text(s, 15, cat);
    return db_scalar_int(s, 0);
}

static int honour(db *d, int64_t e, const char *award, const char *at)
{
    char code[27];
    certificate_code_new(code);
    db_stmt *s = db_prepare(d, "UPDATE contest_entry SET award = ? WHERE id = ?");
    db_bind_text(s, 1, award), db_bind_int(s, 2, e);
    int rc = db_step(s);
    db_done(s);
    s = db_prepare(d, "INSERT INTO contest_honour (entry_id, code, award, issued_at) VALUES (?, ?, ?, ?)");
    db_bind_int(s, 1, e), db_bind_text(s, 2, code), db_bind_text(s, 3, award), db_bind_text(s, 4, at);
    int rc2 = db_step(s);
    db_done(s);
    return rc == DB_ERROR || rc2 == DB_ERROR ? -1 : 0;
}

static int64_t org(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ?");
    db_bind_text(s, 1, code);
    return db_scalar_int(s, 0);
}

int store_seed_demo_contests(db *d, int (*hash)(const char *pw, char out[160]))
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest WHERE slug LIKE 'giai-thuong-chuyen-doi-so-viet-nam-%'");
    if (db_scalar_int(s, 0)) return 0;
    s = db_prepare(d, "SELECT MAX(year) FROM campaign");
    int year = (int)db_scalar_int(s, 0);
    int64_t vn = org(d, "vn"), so = org(d, "so-tttt-nghe-an");
    if (!year || !vn || !so) return 0;
    time_t t = time(NULL);
    char now[21], opens[21], closes[21], results[21], past_open[21], past_close[21], past_results[21];
    iso_at(t, now), iso_at(t - 30 * 86400, opens), iso_at(t + 60 * 86400, closes), iso_at(t + 150 * 86400, results);
    iso_at(t - 400 * 86400, past_open), iso_at(t - 300 * 86400, past_close), iso_at(t - 200 * 86400, past_results);
    if (db_begin(d)) return -1;
    struct store_result res = STORE_RESULT_OK;
    int64_t g1 = account(d, "giamkhao1@dxday.vn", "Phạm Minh Giám Khảo", hash, now);
    int64_t g2 = account(d, "giamkhao2@dxday.vn", "Hoàng Thu Giám Khảo", hash, now);
    int64_t dn = account(d, "doanhnghiep@dxday.vn", "Công ty Cổ phần Số Việt", hash, now);
    s = db_prepare(d, "SELECT id FROM app_user WHERE email = 'nghean@dxday.vn'");
    int64_t officer = db_scalar_int(s, 0);
    if (!g1 || !g2 || !dn || !officer) goto fail;
    int64_t cur = 0, past = 0;
    for (int k = 0; k < 2; k++) {
        json_t *def = json_loads(VDA, 0, NULL);
        if (!def) goto fail;
        json_object_set_new(def, "slug", json_sprintf("giai-thuong-chuyen-doi-so-viet-nam-%d", year - k));
        json_object_set_new(def, "title", json_sprintf("Giải thưởng Chuyển đổi số Việt Nam (VDA) %d", year - k));
        json_object_set_new(def, "year", json_integer(year - k));
        json_object_set_new(def, "org_id", json_integer(vn));
        json_object_set_new(def, "opens_at", json_string(k ? past_open : opens));
        json_object_set_new(def, "closes_at", json_string(k ? past_close : closes));
        json_object_set_new(def, "results_at", json_string(k ? past_results : results));
        enum store_status st = store_contest_create(d, def, 0, now, k ? &past : &cur, &res);
        json_decref(def);
        if (st != STORE_OK) goto fail;
    }
    /* This year: an enterprise's entry and a provincial department's, waiting for the shortlist's jurors. */
    if (!entry(d, cur, "doanh-nghiep", dn, "enterprise", 0, "Công ty Cổ phần Số Việt", "Công ty Cổ phần Số Việt",
               "Nền tảng hóa đơn điện tử cho hộ kinh doanh", 2, now)) goto fail;
    if (!entry(d, cur, "chinh-quyen-so", officer, "organisation", so, NULL, "Sở Thông tin và Truyền thông tỉnh Nghệ An",
               "Trung tâm điều hành thông minh tỉnh Nghệ An", 2, now)) goto fail;
    const char *cats[] = { "doanh-nghiep", "chinh-quyen-so" };
    for (int k = 0; k < 2; k++) {
        s = db_prepare(d, "INSERT INTO contest_juror (contest_id, category_id, user_id, org_id, created_at) "
                          "SELECT ?, id, ?, ?, ? FROM contest_category WHERE contest_id = ? AND code = ?");
        db_bind_int(s, 1, cur), db_bind_int(s, 2, g1), db_bind_null(s, 3), db_bind_text(s, 4, now), db_bind_int(s, 5, cur), db_bind_text(s, 6, cats[k]);
        if (db_step(s) == DB_ERROR) { db_done(s); goto fail; }
        db_done(s);
        /* The second juror works at Nghệ An's department: its entry is never shown to them. */
        s = db_prepare(d, "INSERT INTO contest_juror (contest_id, category_id, user_id, org_id, created_at) "
                          "SELECT ?, id, ?, ?, ? FROM contest_category WHERE contest_id = ? AND code = ?");
        db_bind_int(s, 1, cur), db_bind_int(s, 2, g2), db_bind_int(s, 3, so), db_bind_text(s, 4, now), db_bind_int(s, 5, cur), db_bind_text(s, 6, cats[k]);
        if (db_step(s) == DB_ERROR) { db_done(s); goto fail; }
        db_done(s);
    }
    /* Last year: results published, two winners in the hall of honour. */
    s = db_prepare(d, "UPDATE contest SET status = 'published' WHERE id = ?");
    db_bind_int(s, 1, past);
    if (db_step(s) == DB_ERROR) { db_done(s); goto fail; }
    db_done(s);
    s = db_prepare(d, "UPDATE contest_round SET status = 'closed' WHERE contest_id = ?");
    db_bind_int(s, 1, past);
    if (db_step(s) == DB_ERROR) { db_done(s); goto fail; }
    db_done(s);
    int64_t w1 = entry(d, past, "chinh-quyen-so", officer, "organisation", so, NULL, "Sở Thông tin và Truyền thông tỉnh Nghệ An",
                       "Cổng dịch vụ công một cửa tỉnh Nghệ An", 3, past_close);
    int64_t w2 = entry(d, past, "doanh-nghiep", dn, "enterprise", 0, "Công ty Cổ phần Số Việt", "Công ty Cổ phần Số Việt",
                       "Ví điện tử cho chợ truyền thống", 3, past_close);
    if (!w1 || !w2 || honour(d, w1, "Giải Nhất", past_results) || honour(d, w2, "Giải Nhì", past_results)) goto fail;
    return db_commit(d);
fail:
    fprintf(stderr, "seed-demo contests: %s %s\n", res.message, db_errmsg(d));
    store_result_free(&res);
    db_rollback(d);
    return -1;
}
