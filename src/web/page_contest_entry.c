/* An applicant's entries in an award contest: the entry form, saving a draft, submitting before the deadline, the
 * entry's status and withdrawal; a unit nominates a person or a team through the same form. Must not let anyone name a
 * unit they hold no role on, take a file by its name or the browser's say-so, nor see another applicant's entry. */
#include "web/contest.h"
#include "store/org.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t cid(json_t *c) { return json_integer_value(json_object_get(c, "id")); }

#define FILE_MAX_DEFAULT (5 * 1024 * 1024)

/* What an entry may attach, by the type libmagic reads from the bytes. */
static const char *const FILE_TYPES[] = {
    "application/pdf", "image/png", "image/jpeg", "image/webp", "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", NULL,
};

static const char *const KIND_LABELS[][2] = {
    { "organisation", "Tổ chức, cơ quan" }, { "enterprise", "Doanh nghiệp" }, { "individual", "Cá nhân" }, { "youth", "Thanh niên" },
};

/* The form's context: the contest, its categories and fields with what was typed, and the caller's units. */
static json_t *form_ctx(struct req *r, json_t *c, json_t *entry)
{
    json_t *fields = json_deep_copy(json_object_get(c, "fields"));
    json_t *vals = entry ? json_object_get(entry, "fields") : NULL;
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *t = str(f, "type");
        json_object_set_new(f, "input_name", json_sprintf("f_%s", str(f, "code")));
        json_object_set_new(f, "is_file", json_boolean(!strcmp(t, "file")));
        json_object_set_new(f, "is_longtext", json_boolean(!strcmp(t, "longtext")));
        json_object_set_new(f, "is_choice", json_boolean(!strcmp(t, "choice")));
        json_object_set_new(f, "is_bool", json_boolean(!strcmp(t, "bool")));
        json_object_set_new(f, "is_line", json_boolean(!strcmp(t, "text") || !strcmp(t, "integer") || !strcmp(t, "decimal")));
        json_t *v = json_object_get(vals, str(f, "code"));
        if (json_is_object(v)) json_object_set(f, "file", v);
        else if (json_is_string(v)) json_object_set(f, "value", v);
        else if (json_is_number(v)) json_object_set_new(f, "value", json_is_integer(v) ? json_sprintf("%lld", (long long)json_integer_value(v)) : json_sprintf("%g", json_real_value(v)));
        else if (json_is_true(v)) json_object_set_new(f, "checked", json_true());
        json_t *opts = json_array(), *o;
        size_t j;
        json_array_foreach(json_object_get(f, "choices"), j, o)
            json_array_append_new(opts, json_pack("{s:O, s:b}", "value", o, "selected", json_is_string(v) && json_equal(v, o)));
        json_object_set_new(f, "options", opts);
    }
    json_t *kinds = json_array();
    for (size_t k = 0; k < 4; k++)
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", KIND_LABELS[k][0], "label", KIND_LABELS[k][1], "selected",
                                               entry && !strcmp(str(entry, "applicant_kind") ? str(entry, "applicant_kind") : "", KIND_LABELS[k][0])));
    json_t *cats = json_deep_copy(json_object_get(c, "categories")), *cat;
    json_array_foreach(cats, i, cat)
        json_object_set_new(cat, "selected", json_boolean(entry && str(entry, "category") && !strcmp(str(entry, "category"), str(cat, "code"))));
    json_t *ctx = json_pack("{s:s, s:O, s:o, s:o, s:o, s:s, s:s}", "title", str(c, "title"), "contest", c, "fields", fields,
                            "kinds", kinds, "categories", cats, "_nav", "contests", "_csrf", csrf_token(r));
    if (entry) json_object_set(ctx, "entry", entry);
    return ctx;
}

static int refuse(struct req *r, int status, const char *msg, json_t *errors, json_t *ctx)
{
    if (r->want_json || !ctx) {
        json_decref(ctx);
        return req_fail_ctx(r, status, msg, errors);
    }
    json_object_set_new(ctx, "error", json_string(msg));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(ctx, "fields"), i, f) {
        json_t *m = json_object_get(errors, json_string_value(json_object_get(f, "code")));
        if (m) json_object_set(f, "field_error", m);
    }
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    r->status = status;
    return render(r, ctx, "contest_entry");
}

static int new_form(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    if (r->is_api) {
        json_t *mine = store_contest_entries_of(r->db, cid(c), r->user->id);
        char now[21];
        contest_now(now);
        size_t i;
        json_t *e;
        json_array_foreach(mine, i, e) contest_entry_label(e, c, contest_published(c, now));
        json_decref(c);
        return render(r, json_pack("{s:o}", "items", mine), NULL);
    }
    json_t *ctx = form_ctx(r, c, NULL);
    json_decref(c);
    return render(r, ctx, "contest_entry");
}

/* A text input trimmed and in NFC, or NULL. */
static char *input(struct req *r, const char *name)
{
    const char *v = req_str(r, name);
    if (!v) v = str(r->body_json, name);
    if (!v) return NULL;
    char *t = text_nfc(v);
    if (!t) return NULL;
    char *p = t;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r')) p[--n] = 0;
    memmove(t, p, n + 1);
    return t;
}

/* Saves (new when cur is NULL) after checking the unit named and the files sent; answers every outcome. */
static int save(struct req *r, json_t *c, json_t *cur)
{
    struct contest_entry_in in = { .id = cur ? json_integer_value(json_object_get(cur, "id")) : 0, .user_id = r->user->id };
    char now[21];
    contest_now(now);
    in.now = now;
    const char *action = req_str(r, "action");
    if (!action) action = str(r->body_json, "action");
    in.submit = action && !strcmp(action, "submit");
    char *category = input(r, "category"), *kind = input(r, "applicant_kind"), *org = input(r, "org"), *ent = input(r, "enterprise"),
         *name = input(r, "applicant_name"), *nominee = input(r, "nominee"), *title = input(r, "title");
    in.category = category, in.applicant_kind = kind, in.enterprise = ent, in.applicant_name = name, in.nominee = nominee, in.title = title;
    json_t *values = json_object();
    /* A file already attached stays unless a new one replaces it. */
    json_t *old = cur ? json_object_get(cur, "fields") : NULL;
    size_t i;
    json_t *f;
    int status = 0;
    json_array_foreach(json_object_get(c, "fields"), i, f) {
        const char *code = str(f, "code");
        char key[80];
        snprintf(key, sizeof key, "f_%s", code);
        if (!strcmp(str(f, "type"), "file")) {
            if (json_is_object(json_object_get(old, code))) json_object_set(values, code, json_object_get(old, code));
            continue;
        }
        json_t *v = json_object_get(json_object_get(r->body_json, "values"), code);
        if (v) json_object_set(values, code, v);
        else if (req_str(r, key)) json_object_set_new(values, code, json_string(req_str(r, key)));
        else if (!strcmp(str(f, "type"), "bool") && !r->body_json) json_object_set_new(values, code, json_false());
    }
    json_t *ctx = form_ctx(r, c, cur);
    if (org && *org) {
        in.org_id = store_org_id(r->db, org);
        if (!in.org_id) { status = refuse(r, 422, "Không có đơn vị này.", json_pack("{s:s}", "org", "Không có đơn vị này."), ctx); goto done; }
        /* Naming a unit speaks for it: only its officers, coordinators or admins may. */
        if (!authz(r, "officer", in.org_id) && !authz(r, "coordinator", in.org_id)) {
            json_decref(ctx);
            status = req_fail(r, 403, "Bạn không có vai trò ở đơn vị đã nêu nên không thể dự thi hay đề cử thay đơn vị đó.");
            goto done;
        }
    }
    json_t *pending[4] = {0};
    char mimes[4][128];
    for (int k = 0; k < r->nfiles && k < 4; k++) {
        struct upload *u = &r->files[k];
        json_t *fd = NULL;
        json_array_foreach(json_object_get(c, "fields"), i, f)
            if (!strncmp(u->field, "f_", 2) && !strcmp(u->field + 2, str(f, "code")) && !strcmp(str(f, "type"), "file")) fd = f;
        if (!fd || !u->len) continue;
        json_t *mb = json_object_get(fd, "max_bytes");
        size_t max = json_is_integer(mb) ? (size_t)json_integer_value(mb) : FILE_MAX_DEFAULT;
        char msg[300], mime[128];
        if (u->len > max) {
            snprintf(msg, sizeof msg, "Tệp \"%s\" quá lớn: tối đa %zu MB.", str(fd, "label"), max / (1024 * 1024) ? max / (1024 * 1024) : 1);
            status = refuse(r, 413, msg, json_pack("{s:s}", str(fd, "code"), msg), ctx);
            goto done;
        }
        bool ok = blob_type(u->data, u->len, mime, sizeof mime) != NULL;
        bool accepted = false;
        for (int t = 0; ok && FILE_TYPES[t]; t++) if (!strcmp(FILE_TYPES[t], mime)) accepted = true;
        if (!accepted) {
            snprintf(msg, sizeof msg, "Tệp \"%s\" không đúng loại (%s): chỉ nhận PDF, ảnh, Word, Excel, PowerPoint hoặc ZIP.",
                     str(fd, "label"), ok ? mime : "không rõ");
            status = refuse(r, 415, msg, json_pack("{s:s}", str(fd, "code"), msg), ctx);
            goto done;
        }
        pending[k] = fd;
        snprintf(mimes[k], sizeof mimes[k], "%s", mime);
    }
    in.values = values;
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    if (store_begin(r->db, &res) == STORE_OK) {
        /* The files' records go in the entry's transaction: a refused entry leaves none. */
        for (int k = 0; k < r->nfiles && res.status == STORE_OK; k++) {
            struct upload *u = &r->files[k];
            char sha[65];
            if (!pending[k]) continue;
            if (blob_save(r, u, sha)) { store_fail_db(&res, r->db); break; }
            json_object_set_new(values, str(pending[k], "code"), json_pack("{s:s, s:s, s:I, s:s}", "sha", sha, "name",
                                u->filename[0] ? u->filename : sha, "size", (json_int_t)u->len, "mime", mimes[k]));
        }
        if (res.status == STORE_OK) store_contest_entry_save(r->db, c, &in, &id, &res);
        if (res.status == STORE_OK &&
            audit(r, in.submit ? "contest.entry_submit" : cur ? "contest.entry_update" : "contest.entry_create", "contest_entry", id,
                  json_pack("{s:s, s:s, s:s}", "contest", str(c, "slug"), "category", category ? category : "", "title", title ? title : "")))
            store_fail_db(&res, r->db);
        if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
        else if (res.status != STORE_OK) db_rollback(r->db);
    }
    if (res.status == STORE_INVALID || res.status == STORE_CONFLICT) {
        json_t *errs = res.fields ? json_incref(res.fields) : json_object();
        char msg[256];
        snprintf(msg, sizeof msg, "%s", res.message[0] ? res.message : "Hồ sơ chưa hợp lệ; xem các ô cần sửa.");
        int st = res.status == STORE_CONFLICT ? 409 : 422;
        store_result_free(&res);
        status = refuse(r, st, msg, errs, ctx);
        goto done;
    }
    json_decref(ctx);
    if (res.status != STORE_OK) { status = req_result(r, &res); goto done; }
    if (!r->want_json) {
        char loc[160];
        snprintf(loc, sizeof loc, "/cuoc-thi/%s/du-thi/%lld", str(c, "slug"), (long long)id);
        status = req_redirect(r, loc);
        goto done;
    }
    json_t *e = store_contest_entry(r->db, cid(c), id);
    if (!e) { status = req_store_failed(r); goto done; }
    contest_entry_label(e, c, false);
    r->status = cur ? 200 : 201;
    status = render(r, json_pack("{s:I, s:o}", "id", (json_int_t)id, "entry", e), NULL);
done:
    json_decref(values);
    free(category), free(kind), free(org), free(ent), free(name), free(nominee), free(title);
    return status;
}

static int create(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    int st = save(r, c, NULL);
    json_decref(c);
    return st;
}

/* The caller's own entry of the contest, or NULL after 404 (another applicant's entry is not even said to exist). */
static json_t *own_entry(struct req *r, json_t *c)
{
    json_t *e = store_contest_entry(r->db, cid(c), contest_param_id(r, "id"));
    if (e && json_integer_value(json_object_get(e, "user_id")) == r->user->id) return e;
    json_decref(e);
    req_missing(r, "Không có hồ sơ này trong số hồ sơ của bạn.");
    return NULL;
}

static int show(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    json_t *e = own_entry(r, c);
    if (!e) { json_decref(c); return r->status; }
    char now[21];
    contest_now(now);
    contest_entry_label(e, c, contest_published(c, now));
    json_t *ctx = form_ctx(r, c, e);
    json_decref(e), json_decref(c);
    return render(r, ctx, "contest_entry");
}

static int update(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    json_t *e = own_entry(r, c);
    int st = e ? save(r, c, e) : r->status;
    json_decref(e), json_decref(c);
    return st;
}

static int withdraw(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    int64_t id = contest_param_id(r, "id");
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_entry_withdraw(r->db, c, id, r->user->id, now, &res);
        if (res.status == STORE_FORBIDDEN) store_fail(&res, STORE_NOT_FOUND, "Không có hồ sơ này trong số hồ sơ của bạn.");
        if (res.status == STORE_OK && audit(r, "contest.entry_withdraw", "contest_entry", id, json_pack("{s:s}", "contest", str(c, "slug"))))
            store_fail_db(&res, r->db);
    }
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/du-thi/%lld", str(c, "slug"), (long long)id);
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "withdrawn"), NULL);
}

const struct route page_contest_entry_routes[] = {
    { "GET", "/cuoc-thi/{slug}/du-thi", "/api/contests/{slug}/entries", new_form, ACCOUNT, false, 0 },
    { "POST", "/cuoc-thi/{slug}/du-thi", "/api/contests/{slug}/entries", create, ACCOUNT, false, 24 * 1024 * 1024 },
    { "GET", "/cuoc-thi/{slug}/du-thi/{id}", "/api/contests/{slug}/entries/{id}", show, ACCOUNT, false, 0 },
    { "POST", "/cuoc-thi/{slug}/du-thi/{id}", "/api/contests/{slug}/entries/{id}", update, ACCOUNT, false, 24 * 1024 * 1024 },
    { "POST", "/cuoc-thi/{slug}/du-thi/{id}/rut", "/api/contests/{slug}/entries/{id}/withdraw", withdraw, ACCOUNT, false, 0 },
    { 0 },
};
