/* Helpers of the expert network's pages: the centre and unit rights, the public view of a profile, the request's
 * fields and dates, the end of a write. Must not see SQL nor send anything but refusals. */
#include "web/expert.h"
#include "store/org.h"
#include "core/date.h"
#include "core/phone.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool expert_is_centre(struct req *r)
{
    return r->user && authz(r, "coordinator", store_org_id(r->db, "vn"));
}

bool expert_unit_officer(struct req *r, int64_t org_id)
{
    return r->user && org_id && (authz(r, "officer", org_id) || authz(r, "coordinator", org_id));
}

int64_t expert_self(struct req *r)
{
    return r->user ? store_expert_of_user(r->db, r->user->id) : 0;
}

json_t *expert_public(json_t *full)
{
    json_t *p = json_pack("{s:O, s:O, s:O, s:O, s:O, s:b, s:b}", "id", json_object_get(full, "id"), "name", json_object_get(full, "name"),
                          "province_id", json_object_get(full, "province_id"), "province_name", json_object_get(full, "province_name"),
                          "fields", json_object_get(full, "fields"),
                          "accepts_requests", json_integer_value(json_object_get(full, "accepts_requests")) != 0,
                          "trained", !json_is_null(json_object_get(full, "trained_on")) && json_object_get(full, "trained_on"));
    json_t *pub = json_object_get(full, "public_fields");
    for (int i = 0; expert_public_keys[i]; i++) {
        const char *k = expert_public_keys[i];
        bool shown = false;
        size_t j;
        json_t *v;
        json_array_foreach(pub, j, v) if (json_is_string(v) && !strcmp(json_string_value(v), k)) shown = true;
        json_t *val = json_object_get(full, k);
        if (shown && val && !json_is_null(val) && !(json_is_string(val) && !*json_string_value(val)))
            json_object_set(p, k, val);
    }
    return p;
}

const char *expert_str(struct req *r, const char *k, char buf[32])
{
    const char *v = req_str(r, k);
    if (v) return v;
    json_t *j = json_object_get(r->body_json, k);
    if (json_is_string(j)) return json_string_value(j);
    if (json_is_integer(j)) { snprintf(buf, 32, "%lld", (long long)json_integer_value(j)); return buf; }
    if (json_is_boolean(j)) { snprintf(buf, 32, "%d", json_is_true(j)); return buf; }
    return NULL;
}

json_t *expert_list(struct req *r, const char *k, const char *prefix)
{
    json_t *j = json_object_get(r->body_json, k), *out = json_array();
    size_t i;
    json_t *v;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v) {
            if (json_is_string(v)) json_array_append(out, v);
            else if (json_is_integer(v)) json_array_append_new(out, json_sprintf("%lld", (long long)json_integer_value(v)));
            else json_array_append_new(out, json_string(""));   /* refused by the caller's check */
        }
        return out;
    }
    const char *s = req_str(r, k);
    if (s) {
        char *copy = strdup(s), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ') t++;
            size_t n = strlen(t);
            while (n && t[n - 1] == ' ') t[--n] = 0;
            if (*t) json_array_append_new(out, json_string(t));
        }
        free(copy);
        return out;
    }
    bool any = false;
    const char *key;
    size_t plen = prefix ? strlen(prefix) : 0;
    json_object_foreach(r->params, key, v)
        if (prefix && !strncmp(key, prefix, plen) && key[plen]) {
            any = true;
            const char *val = json_string_value(v);
            if (val && *val) json_array_append_new(out, json_string(key + plen));
        }
    if (any) return out;
    json_decref(out);
    return NULL;
}

bool expert_date(const char *in, char out[11])
{
    struct ymd d;
    if (!in || (!date_parse_iso(in, &d) && !date_parse_vn(in, &d))) return false;
    date_format_iso(d, out);
    return true;
}

void expert_now(char out[21]) { date_utc_iso(time(NULL), out); }
void expert_today(char out[11]) { date_format_iso(date_today(), out); }

int expert_finish(struct req *r, struct store_result *res)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status == STORE_OK) return 0;
    return req_result(r, res);
}

json_t *expert_choices(const char *const codes[], const char *const labels[], const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; codes[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", codes[i], "label", labels[i],
                                           "selected", selected && !strcmp(selected, codes[i])));
    return a;
}

void expert_select(json_t *list, const char *key, json_t *value)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) json_object_set_new(x, "selected", json_boolean(value && json_equal(json_object_get(x, key), value)));
}

static bool email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(e) > 254) return false;
    for (const char *p = e; *p; p++) if (*p == ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';') return false;
    return at[1] != '.' && e[strlen(e) - 1] != '.';
}

/* The item of list whose code, id or folded name is what was typed ("Tỉnh Nghệ An" and "TP Hà Nội" too); NULL when none. */
static json_t *pick(json_t *list, const char *typed)
{
    char *f = text_fold(typed);
    const char *bare = f ? f : "";
    static const char *const prefixes[] = { "tinh ", "thanh pho ", "tp ", NULL };
    for (int k = 0; prefixes[k]; k++)
        if (!strncmp(bare, prefixes[k], strlen(prefixes[k]))) { bare += strlen(prefixes[k]); break; }
    json_t *got = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        const char *code = json_string_value(json_object_get(x, "code"));
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(x, "id")));
        char *n = text_fold(json_string_value(json_object_get(x, "name")));
        if ((code && !strcmp(code, typed)) || !strcmp(id, typed) || (n && *bare && (!strcmp(f, n) || !strcmp(bare, n)))) got = x;
        free(n);
        if (got) break;
    }
    free(f);
    return got;
}

static char *text_in(const char *raw, const char *cur, size_t max, const char *field, const char *msg, json_t *errors)
{
    const char *v = raw ? raw : cur;
    if (!v || !*v) return NULL;
    char *n = text_nfc(v);
    if (!n || strlen(n) > max) json_object_set_new(errors, field, json_string(msg));
    return n;
}

static const char *sget(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

void expert_check(const struct expert_raw *raw, json_t *cur, json_t *provinces, json_t *fields, struct expert_in *in,
                  struct expert_bufs *b, json_t *errors)
{
    memset(b, 0, sizeof *b);
    memset(in, 0, sizeof *in);
    b->name = text_in(raw->name, sget(cur, "name"), 200, "name", "Họ và tên tối đa 200 ký tự.", errors);
    if (!b->name || !*b->name) json_object_set_new(errors, "name", json_string("Cần họ và tên."));
    else {
        char *f = text_fold(b->name);
        if (!f || !*f) json_object_set_new(errors, "name", json_string("Họ và tên cần có chữ."));
        free(f);
    }
    b->title = text_in(raw->title, sget(cur, "title"), 200, "title", "Chức danh tối đa 200 ký tự.", errors);
    b->organisation = text_in(raw->organisation, sget(cur, "organisation"), 300, "organisation", "Cơ quan tối đa 300 ký tự.", errors);
    b->bio = text_in(raw->bio, sget(cur, "bio"), 3000, "bio", "Giới thiệu tối đa 3.000 ký tự.", errors);
    in->name = b->name;
    in->title = b->title;
    in->organisation = b->organisation;
    in->bio = b->bio;
    in->org_id = json_integer_value(json_object_get(cur, "org_id"));
    in->province_id = json_integer_value(json_object_get(cur, "province_id"));
    if (raw->province) {
        json_t *p = *raw->province ? pick(provinces, raw->province) : NULL;
        if (*raw->province && !p) json_object_set_new(errors, "province", json_string("Không tìm thấy tỉnh, thành phố."));
        in->province_id = p ? json_integer_value(json_object_get(p, "id")) : 0;
    }
    if (!in->province_id && !json_object_get(errors, "province"))
        json_object_set_new(errors, "province", json_string("Chọn tỉnh, thành phố nơi chuyên gia làm việc."));
    in->email = raw->email ? raw->email : sget(cur, "email");
    if (in->email && *in->email && !email_ok(in->email)) json_object_set_new(errors, "email", json_string("Email không hợp lệ."));
    const char *ph = raw->phone ? raw->phone : sget(cur, "phone");
    if (ph && *ph && !phone_vn_normalise(ph, b->phone)) json_object_set_new(errors, "phone", json_string("Số điện thoại không hợp lệ (vd. 0912 345 678)."));
    in->phone = b->phone[0] ? b->phone : NULL;
    /* Languages: two-letter codes. */
    b->langs = json_array();
    json_t *langs = raw->languages ? raw->languages : json_object_get(cur, "languages");
    size_t i;
    json_t *v;
    json_array_foreach(langs, i, v) {
        const char *l = json_string_value(v);
        if (!l || strlen(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z') {
            json_object_set_new(errors, "languages", json_string("Ngôn ngữ ghi bằng mã hai chữ cái (vi, en, fr…)."));
            break;
        }
        json_array_append(b->langs, v);
    }
    if (!json_array_size(b->langs) && !json_object_get(errors, "languages")) json_array_append_new(b->langs, json_string("vi"));
    in->languages = b->langs;
    b->fields = json_array();
    if (raw->fields) {
        json_array_foreach(raw->fields, i, v) {
            json_t *f = json_is_string(v) && *json_string_value(v) ? pick(fields, json_string_value(v)) : NULL;
            if (!f) { json_object_set_new(errors, "fields", json_sprintf("Lĩnh vực \"%s\" không có trong danh mục.", json_is_string(v) ? json_string_value(v) : "?")); break; }
            json_array_append(b->fields, json_object_get(f, "code"));
        }
    } else json_array_foreach(json_object_get(cur, "fields"), i, v) json_array_append(b->fields, json_object_get(v, "code"));
    if (!json_array_size(b->fields) && !json_object_get(errors, "fields"))
        json_object_set_new(errors, "fields", json_string("Chọn ít nhất một lĩnh vực chuyên môn."));
    in->fields = b->fields;
    b->pub = json_array();
    json_t *pub = raw->public_fields ? raw->public_fields : json_object_get(cur, "public_fields");
    if (!pub) {
        for (int k = 0; k < 4; k++) json_array_append_new(b->pub, json_string(expert_public_keys[k]));
    } else json_array_foreach(pub, i, v) {
        bool known = false;
        for (int k = 0; expert_public_keys[k]; k++) known = known || (json_is_string(v) && !strcmp(json_string_value(v), expert_public_keys[k]));
        if (!known) { json_object_set_new(errors, "public_fields", json_string("Chỉ công khai được: chức danh, cơ quan, giới thiệu, ngôn ngữ, email, điện thoại.")); break; }
        json_array_append(b->pub, v);
    }
    in->public_fields = b->pub;
    in->accepts_requests = cur ? (int)json_integer_value(json_object_get(cur, "accepts_requests")) : 1;
    if (raw->accepts && *raw->accepts) {
        if (strcmp(raw->accepts, "1") && strcmp(raw->accepts, "0"))
            json_object_set_new(errors, "accepts_requests", json_string("Nhận yêu cầu phải là 1 (có) hoặc 0 (không)."));
        else in->accepts_requests = raw->accepts[0] == '1';
    }
    const char *tr = raw->trained_on ? raw->trained_on : sget(cur, "trained_on");
    if (tr && *tr) {
        char today[11];
        expert_today(today);
        if (!expert_date(tr, b->trained)) json_object_set_new(errors, "trained_on", json_string("Ngày hoàn thành bồi dưỡng không hợp lệ (dd/mm/yyyy)."));
        else if (strcmp(b->trained, today) > 0) json_object_set_new(errors, "trained_on", json_string("Ngày hoàn thành bồi dưỡng không được sau hôm nay."));
        in->trained_on = b->trained[0] ? b->trained : NULL;
    }
}

void expert_bufs_free(struct expert_bufs *b)
{
    free(b->name);
    free(b->title);
    free(b->organisation);
    free(b->bio);
    json_decref(b->langs);
    json_decref(b->fields);
    json_decref(b->pub);
    memset(b, 0, sizeof *b);
}
