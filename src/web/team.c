/* Helpers of the team pages: the edit right, loading the team of the request with the read and write rules, and the
 * member checks shared by the member form and the roster upload. Must not see SQL nor send anything but refusals. */
#include "web/team.h"
#include "core/date.h"
#include "core/phone.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool team_may_edit(struct req *r, int64_t org_id)
{
    return r->user && (authz(r, "officer", org_id) || authz(r, "coordinator", org_id));
}

void team_phones(json_t *members)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        const char *p = json_string_value(json_object_get(m, "phone"));
        if (p && strlen(p) == 12 && !strncmp(p, "+84", 3))
            json_object_set_new(m, "phone_display", json_sprintf("0%.3s %.3s %.3s", p + 3, p + 6, p + 9));
        else if (p) json_object_set_new(m, "phone_display", json_string(p));
    }
}

json_t *team_load(struct req *r, bool for_write)
{
    int64_t id = req_int(r, "id", 0);
    struct store_result res = STORE_RESULT_OK;
    json_t *t = NULL;
    if (id <= 0 || store_team_get(r->db, id, &t, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        req_fail(r, 404, "Không tìm thấy tổ công nghệ số.");
        return NULL;
    }
    if (res.status != STORE_OK) {
        req_result(r, &res);
        return NULL;
    }
    int64_t org = json_integer_value(json_object_get(t, "org_id"));
    bool edit = team_may_edit(r, org);
    /* A team outside the caller's scope reads as no team at all, as files and tasks out of scope do; a write to one
     * is refused outright. */
    if (for_write && !edit) {
        json_decref(t);
        if (db_failed(r->db)) { req_store_failed(r); return NULL; }
        req_fail(r, 403, "Bạn không có quyền sửa tổ công nghệ số này.");
        return NULL;
    }
    if (!edit && !store_team_readable(r->db, id, r->user->id)) {
        json_decref(t);
        req_missing(r, "Không tìm thấy tổ công nghệ số.");
        return NULL;
    }
    json_object_set_new(t, "can_edit", json_boolean(edit));
    team_phones(json_object_get(t, "members"));
    return t;
}

/* The code a typed word names: the code itself, or its label folded, or one of the words people write for it. */
static const char *pick_role(const char *in)
{
    if (!in || !*in) return "member";
    for (int i = 0; team_roles[i]; i++) if (!strcmp(in, team_roles[i])) return team_roles[i];
    char *f = text_fold(in);
    const char *got = NULL;
    if (!f) return NULL;
    if (!strcmp(f, "to truong") || !strcmp(f, "truong") || !strcmp(f, "truong to")) got = "leader";
    else if (!strcmp(f, "to pho") || !strcmp(f, "pho") || !strcmp(f, "pho to") || !strcmp(f, "to pho to")) got = "deputy";
    else if (!strcmp(f, "thanh vien") || !strcmp(f, "to vien")) got = "member";
    free(f);
    return got;
}

/* Whole words only: "doanh nghiep" is no "doan". */
static bool has_word(const char *folded, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(folded, w); p; p = strstr(p + 1, w))
        if ((p == folded || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return true;
    return false;
}

static const char *pick_origin(const char *in)
{
    if (!in || !*in) return "volunteer";
    for (int i = 0; team_origins[i]; i++) if (!strcmp(in, team_origins[i])) return team_origins[i];
    char *f = text_fold(in);
    const char *got = NULL;
    if (!f) return NULL;
    for (int i = 0; team_origin_labels[i] && !got; i++) {
        char *l = text_fold(team_origin_labels[i]);
        if (l && !strcmp(l, f)) got = team_origins[i];
        free(l);
    }
    /* The order matters: "Công an xã" is the police, "Đoàn Thanh niên phường" the Youth Union. */
    if (got) {}
    else if (has_word(f, "cong an")) got = "police";
    else if (has_word(f, "buu dien") || has_word(f, "buu chinh") || has_word(f, "vnpost")) got = "post";
    else if (has_word(f, "vien thong") || has_word(f, "viettel") || has_word(f, "vnpt") || has_word(f, "mobifone")) got = "telecom";
    else if (has_word(f, "doan") || has_word(f, "thanh nien")) got = "youth_union";
    else if (has_word(f, "tinh nguyen")) got = "volunteer";
    else if (has_word(f, "can bo") || has_word(f, "cong chuc") || has_word(f, "ubnd") || has_word(f, "uy ban")) got = "commune_official";
    else if (!strcmp(f, "khac")) got = "other";
    free(f);
    return got;
}

static bool email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(e) > 254) return false;
    for (const char *p = e; *p; p++) if (isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';') return false;
    return at[1] != '.' && e[strlen(e) - 1] != '.';
}

void team_member_check(const char *name, const char *role, const char *origin, const char *phone, const char *email,
                       struct member_in *out, struct member_bufs *b, json_t *errors)
{
    memset(b, 0, sizeof *b);
    b->name = name ? text_nfc(name) : NULL;
    if (!b->name || !*b->name || strlen(b->name) > 200)
        json_object_set_new(errors, "name", json_string("Cần họ và tên (tối đa 200 ký tự)."));
    const char *rc = pick_role(role), *oc = pick_origin(origin);
    if (!rc) json_object_set_new(errors, "team_role", json_string("Vai trò phải là Tổ trưởng, Tổ phó hoặc Thành viên."));
    else snprintf(b->role, sizeof b->role, "%s", rc);
    if (!oc)
        json_object_set_new(errors, "origin", json_string("Xuất thân phải là: Cán bộ xã, phường; Đoàn Thanh niên; Công an; Bưu điện; "
                                                          "Viễn thông; Tình nguyện viên; Khác."));
    else snprintf(b->origin, sizeof b->origin, "%s", oc);
    if (phone && *phone && !phone_vn_normalise(phone, b->phone))
        json_object_set_new(errors, "phone", json_string("Số điện thoại di động không hợp lệ (vd. 0912 345 678)."));
    if (email && *email) {
        if (!email_ok(email)) json_object_set_new(errors, "email", json_string("Email không hợp lệ."));
        else for (size_t i = 0; i <= strlen(email); i++) b->email[i] = (char)tolower((unsigned char)email[i]);
    }
    *out = (struct member_in){ b->name, b->role, b->origin, b->phone[0] ? b->phone : NULL, b->email[0] ? b->email : NULL, 1 };
}

void team_member_bufs_free(struct member_bufs *b)
{
    free(b->name);
    b->name = NULL;
}

json_t *team_choices(const char *const codes[], const char *const labels[], const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; codes[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", codes[i], "label", labels[i],
                                           "selected", selected && !strcmp(selected, codes[i])));
    return a;
}

const char *team_field(struct req *r, const char *k)
{
    const char *v = req_str(r, k);
    return v ? v : json_string_value(json_object_get(r->body_json, k));
}

void team_today(char out[11]) { date_format_iso(date_today(), out); }
void team_now(char out[21]) { date_utc_iso(time(NULL), out); }
