/* Campaign years: the list, one year with its theme and key dates, and the centre's edits of a year.
 * Reads the store; writes only through store_campaign_save after an authorisation check.
 * Must not let anyone but a national coordinator change a year. */
#include "http/app.h"
#include "store/campaign.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_year(struct req *r, int *year)
{
    const char *s = req_str(r, "year");
    char *end;
    long y = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || y < 2000 || y > 2100) return -1;
    *year = (int)y;
    return 0;
}

static int list(struct req *r)
{
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Các năm Ngày Chuyển đổi số quốc gia", "_nav", "campaigns",
                            "items", store_campaigns_list(r->db));
    return render(r, ctx, "campaigns/index");
}

static int show(struct req *r)
{
    int year;
    if (parse_year(r, &year)) return req_fail(r, 404, "Năm không hợp lệ.");
    json_t *c = store_campaign_get(r->db, year);
    if (!c) return req_fail(r, 404, "Chưa có thông tin Ngày Chuyển đổi số quốc gia năm này.");
    char title[96];
    snprintf(title, sizeof title, "Ngày Chuyển đổi số quốc gia năm %d", year);
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", title, "_nav", "campaigns", "campaign", c);
    if (r->user && authz(r, "coordinator", store_org_id(r->db, "vn"))) {
        json_object_set_new(ctx, "_can_edit", json_true());
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    }
    return render(r, ctx, "campaigns/show");
}

/* Key dates arrive as JSON [{date, label}] or as form lines "dd/mm/yyyy | label". */
static json_t *read_dates(struct req *r, json_t *errors)
{
    json_t *in = json_object_get(r->body_json, "dates"), *out = json_array();
    if (in && !json_is_array(in)) {
        json_object_set_new(errors, "dates", json_string("Phải là một danh sách."));
        return out;
    }
    if (in) {
        size_t i;
        json_t *d;
        json_array_foreach(in, i, d) {
            struct ymd ymd;
            const char *date = json_string_value(json_object_get(d, "date"));
            const char *label = json_string_value(json_object_get(d, "label"));
            if (!date || !date_parse_iso(date, &ymd) || !label || !*label || strlen(label) > 300) {
                json_object_set_new(errors, "dates", json_sprintf("Mốc thứ %zu: cần ngày YYYY-MM-DD và nội dung.", i + 1));
                break;
            }
            json_array_append_new(out, json_pack("{s:s, s:s}", "date", date, "label", label));
        }
        return out;
    }
    char *text = strdup(req_str(r, "dates") ? req_str(r, "dates") : ""), *save = NULL;
    int line = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        char *bar = strchr(l, '|');
        struct ymd ymd;
        if (!bar) {
            if (strspn(l, " \r\t") == strlen(l)) continue;
            json_object_set_new(errors, "dates", json_sprintf("Dòng %d: viết \"dd/mm/yyyy | nội dung\".", line));
            break;
        }
        *bar = 0;
        char *label = bar + 1;
        while (*label == ' ') label++;
        label[strcspn(label, "\r")] = 0;
        if (!date_parse_vn(l, &ymd) || !*label) {
            json_object_set_new(errors, "dates", json_sprintf("Dòng %d: ngày không hợp lệ hoặc thiếu nội dung.", line));
            break;
        }
        char iso[11];
        date_format_iso(ymd, iso);
        char *nfc = text_nfc(label);
        json_array_append_new(out, json_pack("{s:s, s:s}", "date", iso, "label", nfc));
        free(nfc);
    }
    free(text);
    return out;
}

static int save(struct req *r)
{
    int year;
    if (parse_year(r, &year)) return req_fail(r, 404, "Năm không hợp lệ.");
    if (!authz(r, "coordinator", store_org_id(r->db, "vn")))
        return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được sửa thông tin năm.");
    json_t *errors = json_object();
    const char *theme = req_str(r, "theme");
    if (theme && strlen(theme) > 500) json_object_set_new(errors, "theme", json_string("Chủ đề quá dài (tối đa 500 ký tự)."));
    json_t *dates = read_dates(r, errors);
    if (json_object_size(errors)) {
        json_decref(dates);
        return req_fail_ctx(r, 422, "Dữ liệu chưa hợp lệ.", errors);
    }
    json_decref(errors);
    char *nfc = theme ? text_nfc(theme) : NULL;
    db_begin(r->db);
    int rc = store_campaign_save(r->db, year, nfc, dates);
    if (!rc) rc = audit(r, "campaign.save", "campaign", year, json_pack("{s:s?, s:O}", "theme", nfc, "dates", dates));
    if (rc) db_rollback(r->db);
    else rc = db_commit(r->db);
    free(nfc);
    json_decref(dates);
    if (rc) return req_fail(r, 500, "Không lưu được, vui lòng thử lại.");
    char loc[64];
    snprintf(loc, sizeof loc, "/nam/%d", year);
    if (r->want_json) return render(r, store_campaign_get(r->db, year), NULL);
    return req_redirect(r, loc);
}

const struct route page_campaigns_routes[] = {
    { "GET", "/nam", "/api/campaigns", list, PUBLIC, true, 0 },
    { "GET", "/nam/{year}", "/api/campaigns/{year}", show, PUBLIC, true, 0 },
    { "POST", "/nam/{year}", "/api/campaigns/{year}", save, STAFF, false, 0 },
    { 0 },
};
