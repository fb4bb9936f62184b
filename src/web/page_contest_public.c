/* The public side of contests: the list of every contest (award and quiz), an award contest's page with the caller's
 * own entries, its results and XLSX once published, the hall of honour and the certificates of honour verified by
 * code. Must not show an entry, a score or a winner before results_at, nor serve a quiz contest's rounds. */
#include "web/contest.h"
#include "store/org.h"
#include "export/certificate.h"
#include "export/xlsx.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

void contest_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

bool contest_published(json_t *c, const char *now)
{
    const char *at = str(c, "results_at");
    return at && strcmp(at, now) <= 0;
}

int64_t contest_param_id(struct req *r, const char *name)
{
    const char *s = req_str(r, name);
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 ? (int64_t)v : 0;
}

json_t *contest_load(struct req *r)
{
    const char *slug = req_str(r, "slug");
    json_t *c = slug && strlen(slug) <= 80 ? store_contest_get(r->db, slug) : NULL;
    if (!c) {
        req_missing(r, "Không có cuộc thi này.");
        return NULL;
    }
    if (!strcmp(str(c, "status"), "draft") && !contest_organiser(r, c)) {
        json_decref(c);
        req_fail(r, 404, "Không có cuộc thi này.");
        return NULL;
    }
    if (strcmp(str(c, "kind"), "award")) {
        char loc[128];
        snprintf(loc, sizeof loc, "/cuoc-thi/%s/vong", slug);
        json_decref(c);
        req_redirect(r, loc);
        return NULL;
    }
    return c;
}

bool contest_organiser(struct req *r, json_t *c)
{
    if (!r->user) return false;
    int64_t org = json_integer_value(json_object_get(c, "org_id"));
    return authz(r, "officer", org) || authz(r, "coordinator", org) || authz(r, "coordinator", store_org_id(r->db, "vn"));
}

int contest_commit(struct req *r, struct store_result *res)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status == STORE_OK) return 0;
    return req_result(r, res);
}

/* dd/mm/yyyy of a UTC ISO instant in Vietnam (UTC+7), for lists and deadlines. */
static void vn(json_t *o, const char *key, const char *out_key)
{
    const char *iso = str(o, key);
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) < 3) return;
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 7 * 3600;
    char buf[11];
    strftime(buf, sizeof buf, "%d/%m/%Y", gmtime_r(&t, &tm));
    json_object_set_new(o, out_key, json_string(buf));
}

static void mark(json_t *c, const char *now)
{
    vn(c, "opens_at", "opens_on"), vn(c, "closes_at", "closes_on"), vn(c, "results_at", "results_on");
    bool open = strcmp(now, str(c, "opens_at")) >= 0 && strcmp(now, str(c, "closes_at")) < 0;
    bool pub = contest_published(c, now);
    json_object_set_new(c, "is_quiz", json_boolean(!strcmp(str(c, "kind"), "quiz")));
    json_object_set_new(c, "kind_label", json_string(!strcmp(str(c, "kind"), "quiz") ? "Cuộc thi tìm hiểu" : "Giải thưởng, vinh danh"));
    json_object_set_new(c, "state_label", json_string(pub ? "Đã công bố kết quả" : open ? "Đang nhận hồ sơ"
                                                      : strcmp(now, str(c, "opens_at")) < 0 ? "Sắp mở" : "Đang chấm"));
    json_object_set_new(c, "is_open", json_boolean(open));
    json_object_set_new(c, "published", json_boolean(pub));
    json_object_set_new(c, "url", json_sprintf(!strcmp(str(c, "kind"), "quiz") ? "/cuoc-thi/%s/vong" : "/cuoc-thi/%s", str(c, "slug")));
}

static int list(struct req *r)
{
    char now[21];
    contest_now(now);
    json_t *items = store_contests_list(r->db);
    if (!items) return req_store_failed(r);
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) mark(c, now);
    json_t *ctx = json_pack("{s:s, s:o, s:s}", "title", "Cuộc thi, giải thưởng", "items", items, "_nav", "contests");
    /* Who may organise somewhere is shown the way to a new contest. */
    if (r->user && (authz_any(r, "officer") || authz_any(r, "coordinator"))) json_object_set_new(ctx, "_may_create", json_true());
    return render(r, ctx, "contest_list");
}

static int show(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    char now[21];
    contest_now(now);
    mark(c, now);
    json_t *ctx = json_pack("{s:s, s:O, s:s}", "title", str(c, "title"), "contest", c, "_nav", "contests");
    if (r->user) {
        json_t *mine = store_contest_entries_of(r->db, json_integer_value(json_object_get(c, "id")), r->user->id);
        size_t i;
        json_t *e;
        json_array_foreach(mine, i, e) contest_entry_label(e, c, contest_published(c, now));
        json_object_set_new(ctx, "my_entries", mine);
        json_t *cats = store_contest_juror_categories(r->db, json_integer_value(json_object_get(c, "id")), r->user->id);
        if (json_array_size(cats)) json_object_set_new(ctx, "_juror", json_true());
        json_decref(cats);
        if (contest_organiser(r, c)) json_object_set_new(ctx, "_organiser", json_true());
    }
    if (contest_published(c, now))
        json_object_set_new(ctx, "winners", store_contest_winners(r->db, json_integer_value(json_object_get(c, "id"))));
    json_decref(c);
    return render(r, ctx, "contest_show");
}

/* The results as a spreadsheet, once public. */
static int results_xlsx(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    char now[21];
    contest_now(now);
    if (!contest_published(c, now)) {
        json_decref(c);
        return req_fail(r, 404, "Kết quả chưa được công bố.");
    }
    json_t *w = store_contest_winners(r->db, json_integer_value(json_object_get(c, "id")));
    json_t *cols = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]", "title", "Hạng mục", "width", 30,
                             "title", "Giải", "width", 18, "title", "Cá nhân, tập thể", "width", 36, "title", "Đơn vị", "width", 36,
                             "title", "Mã chứng nhận", "width", 30);
    json_t *rows = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(w, i, x)
        json_array_append_new(rows, json_pack("[O, O, O, O, O]", json_object_get(x, "category"), json_object_get(x, "award"),
                                              json_object_get(x, "name"), json_object_get(x, "unit"), json_object_get(x, "code")));
    char title[400];
    snprintf(title, sizeof title, "Kết quả %s", str(c, "title"));
    size_t len = 0;
    char *doc = xlsx_table(title, cols, rows, &len);
    json_decref(cols), json_decref(rows), json_decref(w), json_decref(c);
    if (!doc) return req_fail(r, 500, "Không tạo được bảng kết quả.");
    req_header(r, "Content-Disposition", "attachment; filename=\"ket-qua.xlsx\"");
    return req_send(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", doc, len);
}

static int honours(struct req *r)
{
    char now[21];
    contest_now(now);
    json_t *items = store_honours(r->db, now);
    if (!items) return req_store_failed(r);
    /* Grouped by year for the page; the API keeps the flat list too. */
    json_t *years = json_array(), *cur = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(items, i, h) {
        json_int_t y = json_integer_value(json_object_get(h, "year"));
        if (!cur || json_integer_value(json_object_get(cur, "year")) != y) {
            cur = json_pack("{s:I, s:[]}", "year", y, "items");
            json_array_append_new(years, cur);
        }
        json_object_set_new(h, "is_contest", json_boolean(!strcmp(str(h, "source"), "contest")));
        json_array_append(json_object_get(cur, "items"), h);
    }
    return render(r, json_pack("{s:s, s:o, s:o, s:s}", "title", "Vinh danh", "items", items, "years", years, "_nav", "contests"),
                  "honour_list");
}

/* The certificate named by {code}, or NULL after the 404 page (or a store failure). */
static json_t *honour(struct req *r, char code[27])
{
    const char *in = req_str(r, "code");
    bool ok = in && strlen(in) == 26;
    for (int i = 0; ok && i < 26; i++) {
        char ch = (char)toupper((unsigned char)in[i]);
        ok = (ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7');
        code[i] = ch;
    }
    code[26] = 0;
    int wait = ratelimit_take(r->db, "verify", r->ip, 30);
    if (wait) {
        req_header(r, "Retry-After", "60");
        req_fail(r, 429, "Bạn tra cứu quá nhanh; vui lòng thử lại sau ít giây.");
        return NULL;
    }
    char now[21];
    contest_now(now);
    json_t *h = ok ? store_honour_verify(r->db, code, now) : NULL;
    if (!h) {
        if (db_failed(r->db)) { req_store_failed(r); return NULL; }
        r->status = 404;
        render(r, json_pack("{s:s, s:s, s:b}", "title", "Không tìm thấy chứng nhận", "error",
                            "Mã chứng nhận này không tồn tại hoặc kết quả chưa được công bố.", "valid", 0), "honour_missing");
    }
    return h;
}

static void origin(struct req *r, char *out, size_t n)
{
    const char *pub = getenv("DXDAY_PUBLIC_URL");
    const char *h = r->host;
    bool ok = h && *h && strlen(h) < 200;
    for (const char *p = h; ok && *p; p++) ok = isalnum((unsigned char)*p) || strchr(".-:[]", *p);
    if (pub && *pub) snprintf(out, n, "%s", pub);
    else if (ok) snprintf(out, n, "%s://%s", r->app && r->app->cfg.secure_cookies ? "https" : "http", h);
    else snprintf(out, n, "http://localhost");
}

static int verify(struct req *r)
{
    char code[27], base[256];
    json_t *h = honour(r, code);
    if (!h) return r->status;
    origin(r, base, sizeof base);
    vn(h, "issued_at", "issued_on");
    json_object_set_new(h, "pdf_url", json_sprintf("/chung-nhan/%s/pdf", code));
    json_object_set_new(h, "verify_url", json_sprintf("%s/chung-nhan/%s", base, code));
    json_t *ctx = json_pack("{s:b, s:s, s:o, s:s}", "valid", 1, "status_label", "Chứng nhận hợp lệ", "honour", h, "_nav", "contests");
    json_object_set_new(ctx, "title", json_sprintf("Chứng nhận của %s", str(h, "name")));
    return render(r, ctx, "honour_show");
}

static int pdf(struct req *r)
{
    char code[27], base[256], url[400], err[256], title[600];
    json_t *h = honour(r, code);
    if (!h) return r->status;
    origin(r, base, sizeof base);
    snprintf(url, sizeof url, "%s/chung-nhan/%s", base, code);
    snprintf(title, sizeof title, "%s – %s, %s", str(h, "award"), str(h, "category"), str(h, "contest_title"));
    struct certificate cert = {
        .code = code, .learner_name = str(h, "name"), .course_title = title, .issued_at = str(h, "issued_at"),
        .verify_url = url, .heading = "CHỨNG NHẬN VINH DANH", .verb = "đã đoạt", .date_label = "Ngày cấp",
    };
    size_t len;
    char *doc = certificate_pdf(&cert, &len, err, sizeof err);
    json_decref(h);
    if (!doc) return req_fail(r, 500, err);
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"chung-nhan-%s.pdf\"", code);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/pdf", doc, len);
}

const struct route page_contest_public_routes[] = {
    { "GET", "/cuoc-thi", "/api/contests", list, PUBLIC, false, 0 },
    { "GET", "/cuoc-thi/{slug}", "/api/contests/{slug}", show, PUBLIC, false, 0 },
    { "GET", "/cuoc-thi/{slug}/ket-qua.xlsx", NULL, results_xlsx, PUBLIC, false, 0 },
    { "GET", "/vinh-danh", "/api/honours", honours, PUBLIC, false, 0 },
    { "GET", "/chung-nhan/{code}", "/api/honours/{code}", verify, PUBLIC, false, 0 },
    { "GET", "/chung-nhan/{code}/pdf", NULL, pdf, PUBLIC, false, 0 },
    { 0 },
};
