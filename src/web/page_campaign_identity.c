/* The year's identity kit ("Bộ nhận diện") and message ("Thông điệp"): editors upload images, sound, graphics and
 * short films, checked by their bytes with libmagic; anyone previews and downloads them with the right type and a
 * Content-Disposition. The message is plain text, shown as written. Both are national: their editors hold a role on
 * the root unit. Only raster images and PDF are ever shown inline: an SVG (or anything else) opened directly is a
 * download, so a script in it never runs on the portal's origin; <img>, <audio> and <video> previews still work.
 * Must not see SQL (store/identity.h holds the records) nor trust a file's name or declared type. */
#include "http/app.h"
#include "store/identity.h"
#include "store/result.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KIT_FILE (60u * 1024 * 1024)

/* What the kit may hold, by the type libmagic reads from the bytes (never the name or the browser's say-so). */
static const struct { const char *mime, *kind; } allowed[] = {
    { "image/png", "image" }, { "image/jpeg", "image" }, { "image/gif", "image" }, { "image/webp", "image" }, { "image/svg+xml", "image" },
    { "audio/mpeg", "audio" }, { "audio/ogg", "audio" }, { "audio/x-wav", "audio" }, { "video/mp4", "video" }, { "video/webm", "video" },
    { "application/pdf", "document" }, { "application/zip", "archive" }, { NULL, NULL },
};

static const char *kind_of(const char *mime)
{
    for (int i = 0; allowed[i].mime; i++) if (!strcmp(allowed[i].mime, mime)) return allowed[i].kind;
    return NULL;
}

/* What a browser may render in place when the file is opened on its own: formats that carry no script. */
static bool shown_inline(const char *mime)
{
    static const char *const safe[] = { "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", NULL };
    for (int i = 0; safe[i]; i++) if (!strcmp(safe[i], mime)) return true;
    return false;
}

/* The {year} of a campaign, or 0 after answering 404 (no such year) or 500. */
static int parse_year(struct req *r)
{
    int64_t y = req_int(r, "year", 0);
    struct store_result res = STORE_RESULT_OK;
    if (y > 0 && y < 10000 && store_identity_year(r->db, y, &res) == STORE_OK) return (int)y;
    if (res.status == STORE_OK) store_fail(&res, STORE_NOT_FOUND, "Chưa có thông tin năm này.");
    req_result(r, &res);
    return 0;
}

static int page(struct req *r)
{
    int64_t y = req_int(r, "year", 0);
    struct store_result res = STORE_RESULT_OK;
    json_t *kit = store_identity_kit(r->db, y, &res);
    if (!kit) return req_result(r, &res);
    int year = (int)y;
    json_t *items = json_incref(json_object_get(kit, "items")), *msg = json_incref(json_object_get(kit, "message"));
    json_decref(kit);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *k = kind_of(json_string_value(json_object_get(it, "mime")));
        if (k) json_object_set_new(it, k, json_true());
        json_object_set_new(it, "kb", json_integer((json_int_t)(json_integer_value(json_object_get(it, "size")) + 1023) / 1024));
    }
    json_t *ctx = json_pack("{s:o, s:s, s:i, s:o, s:o}", "title", json_sprintf("Bộ nhận diện và thông điệp năm %d", year), "_nav", "campaigns",
                            "year", year, "items", items, "message", msg);
    if (authz_national_editor(r)) {
        json_object_set_new(ctx, "_can_edit", json_true());
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    }
    return render(r, ctx, "identity/index");
}

static int upload(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia được đăng bộ nhận diện.");
    int year = parse_year(r);
    if (!year) return r->status;
    const struct upload *f = NULL;
    for (int k = 0; k < r->nfiles; k++) if (!strcmp(r->files[k].field, "file")) f = &r->files[k];
    if (!f || !f->len) return req_fail(r, 400, "Chưa chọn tệp.");
    char mime[128];
    if (!blob_type(f->data, f->len, mime, sizeof mime)) return req_fail(r, 500, "Không kiểm tra được loại tệp.");
    if (!kind_of(mime)) return req_fail_ctx(r, 415, "Loại tệp này không được nhận (chỉ ảnh, âm thanh, video, PDF, ZIP).",
                                            json_pack("{s:s}", "detected", mime));
    const char *title = req_str(r, "title");
    char *t = text_nfc(title && *title ? title : f->filename);
    if (!t || strlen(t) > 300) { free(t); return req_fail(r, 422, "Tên tối đa 300 ký tự."); }
    char sha[65];
    if (db_begin(r->db)) {
        free(t);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    int rc = blob_save(r, f, sha);
    if (!rc) {
        struct identity_item_in in = { year, t, sha, f->filename[0] ? f->filename : "tep", mime, (int64_t)f->len, r->user->id };
        rc = store_identity_add(r->db, &in, &id, &res) != STORE_OK;
    }
    if (!rc) rc = audit(r, "identity.upload", "identity_item", id, json_pack("{s:s, s:s}", "mime", mime, "sha256", sha));
    free(t);
    if (rc) {
        db_rollback(r->db);
        /* The store's busy stays a 503; anything else (the blob, the record, the audit entry) is this page's 500. */
        if (res.status != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được tệp; không có gì được ghi.");
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    if (r->want_json) { r->status = 201; return render(r, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "sha256", sha, "mime", mime), NULL); }
    char loc[64];
    snprintf(loc, sizeof loc, "/nam/%d/bo-nhan-dien", year);
    return req_redirect(r, loc);
}

static int message(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia được đăng thông điệp.");
    int year = parse_year(r);
    if (!year) return r->status;
    const char *text = req_str(r, "text"), *by = req_str(r, "signed_by");
    if (!text || !*text || strlen(text) > 20000) return req_fail_ctx(r, 422, "Cần nội dung thông điệp (tối đa 20.000 ký tự).", json_pack("{s:s}", "text", "Cần nội dung."));
    char *t = text_nfc(text), *b = by && *by ? text_nfc(by) : NULL;
    if (db_begin(r->db)) {
        free(t);
        free(b);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    struct store_result res = STORE_RESULT_OK;
    int rc = store_identity_message_save(r->db, year, t, b, &res) != STORE_OK;
    if (!rc) rc = audit(r, "campaign.message", "campaign", year, json_pack("{s:s?}", "signed_by", b));
    free(t);
    free(b);
    if (rc) {
        db_rollback(r->db);
        /* The store's busy stays a 503; anything else (the record, the audit entry) is this page's 500. */
        if (res.status != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được thông điệp; không có gì được ghi.");
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    if (r->want_json) return render(r, json_pack("{s:i}", "year", year), NULL);
    char loc[64];
    snprintf(loc, sizeof loc, "/nam/%d/bo-nhan-dien", year);
    return req_redirect(r, loc);
}

/* Public download of a kit file only: other blobs (evidence, reports) stay behind sign-in at /tep/. */
static int file(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *it = store_identity_file(r->db, req_str(r, "sha"), &res);
    if (!it) return req_result(r, &res);
    size_t len = 0;
    unsigned char *data = blob_load(r, req_str(r, "sha"), &len, NULL);
    if (!data) { json_decref(it); return req_fail(r, 404, "Tệp không còn trên máy chủ."); }
    char cd[700], enc[600];
    const char *name = json_string_value(json_object_get(it, "name"));
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < sizeof enc; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p)) enc[k++] = (char)*p;
        else k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
    }
    enc[k] = 0;
    /* The stored type, re-checked against the list. */
    const char *mime = json_string_value(json_object_get(it, "mime")), *type = "application/octet-stream";
    for (int i = 0; allowed[i].mime; i++) if (!strcmp(allowed[i].mime, mime)) type = allowed[i].mime;
    bool inline_ok = shown_inline(type) && !req_str(r, "tai");
    snprintf(cd, sizeof cd, "%s; filename=\"nhan-dien\"; filename*=UTF-8''%s", inline_ok ? "inline" : "attachment", enc);
    req_header(r, "Content-Disposition", cd);
    req_header(r, "Cache-Control", "public, max-age=86400");
    json_decref(it);
    return req_send(r, 200, type, (char *)data, len);
}

const struct route page_identity_routes[] = {
    { "GET", "/nam/{year}/bo-nhan-dien", "/api/campaigns/{year}/identity", page, PUBLIC, true, 0 },
    { "POST", "/nam/{year}/bo-nhan-dien", "/api/campaigns/{year}/identity", upload, STAFF, false, MAX_KIT_FILE + 64 * 1024 },
    { "POST", "/nam/{year}/thong-diep", "/api/campaigns/{year}/message", message, STAFF, false, 64 * 1024 },
    { "GET", "/nhan-dien/{sha}", "/api/identity/{sha}", file, PUBLIC, false, 0 },
    { 0 },
};
