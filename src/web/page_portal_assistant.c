/* The virtual assistant ("Trợ lý ảo") for citizens, agencies and businesses: a page of its own and a box on every
 * page (no JavaScript needed), POST /api/ask for programs, questions it cannot answer sent to the editors, their
 * inbox, and the FAQ their answers become — which the assistant then searches like any other document. The inbox and
 * the FAQ are national: their editors hold a role on the root unit. Must not see SQL: store/faq.h and
 * store/assistant.h hold the questions, the FAQ and the retrieval. */
#include "http/app.h"
#include "store/assistant.h"
#include "store/faq.h"
#include "store/result.h"
#include "store/search_passage.h"
#include "core/text.h"
#include "core/textfrag.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a kept result may serve when no write came in between (writes from the command line are not counted). */
#define KEPT_MS 60000

#define MAX_QUESTION_CHARS 1000
/* Per address and minute; DXDAY_ASK_PER_MINUTE changes it (the test suite asks many questions from one address). */
static int asks_per_minute(void)
{
    const char *v = getenv("DXDAY_ASK_PER_MINUTE");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 30;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The question from ?q=, a form field or {"q": ...}; sends 400/413/429 itself and returns NULL when refused. */
static char *question(struct req *r, bool required)
{
    const char *q = req_str(r, "q");
    if (!q) q = json_string_value(json_object_get(r->body_json, "q"));
    if (!q || strspn(q, " \t\r\n") == strlen(q)) {
        if (required) req_fail(r, 400, "Hãy nhập câu hỏi.");
        return NULL;
    }
    if (utf8_chars(q) > MAX_QUESTION_CHARS) {
        req_fail(r, 413, "Câu hỏi quá dài (tối đa 1.000 ký tự).");
        return NULL;
    }
    int wait = ratelimit_take(r->db, "ask", r->ip, asks_per_minute());
    if (wait) {
        char s[16];
        snprintf(s, sizeof s, "%d", wait);
        req_header(r, "Retry-After", s);
        req_fail(r, 429, "Bạn hỏi nhanh quá; vui lòng thử lại sau ít giây.");
        return NULL;
    }
    return text_nfc(q);
}

/* With DXDAY_LLM_URL set, a confident extract is rewritten by the model from the same sources; otherwise, or when the
 * model fails, the extract stands. "mode" says which. */
static void generate(json_t *a, const char *q)
{
    char *reply = json_is_true(json_object_get(a, "uncertain")) ? NULL : llm_answer(q, json_object_get(a, "sources"));
    if (reply && strlen(reply) <= 4000 && text_valid_utf8(reply, strlen(reply))) {
        char *nfc = text_nfc(reply);
        json_object_set_new(a, "answer", json_string(nfc));
        json_object_set_new(a, "mode", json_string("generative"));
        free(nfc);
    } else {
        json_object_set_new(a, "mode", json_string("extractive"));
    }
    free(reply);
}

/* store_ask, reused by folded question ("Ngày chuyển đổi số là ngày nào?" and "ngay chuyen doi so la ngay nao" share
 * one answer) until the next write. */
static json_t *ask(struct req *r, const char *q)
{
    char *f = text_fold(q), *key = NULL;
    if (f && asprintf(&key, "ask\n%s", f) < 0) key = NULL;
    free(f);
    json_t *a = results_get(r, key, KEPT_MS);
    if (!a && (a = store_ask(r->db, q))) results_put(r, key, a);
    free(key);
    return a;
}

static int ask_api(struct req *r)
{
    char *q = question(r, true);
    if (!q) return r->status;
    json_t *a = ask(r, q);
    if (a) generate(a, q);
    free(q);
    if (!a) return req_fail(r, 400, "Câu hỏi không hợp lệ.");
    json_object_del(a, "uncertain");
    return render(r, a, NULL);
}

/* Each source cited at a plan's passage ("/ke-hoach/ID#p-SEQ") gets the text fragment that finds its sentence there
 * ("text=…"); the page's script adds it to the link where the browser reads text fragments, so the reader lands on
 * the sentence highlighted. Elsewhere the link stays as it is: the passage is highlighted, as before. */
static void add_text_fragments(struct req *r, json_t *sources)
{
    size_t i;
    json_t *src;
    json_array_foreach(sources, i, src) {
        const char *url = json_string_value(json_object_get(src, "url"));
        const char *snippet = json_string_value(json_object_get(src, "snippet"));
        long long id = 0, seq = -1;
        int end = 0;
        if (!url || !snippet || sscanf(url, "/ke-hoach/%lld#p-%lld%n", &id, &seq, &end) != 2 || url[end] || seq < 0)
            continue;
        char *text = store_search_passage_text(r->db, "plan", id, seq);
        char *frag = textfrag_directive(text, snippet);
        if (frag) json_object_set_new(src, "text_fragment", json_string(frag));
        free(frag);
        free(text);
    }
}

static int page(struct req *r)
{
    json_t *ctx = json_pack("{s:s, s:s}", "title", "Trợ lý ảo", "_nav", "assistant");
    if (req_str(r, "q")) {
        char *q = question(r, false);
        if (!q && r->status >= 400) { json_decref(ctx); return r->status; }
        if (q) {
            json_t *a = ask(r, q);
            if (a) {
                generate(a, q);
                add_text_fragments(r, json_object_get(a, "sources"));
                json_object_set_new(a, "confidence_pct", json_integer((json_int_t)lround(json_number_value(json_object_get(a, "confidence")) * 100)));
                json_object_set_new(ctx, "result", a);
            }
            json_object_set_new(ctx, "q", json_string(q));
            json_object_set_new(ctx, "title", json_sprintf("Trợ lý ảo: %s", q));
            free(q);
        }
    }
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return render(r, ctx, "assistant/index");
}

static int send_to_editors(struct req *r)
{
    char *q = question(r, true);
    if (!q) return r->status;
    const char *contact = req_str(r, "contact");
    if (contact && strlen(contact) > 200) { free(q); return req_fail(r, 422, "Thông tin liên hệ tối đa 200 ký tự."); }
    json_t *a = ask(r, q);
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    enum store_status st = store_question_add(r->db, q, contact, a ? json_number_value(json_object_get(a, "confidence")) : 0.0, &id, &res);
    json_decref(a);
    free(q);
    if (st != STORE_OK) {
        if (st != STORE_BUSY) store_fail(&res, st, "Không gửi được câu hỏi, vui lòng thử lại.");
        return req_result(r, &res);
    }
    r->status = 201;
    json_t *ctx = json_pack("{s:s, s:s, s:I, s:b}", "title", "Đã gửi câu hỏi", "_nav", "assistant", "id", (json_int_t)id, "sent", 1);
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return render(r, ctx, "assistant/index");
}

static int faq(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_faq_list(r->db, &res);
    if (!items) return req_result(r, &res);
    return render(r, json_pack("{s:s, s:s, s:o}", "title", "Hỏi đáp", "_nav", "assistant", "items", items), "assistant/faq");
}


static int inbox(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia xem được hộp câu hỏi.");
    const char *status = req_str(r, "status");
    if (!status || (strcmp(status, "open") && strcmp(status, "answered") && strcmp(status, "dismissed"))) status = "open";
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_questions_list(r->db, status, &res);
    if (!items) return req_result(r, &res);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:s}", "title", "Câu hỏi gửi biên tập viên", "_nav", "assistant", "items", items, "status", status);
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return render(r, ctx, "assistant/inbox");
}

/* An editor answers a question; with "faq" set the answer becomes a FAQ entry the assistant searches from then on. */
static int answer(struct req *r)
{
    if (!authz_national_editor(r)) return req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia trả lời được câu hỏi.");
    int64_t id = req_int(r, "id", 0);
    struct store_result res = STORE_RESULT_OK;
    json_t *row = store_question_get(r->db, id, &res);
    if (!row) return req_result(r, &res);
    const char *text = req_str(r, "answer"), *qtext = req_str(r, "question");
    bool dismiss = req_str(r, "dismiss") != NULL;
    bool to_faq = req_str(r, "faq") && strcmp(req_str(r, "faq"), "0") && strcmp(req_str(r, "faq"), "false");
    if (!dismiss && (!text || !*text || strlen(text) > 8000)) {
        json_decref(row);
        return req_fail_ctx(r, 422, "Cần nội dung trả lời (tối đa 8.000 ký tự).", json_pack("{s:s}", "answer", "Cần nội dung trả lời."));
    }
    char *ans = text && *text ? text_nfc(text) : NULL;
    char *q = text_nfc(qtext && *qtext ? qtext : json_string_value(json_object_get(row, "question")));
    json_decref(row);
    if (db_begin(r->db)) {
        free(ans);
        free(q);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    int64_t faq_id = 0;
    struct question_answer in = { id, q, ans, dismiss, to_faq, r->user->id };
    enum store_status st = store_question_answer(r->db, &in, &faq_id, &res);
    free(ans);
    free(q);
    if (st == STORE_OK && audit(r, dismiss ? "question.dismiss" : "question.answer", "asked_question", id, json_pack("{s:I}", "faq_id", (json_int_t)faq_id)))
        st = STORE_ERROR;
    if (st != STORE_OK) {
        db_rollback(r->db);
        /* The store's busy stays a 503; anything else (the record, the index, the audit entry) is a 500. */
        if (st != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được; không có gì được ghi.");
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    if (r->want_json) return render(r, json_pack("{s:I, s:I}", "id", (json_int_t)id, "faq_id", (json_int_t)faq_id), NULL);
    return req_redirect(r, "/quan-tri/cau-hoi");
}

const struct route page_assistant_routes[] = {
    { "GET", "/tro-ly", NULL, page, PUBLIC, true, 0 },
    { "POST", NULL, "/api/ask", ask_api, QUERY, false, 16 * 1024 },
    { "POST", "/tro-ly/gui", "/api/ask/editors", send_to_editors, PUBLIC, false, 16 * 1024 },
    { "GET", "/hoi-dap", "/api/faq", faq, PUBLIC, true, 0 },
    { "GET", "/quan-tri/cau-hoi", "/api/questions", inbox, STAFF, false, 0 },
    { "POST", "/quan-tri/cau-hoi/{id}", "/api/questions/{id}", answer, STAFF, false, 0 },
    { 0 },
};
