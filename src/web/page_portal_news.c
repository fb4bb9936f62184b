/* News and special sections ("Tin tức", chuyên mục): the public list and article pages with Open Graph tags so a
 * shared link looks right, an Atom feed, and the editors' markdown editor. News is national: its editors hold a role
 * on the root unit, and only they see drafts. Every save is written with its audit entry in one transaction.
 * Must not see SQL or render markdown itself: store/article.h checks, numbers slugs and renders. */
#include "http/app.h"
#include "store/article.h"
#include "store/result.h"
#include "core/buf.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *sections(const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; article_sections[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", article_sections[i], "label", article_section_labels[i], "selected",
                                           selected && !strcmp(selected, article_sections[i])));
    return a;
}

static int list(struct req *r)
{
    const char *sec = req_str(r, "chuyen-muc");
    if (sec && *sec && !article_section_label(sec)) return req_fail(r, 404, "Không có chuyên mục này.");
    if (sec && !*sec) sec = NULL;
    int64_t page = req_int(r, "trang", 1);
    if (page < 1 || page > 10000) return req_fail(r, 400, "Số trang không hợp lệ.");
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_articles_list(r->db, sec, true, 20, (int)(page - 1) * 20, &res);
    if (!items) return req_result(r, &res);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:I}", "title", sec ? article_section_label(sec) : "Tin tức", "_nav", "news",
                            "items", items, "sections", sections(sec), "page", (json_int_t)page);
    json_object_set_new(ctx, "og_description", json_string("Tin tức và chuyên mục về Ngày Chuyển đổi số quốc gia 10/10."));
    return render(r, ctx, "news/index");
}

static int show(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *a = store_article_get(r->db, req_str(r, "slug"), &res);
    if (!a && res.status != STORE_NOT_FOUND) return req_result(r, &res);
    bool editor = authz_national_editor(r);
    if (!a || (strcmp(json_string_value(json_object_get(a, "status")), "published") && !editor)) {
        json_decref(a);
        return req_fail(r, 404, "Không tìm thấy bài viết.");
    }
    json_t *ctx = json_pack("{s:O, s:s, s:o}", "title", json_object_get(a, "title"), "_nav", "news", "article", a);
    json_object_set(ctx, "og_description", json_object_get(a, "summary"));
    json_object_set_new(ctx, "og_type", json_string("article"));
    if (editor) json_object_set_new(ctx, "_can_edit", json_true());
    return render(r, ctx, "news/show");
}

static int editor(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia được viết bài.");
    const char *slug = req_str(r, "slug");
    struct store_result res = STORE_RESULT_OK;
    json_t *a = slug ? store_article_get(r->db, slug, &res) : json_pack("{s:s, s:s}", "section", "tin-tuc", "status", "draft");
    if (!a) return req_result(r, &res);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "title", slug ? "Sửa bài viết" : "Viết bài mới", "_nav", "news",
                            "sections", sections(json_string_value(json_object_get(a, "section"))), "article", a, "_csrf", csrf_token(r),
                            "published", !strcmp(json_string_value(json_object_get(a, "status")), "published"));
    return render(r, ctx, "news/edit");
}

static int save(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia được viết bài.");
    int64_t id = 0;
    const char *slug = req_str(r, "slug");
    struct store_result res = STORE_RESULT_OK;
    json_t *cur = slug ? store_article_get(r->db, slug, &res) : NULL;
    if (slug && !cur) return req_result(r, &res);
    if (cur) id = json_integer_value(json_object_get(cur, "id"));
    json_decref(cur);
    json_t *in = json_object();
    const char *fields[] = { "title", "summary", "body_md", "section", "status", "new_slug" };
    for (int i = 0; i < 6; i++) {
        const char *v = req_str(r, fields[i]);
        if (!v) v = json_string_value(json_object_get(r->body_json, fields[i]));
        if (!v) continue;
        char *nfc = text_nfc(v);
        json_object_set_new(in, i == 5 ? "slug" : fields[i], json_string(nfc ? nfc : ""));
        free(nfc);
    }
    if (!json_object_get(in, "slug") && slug) json_object_set_new(in, "slug", json_string(slug));
    /* The store checks and writes under one write lock; the audit entry joins that transaction. */
    if (db_begin(r->db)) {
        json_decref(in);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    int64_t got = 0;
    char *saved = NULL;
    enum store_status st = store_article_save(r->db, in, id, r->user->id, &got, &saved, &res);
    if (st == STORE_OK && audit(r, id ? "article.update" : "article.create", "article", got, json_pack("{s:O}", "status", json_object_get(in, "status"))))
        st = store_fail(&res, STORE_ERROR, "Không lưu được bài viết; không có gì được ghi.");
    json_decref(in);
    if (st != STORE_OK) {
        free(saved);
        db_rollback(r->db);
        return req_result(r, &res);
    }
    if (db_commit(r->db)) {
        free(saved);
        return req_store_failed(r);
    }
    int rc;
    if (r->want_json) {
        r->status = id ? 200 : 201;
        json_t *a = store_article_get(r->db, saved, &res);
        rc = a ? render(r, json_pack("{s:o}", "article", a), NULL) : req_result(r, &res);
    } else {
        char loc[200];
        snprintf(loc, sizeof loc, "/tin-tuc/%s", saved);
        rc = req_redirect(r, loc);
    }
    free(saved);
    return rc;
}

/* Atom, so readers and other portals can follow the news. Text is escaped for XML like HTML. */
static int feed(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_articles_list(r->db, NULL, true, 30, 0, &res);
    if (!items) return req_result(r, &res);
    struct buf b = { 0 };
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                 "<title>Tin tức Ngày Chuyển đổi số quốc gia</title>\n<id>urn:dxday:tin-tuc</id>\n<link href=\"/tin-tuc\"/>\n");
    json_t *first = json_array_get(items, 0);
    buf_printf(&b, "<updated>%s</updated>\n", first ? json_string_value(json_object_get(first, "updated_at")) : "2022-04-22T00:00:00Z");
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a) {
        const char *t = json_string_value(json_object_get(a, "title")), *sum = json_string_value(json_object_get(a, "summary"));
        const char *slug = json_string_value(json_object_get(a, "slug"));
        buf_puts(&b, "<entry><title>");
        buf_put_html(&b, t, strlen(t));
        buf_printf(&b, "</title><id>urn:dxday:tin-tuc:%lld</id><link href=\"/tin-tuc/", (long long)json_integer_value(json_object_get(a, "id")));
        buf_put_html(&b, slug, strlen(slug));
        buf_printf(&b, "\"/><updated>%s</updated><published>%s</published>", json_string_value(json_object_get(a, "updated_at")),
                   json_string_value(json_object_get(a, "published_at")));
        if (sum) { buf_puts(&b, "<summary>"); buf_put_html(&b, sum, strlen(sum)); buf_puts(&b, "</summary>"); }
        buf_puts(&b, "</entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(items);
    size_t len = b.len;
    return req_send(r, 200, "application/atom+xml; charset=utf-8", buf_take(&b), len);
}

const struct route page_news_routes[] = {
    { "GET", "/tin-tuc", "/api/articles", list, PUBLIC, true, 0 },
    { "GET", "/tin-tuc/atom.xml", NULL, feed, PUBLIC, true, 0 },
    { "GET", "/tin-tuc/viet", NULL, editor, STAFF, false, 0 },
    { "POST", "/tin-tuc", "/api/articles", save, STAFF, false, 512 * 1024 },
    { "GET", "/tin-tuc/{slug}", "/api/articles/{slug}", show, PUBLIC, true, 0 },
    { "GET", "/tin-tuc/{slug}/sua", NULL, editor, STAFF, false, 0 },
    { "POST", "/tin-tuc/{slug}", "/api/articles/{slug}", save, STAFF, false, 512 * 1024 },
    { 0 },
};
