/* Unit tests of the reporting store on a real SQLite file: periods, value checking, built-in and edited forms,
 * the submission lifecycle with its running totals and locks, completeness across the 2025 merges, the dashboard. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/date.h"
#include "core/rperiod.h"
#include "core/text.h"
#include "store/completeness.h"
#include "store/dashboard.h"
#include "store/form.h"
#include "store/migrate.h"
#include "store/org.h"
#include "store/submission.h"

/* ---- helpers ---- */

#define STR(o, k) json_string_value(json_object_get((o), (k)))
#define INT(o, k) json_integer_value(json_object_get((o), (k)))
static char path[96];
static int dbs;

/* A fresh migrated database per test, so submissions of one test never show up in another's counts. */
static int setup(void **state)
{
    db *d = fixture_db_open(path, sizeof path, "reporting", ++dbs);
    *state = d;
    return d ? 0 : -1;
}

static int teardown(void **state)
{
    db_close(*state);
    fixture_db_unlink(path);
    return 0;
}

static struct ymd day(const char *iso)
{
    struct ymd d = { 0 };
    if (!date_parse_iso(iso, &d)) fail_msg("bad test date %s", iso);
    return d;
}

static void is_day(struct ymd d, const char *want)
{
    char b[32];
    date_format_iso(d, b);
    assert_string_equal(b, want);
}

static json_t *parse(const char *s)
{
    json_error_t e;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &e);
    if (!v) fail_msg("test JSON: %s: %s", e.text, s);
    return v;
}

/* Tests run from the repository root (make unit, tests/run.sh). */
static json_t *fixture(const char *name)
{
    char f[256];
    snprintf(f, sizeof f, "tests/fixtures/reporting/%s", name);
    json_error_t e;
    json_t *v = json_load_file(f, 0, &e);
    if (!v) fail_msg("%s:%d: %s", f, e.line, e.text);
    return v;
}

/* Asserts that got contains want: every key of want objects, arrays of the same length element by element,
 * numbers by value whatever their JSON type. */
static void has_at(json_t *got, json_t *want, const char *where)
{
    char sub[256];
    const char *k;
    json_t *w;
    size_t i;
    if (json_is_null(want) && (!got || json_is_null(got))) return;   /* null: absent or null */
    if (json_is_object(want)) {
        json_object_foreach(want, k, w) {
            snprintf(sub, sizeof sub, "%s.%s", where, k);
            has_at(json_object_get(got, k), w, sub);
        }
    } else if (json_is_array(want)) {
        if (json_array_size(got) != json_array_size(want))
            fail_msg("%s: %zu items, want %zu", where, json_array_size(got), json_array_size(want));
        json_array_foreach(want, i, w) {
            snprintf(sub, sizeof sub, "%s[%zu]", where, i);
            has_at(json_array_get(got, i), w, sub);
        }
    } else if (json_is_number(want) ? !json_is_number(got) || json_number_value(got) != json_number_value(want) : !json_equal(got, want)) {
        char *g = json_dumps(got, JSON_ENCODE_ANY), *e = json_dumps(want, JSON_ENCODE_ANY);
        fail_msg("%s is %s, want %s", where, g ? g : "absent", e);
    }
}

/* has_at with want given as printf-style JSON text. */
__attribute__((format(printf, 2, 3))) static void has(json_t *got, const char *fmt, ...)
{
    char want[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    json_t *w = parse(want);
    has_at(got, w, "");
    json_decref(w);
}

static int64_t org(db *d, const char *code)
{
    int64_t id = store_org_id(d, code);
    if (id <= 0) fail_msg("unit %s not loaded", code);
    return id;
}

/* The first column of the first row; a is bound to the one '?' when the SQL has it. */
static int64_t scalar(db *d, const char *sql, int64_t a)
{
    db_stmt *s = db_prepare(d, sql);
    if (strchr(sql, '?')) db_bind_int(s, 1, a);
    return db_scalar_int(s, -1);
}

static json_t *form_of(db *d, const char *code)
{
    json_t *f = store_form_get(d, code);
    if (!f) fail_msg("form %s missing", code);
    return f;
}

static struct rperiod period_of(json_t *form, const char *key, const char *today)
{
    struct rform rf;
    struct rperiod p;
    assert_true(form_rform(form, &rf));
    assert_true(rperiod_find(&rf, key, day(today), &p));
    return p;
}

/* Checks raw values as the web layer does, then writes them; the values must be valid. */
static int64_t put(db *d, json_t *form, const char *unit, const char *action, const char *raw, const char *today,
                   struct sub_refusal *why)
{
    struct rperiod p = period_of(form, NULL, today);
    json_t *in = parse(raw), *err = json_object();
    json_t *v = form_values_check(form, in, strcmp(action, "save") != 0, err);
    if (json_object_size(err)) fail_msg("values refused: %s", json_dumps(err, JSON_COMPACT));
    struct sub_refusal local;
    struct sub_put sp = { .form = form, .period = &p, .org_id = org(d, unit), .action = action, .values = v, .today = today };
    int64_t id = store_submission_put(d, &sp, why ? why : &local);
    json_decref(in);
    json_decref(err);
    json_decref(v);
    return id;
}

/* Asserts the running total of one indicator in form_total, and that form_total equals the sum over received
 * submissions for every indicator of the form. */
static void sum_is(db *d, json_t *form, const char *code, double want)
{
    db_stmt *s = db_prepare(d, "SELECT i.code, "
                               "(SELECT COALESCE(SUM(t.total), 0) FROM form_total t WHERE t.indicator_id = i.id), "
                               "(SELECT COALESCE(SUM(v.num), 0) FROM submission_value v JOIN submission x ON x.id = v.submission_id "
                               " WHERE v.indicator_id = i.id AND x.status IN ('submitted', 'approved')) "
                               "FROM indicator i WHERE i.form_id = ?");
    db_bind_int(s, 1, INT(form, "id"));
    int seen = 0;
    while (db_step(s) == DB_ROW) {
        double a = strtod(db_col_text(s, 1), NULL), b = strtod(db_col_text(s, 2), NULL);
        if (fabs(a - b) > 1e-9) fail_msg("form_total of %s is %g, submissions sum to %g", db_col_text(s, 0), a, b);
        seen += !strcmp(db_col_text(s, 0), code);
        if (!strcmp(db_col_text(s, 0), code) && a != want) fail_msg("form_total of %s is %g, want %g", code, a, want);
    }
    db_done(s);
    if (!seen) fail_msg("the form has no indicator %s", code);
}

/* ---- 1. periods ---- */

static void period_is(const struct rperiod *p, const char *key, const char *label, const char *start, const char *end, const char *due)
{
    assert_string_equal(p->key, key);
    assert_string_equal(p->label, label);
    is_day(p->start, start);
    is_day(p->end, end);
    is_day(p->due, due);
}

static void period_lists(void **state)
{
    struct rform f = { .type = RP_CAMPAIGN, .year = 2026, .has_due = true, .due = { 2026, 10, 25 } };
    struct rperiod p[12];
    assert_int_equal(rperiod_list(&f, p, 12), 1);
    period_is(&p[0], "2026", "Năm 2026", "2026-01-01", "2026-12-31", "2026-10-25");
    is_day(p[0].on_time_until, "2026-10-25");
    assert_false(p[0].has_lock);
    /* Without a due date a single period is due on its last day. */
    f.has_due = false;
    assert_int_equal(rperiod_list(&f, p, 12), 1);
    is_day(p[0].due, "2026-12-31");
    struct rform c = { .type = RP_CUSTOM, .year = 2026, .window_from = { 2026, 9, 1 }, .window_to = { 2026, 9, 30 } };
    assert_int_equal(rperiod_list(&c, p, 12), 1);
    period_is(&p[0], "custom", "01/09/2026 – 30/09/2026", "2026-09-01", "2026-09-30", "2026-09-30");
    assert_true(rperiod_type_parse("quarter") == RP_QUARTER && rperiod_type_parse("quý") == RP_INVALID && rperiod_type_parse(NULL) == RP_INVALID);
    assert_string_equal(rperiod_type_name(RP_MONTH), "month");
    struct rform q = { .type = RP_QUARTER, .year = 2026, .due_days = 20, .has_lock_days = true, .lock_days = 45 };
    assert_int_equal(rperiod_list(&q, p, 12), 4);
    period_is(&p[0], "2026Q1", "Quý I/2026", "2026-01-01", "2026-03-31", "2026-04-20");
    period_is(&p[1], "2026Q2", "Quý II/2026", "2026-04-01", "2026-06-30", "2026-07-20");
    period_is(&p[2], "2026Q3", "Quý III/2026", "2026-07-01", "2026-09-30", "2026-10-20");
    period_is(&p[3], "2026Q4", "Quý IV/2026", "2026-10-01", "2026-12-31", "2027-01-20");
    assert_true(p[3].has_lock);
    is_day(p[0].lock, "2026-05-15");   /* recurring locks count from the period's end */
    assert_int_equal(rperiod_list(&q, p, 2), 2);
    struct rform m = { .type = RP_MONTH, .year = 2028, .due_days = 10 };
    assert_int_equal(rperiod_list(&m, p, 12), 12);
    period_is(&p[1], "2028-02", "Tháng 2/2028", "2028-02-01", "2028-02-29", "2028-03-10");   /* a leap year */
    period_is(&p[11], "2028-12", "Tháng 12/2028", "2028-12-01", "2028-12-31", "2029-01-10");
}

/* rperiod_find's key, or false (want NULL). */
static void find_key(const struct rform *f, const char *key, const char *today, const char *want)
{
    struct rperiod p;
    assert_int_equal(rperiod_find(f, key, day(today), &p), want != NULL);
    if (want) assert_string_equal(p.key, want);
}

static void find_on_time_and_locks(void **state)
{
    struct rform f = { .type = RP_CAMPAIGN, .year = 2026, .has_due = true, .due = { 2026, 10, 25 }, .late_days = 3,
                       .has_lock = true, .lock_on = { 2026, 12, 31 } };
    struct rperiod p;
    assert_true(rperiod_find(&f, NULL, day("2026-01-01"), &p));
    is_day(p.on_time_until, "2026-10-28");
    assert_true(rperiod_on_time(&p, day("2026-10-25")));
    assert_true(rperiod_on_time(&p, day("2026-10-28")));   /* due + late_days is still on time */
    assert_false(rperiod_on_time(&p, day("2026-10-29")));
    struct ymd none = { 0 };
    assert_false(rperiod_locked(&p, day("2026-10-29"), false, none));  /* late is not locked */
    assert_false(rperiod_locked(&p, day("2026-12-31"), false, none));  /* the lock day itself is open */
    assert_true(rperiod_locked(&p, day("2027-01-01"), false, none));
    assert_false(rperiod_locked(&p, day("2027-01-10"), true, day("2027-01-10")));
    assert_true(rperiod_locked(&p, day("2027-01-11"), true, day("2027-01-10")));
    /* An exception that ended before the lock changes nothing. */
    assert_true(rperiod_locked(&p, day("2027-01-01"), true, day("2026-12-01")));
    /* No key: the only period, or for recurring forms the one containing today. */
    struct rform q = { .type = RP_QUARTER, .year = 2026, .due_days = 15 };
    find_key(&q, "", "2026-05-10", "2026Q2");
    find_key(&q, NULL, "2026-09-30", "2026Q3");
    find_key(&q, "", "2027-02-01", "2026Q4");   /* after the year: the last period */
    find_key(&q, "2026Q1", "2026-12-01", "2026Q1");
    find_key(&q, "2026Q5", "2026-12-01", NULL);
    find_key(&q, "2026", "2026-12-01", NULL);
    struct rform m = { .type = RP_MONTH, .year = 2026 }, c = { .type = RP_CAMPAIGN, .year = 2026 };
    find_key(&m, "", "2026-02-14", "2026-02");
    find_key(&c, "", "2030-01-01", "2026");
}

/* ---- 2. values ---- */

/* Value tests collect every failing case in one report, so a run names all the inputs that fail and not only the
 * first, and free everything before failing, so LeakSanitizer adds nothing to a failure. */
static char report[8192];

static void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = strlen(report);
    n += (size_t)snprintf(report + n, sizeof report - n, "\n  ");
    if (n < sizeof report) vsnprintf(report + n, sizeof report - n, fmt, ap);
    va_end(ap);
}

/* One value through the check against values_form.json. in is the value as JSON ("\"1.234\"" for text, 12.5 for a
 * JSON number); want is the normalised value as JSON of the same type (1500 for an integer, 1500.0 for a decimal),
 * or "!" and a part of the expected error. */
static void val(const char *code, const char *in, const char *want)
{
    json_t *form = fixture("values_form.json"), *vals = json_object(), *errors = json_object();
    json_object_set_new(vals, code, parse(in));
    json_t *out = form_values_check(form, vals, false, errors), *got = json_object_get(out, code);
    json_t *w = *want == '!' ? NULL : parse(want);
    const char *err = STR(errors, code);
    char *g = json_dumps(got, JSON_ENCODE_ANY);
    if (!w && !err) note("%s %s: accepted as %s, want an error", code, in, g ? g : "nothing");
    else if (!w && !strstr(err, want + 1)) note("%s %s: error '%s' lacks '%s'", code, in, err, want + 1);
    else if (w && err) note("%s %s: refused (%s)", code, in, err);
    else if (w && (json_typeof(got) != json_typeof(w) || (json_is_number(w) ? fabs(json_number_value(got) - json_number_value(w)) > 1e-9
                                                                             : !json_equal(got, w))))
        note("%s %s: got %s, want %s", code, in, g ? g : "nothing", want);
    free(g);
    json_decref(w);
    json_decref(out);
    json_decref(errors);
    json_decref(vals);
    json_decref(form);
}

static void values(const char *const (*cases)[3], size_t n)
{
    report[0] = 0;
    for (size_t i = 0; i < n; i++) val(cases[i][0], cases[i][1], cases[i][2]);
    if (*report) fail_msg("%s", report);
}
#define VALUES(t) values(t, sizeof t / sizeof t[0])

static void vietnamese_numbers(void **state)
{
    static const char *const t[][3] = {
        { "n", "\"1.234\"", "1234" }, { "n", "\"1 234\"", "1234" }, { "n", "\"12\"", "12" }, { "n", "\" 12 \"", "12" },
        { "n", "\"12.345\"", "12345" }, { "n", "42", "42" }, { "n", "\"12,5\"", "!Số hoạt động: cần một số nguyên" },
        { "n", "\"abc\"", "!cần một số nguyên" }, { "n", "\"1e5\"", "!" },
        { "kp", "\"12,5\"", "12.5" }, { "kp", "\"1.5\"", "1.5" }, { "kp", "\"1.500\"", "1500.0" }, { "kp", "\"1.234,5\"", "1234.5" },
        { "kp", "\"0,75\"", "0.75" }, { "kp", "12.5", "12.5" }, { "kp", "\"mười\"", "!Kinh phí: cần một số" },
        /* Ranges: the message names the label. */
        { "n", "\"-1\"", "!Số hoạt động: không được nhỏ hơn 0" }, { "n", "\"100.001\"", "!Số hoạt động: không được lớn hơn 100000" },
        { "n", "\"100.000\"", "100000" }, { "kp", "\"-0,5\"", "!Kinh phí: không được nhỏ hơn 0" },
    };
    VALUES(t);
}

static void yes_no_choices_and_text(void **state)
{
    static const char *const t[][3] = {
        { "b", "\"có\"", "true" }, { "b", "\"Có\"", "true" }, { "b", "\"CÓ\"", "true" }, { "b", "\"x\"", "true" }, { "b", "\"1\"", "true" },
        { "b", "\"Đã\"", "true" }, { "b", "\"không\"", "false" }, { "b", "\"khong\"", "false" }, { "b", "\"0\"", "false" },
        { "b", "\"Chưa\"", "false" }, { "b", "\"maybe\"", "!Có lễ phát động: chọn Có hoặc Không" },
        { "c", "\"hoan thanh tot\"", "\"Hoàn thành tốt\"" }, { "c", "\"HOÀN THÀNH\"", "\"Hoàn thành\"" },
        /* NFD as typed on some Mac keyboards: o + U+0302 + U+0301 for ố. */
        { "c", "\"Hoa\xcc\x80n tha\xcc\x80nh to\xcc\x82\xcc\x81t\"", "\"Hoàn thành tốt\"" }, { "c", "\"chua hoan thanh\"", "\"Chưa hoàn thành\"" },
        { "c", "\"Xuất sắc\"", "!Mức độ: giá trị không có trong danh sách lựa chọn" },
        /* The limit counts characters, not bytes: "Hà Nội 202" is 10 characters and 13 bytes. */
        { "t", "\"Hà Nội 202\"", "\"Hà Nội 202\"" }, { "t", "\"Ha\xcc\x80 No\xcc\xa3\xcc\x82i\"", "\"Hà Nội\"" },
        { "t", "\"Hà Nội 2026\"", "!Ghi chú: tối đa 10 ký tự" },
    };
    VALUES(t);
}

/* Whole value sets: unknown codes, required fields only when complete, rules keyed by their left code. */
static void unknown_required_and_rules(void **state)
{
    static const char *const t[][3] = {   /* values, draft or complete, every error wanted */
        { "{\"khong_co\": \"1\", \"kp\": \"3\"}", "draft", "{\"khong_co\": \"Biểu mẫu không có chỉ tiêu khong_co.\"}" },
        { "{\"kp\": \"3\"}", "draft", "{}" },
        { "{\"kp\": \"3\", \"n\": \"  \"}", "complete", "{\"n\": \"Số hoạt động: bắt buộc nhập.\"}" },
        { "{\"n\": \"5\", \"lop\": \"3\", \"hv\": \"2\"}", "complete", "{\"hv\": \"Số học viên không thể ít hơn số lớp.\"}" },
        { "{\"n\": \"5\", \"lop\": \"3\", \"hv\": \"3\"}", "complete", "{}" },
    };
    json_t *form = fixture("values_form.json");
    report[0] = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        json_t *in = parse(t[i][0]), *err = json_object(), *want = parse(t[i][2]);
        json_t *out = form_values_check(form, in, !strcmp(t[i][1], "complete"), err);
        char *e = json_dumps(err, JSON_COMPACT);
        if (!json_equal(err, want)) note("%s (%s): errors %s, want %s", t[i][0], t[i][1], e, t[i][2]);
        free(e);
        json_decref(out);
        json_decref(want);
        json_decref(err);
        json_decref(in);
    }
    json_decref(form);
    if (*report) fail_msg("%s", report);
}

/* A JSON number from the API is already unambiguous; the thousands-dot reading is for text typed by people. */
static void json_reals_keep_their_value(void **state)
{
    static const char *const t[][3] = { { "kp", "2.5", "2.5" }, { "kp", "1.125", "1.125" }, { "kp", "0.00001", "0.00001" } };
    VALUES(t);
}

/* Typos and dates typed into a number field should be refused, not read as a different number. lop has no
 * maximum, so what a value was read as shows instead of a range error. */
static void malformed_numbers_are_refused(void **state)
{
    static const char *const t[][3] = {
        { "lop", "\"1.10.2024\"", "!cần một số nguyên" }, { "lop", "\"1..5\"", "!cần một số nguyên" },
        { "kp", "\"12.34.5\"", "!cần một số" }, { "kp", "\"1,2,5\"", "!cần một số" },
        /* A lone leading zero cannot start a thousands group: "0.500" is half, not five hundred. */
        { "kp", "\"0.500\"", "0.5" },
        /* Spaces group thousands too, so they need groups of three like dots do. */
        { "lop", "\"1 10 2024\"", "!cần một số nguyên" }, { "lop", "\"12 5\"", "!cần một số nguyên" },
    };
    VALUES(t);
}

/* The longest text parse_number takes, "-" and 63 digits, must be read or refused, never written past a buffer.
 * It runs in a child so that an AddressSanitizer abort fails this test alone. */
static void long_numbers_stay_in_bounds(void **state)
{
    const char *in = "\"-111111111111111111111111111111111111111111111111111111111111111\"";   /* 63 digits */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        report[0] = 0;
        val("kp", in, "!Kinh phí: không được nhỏ hơn 0");
        if (*report) fprintf(stderr, "%s\n", report);
        _exit(*report ? 2 : 0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st))
        fail_msg("checking %s crashed or failed (wait status %d; AddressSanitizer's report, if any, is above)", in, st);
}

/* ---- 3. forms ---- */

static void builtin_forms(void **state)
{
    db *d = *state;
    int64_t years = scalar(d, "SELECT COUNT(*) FROM campaign", 0);
    assert_true(years >= 5);   /* 2022 to 2026 at least */
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM form WHERE builtin = ?", 1), 2 * years);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM campaign c WHERE EXISTS (SELECT 1 FROM form f WHERE f.code = 'ke-hoach-' || c.year "
                               "AND f.campaign_year = c.year) AND EXISTS (SELECT 1 FROM form f WHERE f.code = 'bao-cao-' || c.year)", 0), years);
    json_t *f = form_of(d, "bao-cao-2026");
    assert_int_equal(json_array_size(json_object_get(f, "indicators")), 12);
    has(f, "{\"due\": \"2026-10-25\", \"lock_on\": \"2026-12-31\", \"kind\": \"report\", \"campaign_year\": 2026, \"builtin\": true,"
           " \"rules\": [{\"left\": \"so_hoc_vien\"}, {\"left\": \"luot_tham_gia\"}], \"assign\": [{\"kind\": \"ministry\"}, {}, {}, {}, {}]}");
    is_day(period_of(f, "2026", "2026-01-01").due, "2026-10-25");
    /* The built-in definition passes its own check under its own id. */
    assert_null(store_form_check(d, f, INT(f, "id")));
    json_decref(f);
    f = form_of(d, "ke-hoach-2024");
    has(f, "{\"due\": \"2024-09-15\", \"allows_plan\": true, \"needs_approval\": true, \"kind\": \"plan\"}");
    json_decref(f);
    json_t *list = store_forms_list(d, 2024);
    has(list, "[{\"kind\": \"plan\", \"code\": \"ke-hoach-2024\"}, {\"kind\": \"report\", \"indicators\": 12}]");
    json_decref(list);
    /* Migrating again creates nothing new. */
    assert_int_equal(store_migrate(d), 0);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM form WHERE builtin = ?", 1), 2 * years);
}

static json_t *ind(json_t *def, size_t i) { return json_array_get(json_object_get(def, "indicators"), i); }

/* Merges patch p into v: objects key by key, array items by their index written as a key ("1"), the rest replaced. */
static void patch(json_t *v, json_t *p)
{
    const char *k;
    json_t *x;
    json_object_foreach(p, k, x) {
        size_t i = strtoul(k, NULL, 10);
        json_t *t = json_is_array(v) ? json_array_get(v, i) : json_object_get(v, k);
        if (json_is_object(x) && (json_is_object(t) || json_is_array(t))) patch(t, x);
        else if (json_is_array(v)) json_array_set(v, i, x);
        else json_object_set(v, k, x);
    }
}

/* Checks bao-cao-2026 under a fresh code with each patch applied: refused under its key, or passing when "". */
static void refusals(db *d, const char *const (*cases)[2], size_t n)
{
    report[0] = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *def = form_of(d, "bao-cao-2026"), *p = parse(cases[i][0]);
        json_object_set_new(def, "code", json_string("khao-sat-2026"));
        patch(def, p);
        json_t *err = store_form_check(d, def, 0);
        if (*cases[i][1] ? !json_object_get(err, cases[i][1]) : err != NULL)
            note("%s: %s", cases[i][0], *cases[i][1] ? "no error under the key" : "refused");
        json_decref(err);
        json_decref(p);
        json_decref(def);
    }
    if (*report) fail_msg("%s", report);
}

static void form_check_refuses(void **state)
{
    static const char *const t[][2] = {
        { "{}", "" }, { "{\"code\": \"Báo cáo 2026\"}", "code" }, { "{\"code\": \"bao-cao-2025\"}", "code" },
        { "{\"indicators\": {\"1\": {\"code\": \"so_hoat_dong\"}}}", "indicators[1]" },
        { "{\"indicators\": {\"10\": {\"choices\": []}}}", "indicators[10]" },
        { "{\"indicators\": {\"0\": {\"min\": 10, \"max\": 5}}}", "indicators[0]" },
        { "{\"rules\": {\"0\": {\"right\": \"khong_co\"}}}", "rules[0]" },
        { "{\"period_type\": \"custom\"}", "window_from" }, { "{\"lock_on\": \"2026-10-01\"}", "lock_on" },
    };
    refusals(*state, t, sizeof t / sizeof t[0]);
}

/* A form that locks before its period falls due can never be submitted on time: the recurring lock_days against
 * due_days, and a lock_on before the implicit due date (the period's last day) of a form with no explicit due. */
static void form_check_refuses_lock_before_due_of_any_period(void **state)
{
    static const char *const t[][2] = {
        { "{\"period_type\": \"quarter\", \"due\": null, \"lock_on\": null, \"due_days\": 20, \"lock_days\": 10}", "lock_days" },
        { "{\"due\": null, \"lock_on\": \"2026-06-01\"}", "lock_on" },
    };
    refusals(*state, t, sizeof t / sizeof t[0]);
}

static void form_save_round_trip_and_drop(void **state)
{
    db *d = *state;
    json_t *def = fixture("quarterly_form.json");
    json_object_set_new(def, "exceptions", json_pack("[{s:I, s:s, s:s}]", "org_id", (json_int_t)org(d, "nghe-an"), "until", "2027-03-01",
                                                     "reason", "Bão lũ"));
    assert_null(store_form_check(d, def, 0));
    int64_t id = store_form_save(d, def, 0);
    assert_true(id > 0);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    json_t *got = form_of(d, idtext);
    json_object_del(def, "exceptions");
    has_at(got, def, "saved");   /* everything given comes back */
    has(got, "{\"exceptions\": [{\"until\": \"2027-03-01\", \"org_name\": \"Nghệ An\", \"reason\": \"Bão lũ\"}], \"builtin\": false,"
             " \"allows_plan\": false, \"window_from\": null, \"due\": null}");
    struct rform rf;
    assert_true(form_rform(got, &rf));
    assert_int_equal(rf.type, RP_QUARTER);
    assert_true(rf.has_lock_days && rf.lock_days == 45 && rf.late_days == 2);
    /* What store_form_get returns saves back unchanged, keeping indicator ids (values hang off them). */
    int64_t first = INT(ind(got, 0), "id");
    assert_null(store_form_check(d, got, id));
    assert_int_equal(store_form_save(d, got, id), id);
    json_t *again = form_of(d, "khao-sat-2026");
    assert_int_equal(INT(ind(again, 0), "id"), first);
    has_at(again, def, "saved twice");
    json_decref(again);
    /* Report a value for so_dich_vu, then try to drop it: refused (-2) and nothing changes. */
    assert_true(put(d, got, "nghe-an", "submit", "{\"so_dich_vu\": \"120\", \"ty_le\": \"45,5\"}", "2026-04-10", NULL) > 0);
    json_t *edit = json_deep_copy(got);
    json_array_remove(json_object_get(edit, "indicators"), 0);
    json_array_clear(json_object_get(edit, "rules"));
    assert_null(store_form_check(d, edit, id));
    assert_int_equal(store_form_save(d, edit, id), -2);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM indicator WHERE form_id = ?", id), 3);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM form_rule WHERE form_id = ?", id), 1);
    json_decref(edit);
    /* muc_do has no values, so it may go. */
    edit = json_deep_copy(got);
    json_array_remove(json_object_get(edit, "indicators"), 2);
    assert_int_equal(store_form_save(d, edit, id), id);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM indicator WHERE form_id = ?", id), 2);
    json_decref(edit);
    json_decref(got);
    json_decref(def);
}

/* ---- 4. submissions ---- */

static void sub_has(db *d, json_t *form, const char *unit, const char *want)
{
    json_t *s = store_submission_get(d, INT(form, "id"), org(d, unit), period_of(form, NULL, "2026-01-01").key);
    if (!s) fail_msg("no submission of %s", unit);
    has(s, want);
    json_decref(s);
}

static void submit_resubmit_return_approve(void **state)
{
    db *d = *state;
    json_t *f = form_of(d, "bao-cao-2026");
    int64_t fid = INT(f, "id");
    int64_t id = put(d, f, "nghe-an", "submit", "{\"so_hoat_dong\": \"10\", \"luot_tham_gia\": \"1.500\", \"kinh_phi_thuc_hien\": \"12,5\","
                     " \"muc_do\": \"hoan thanh\"}", "2026-10-25", NULL);
    assert_true(id > 0);
    sub_has(d, f, "nghe-an", "{\"status\": \"submitted\", \"version\": 1, \"on_time\": true, \"submitted_on\": \"2026-10-25\","
                             " \"values\": {\"luot_tham_gia\": 1500, \"kinh_phi_thuc_hien\": 12.5, \"muc_do\": \"Hoàn thành\"}}");
    sum_is(d, f, "so_hoat_dong", 10);
    sum_is(d, f, "kinh_phi_thuc_hien", 12.5);
    /* Resubmitted late with other values: same row, the old values leave the totals, timeliness stays. */
    assert_int_equal(put(d, f, "nghe-an", "submit", "{\"so_hoat_dong\": \"7\", \"luot_tham_gia\": \"900\"}", "2026-10-30", NULL), id);
    sub_has(d, f, "nghe-an", "{\"version\": 2, \"on_time\": true, \"submitted_on\": \"2026-10-25\", \"history\": [{}, {}]}");
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM submission WHERE form_id = ?", fid), 1);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM submission_history WHERE submission_id = ?", id), 2);
    sum_is(d, f, "so_hoat_dong", 7);
    sum_is(d, f, "kinh_phi_thuc_hien", 0);
    /* A second unit, late from the start; a third only saves a draft, which never counts. */
    assert_true(put(d, f, "ha-noi", "submit", "{\"so_hoat_dong\": \"5\", \"luot_tham_gia\": \"50\"}", "2026-10-26", NULL) > 0);
    sub_has(d, f, "ha-noi", "{\"on_time\": false}");
    assert_true(put(d, f, "cao-bang", "save", "{\"so_hoat_dong\": \"100\"}", "2026-10-20", NULL) > 0);
    sub_has(d, f, "cao-bang", "{\"status\": \"draft\", \"on_time\": null, \"values\": {\"so_hoat_dong\": 100}}");
    sum_is(d, f, "so_hoat_dong", 12);
    /* A draft over a submitted report is refused with a reason. */
    struct sub_refusal why;
    assert_int_equal(put(d, f, "ha-noi", "save", "{\"so_hoat_dong\": \"1\"}", "2026-10-27", &why), 0);
    assert_non_null(strstr(why.why, "nộp lại"));
    sum_is(d, f, "so_hoat_dong", 12);
    /* Returned: out of the totals; resubmitted and approved: back in, and frozen. */
    int64_t user = scalar(d, "INSERT INTO app_user (email, name, password_hash, created_at) "
                             "VALUES ('tp@example.vn', 'Trưởng phòng', 'x', '2026-01-01T00:00:00Z') RETURNING id", 0);
    assert_int_equal(store_submission_review(d, id, user, false, "Thiếu số liệu tập huấn", &why), 0);
    assert_string_equal(why.why, "");
    sum_is(d, f, "so_hoat_dong", 5);
    sub_has(d, f, "nghe-an", "{\"status\": \"returned\", \"review_note\": \"Thiếu số liệu tập huấn\", \"version\": 3}");
    assert_int_equal(put(d, f, "nghe-an", "submit", "{\"so_hoat_dong\": \"9\", \"luot_tham_gia\": \"900\"}", "2026-11-02", NULL), id);
    sum_is(d, f, "so_hoat_dong", 14);
    assert_int_equal(store_submission_review(d, id, user, true, NULL, &why), 0);
    sum_is(d, f, "so_hoat_dong", 14);
    sub_has(d, f, "nghe-an", "{\"status\": \"approved\", \"version\": 5, \"history\": [{\"action\": \"approve\", \"user_name\": \"Trưởng phòng\"},"
                             " {\"action\": \"submit\"}, {\"action\": \"return\"}, {\"action\": \"submit\"}, {\"vals\": {\"so_hoat_dong\": 10}}]}");
    struct rperiod p = period_of(f, NULL, "2026-11-03");
    assert_false(store_submission_writable(d, f, &p, org(d, "nghe-an"), "submit", "2026-11-03", &why));
    assert_non_null(strstr(why.why, "phê duyệt"));
    assert_int_equal(put(d, f, "nghe-an", "submit", "{\"so_hoat_dong\": \"99\", \"luot_tham_gia\": \"900\"}", "2026-11-03", NULL), 0);
    assert_int_equal(store_submission_review(d, id, user, false, NULL, &why), 0);
    assert_non_null(strstr(why.why, "phê duyệt"));
    /* Reviewing a draft is refused too. */
    store_submission_review(d, scalar(d, "SELECT id FROM submission WHERE status = 'draft' AND form_id = ?", fid), user, true, NULL, &why);
    assert_string_not_equal(why.why, "");
    sum_is(d, f, "so_hoat_dong", 14);
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM submission WHERE form_id = ?", fid), 3);
    json_decref(f);
}

static void lock_and_exceptions(void **state)
{
    db *d = *state;
    json_t *f = form_of(d, "bao-cao-2025");   /* locks after 2025-12-31 */
    struct sub_refusal why;
    const char *v = "{\"so_hoat_dong\": \"3\", \"luot_tham_gia\": \"30\"}";
    assert_true(put(d, f, "nghe-an", "submit", v, "2025-12-31", &why) > 0);
    assert_int_equal(put(d, f, "ha-noi", "submit", v, "2026-01-01", &why), 0);
    assert_non_null(strstr(why.why, "đã khóa sổ sau ngày 31/12/2025"));
    assert_int_equal(put(d, f, "nghe-an", "submit", v, "2026-01-01", &why), 0);
    /* The centre grants Hà Nội an exception by editing the form, as the forms page does. */
    json_object_set_new(f, "exceptions", json_pack("[{s:I, s:s}]", "org_id", (json_int_t)org(d, "ha-noi"), "until", "2026-01-15"));
    assert_int_equal(store_form_save(d, f, INT(f, "id")), INT(f, "id"));
    assert_true(put(d, f, "ha-noi", "submit", v, "2026-01-15", &why) > 0);
    assert_int_equal(put(d, f, "ha-noi", "submit", v, "2026-01-16", &why), 0);
    /* The exception is the unit's own: Nghệ An stays locked. */
    assert_int_equal(put(d, f, "nghe-an", "submit", v, "2026-01-10", &why), 0);
    sum_is(d, f, "so_hoat_dong", 6);
    json_decref(f);
}

/* ---- 5. completeness across the 2025 merges ---- */

static void counts_are(const struct comp *c, int64_t node, int expected, int received, int on_time, int extra, const char *what)
{
    struct comp_counts k = comp_node(c, node);
    if (k.expected != expected || k.received != received || k.on_time != on_time || k.extra != extra)
        fail_msg("%s: expected/received/on_time/extra %d/%d/%d/%d, want %d/%d/%d/%d", what, k.expected, k.received, k.on_time,
                 k.extra, expected, received, on_time, extra);
}

static void rates_within_one(const struct comp *c, const char *view)
{
    const struct org_index *x = comp_index(c);
    for (int i = 0; i < x->n; i++) {
        struct comp_counts k = comp_node(c, x->u[i].id);
        if (k.received > k.expected || k.on_time > k.received)
            fail_msg("%s view, %s: received %d on time %d of %d expected", view, x->u[i].code, k.received, k.on_time, k.expected);
    }
}

static void completeness_with_merges(void **state)
{
    db *d = *state;
    json_t *f = form_of(d, "bao-cao-2024");
    assert_true(put(d, f, "tuyen-quang", "submit", "{\"so_hoat_dong\": \"40\", \"luot_tham_gia\": \"12.000\"}", "2024-10-20", NULL) > 0);
    assert_true(put(d, f, "nghe-an", "submit", "{\"so_hoat_dong\": \"25\", \"luot_tham_gia\": \"8.000\"}", "2024-11-02", NULL) > 0);
    /* A department is not assigned: its report is extra, never received. */
    assert_true(put(d, f, "so-khcn-nghe-an", "submit", "{\"so_hoat_dong\": \"2\", \"luot_tham_gia\": \"10\"}", "2024-10-21", NULL) > 0);
    struct rperiod p = period_of(f, NULL, "2024-10-25");
    is_day(p.due, "2024-10-25");
    struct ymd today = { 2026, 11, 23 };
    struct comp *h = comp_compute(d, f, &p, false, today), *c = comp_compute(d, f, &p, true, today);
    assert_true(h && c);
    /* Expected: the units of an assigned kind open on the due date, computed here straight from the table. */
    int want = (int)scalar(d, "SELECT COUNT(*) FROM org_unit WHERE kind IN ('ministry', 'province', 'association', 'youth_union', 'commune') "
                              "AND COALESCE(NULLIF(valid_from, ''), '0') <= '2024-10-25' AND COALESCE(NULLIF(valid_to, ''), '9') >= '2024-10-25'", 0);
    const struct org_index *x = comp_index(h);
    int provinces = 0;
    for (int i = 0; i < x->n; i++) provinces += !strcmp(x->u[i].kind, "province") && comp_expected(h, x->u[i].id);
    assert_int_equal(provinces, 63);
    assert_true(comp_expected(h, org(d, "ha-giang")) && !comp_expected(h, org(d, "tuyen-quang-2025")) &&
                !comp_expected(h, org(d, "so-khcn-nghe-an")));
    int64_t vn = org(d, "vn"), tq = org(d, "tuyen-quang"), tq25 = org(d, "tuyen-quang-2025");
    counts_are(h, vn, want, 2, 1, 1, "nation, historical");
    counts_are(c, vn, want, 2, 1, 1, "nation, current");
    counts_are(h, tq, 1, 1, 1, 0, "old Tuyên Quang, historical");
    counts_are(h, org(d, "ha-giang"), 1, 0, 0, 0, "Hà Giang, historical");
    counts_are(h, tq25, 0, 0, 0, 0, "new Tuyên Quang, historical");
    counts_are(c, tq25, 2, 1, 1, 0, "new Tuyên Quang, current");
    /* Nghệ An and its two associations; the late report is received but not on time. */
    counts_are(h, org(d, "nghe-an"), 3, 1, 0, 1, "Nghệ An, historical");
    counts_are(c, org(d, "nghe-an"), 3, 1, 0, 1, "Nghệ An, current");
    rates_within_one(h, "historical");
    rates_within_one(c, "current");
    assert_int_equal(comp_place(c, org_index_find(x, tq)), org_index_find(x, tq25));
    /* The children of the nation today list the new province once and the old one never. */
    json_t *kids = comp_children(c, vn), *k;
    size_t i, seen = 0;
    json_array_foreach(kids, i, k) seen += INT(k, "id") == tq25 ? 1 : INT(k, "id") == tq ? 100 : 0;
    json_decref(kids);
    assert_int_equal(seen, 1);
    json_t *t = comp_totals(d, c, f, p.key, vn);
    has(t, "{\"node\": {\"so_hoat_dong\": 67, \"luot_tham_gia\": 20010}, \"children\": {\"%lld\": "
           "{\"so_hoat_dong\": 40, \"luot_tham_gia\": 12000}, \"%lld\": null}}", (long long)tq25, (long long)tq);
    json_decref(t);
    t = comp_totals(d, c, f, p.key, tq25);
    has(t, "{\"node\": {\"so_hoat_dong\": 40, \"luot_tham_gia\": 12000}}");
    json_decref(t);
    t = comp_totals(d, h, f, p.key, vn);
    has(t, "{\"children\": {\"%lld\": {\"so_hoat_dong\": 40}, \"%lld\": null}}", (long long)tq, (long long)tq25);
    json_decref(t);
    t = comp_totals(d, h, f, p.key, org(d, "nghe-an"));
    has(t, "{\"node\": {\"so_hoat_dong\": 27}}");
    json_decref(t);
    comp_free(h);
    comp_free(c);
    json_decref(f);
}

/* ---- 6. dashboard ---- */

static void dashboard_2026(void **state)
{
    db *d = *state;
    json_t *f = form_of(d, "bao-cao-2026");
    const char *v = "{\"so_hoat_dong\": \"4\", \"luot_tham_gia\": \"400\"}";
    assert_true(put(d, f, "nghe-an", "submit", v, "2026-10-20", NULL) > 0);
    assert_true(put(d, f, "tuyen-quang-2025", "submit", v, "2026-10-29", NULL) > 0);
    assert_true(put(d, f, "hoi-tin-hoc-nghe-an", "submit", v, "2026-10-21", NULL) > 0);
    json_decref(f);
    struct ymd today = { 2026, 11, 23 };
    json_t *dash = store_dashboard(d, 2026, today), *b, *pr;
    has(dash, "{\"today\": \"2026-11-23\", \"forms\": [{\"code\": \"ke-hoach-2026\"}, {\"code\": \"bao-cao-2026\"}],"
              " \"totals\": {\"nation\": {\"so_hoat_dong\": 12}, \"by_province\": {\"nghe-an\": {\"so_hoat_dong\": 8}},"
              " \"by_kind\": {\"association\": {\"so_hoat_dong\": 4}, \"province\": {\"luot_tham_gia\": 800}}}}");
    size_t i, j;
    json_array_foreach(json_object_get(dash, "forms"), i, b) {
        json_t *form = form_of(d, STR(b, "code"));
        struct rperiod p = period_of(form, NULL, "2026-11-23");
        struct comp *c = comp_compute(d, form, &p, true, today);
        struct comp_counts n = comp_node(c, org(d, "vn"));
        json_t *nat = json_object_get(b, "nation"), *provs = json_object_get(b, "provinces");
        assert_true(INT(nat, "expected") == n.expected && INT(nat, "received") == n.received && INT(nat, "on_time") == n.on_time);
        assert_int_equal(n.received, i ? 3 : 0);   /* the plan first, then the report */
        assert_int_equal(n.on_time, i ? 2 : 0);
        assert_int_equal(json_array_size(provs), 34);
        assert_string_equal(STR(json_array_get(provs, 0), "name"), "An Giang");
        char prev[256] = "";   /* the one Vietnamese order: Đà Nẵng after Cần Thơ, before Gia Lai; Lạng Sơn before Lâm Đồng */
        int sum = (int)INT(json_object_get(b, "central"), "expected");
        json_array_foreach(provs, j, pr) {
            bool ordered = text_collate(prev, STR(pr, "name")) <= 0;
            snprintf(prev, sizeof prev, "%s", STR(pr, "name"));
            if (!ordered) fail_msg("provinces out of order at '%s'", STR(pr, "name"));
            struct comp_counts k = comp_node(c, INT(pr, "id"));
            assert_true(INT(pr, "expected") == k.expected && INT(pr, "received") == k.received);
            sum += k.expected;
        }
        assert_int_equal(sum, n.expected);                /* provinces and central bodies make the nation */
        comp_free(c);
        json_decref(form);
    }
    assert_null(store_dashboard(d, 1999, today));
    json_decref(dash);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(period_lists),
        cmocka_unit_test(find_on_time_and_locks),
        cmocka_unit_test(vietnamese_numbers),
        cmocka_unit_test(yes_no_choices_and_text),
        cmocka_unit_test(unknown_required_and_rules),
        cmocka_unit_test(json_reals_keep_their_value),
        cmocka_unit_test(malformed_numbers_are_refused),
        cmocka_unit_test(long_numbers_stay_in_bounds),
        T(builtin_forms),
        T(form_check_refuses),
        T(form_check_refuses_lock_before_due_of_any_period),
        T(form_save_round_trip_and_drop),
        T(submit_resubmit_return_approve),
        T(lock_and_exceptions),
        T(completeness_with_merges),
        T(dashboard_2026),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
