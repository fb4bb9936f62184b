/* The audit log for the national admin, in Vietnamese: who (name and e-mail), what (a label, never the action's code),
 * which unit, and the details as words; filters by who, what, when and unit, pages of 50, CSV and XLSX exports.
 * Must not show the log to anyone but an admin of the root unit, nor print raw JSON or English codes. */
#include "http/app.h"
#include "store/audit.h"
#include "store/org.h"
#include "core/date.h"
#include "web/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 50
#define EXPORT_MAX 10000

static const struct { const char *action, *label; } actions[] = {
    { "login", "Đăng nhập" }, { "login.fail", "Đăng nhập sai mật khẩu" }, { "logout", "Đăng xuất" },
    { "signup", "Đăng ký học" }, { "signup.taken", "Đăng ký bằng email/số điện thoại đã có tài khoản" },
    { "user.create", "Tạo tài khoản" }, { "role.grant", "Giao vai trò" }, { "role.revoke", "Gỡ vai trò" },
    { "account.name", "Đổi họ tên" }, { "account.password", "Đổi mật khẩu" }, { "account.delete", "Xóa tài khoản" },
    { "password.forgot", "Xin liên kết đặt lại mật khẩu" }, { "password.reset", "Đặt lại mật khẩu bằng liên kết" },
    { "password.link", "Tạo liên kết đặt lại mật khẩu cho cán bộ" },
    { "article.create", "Đăng bài viết" }, { "article.update", "Sửa bài viết" },
    { "campaign.save", "Lưu thông tin năm" }, { "campaign.message", "Sửa thông điệp năm" },
    { "dtd.campaign.open", "Mở chiến dịch" }, { "dtd.campaign.edit", "Sửa chiến dịch" }, { "dtd.honour", "Vinh danh tổ" },
    { "form.create", "Tạo biểu mẫu báo cáo" }, { "form.update", "Sửa biểu mẫu báo cáo" },
    { "identity.upload", "Tải lên bộ nhận diện" },
    { "listing.submit", "Gửi ưu đãi/hoạt động" }, { "listing.approve", "Duyệt ưu đãi/hoạt động" },
    { "listing.reject", "Từ chối ưu đãi/hoạt động" }, { "plan.import", "Nhập kế hoạch" },
    { "question.answer", "Trả lời câu hỏi" }, { "question.dismiss", "Bỏ qua câu hỏi" },
    { "submission.save", "Lưu báo cáo" }, { "submission.submit", "Gửi báo cáo" }, { "submission.upload", "Tải lên báo cáo" },
    { "submission.approve", "Duyệt báo cáo" }, { "submission.return", "Trả lại báo cáo" },
    { "task.update", "Cập nhật nhiệm vụ" }, { "task.proposal.accept", "Nhận phối hợp nhiệm vụ" },
    { "task.proposal.decline", "Từ chối phối hợp nhiệm vụ" },
    { "team.create", "Lập Tổ công nghệ số" }, { "team.update", "Sửa Tổ công nghệ số" }, { "team.roster", "Nhập danh sách tổ" },
    { "team.member_add", "Thêm thành viên tổ" }, { "team.member_update", "Sửa thành viên tổ" },
    { "team.member_deactivate", "Cho thành viên tổ nghỉ" }, { "team.member_account", "Mở tài khoản thành viên tổ" },
    { "course.create", "Tạo khóa học" }, { "course.import", "Nhập khóa học" }, { "course.save", "Sửa khóa học" },
    { "course.lesson.add", "Thêm bài học" }, { "course.lesson.save", "Sửa bài học" }, { "course.lesson.delete", "Xóa bài học" },
    { "course.lesson.move", "Đổi thứ tự bài học" }, { "course.quiz.add", "Thêm bài kiểm tra" },
    { "course.quiz.save", "Sửa bài kiểm tra" }, { "course.quiz.delete", "Xóa bài kiểm tra" },
    { "course.question.add", "Thêm câu hỏi kiểm tra" }, { "course.question.save", "Sửa câu hỏi kiểm tra" },
    { "course.question.delete", "Xóa câu hỏi kiểm tra" },
    { NULL, NULL },
};

/* Families for the "what" filter and for actions other areas add later: a label by the code's first part. */
static const struct { const char *prefix, *label; } families[] = {
    { "login", "Đăng nhập" }, { "signup", "Đăng ký" }, { "user", "Tài khoản" }, { "role", "Vai trò" },
    { "account", "Tài khoản của tôi" }, { "password", "Mật khẩu" }, { "article", "Bài viết" }, { "campaign", "Năm/chủ đề" },
    { "dtd", "Chiến dịch" }, { "form", "Biểu mẫu" }, { "identity", "Bộ nhận diện" }, { "listing", "Ưu đãi/hoạt động" },
    { "plan", "Kế hoạch" }, { "question", "Câu hỏi" }, { "submission", "Báo cáo" }, { "task", "Nhiệm vụ" },
    { "team", "Tổ công nghệ số" }, { "course", "Khóa học" }, { "contest", "Cuộc thi" }, { "expert", "Chuyên gia" },
    { "training", "Lớp tập huấn" }, { NULL, NULL },
};

static const struct { const char *role, *label; } role_labels[] = {
    { "admin", "Quản trị" }, { "coordinator", "Điều phối" }, { "officer", "Cán bộ đầu mối" }, { "moderator", "Kiểm duyệt" },
    { "team_member", "Thành viên Tổ CNS cộng đồng" }, { "juror", "Giám khảo" }, { NULL, NULL },
};

/* Detail keys shown as words; any other key is summed up as "và N thông tin khác" rather than printed as code. */
static const struct { const char *key, *label; } keys[] = {
    { "email", "Email" }, { "name", "Họ tên" }, { "from", "Trước" }, { "to", "Sau" }, { "title", "Tiêu đề" },
    { "code", "Mã" }, { "status", "Trạng thái" }, { "year", "Năm" }, { "slug", "Địa chỉ" }, { "note", "Ghi chú" },
    { "progress", "Tiến độ (%)" }, { "count", "Số lượng" }, { "rows", "Số dòng" }, { NULL, NULL },
};

/* What an entry is about, when it is not an account (those are named): "Nhiệm vụ số 12". */
static const struct { const char *entity, *label; } entities[] = {
    { "task", "Nhiệm vụ" }, { "plan", "Kế hoạch" }, { "form", "Biểu mẫu" }, { "article", "Bài viết" },
    { "campaign", "Năm" }, { "listing", "Ưu đãi/hoạt động" }, { "team", "Tổ công nghệ số" }, { "course", "Khóa học" },
    { "identity_item", "Tệp nhận diện" }, { "cdt_honour", "Vinh danh" }, { "question", "Câu hỏi" },
    { "submission", "Báo cáo" }, { "dtd_campaign", "Chiến dịch" }, { NULL, NULL },
};

static void about(json_t *it)
{
    const char *e = json_string_value(json_object_get(it, "entity")), *id = json_string_value(json_object_get(it, "entity_id"));
    if (e && !strcmp(e, "user")) {
        const char *n = json_string_value(json_object_get(it, "target_name")), *m = json_string_value(json_object_get(it, "target_email"));
        if (n) json_object_set_new(it, "about", json_sprintf("Tài khoản: %s%s%s%s", n, m ? " (" : "", m ? m : "", m ? ")" : ""));
        return;
    }
    for (int i = 0; e && entities[i].entity; i++)
        if (!strcmp(entities[i].entity, e)) {
            json_object_set_new(it, "about", id ? json_sprintf("%s số %s", entities[i].label, id) : json_string(entities[i].label));
            return;
        }
}

static const char *action_label(const char *a, char *buf, size_t n)
{
    for (int i = 0; a && actions[i].action; i++)
        if (!strcmp(actions[i].action, a)) return actions[i].label;
    for (int i = 0; a && families[i].prefix; i++) {
        size_t l = strlen(families[i].prefix);
        if (!strncmp(a, families[i].prefix, l) && (a[l] == '.' || !a[l])) {
            snprintf(buf, n, "%s: thay đổi khác", families[i].label);
            return buf;
        }
    }
    return "Thay đổi khác";
}

static const char *role_label(const char *r)
{
    for (int i = 0; r && role_labels[i].role; i++)
        if (!strcmp(role_labels[i].role, r)) return role_labels[i].label;
    return "Vai trò khác";
}

/* The stored detail JSON as Vietnamese words. */
static char *detail_words(const char *detail)
{
    json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
    if (!json_is_object(d)) { json_decref(d); return strdup(""); }
    char out[1200] = "";
    size_t len = 0, other = 0;
    const char *k;
    json_t *v;
    json_object_foreach(d, k, v) {
        char val[300] = "";
        const char *label = NULL;
        if (!strcmp(k, "org_id")) continue;   /* shown as the entry's unit */
        if (!strcmp(k, "role")) { label = "Vai trò"; snprintf(val, sizeof val, "%s", role_label(json_string_value(v))); }
        else if (!strcmp(k, "device")) { label = "Thiết bị"; snprintf(val, sizeof val, "%s", json_is_true(v) || json_integer_value(v) ? "đã đăng nhập trước đây" : "mới"); }
        else {
            for (int i = 0; keys[i].key; i++)
                if (!strcmp(keys[i].key, k)) label = keys[i].label;
            if (json_is_string(v)) snprintf(val, sizeof val, "%s", json_string_value(v));
            else if (json_is_integer(v)) snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v)) snprintf(val, sizeof val, "%g", json_real_value(v));
            else if (json_is_boolean(v)) snprintf(val, sizeof val, "%s", json_is_true(v) ? "có" : "không");
            else label = NULL;
        }
        if (!label) { other++; continue; }
        if (len < sizeof out) len += (size_t)snprintf(out + len, sizeof out - len, "%s%s: %s", len ? " · " : "", label, val);
    }
    if (other && len < sizeof out)
        snprintf(out + len, sizeof out - len, "%s%zu thông tin khác", len ? " · và " : "", other);
    json_decref(d);
    return strdup(out);
}

/* dd/mm/yyyy or yyyy-mm-dd as the UTC instant its Vietnamese day starts (plus days), into iso; false when unreadable. */
static bool day_start(const char *s, int plus_days, char iso[21])
{
    struct ymd d;
    if (!date_parse_vn(s, &d) && !date_parse_iso(s, &d)) return false;
    struct tm tm = { .tm_year = d.y - 1900, .tm_mon = d.m - 1, .tm_mday = d.d + plus_days };
    date_utc_iso(timegm(&tm) - 7 * 3600, iso);
    return true;
}

static bool is_national(struct req *r) { return authz(r, "admin", store_org_id(r->db, "vn")); }

static int audit_log(struct req *r)
{
    if (!is_national(r)) return req_fail(r, 403, "Chỉ quản trị viên trung ương xem nhật ký.");
    const char *who = req_str(r, "nguoi"), *what = req_str(r, "viec"), *from = req_str(r, "tu"), *until = req_str(r, "den");
    const char *unit = req_str(r, "don_vi"), *format = req_str(r, "format");
    int64_t page = req_int(r, "trang", 1);
    json_t *errors = json_object();
    struct audit_filter f = { .limit = PAGE };
    char from_iso[21] = "", until_iso[21] = "";
    if (who && *who) {
        char *end;
        long long id = strtoll(who, &end, 10);
        f.user_id = *end ? store_audit_user_id(r->db, who) : id;
        if (!f.user_id) json_object_set_new(errors, "nguoi", json_string("Không có tài khoản này."));
    }
    if (what && *what) {
        bool known = false;
        for (int i = 0; actions[i].action; i++) known = known || !strcmp(actions[i].action, what);
        for (int i = 0; families[i].prefix; i++) known = known || !strcmp(families[i].prefix, what);
        if (!known || strlen(what) > 60) json_object_set_new(errors, "viec", json_string("Chọn việc trong danh sách."));
        else f.action = what;
    }
    if (from && *from && !day_start(from, 0, from_iso)) json_object_set_new(errors, "tu", json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
    if (until && *until && !day_start(until, 1, until_iso)) json_object_set_new(errors, "den", json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
    f.from = from_iso;
    f.until = until_iso;
    if (unit && *unit) {
        f.org_id = store_org_id(r->db, unit);
        if (!f.org_id) {
            struct org_resolved o = org_resolve(r->db, unit, NULL, 0);
            if (o.status == ORG_FOUND) f.org_id = o.id;
            else json_object_set_new(errors, "don_vi", json_string(o.status == ORG_AMBIGUOUS ? "Tên này khớp nhiều đơn vị; gõ đầy đủ hơn hoặc chọn trong danh sách."
                                                                                                   : "Không tìm thấy đơn vị."));
        }
    }
    if (page < 1 || page > 100000) json_object_set_new(errors, "trang", json_string("Trang không hợp lệ."));
    if (json_object_size(errors) && (r->want_json || format)) return req_fail_ctx(r, 400, "Bộ lọc chưa hợp lệ.", errors);
    bool exporting = format && *format;
    if (exporting) f.limit = EXPORT_MAX;
    else f.offset = (int)((page - 1) * PAGE);
    struct store_result res = STORE_RESULT_OK;
    json_t *items = NULL;
    int64_t total = 0;
    if (json_object_size(errors)) items = json_array();
    else if (store_audit_find(r->db, &f, &items, &total, &res) != STORE_OK) { json_decref(errors); return req_result(r, &res); }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        char buf[160];
        const char *a = json_string_value(json_object_get(it, "action"));
        json_object_set_new(it, "action_label", json_string(action_label(a, buf, sizeof buf)));
        char *words = detail_words(json_string_value(json_object_get(it, "detail")));
        json_object_set_new(it, "details", json_string(words));
        free(words);
        json_object_del(it, "detail");
        about(it);
        if (!json_object_get(it, "user_id") || json_is_null(json_object_get(it, "user_id")))
            json_object_set_new(it, "name", json_string("(chưa đăng nhập)"));
    }
    if (exporting) {
        json_t *cols = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]",
                                 "title", "Thời điểm (UTC)", "width", 20, "title", "Người thực hiện", "width", 24,
                                 "title", "Email", "width", 28, "title", "Việc", "width", 30, "title", "Đối tượng", "width", 36, "title", "Đơn vị", "width", 28,
                                 "title", "Chi tiết", "width", 50, "title", "Địa chỉ IP", "width", 16);
        json_t *rows = json_array();
        json_array_foreach(items, i, it)
            json_array_append_new(rows, json_pack("[O, O, O, O, O, O, O, O]", json_object_get(it, "at"), json_object_get(it, "name"),
                                                  json_object_get(it, "email"), json_object_get(it, "action_label"),
                                                  json_object_get(it, "about") ? json_object_get(it, "about") : json_null(),
                                                  json_object_get(it, "org_name"), json_object_get(it, "details"),
                                                  json_object_get(it, "ip")));
        json_decref(items);
        json_decref(errors);
        bool sent = report_send_table(r, "nhat-ky", "Nhật ký thay đổi", cols, rows);
        json_decref(cols);
        json_decref(rows);
        return sent ? r->status : req_fail(r, 400, "Định dạng phải là xlsx hoặc csv.");
    }
    /* The filter's lists and the pager, and each link keeping the filters. */
    json_t *acts = json_array();
    for (int k = 0; families[k].prefix; k++) {
        json_t *fam = json_pack("{s:s, s:s, s:b}", "value", families[k].prefix, "label", families[k].label, "selected", what && !strcmp(what, families[k].prefix));
        json_array_append_new(acts, fam);
        for (int a = 0; actions[a].action; a++) {
            size_t l = strlen(families[k].prefix);
            if (!strncmp(actions[a].action, families[k].prefix, l) && actions[a].action[l] == '.')
                json_array_append_new(acts, json_pack("{s:s, s:s, s:b, s:b}", "value", actions[a].action, "label", actions[a].label,
                                                      "selected", what && !strcmp(what, actions[a].action), "sub", 1));
        }
    }
    json_t *actors = NULL;
    if (store_audit_actors(r->db, &actors, &res) != STORE_OK) { json_decref(items); json_decref(errors); json_decref(acts); return req_result(r, &res); }
    json_array_foreach(actors, i, it)
        json_object_set_new(it, "selected", json_boolean(f.user_id && json_integer_value(json_object_get(it, "id")) == f.user_id));
    json_t *filt = json_pack("{s:s, s:s, s:s, s:s, s:s}", "nguoi", who ? who : "", "viec", what ? what : "", "tu", from ? from : "",
                             "den", until ? until : "", "don_vi", unit ? unit : "");
    int64_t pages = total ? (total + PAGE - 1) / PAGE : 1;
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "title", "Nhật ký thay đổi", "_nav", "users",
                            "items", items, "total", (json_int_t)total, "page", (json_int_t)page, "pages", (json_int_t)pages,
                            "actions", acts, "actors", actors, "filter", filt, "errors", errors);
    if (page > 1) json_object_set_new(ctx, "prev", json_integer(page - 1));
    if (page < pages) json_object_set_new(ctx, "next", json_integer(page + 1));
    if (json_object_size(errors)) r->status = 400;
    json_object_set_new(ctx, "_filtered", json_boolean((who && *who) || (what && *what) || (from && *from) || (until && *until) ||
                                                       (unit && *unit) || json_object_size(errors)));
    return render(r, ctx, "users/audit");
}

const struct route page_account_audit_routes[] = {
    { "GET", "/quan-tri/nhat-ky", "/api/audit", audit_log, STAFF, false, 0 },
    { 0 },
};
