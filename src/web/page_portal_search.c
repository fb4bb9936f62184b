/* One search box over everything public ("Tìm kiếm"): plans, tasks, FAQ and whatever else is indexed, grouped by
 * kind with the matching words marked — with or without diacritics, NFC or NFD, any case.
 * Must not return drafts, unapproved offers or anything not public. */
#include "http/app.h"
#include "store/search.h"
#include "core/text.h"
#include <stdlib.h>
#include <string.h>

/* How long a kept result may serve when no write came in between (writes from the command line are not counted). */
#define KEPT_MS 60000

static const struct { const char *kind, *label; } kinds[] = {
    { "plan", "Kế hoạch" }, { "task", "Nhiệm vụ" }, { "faq", "Hỏi đáp" }, { "article", "Tin bài" }, { "offer", "Ưu đãi" },
    { "activity", "Hoạt động" }, { "course", "Khóa học" }, { NULL, NULL },
};

static const char *label_of(const char *k)
{
    for (int i = 0; kinds[i].kind; i++) if (!strcmp(kinds[i].kind, k)) return kinds[i].label;
    return k;
}

/* store_search, reused by folded query, kind and limit until the next write: the same few words are searched all day. */
static json_t *search_kept(struct req *r, const char *q, const char *kind, int limit)
{
    char *f = text_fold(q), *key = NULL;
    if (f && asprintf(&key, "search\n%s\n%s\n%d", f, kind ? kind : "", limit) < 0) key = NULL;
    free(f);
    json_t *res = results_get(r, key, KEPT_MS);
    if (res) json_object_set_new(res, "query", json_string(q));   /* as this visitor typed it */
    else if ((res = store_search(r->db, q, kind, limit))) results_put(r, key, res);
    free(key);
    return res;
}

static int search(struct req *r)
{
    const char *q = req_str(r, "q"), *kind = req_str(r, "loai");
    if (kind && *kind && !strcmp(label_of(kind), kind)) return req_fail(r, 400, "Loại kết quả không hợp lệ.");
    if (q && strlen(q) > 1000) return req_fail(r, 413, "Từ khóa quá dài (tối đa 1.000 ký tự).");
    char *nfc = q ? text_nfc(q) : NULL;
    json_t *res = nfc ? search_kept(r, nfc, kind && *kind ? kind : NULL, (int)req_int(r, "limit", 30)) : json_pack("{s:s, s:i, s:[]}", "query", "", "total", 0, "groups");
    free(nfc);
    if (!res) return req_fail(r, 500, "Tìm kiếm tạm thời không thực hiện được.");
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(res, "groups"), i, g) json_object_set_new(g, "label", json_string(label_of(json_string_value(json_object_get(g, "kind")))));
    json_object_set_new(res, "title", json_string(q && *q ? "Kết quả tìm kiếm" : "Tìm kiếm"));
    json_object_set_new(res, "_nav", json_string("search"));
    if (q) json_object_set_new(res, "q", json_string(q));
    return render(r, res, "search/index");
}

const struct route page_search_routes[] = {
    { "GET", "/tim-kiem", "/api/search", search, PUBLIC, true, 0 },
    { 0 },
};
