/* The assistant's optional generative mode: when DXDAY_LLM_URL names an OpenAI-compatible chat endpoint, the question
 * and the passages found are sent to it and its reply replaces the extracted sentence, with the same sources cited.
 * Off by default; any failure (down, slow, malformed) falls back to the extractive answer.
 * Must not send anything but the question and the passages already public. */
#include "http/app.h"
#include "core/buf.h"
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define LLM_TIMEOUT_S 15L
#define LLM_MAX_REPLY (256u * 1024)

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    if (b->len + size * n > LLM_MAX_REPLY) return 0;   /* a runaway reply aborts the transfer */
    buf_put(b, p, size * n);
    return size * n;
}

char *llm_answer(const char *question, json_t *sources)
{
    const char *url = getenv("DXDAY_LLM_URL");
    if (!url || !*url || !json_array_size(sources)) return NULL;
    struct buf ctx = { 0 };
    buf_printf(&ctx, "Câu hỏi: %s\n\nCác đoạn trích:\n", question);
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s)
        buf_printf(&ctx, "[%zu] %s: %s\n", i + 1, json_string_value(json_object_get(s, "title")), json_string_value(json_object_get(s, "snippet")));
    char *user = buf_take(&ctx);
    const char *model = getenv("DXDAY_LLM_MODEL");
    json_t *req = json_pack("{s:s, s:f, s:[{s:s, s:s}, {s:s, s:s}]}", "model", model && *model ? model : "default", "temperature", 0.0, "messages",
                            "role", "system", "content",
                            "Bạn là trợ lý ảo của Ngày Chuyển đổi số quốc gia. Chỉ trả lời bằng tiếng Việt, ngắn gọn, dựa duy nhất vào "
                            "các đoạn trích được cung cấp, và ghi số đoạn trích đã dùng như [1]. Nếu các đoạn trích không đủ để trả lời, "
                            "hãy nói rõ là chưa đủ thông tin.",
                            "role", "user", "content", user);
    free(user);
    char *body = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    CURL *c = curl_easy_init();
    struct buf reply = { 0 };
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    const char *key = getenv("DXDAY_LLM_KEY");
    char auth[600];
    if (key && *key) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
        h = curl_slist_append(h, auth);
    }
    long status = 0;
    if (c) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, LLM_TIMEOUT_S);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
    }
    curl_slist_free_all(h);
    free(body);
    char *text = buf_take(&reply), *out = NULL;
    json_t *j = status == 200 ? json_loads(text, 0, NULL) : NULL;
    const char *content = json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(j, "choices"), 0), "message"), "content"));
    if (content && *content) out = strdup(content);
    json_decref(j);
    free(text);
    return out;
}
