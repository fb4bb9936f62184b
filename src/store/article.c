/* News and special sections: articles written in markdown by editors, rendered once when saved (raw HTML disabled),
 * published with a date, and indexed for search and the assistant while published. Must not know about HTTP. */
#include "store/article.h"
#include "store/search.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const article_sections[] = { "tin-tuc", "chuyen-de", "thong-diep", "huong-dan", NULL };
const char *const article_section_labels[] = { "Tin tức", "Chuyên đề chuyển đổi số", "Thông điệp", "Hướng dẫn", NULL };

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static article_render_fn renderer;
void store_article_set_renderer(article_render_fn fn) { renderer = fn; }

const char *article_section_label(const char *s)
{
    for (int i = 0; s && article_sections[i]; i++) if (!strcmp(article_sections[i], s)) return article_section_labels[i];
    return NULL;
}

json_t *store_articles_list(db *d, const char *section, bool published_only, int limit, int offset, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT id, slug, section, title, summary, status, published_at, updated_at FROM article "
                               "WHERE (CAST(? AS TEXT) IS NULL OR section = ?) AND (? = 0 OR status = 'published') "
                               "ORDER BY COALESCE(published_at, updated_at) DESC, id DESC LIMIT ? OFFSET ?");
    db_bind_text(s, 1, section);
    db_bind_text(s, 2, section);
    db_bind_int(s, 3, published_only);
    db_bind_int(s, 4, limit);
    db_bind_int(s, 5, offset);
    json_t *items = db_rows(s);
    if (db_failed(d)) {
        json_decref(items);
        store_fail_db(res, d);
        return NULL;
    }
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a) {
        const char *l = article_section_label(str(a, "section"));
        if (l) json_object_set_new(a, "section_label", json_string(l));
    }
    return items;
}

json_t *store_article_get(db *d, const char *slug, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT a.*, u.name AS author FROM article a LEFT JOIN app_user u ON u.id = a.author_id WHERE a.slug = ?");
    db_bind_text(s, 1, slug);
    json_t *a = db_row(s);
    if (!a) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, "Không tìm thấy bài viết.");
        return NULL;
    }
    if (a && article_section_label(str(a, "section")))
        json_object_set_new(a, "section_label", json_string(article_section_label(str(a, "section"))));
    return a;
}

/* "Ngày Chuyển đổi số 2026!" → "ngay-chuyen-doi-so-2026". */
static char *slug_of(const char *title)
{
    char *f = text_fold(title);
    if (!f) return NULL;
    for (char *p = f; *p; p++) if (*p == ' ') *p = '-';
    if (strlen(f) > 80) f[80] = 0;
    return f;
}

/* Inside the save's transaction: STORE_INVALID with a message per field, STORE_ERROR when the slug could not be looked up. */
static enum store_status check(db *d, json_t *in, int64_t id, struct store_result *res)
{
    json_t *err = json_object();
    const char *title = str(in, "title"), *body = str(in, "body_md"), *section = str(in, "section"), *status = str(in, "status");
    const char *slug = str(in, "slug"), *summary = str(in, "summary");
    if (!title || !*title || strlen(title) > 300) json_object_set_new(err, "title", json_string("Cần tiêu đề (tối đa 300 ký tự)."));
    if (!body || !*body || strlen(body) > 200000) json_object_set_new(err, "body_md", json_string("Cần nội dung (tối đa 200.000 ký tự)."));
    if (summary && strlen(summary) > 1000) json_object_set_new(err, "summary", json_string("Tóm tắt tối đa 1.000 ký tự."));
    if (section && !article_section_label(section)) json_object_set_new(err, "section", json_string("Chuyên mục không hợp lệ."));
    if (status && strcmp(status, "draft") && strcmp(status, "published")) json_object_set_new(err, "status", json_string("Trạng thái phải là draft hoặc published."));
    if (slug && *slug) {
        for (const char *p = slug; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
                json_object_set_new(err, "slug", json_string("Đường dẫn chỉ gồm chữ thường không dấu, số và '-'."));
                break;
            }
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM article WHERE slug = ? AND id != ?");
        db_bind_text(s, 1, slug);
        db_bind_int(s, 2, id);
        if (db_scalar_int(s, 0)) json_object_set_new(err, "slug", json_string("Đường dẫn đã được dùng cho bài khác."));
        if (db_failed(d)) { json_decref(err); return store_fail_db(res, d); }
    }
    if (!json_object_size(err)) { json_decref(err); return STORE_OK; }
    const char *k;
    json_t *v;
    json_object_foreach(err, k, v) store_field(res, k, json_string_value(v));
    json_decref(err);
    return store_fail(res, STORE_INVALID, "Bài viết chưa hợp lệ; chưa có gì được lưu.");
}

/* The write itself, inside the caller's transaction. */
static enum store_status save_in_tx(db *d, json_t *in, int64_t id, int64_t author, int64_t *saved_id, char **saved_slug,
                                    struct store_result *res)
{
    enum store_status st = check(d, in, id, res);
    if (st != STORE_OK) return st;
    if (!renderer) {
        store_fail(res, STORE_ERROR, NULL);
        if (res) snprintf(res->detail, sizeof res->detail, "article: no markdown renderer (store_article_set_renderer)");
        return STORE_ERROR;
    }
    char now[21];
    date_utc_iso(time(NULL), now);
    const char *body = str(in, "body_md"), *status = str(in, "status") ? str(in, "status") : "draft";
    char *slug = str(in, "slug") && *str(in, "slug") ? strdup(str(in, "slug")) : slug_of(str(in, "title"));
    if (!slug) return store_fail(res, STORE_ERROR, NULL);
    if (!id) {
        /* A title already used gets a number: two "Lễ phát động" in two years stay two articles. */
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM article WHERE slug = ? OR slug LIKE ? || '-%'");
        db_bind_text(s, 1, slug);
        db_bind_text(s, 2, slug);
        int64_t n = db_scalar_int(s, 0);
        if (db_failed(d)) { free(slug); return store_fail_db(res, d); }
        if (n) {
            char *numbered = NULL;
            if (asprintf(&numbered, "%s-%lld", slug, (long long)n + 1) >= 0) { free(slug); slug = numbered; }
        }
    }
    char *html = renderer(body, strlen(body));
    if (!html) {
        free(slug);
        store_fail(res, STORE_ERROR, NULL);
        if (res) snprintf(res->detail, sizeof res->detail, "article: the markdown could not be rendered");
        return STORE_ERROR;
    }
    db_stmt *s;
    if (id) s = db_prepare(d, "UPDATE article SET slug = ?, section = ?, title = ?, summary = ?, body_md = ?, body_html = ?, status = ?, "
                              "published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END, "
                              "updated_at = ? WHERE id = ? RETURNING id");
    else s = db_prepare(d, "INSERT INTO article (slug, section, title, summary, body_md, body_html, status, published_at, created_at, "
                           "updated_at, author_id) VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'published' THEN ? END, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, slug);
    db_bind_text(s, 2, str(in, "section") ? str(in, "section") : "tin-tuc");
    db_bind_text(s, 3, str(in, "title"));
    db_bind_text(s, 4, str(in, "summary") && *str(in, "summary") ? str(in, "summary") : NULL);
    db_bind_text(s, 5, body);
    db_bind_text(s, 6, html);
    db_bind_text(s, 7, status);
    db_bind_text(s, 8, status);
    db_bind_text(s, 9, now);
    db_bind_text(s, 10, now);
    if (id) db_bind_int(s, 11, id);
    else { db_bind_text(s, 11, now); if (author) db_bind_int(s, 12, author); else db_bind_null(s, 12); }
    int64_t got = db_scalar_int(s, 0);
    free(html);
    if (!got) {
        free(slug);
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy bài viết.");
    }
    char url[160];
    snprintf(url, sizeof url, "/tin-tuc/%s", slug);
    char *text = NULL;
    if (asprintf(&text, "%s\n\n%s", str(in, "summary") ? str(in, "summary") : "", body) < 0) text = NULL;
    int rc = !strcmp(status, "published") ? store_search_put(d, "article", got, str(in, "title"), text ? text : body, url, now)
                                          : store_search_delete(d, "article", got);
    free(text);
    if (rc) {
        free(slug);
        return store_fail_db(res, d);
    }
    if (saved_id) *saved_id = got;
    if (saved_slug) *saved_slug = slug;
    else free(slug);
    return STORE_OK;
}

enum store_status store_article_save(db *d, json_t *in, int64_t id, int64_t author, int64_t *saved_id, char **saved_slug,
                                     struct store_result *res)
{
    /* Begin before the checks: the slug's uniqueness and its number are read under the write lock they are written in. */
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    enum store_status st = save_in_tx(d, in, id, author, saved_id, saved_slug, res);
    if (st != STORE_OK) {
        db_rollback(d);
        return st;
    }
    if (db_commit(d)) {
        if (saved_slug) { free(*saved_slug); *saved_slug = NULL; }
        return store_fail_db(res, d);
    }
    return STORE_OK;
}
