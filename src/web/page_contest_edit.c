/* Organisers create and edit an award contest in the browser: one phone-first form (parts typed one per line) that
 * keeps what was typed and says each error beside its field. Must not write SQL, nor let anyone but an officer or
 * coordinator of the organising unit (or the centre) define a contest; what entries depend on is the store's to refuse. */
#include "web/contest.h"
#include "store/org.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

struct alias { const char *code, *label; };
static const struct alias WHO[] = { { "organisation", "tổ chức" }, { "enterprise", "doanh nghiệp" }, { "individual", "cá nhân" },
                                    { "youth", "thanh niên" }, { 0 } };
static const struct alias TYPES[] = { { "integer", "số nguyên" }, { "decimal", "số thập phân" }, { "bool", "có/không" },
                                      { "text", "văn bản" }, { "longtext", "đoạn văn" }, { "choice", "lựa chọn" },
                                      { "file", "tệp" }, { 0 } };
static const struct alias ROUNDS[] = { { "eligibility", "xét điều kiện" }, { "shortlist", "sơ khảo" }, { "final", "chung khảo" }, { 0 } };

/* The code of a typed word: the code itself or its Vietnamese label, with or without diacritics; NULL when neither. */
static const char *alias_code(const struct alias *a, const char *typed)
{
    char *f = text_fold(typed ? typed : "");
    const char *out = NULL;
    for (int i = 0; f && a[i].code && !out; i++) {
        char *l = text_fold(a[i].label);
        if (!strcmp(f, a[i].code) || (l && !strcmp(f, l))) out = a[i].code;
        free(l);
    }
    free(f);
    return out;
}

static const char *alias_label(const struct alias *a, const char *code)
{
    for (int i = 0; code && a[i].code; i++) if (!strcmp(a[i].code, code)) return a[i].label;
    return code ? code : "";
}

/* The request's text (form or JSON), trimmed, in NFC; "" when absent. Freed by the caller. */
static char *in(struct req *r, const char *k)
{
    const char *v = req_str(r, k);
    if (!v) v = str(r->body_json, k);
    char *t = text_nfc(v ? v : "");
    if (!t) return strdup("");
    char *p = t;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    size_t n = strlen(p);
    while (n && strchr(" \t\r\n", p[n - 1])) p[--n] = 0;
    memmove(t, p, n + 1);
    return t;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r", s[n - 1])) s[--n] = 0;
    return s;
}

static bool code_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 40) return false;
    for (; *s; s++) if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')) return false;
    return true;
}

/* Splits one line at '|' into at most n trimmed parts (missing ones ""); the line is cut in place. */
static int cells(char *line, char **out, int n)
{
    int k = 0;
    for (char *p = line; k < n; k++) {
        char *bar = strchr(p, '|');
        if (bar) *bar = 0;
        out[k] = trim(p);
        if (!bar) { k++; break; }
        p = bar + 1;
    }
    for (int j = k; j < n; j++) out[j] = "";
    return k;
}

static void line_error(json_t *errors, const char *key, int line, const char *msg)
{
    if (json_object_get(errors, key)) return;   /* the first mistake of a box: fix it and the next one shows */
    json_object_set_new(errors, key, json_sprintf("Dòng %d: %s", line, msg));
}

typedef bool (*line_fn)(char **c, int line, json_t *out, json_t *errors, const char *key);

/* Every non-empty line of the box, parsed by fn into items of out. */
static json_t *lines(const char *text, int ncells, line_fn fn, json_t *errors, const char *key)
{
    json_t *out = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        n++;
        char *c[6];
        if (!*trim(l)) continue;
        cells(l, c, ncells);
        if (!fn(c, n, out, errors, key)) break;
    }
    free(copy);
    return out;
}

static bool category_line(char **c, int line, json_t *out, json_t *errors, const char *key)
{
    if (!code_ok(c[0])) { line_error(errors, key, line, "mã hạng mục gồm chữ thường không dấu, số, '-' (tối đa 40 ký tự)."); return false; }
    if (!*c[1]) { line_error(errors, key, line, "cần tên hạng mục."); return false; }
    json_t *el = json_array();
    char *save = NULL;
    for (char *w = strtok_r(c[2], ",;", &save); w; w = strtok_r(NULL, ",;", &save)) {
        const char *code = alias_code(WHO, trim(w));
        if (!code) {
            json_decref(el);
            line_error(errors, key, line, "đối tượng tham gia là tổ chức, doanh nghiệp, cá nhân hoặc thanh niên (cách nhau bởi dấu phẩy).");
            return false;
        }
        json_array_append_new(el, json_string(code));
    }
    if (!json_array_size(el)) {
        json_decref(el);
        line_error(errors, key, line, "cần ít nhất một đối tượng tham gia (tổ chức, doanh nghiệp, cá nhân, thanh niên).");
        return false;
    }
    json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "code", c[0], "name", c[1], "eligible", el));
    return true;
}

static bool field_line(char **c, int line, json_t *out, json_t *errors, const char *key)
{
    if (!code_ok(c[0])) { line_error(errors, key, line, "mã trường gồm chữ thường không dấu, số, '-' hoặc '_'."); return false; }
    if (!*c[1]) { line_error(errors, key, line, "cần nhãn của trường."); return false; }
    const char *type = alias_code(TYPES, c[2]);
    if (!type) { line_error(errors, key, line, "kiểu là số nguyên, số thập phân, có/không, văn bản, đoạn văn, lựa chọn hoặc tệp."); return false; }
    char *req = text_fold(c[3]);
    bool required = req && (!strcmp(req, "bat buoc") || !strcmp(req, "co") || !strcmp(req, "x") || !strcmp(req, "*"));
    bool known = req && (required || !*req || !strcmp(req, "khong"));
    free(req);
    if (!known) { line_error(errors, key, line, "cột thứ tư là \"bắt buộc\" hoặc để trống."); return false; }
    json_t *f = json_pack("{s:s, s:s, s:s, s:b}", "code", c[0], "label", c[1], "type", type, "required", required);
    if (!strcmp(type, "choice")) {
        json_t *ch = json_array();
        char *save = NULL;
        for (char *w = strtok_r(c[4], ";", &save); w; w = strtok_r(NULL, ";", &save)) if (*trim(w)) json_array_append_new(ch, json_string(trim(w)));
        if (json_array_size(ch) < 2) {
            json_decref(ch), json_decref(f);
            line_error(errors, key, line, "trường lựa chọn cần ít nhất hai lựa chọn ở cột thứ năm, cách nhau bởi dấu chấm phẩy.");
            return false;
        }
        json_object_set_new(f, "choices", ch);
    }
    json_array_append_new(out, f);
    return true;
}

static bool criterion_line(char **c, int line, json_t *out, json_t *errors, const char *key)
{
    if (!code_ok(c[0])) { line_error(errors, key, line, "mã tiêu chí gồm chữ thường không dấu, số, '-' hoặc '_'."); return false; }
    if (!*c[1]) { line_error(errors, key, line, "cần tên tiêu chí."); return false; }
    for (char *p = c[2]; *p; p++) if (*p == ',') *p = '.';
    char *end = NULL;
    double w = *c[2] ? strtod(c[2], &end) : 0;
    if (!*c[2] || *end || !(w > 0) || w > 1000) { line_error(errors, key, line, "trọng số là một số dương (ví dụ 30 hoặc 0,3)."); return false; }
    json_array_append_new(out, json_pack("{s:s, s:s, s:f}", "code", c[0], "name", c[1], "weight", w));
    return true;
}

static bool round_line(char **c, int line, json_t *out, json_t *errors, const char *key)
{
    if (!*c[0]) { line_error(errors, key, line, "cần tên vòng."); return false; }
    const char *kind = alias_code(ROUNDS, c[1]);
    if (!kind) { line_error(errors, key, line, "loại vòng là xét điều kiện, sơ khảo hoặc chung khảo."); return false; }
    json_array_append_new(out, json_pack("{s:s, s:s}", "name", c[0], "kind", kind));
    return true;
}

/* yyyy-mm-dd (a day in Vietnam) as the UTC instant it starts, or ends when end; false when not a date. */
static bool vn_day(const char *s, bool end, char out[21])
{
    struct tm tm = {0};
    int n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10) return false;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 2000 || tm.tm_year > 2100) return false;
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    int want = tm.tm_mday;
    time_t t = timegm(&tm);
    struct tm chk;
    gmtime_r(&t, &chk);
    if (chk.tm_mday != want) return false;   /* 31/02 */
    t = t - 7 * 3600 + (end ? 86399 : 0);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &chk));
    return true;
}

/* The Vietnamese day (yyyy-mm-dd) of a UTC instant, for a date input. */
static json_t *day_of(const char *iso)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) < 3)
        return json_string("");
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 7 * 3600;
    char buf[11];
    strftime(buf, sizeof buf, "%Y-%m-%d", gmtime_r(&t, &tm));
    return json_string(buf);
}

static const char *const BOXES[] = { "slug", "title", "year", "org", "rules_md", "opens_on", "closes_on", "results_on",
                                     "score_min", "score_max", "categories", "fields", "criteria", "rounds", NULL };

/* What was typed, to show again: every box as text. */
static json_t *typed(struct req *r)
{
    json_t *v = json_object();
    for (int i = 0; BOXES[i]; i++) {
        char *t = in(r, BOXES[i]);
        json_object_set_new(v, BOXES[i], json_string(t));
        free(t);
    }
    const char *b = req_str(r, "blind");
    json_object_set_new(v, "blind", json_boolean(b && *b));
    return v;
}

/* The boxes of a saved contest, as the form shows them. */
static json_t *boxes_of(json_t *c)
{
    char *p = NULL;
    size_t n = 0;
    json_t *v = json_pack("{s:O, s:O, s:I, s:O, s:o, s:o, s:o, s:I, s:I, s:b}", "slug", json_object_get(c, "slug"), "title",
                          json_object_get(c, "title"), "year", json_integer_value(json_object_get(c, "year")), "rules_md",
                          json_object_get(c, "rules_md"), "opens_on", day_of(str(c, "opens_at")), "closes_on",
                          day_of(str(c, "closes_at")), "results_on", day_of(str(c, "results_at")), "score_min",
                          json_integer_value(json_object_get(c, "score_min")), "score_max",
                          json_integer_value(json_object_get(c, "score_max")), "blind", json_integer_value(json_object_get(c, "blind")) != 0);
    size_t i, j;
    json_t *x, *y;
    FILE *f = open_memstream(&p, &n);
    json_array_foreach(json_object_get(c, "categories"), i, x) {
        fprintf(f, "%s | %s | ", str(x, "code"), str(x, "name"));
        json_array_foreach(json_object_get(x, "eligible"), j, y) fprintf(f, "%s%s", j ? ", " : "", alias_label(WHO, json_string_value(y)));
        fputc('\n', f);
    }
    fclose(f);
    json_object_set_new(v, "categories", json_string(p ? p : "")), free(p), p = NULL;
    f = open_memstream(&p, &n);
    json_array_foreach(json_object_get(c, "fields"), i, x) {
        bool req = json_integer_value(json_object_get(x, "required")) != 0, ch = json_is_array(json_object_get(x, "choices"));
        fprintf(f, "%s | %s | %s%s%s", str(x, "code"), str(x, "label"), alias_label(TYPES, str(x, "type")), req || ch ? " | " : "",
                req ? "bắt buộc" : "");
        if (ch) {
            fputs(" | ", f);
            json_array_foreach(json_object_get(x, "choices"), j, y) fprintf(f, "%s%s", j ? "; " : "", json_string_value(y));
        }
        fputc('\n', f);
    }
    fclose(f);
    json_object_set_new(v, "fields", json_string(p ? p : "")), free(p), p = NULL;
    f = open_memstream(&p, &n);
    json_array_foreach(json_object_get(c, "criteria"), i, x)
        fprintf(f, "%s | %s | %g\n", str(x, "code"), str(x, "name"), json_number_value(json_object_get(x, "weight")));
    fclose(f);
    json_object_set_new(v, "criteria", json_string(p ? p : "")), free(p), p = NULL;
    f = open_memstream(&p, &n);
    json_array_foreach(json_object_get(c, "rounds"), i, x) fprintf(f, "%s | %s\n", str(x, "name"), alias_label(ROUNDS, str(x, "kind")));
    fclose(f);
    json_object_set_new(v, "rounds", json_string(p ? p : "")), free(p);
    return v;
}

/* A definition from the form's boxes; what is wrong goes into errors by box. */
static json_t *def_from_form(struct req *r, json_t *errors)
{
    json_t *def = json_object();
    char *t;
    const char *plain[] = { "slug", "title", "rules_md", NULL };
    for (int i = 0; plain[i]; i++) {
        t = in(r, plain[i]);
        json_object_set_new(def, plain[i], json_string(t));
        free(t);
    }
    t = in(r, "org");
    json_object_set_new(def, "org", json_string(t));
    free(t);
    const char *ints[] = { "year", "score_min", "score_max", NULL };
    const char *msgs[] = { "Năm là một số, ví dụ 2026.", "Điểm thấp nhất là một số nguyên.", "Điểm cao nhất là một số nguyên." };
    for (int i = 0; ints[i]; i++) {
        t = in(r, ints[i]);
        char *end = NULL;
        long v = strtol(t, &end, 10);
        if (!*t || *end || v < -1000 || v > 100000) json_object_set_new(errors, ints[i], json_string(msgs[i]));
        else json_object_set_new(def, ints[i], json_integer(v));
        free(t);
    }
    const char *days[][3] = { { "opens_on", "opens_at", "" }, { "closes_on", "closes_at", "e" }, { "results_on", "results_at", "" } };
    for (int i = 0; i < 3; i++) {
        char iso[21];
        t = in(r, days[i][0]);
        if (vn_day(t, *days[i][2], iso)) json_object_set_new(def, days[i][1], json_string(iso));
        else if (*t || i < 2) json_object_set_new(errors, days[i][0], json_string("Chọn một ngày hợp lệ."));
        free(t);
    }
    const char *b = req_str(r, "blind");
    json_object_set_new(def, "blind", json_boolean(b && *b));
    struct { const char *key; int n; line_fn fn; } parts[] = {
        { "categories", 3, category_line }, { "fields", 5, field_line }, { "criteria", 3, criterion_line }, { "rounds", 2, round_line },
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        t = in(r, parts[i].key);
        json_object_set_new(def, parts[i].key, lines(t, parts[i].n, parts[i].fn, errors, parts[i].key));
        free(t);
    }
    return def;
}

/* The store's field names → the form's boxes. */
static void to_boxes(json_t *errors)
{
    const char *map[][2] = { { "opens_at", "opens_on" }, { "closes_at", "closes_on" }, { "results_at", "results_on" } };
    for (int i = 0; i < 3; i++) {
        json_t *m = json_object_get(errors, map[i][0]);
        if (m && !json_object_get(errors, map[i][1])) json_object_set(errors, map[i][1], m);
    }
}

static int page(struct req *r, json_t *c, json_t *v, json_t *errors, const char *error, int status)
{
    json_t *units = store_contest_organiser_units(r->db, r->user->id), *u;
    size_t i;
    json_array_foreach(units, i, u) json_object_set_new(u, "selected", json_boolean(str(v, "org") && !strcmp(str(v, "org"), str(u, "code"))));
    json_t *ctx = json_pack("{s:s, s:o, s:o, s:o, s:s, s:s}", "title", c ? "Sửa cuộc thi" : "Tạo cuộc thi giải thưởng", "v", v,
                            "units", units, "errors", errors ? errors : json_object(), "_nav", "contests", "_csrf", csrf_token(r));
    if (c) json_object_set(ctx, "contest", c);
    if (error) json_object_set_new(ctx, "error", json_string(error));
    r->status = status;
    return render(r, ctx, "contest_edit");
}

static bool may_organise(struct req *r, int64_t org_id)
{
    json_t *probe = json_pack("{s:I}", "org_id", (json_int_t)org_id);
    bool ok = contest_organiser(r, probe);
    json_decref(probe);
    return ok;
}

static int new_form(struct req *r)
{
    char now[21];
    contest_now(now);
    json_t *v = json_pack("{s:i, s:i, s:i, s:s}", "year", atoi(now), "score_min", 1, "score_max", 10, "rounds",
                          "Xét điều kiện | xét điều kiện\nSơ khảo | sơ khảo\nChung khảo | chung khảo\n");
    json_t *units = store_contest_organiser_units(r->db, r->user->id);
    if (json_array_size(units)) json_object_set(v, "org", json_object_get(json_array_get(units, 0), "code"));
    json_decref(units);
    if (r->is_api) {
        json_t *out = json_pack("{s:o, s:o}", "defaults", v, "units", store_contest_organiser_units(r->db, r->user->id));
        return render(r, out, NULL);
    }
    return page(r, NULL, v, NULL, NULL, 200);
}

/* Saves def as a new contest (cur NULL) or as cur's edit, answering every outcome with the typed form kept. */
static int save(struct req *r, json_t *cur, json_t *def, json_t *errors, json_t *v)
{
    const char *org = str(def, "org");
    int64_t org_id = org && *org ? store_org_id(r->db, org) : 0;
    if (!org_id && !json_object_get(errors, "org")) json_object_set_new(errors, "org", json_string("Chọn đơn vị tổ chức."));
    if (org_id && !may_organise(r, org_id)) {
        json_decref(def), json_decref(errors), json_decref(v);
        return req_fail(r, 403, "Bạn không có vai trò cán bộ hay điều phối ở đơn vị tổ chức.");
    }
    json_object_set_new(def, "org_id", json_integer(org_id));
    if (cur) json_object_set(def, "slug", json_object_get(cur, "slug"));
    struct store_result res = STORE_RESULT_OK;
    int64_t id = cur ? json_integer_value(json_object_get(cur, "id")) : 0;
    /* The store's own checks too, so every box says what is wrong at once. */
    if (json_object_size(errors)) {
        store_contest_check(def, &res);
        if (res.fields) json_object_update_missing(errors, res.fields);
        store_result_free(&res);
        res = STORE_RESULT_OK;
    } else if (store_begin(r->db, &res) == STORE_OK) {
        if (cur) store_contest_update(r->db, cur, def, &res);
        else {
            char now[21];
            contest_now(now);
            store_contest_create(r->db, def, r->user->id, now, &id, &res);
        }
        if (res.status == STORE_OK && audit(r, cur ? "contest.update" : "contest.create", "contest", id,
                                             json_pack("{s:O, s:s}", "slug", json_object_get(def, "slug"), "via", "form")))
            store_fail_db(&res, r->db);
        if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
        else if (res.status != STORE_OK) db_rollback(r->db);
    }
    if (res.status == STORE_INVALID || res.status == STORE_CONFLICT || json_object_size(errors)) {
        if (res.fields) json_object_update_missing(errors, res.fields);
        to_boxes(errors);
        int st = res.status == STORE_CONFLICT ? 409 : 422;
        char msg[300];
        snprintf(msg, sizeof msg, "%s", res.message[0] ? res.message : "Cuộc thi chưa lưu được; xem các ô cần sửa.");
        store_result_free(&res);
        json_decref(def);
        if (r->want_json) {
            json_decref(v);
            return req_fail_ctx(r, st, msg, errors);
        }
        return page(r, cur, v, errors, msg, st);
    }
    json_decref(errors), json_decref(v);
    char slug[100];
    snprintf(slug, sizeof slug, "%s", cur ? str(cur, "slug") : str(def, "slug"));
    json_decref(def);
    if (res.status != STORE_OK) return req_result(r, &res);
    if (!r->want_json) {
        char loc[160];
        snprintf(loc, sizeof loc, "/cuoc-thi/%s", slug);
        return req_redirect(r, loc);
    }
    r->status = cur ? 200 : 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "slug", slug), NULL);
}

/* The definition a request carries: a JSON body as POST /api/contests takes it, or the form's boxes. */
static json_t *definition(struct req *r, json_t *errors)
{
    if (json_is_object(r->body_json) && !req_str(r, "categories")) {
        json_t *def = json_deep_copy(r->body_json);
        json_t *y = json_object_get(def, "year");
        if (y && !json_is_integer(y)) json_object_set_new(errors, "year", json_string("Năm là một số, ví dụ 2026."));
        if (!y) {
            char now[21];
            contest_now(now);
            json_object_set_new(def, "year", json_integer(atoi(now)));
        }
        return def;
    }
    return def_from_form(r, errors);
}

static int create(struct req *r)
{
    json_t *errors = json_object();
    json_t *def = definition(r, errors);
    return save(r, NULL, def, errors, typed(r));
}

/* The contest of {slug} when the caller organises it; NULL after answering. */
static json_t *organised(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return NULL;
    if (contest_organiser(r, c)) return c;
    json_decref(c);
    req_fail(r, 403, "Chỉ ban tổ chức cuộc thi (cán bộ, điều phối của đơn vị tổ chức) sửa được cuộc thi.");
    return NULL;
}

static int edit_form(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    if (r->is_api) return render(r, json_pack("{s:o}", "contest", c), NULL);
    json_t *v = boxes_of(c);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(c, "org_id")));
    json_t *o = store_org_get(r->db, id);
    json_object_set(v, "org", json_object_get(o, "code"));
    json_decref(o);
    int st = page(r, c, v, NULL, NULL, 200);
    json_decref(c);
    return st;
}

static int update(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    json_t *errors = json_object();
    json_t *def = definition(r, errors);
    int st = save(r, c, def, errors, typed(r));
    json_decref(c);
    return st;
}

const struct route page_contest_edit_routes[] = {
    { "GET", "/cuoc-thi/moi", "/api/contests/new", new_form, STAFF, false, 0 },
    { "POST", "/cuoc-thi/moi", "/api/contests/new", create, STAFF, false, 0 },
    { "GET", "/cuoc-thi/{slug}/sua", "/api/contests/{slug}/definition", edit_form, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/sua", "/api/contests/{slug}/definition", update, STAFF, false, 0 },
    { 0 },
};
