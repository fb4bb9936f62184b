/* Demo expert network for `make run`: thirty made-up experts across fields and provinces (most approved, a few
 * pending or paused), the demo expert account chuyengia@dxday.vn, two requests of Nghệ An and some activities. Once
 * (nothing when any expert exists); only the seed-demo command calls this. */
#include "store/seed/seed.h"
#include "store/expert.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EXPERT_EMAIL "chuyengia@dxday.vn"

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô" };
static const char *const middle[] = { "Minh", "Thu", "Quốc", "Thanh", "Hải", "Ngọc" };
static const char *const given[] = { "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khoa", "Lâm", "Mai", "Nam", "Oanh", "Phong",
                                     "Quân", "Sương", "Tâm", "Uyên", "Việt", "Xuân", "Yến", "Duy", "Hạnh", "Kiên", "Linh", "Nhân",
                                     "Phúc", "Sơn", "Trang", "Vy", "Thắng", "Hoa" };
static const char *const titles[] = { "TS.", "ThS.", "PGS.TS.", "KS.", "ThS.", "CN." };
static const char *const orgs[] = { "Trường Đại học Bách khoa", "Viện Chiến lược Chuyển đổi số", "Hiệp hội Phần mềm và Dịch vụ CNTT",
                                    "Trung tâm Dữ liệu quốc gia", "Công ty Cổ phần Công nghệ số Miền Trung", "Học viện Công nghệ Bưu chính Viễn thông" };
static const char *const provinces[] = { "ha-noi", "nghe-an", "ha-tinh", "thanh-hoa", "hue", "da-nang-2025", "ho-chi-minh-2025",
                                         "can-tho-2025", "quang-ninh", "lam-dong-2025" };
static const char *const fields[] = { "digital_gov", "digital_economy", "digital_society", "data", "cybersecurity", "ai",
                                      "digital_skills", "digital_infra", "platforms" };

static int64_t id_of(db *d, const char *sql, const char *v)
{
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, v);
    return db_scalar_int(s, 0);
}

int store_seed_demo_experts(db *d, int (*hash)(const char *pw, char out[160]))
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM expert");
    if (db_scalar_int(s, 0) || db_failed(d)) return db_failed(d) ? -1 : 0;
    char now[21], today[11], past[24], soon[11];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    time_t vn = t + 7 * 3600;
    strftime(today, sizeof today, "%Y-%m-%d", gmtime_r(&vn, &tm));
    /* Within the quarter: its first day, so the report of the current quarter has activities. */
    snprintf(past, sizeof past, "%.5s%02d-01", today, ((tm.tm_mon % 12) / 3) * 3 + 1);
    time_t later = vn + 14 * 86400;
    strftime(soon, sizeof soon, "%Y-%m-%d", gmtime_r(&later, &tm));
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(d)) return -1;
    int64_t uid = id_of(d, "SELECT id FROM app_user WHERE email = ?", EXPERT_EMAIL);
    if (!uid) {
        char h[160];
        if (hash("dxday-demo-2026", h)) goto fail;
        s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id");
        db_bind_text(s, 1, EXPERT_EMAIL);
        db_bind_text(s, 2, "Phạm Minh Khoa");
        db_bind_text(s, 3, h);
        db_bind_text(s, 4, now);
        if (!(uid = db_scalar_int(s, 0))) goto fail;
    }
    int64_t ids[30] = { 0 }, nghe_an = id_of(d, "SELECT id FROM org_unit WHERE code = ?", "nghe-an");
    for (int i = 0; i < 30; i++) {
        char name[128], email[96], phone[32];
        /* The demo expert (index 6) is the account's own profile, in Nghệ An, accepting requests. */
        if (i == 6) snprintf(name, sizeof name, "Phạm Minh Khoa");
        else snprintf(name, sizeof name, "%s %s %s", family[i % 10], middle[(i * 7) % 6], given[i]);
        snprintf(email, sizeof email, "chuyengia%02d@demo.dxday.vn", i + 1);
        snprintf(phone, sizeof phone, "+8491300%04d", i + 1);
        json_t *fl = json_pack("[s]", fields[i % 9]);
        if (i % 3 == 0) json_array_append_new(fl, json_string(fields[(i + 4) % 9]));
        json_t *langs = i % 4 == 0 ? json_pack("[s, s]", "vi", "en") : json_pack("[s]", "vi");
        json_t *pub = i % 5 == 0 ? json_pack("[s, s, s, s, s]", "title", "organisation", "bio", "languages", "email")
                                 : json_pack("[s, s, s, s]", "title", "organisation", "bio", "languages");
        char bio[300], trained[24];
        snprintf(bio, sizeof bio, "Nhiều năm tư vấn và giảng dạy về chuyển đổi số cho cơ quan nhà nước và doanh nghiệp; "
                                  "tham gia xây dựng kế hoạch chuyển đổi số của nhiều địa phương.");
        snprintf(trained, sizeof trained, "%.4s-0%d-15", today, 1 + i % 3);
        const char *prov = i == 6 ? "nghe-an" : provinces[i % 10];
        struct expert_in in = {
            .name = name, .title = titles[i % 6], .organisation = orgs[i % 6], .email = email, .phone = phone, .bio = bio,
            .province_id = id_of(d, "SELECT id FROM org_unit WHERE code = ?", prov), .languages = langs, .fields = fl,
            .public_fields = pub, .accepts_requests = i % 7 != 3, .trained_on = i % 2 == 0 || i == 6 ? trained : NULL,
            .status = i >= 27 ? "pending" : "approved", .user_id = i == 6 ? uid : 0,
            .nominated_by_org = i % 8 == 1 ? nghe_an : 0,
        };
        if (i == 6) in.fields = json_pack("[s, s]", "digital_gov", "data"), json_decref(fl), fl = (json_t *)in.fields;
        store_expert_create(d, &in, 0, now, &ids[i], &res);
        json_decref(fl), json_decref(langs), json_decref(pub);
        if (res.status) goto fail;
    }
    if (store_expert_set_status(d, ids[25], "paused", "Đang công tác nước ngoài đến hết năm.", now, &res)) goto fail;
    /* Two requests of Nghệ An: one the demo expert was proposed for and has not answered, one done with its activity. */
    struct expert_request_in r1 = { nghe_an, "Góp ý dự thảo kế hoạch chuyển đổi số cấp xã năm tới", "digital_gov", soon, soon,
                                    "in_person", "Hội trường UBND tỉnh Nghệ An, Vinh", "Cần chuyên gia có kinh nghiệm cấp xã." };
    struct expert_request_in r2 = { nghe_an, "Tập huấn khai thác dữ liệu dân cư cho cán bộ xã", "data", past, past, "online",
                                    "https://hop.nghean.example.vn/tap-huan", "" };
    int64_t q1 = 0, q2 = 0, a = 0;
    if (store_expert_request_create(d, &r1, 0, now, &q1, &res) || store_expert_match(d, q1, ids[6], 0, now, &res) ||
        store_expert_request_create(d, &r2, 0, now, &q2, &res) || store_expert_match(d, q2, ids[6], 0, now, &res) ||
        store_expert_answer(d, q2, ids[6], true, now, &res))
        goto fail;
    struct expert_activity_in a2 = { ids[6], nghe_an, q2, "training", past, "data", "Hơn 120 cán bộ xã biết tra cứu, làm sạch dữ liệu dân cư.", 124 };
    if (store_expert_activity_add(d, &a2, 0, now, &a, &res)) goto fail;
    static const char *const kinds[] = { "seminar", "consultation", "plan_review", "training" };
    static const char *const served[] = { "ha-noi", "thanh-hoa", "hue", "nghe-an", "ha-tinh" };
    for (int i = 0; i < 12; i++) {
        int64_t org = id_of(d, "SELECT id FROM org_unit WHERE code = ?", served[i % 5]);
        struct expert_activity_in in = { ids[(i * 5) % 25], org, 0, kinds[i % 4], i % 2 ? past : today, fields[((i * 5) % 25) % 9],
                                         "Trao đổi kinh nghiệm, giải đáp vướng mắc của đơn vị.", 20 + i * 7 };
        if (store_expert_activity_add(d, &in, 0, now, &a, &res)) goto fail;
    }
    return db_commit(d);
fail:
    fprintf(stderr, "seed-demo experts: %s %s\n", res.message, db_errmsg(d));
    db_rollback(d);
    return -1;
}
