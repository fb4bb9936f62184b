/* The guidance log of the Community Digital Technology Teams: the phone form (/to-cong-nghe-so/ghi-nhan, offline through
 * its service worker), POST /api/guidance and the caller's own entries. Must not ask for or keep a citizen's name. */
#include "http/app.h"
#include "store/guidance.h"
#include "core/date.h"
#include "core/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 20
#define TEAMS_LISTED 200

static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* The worker lives under the form's path so its scope is the form alone, not the teams' other pages. */
static int service_worker(struct req *r)
{
    const struct embedded_file *f = files_get("static/guidance-sw.js");
    if (!f) return req_fail(r, 404, "Không tìm thấy trang bạn yêu cầu.");
    char *body = malloc(f->size + 1);
    memcpy(body, f->data, f->size);
    body[f->size] = 0;
    req_header(r, "Service-Worker-Allowed", "/to-cong-nghe-so/ghi-nhan");
    req_header(r, "Cache-Control", "no-cache");
    return req_send(r, 200, "text/javascript; charset=utf-8", body, f->size);
}

/* The form, or (JSON) the caller's entries page by page with what the form needs: teams, services, the CSRF token. */
static int log_page(struct req *r)
{
    int page = (int)req_int(r, "trang", req_int(r, "page", 1));
    if (page < 1 || page > 100000) return req_fail(r, 400, "Số trang không hợp lệ.");
    json_t *teams = store_guidance_teams_for(r->db, r->user->id, TEAMS_LISTED);
    json_t *services = teams ? store_guidance_services(r->db) : NULL;
    json_t *mine = services && !db_failed(r->db) ? store_guidance_mine(r->db, r->user->id, page, PER_PAGE) : NULL;
    if (!mine) { json_decref(teams); json_decref(services); return req_store_failed(r); }
    char today[11];
    date_format_iso(date_today(), today);
    size_t nteams = json_array_size(teams);
    /* A queued entry sent after a reload takes its token from here (the page, or this JSON when the session changed). */
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:I, s:b, s:b}",
                            "title", "Ghi nhận hướng dẫn người dân", "_nav", "team_log", "teams", teams,
                            "services", services, "entries", mine, "today", today, "csrf", r->user->csrf,
                            "user_id", (json_int_t)r->user->id, "_one_team", nteams == 1, "_no_team", nteams == 0);
    if (!ctx) return req_fail(r, 500, "Có lỗi khi tạo trang; vui lòng thử lại.");
    json_object_set_new(ctx, "_teams_capped", json_boolean(nteams >= TEAMS_LISTED));
    r->per_visitor = true;
    return render(r, ctx, "guidance/log");
}

/* Which team the entry is for: the one named, or the caller's only active membership. 0 when it cannot be told. */
static int64_t team_of(struct req *r)
{
    json_t *t = json_object_get(r->body_json, "team_id");
    if (json_is_integer(t)) return json_integer_value(t);
    int64_t id = req_int(r, "team_id", 0);
    if (id > 0) return id;
    json_t *teams = store_guidance_teams_for(r->db, r->user->id, 3), *x;
    size_t i, members = 0;
    json_array_foreach(teams, i, x) if (num(x, "member")) { members++; id = num(x, "id"); }
    json_decref(teams);
    return members == 1 ? id : 0;
}

static int answer(struct req *r, json_t *entry, bool created)
{
    r->status = created ? 201 : 200;
    json_t *ctx = json_pack("{s:o, s:b}", "entry", entry, "duplicate", !created);
    return render(r, ctx, NULL);
}

static int record(struct req *r)
{
    if (!r->body_json) return req_fail(r, 415, "Gửi ghi nhận dưới dạng JSON (Content-Type: application/json).");
    const char *client_id = json_string_value(json_object_get(r->body_json, "client_id"));
    int64_t team_id = team_of(r);
    struct guidance_author who = { .user_id = r->user->id, .team_id = team_id };

    /* The same entry again (a send whose answer the phone never got): the first one, whatever changed since. */
    if (guidance_client_id_ok(client_id)) {
        json_t *e = store_guidance_by_client(r->db, client_id);
        if (!e && db_failed(r->db)) return req_store_failed(r);
        if (e) {
            if (num(e, "user_id") == r->user->id && (!team_id || num(e, "team_id") == team_id)) return answer(r, e, false);
            json_decref(e);
            return req_fail(r, 409, "Mã ghi nhận này đã được dùng cho một ghi nhận khác; hãy tạo ghi nhận mới.");
        }
    }

    if (!team_id) return req_fail(r, 403, "Tài khoản của bạn không thuộc tổ công nghệ số nào đang hoạt động; hãy chọn tổ.");
    json_t *team = store_guidance_team(r->db, team_id);
    if (!team) return req_missing(r, "Không tìm thấy tổ công nghệ số này.");
    int64_t org = num(team, "org_id");
    bool team_active = num(team, "active") == 1;
    json_decref(team);
    /* A member of the team logs as one (most senders: asked first); otherwise the unit's officers and coordinators
     * (admins too) log on the team's behalf. */
    int m = store_guidance_membership(r->db, r->user->id, team_id);
    if (m < 0 && db_failed(r->db)) return req_store_failed(r);
    bool member = m == 1 && authz(r, "team_member", org);
    if (!member && !authz(r, "officer", org) && !authz(r, "coordinator", org)) {
        if (m == 0) return req_fail(r, 403, "Bạn đã ngừng là thành viên của tổ này nên không ghi nhận được nữa.");
        return req_fail(r, 403, "Bạn chỉ ghi nhận được cho tổ mà mình là thành viên.");
    }
    who.as_member = member;
    if (!team_active) return req_fail(r, 403, "Tổ này đã ngừng hoạt động nên không ghi nhận thêm được.");

    json_t *entry = NULL;
    bool created = false;
    struct store_result res = STORE_RESULT_OK;
    if (store_guidance_record(r->db, &who, r->body_json, &entry, &created, &res) != STORE_OK) return req_result(r, &res);
    return answer(r, entry, created);
}

const struct route page_team_log_routes[] = {
    { "GET", "/to-cong-nghe-so/ghi-nhan/sw.js", NULL, service_worker, PUBLIC, false, 0 },
    { "GET", "/to-cong-nghe-so/ghi-nhan", "/api/guidance", log_page, STAFF, false, 0 },
    { "POST", NULL, "/api/guidance", record, STAFF, false, 64 * 1024 },
    { 0 },
};
