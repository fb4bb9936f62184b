/* Section headings of a document's text: numbered lines, articles and titles in capitals, not the document's
 * furniture (national motto, number, place and date, addressee, issuer, signature). Must not read or write anything
 * but the text it is given. */
#include "core/heading.h"
#include "core/signer.h"
#include "core/text.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

enum line_kind {
    L_OTHER,      /* prose, a blank line, a list item */
    L_NUMBERED,   /* "II. NHIỆM VỤ", "1. Mục đích", "a) …", "Điều 1. …": a heading wherever it stands */
    L_CAPITALS,   /* "KẾ HOẠCH", "MỤC ĐÍCH, YÊU CẦU": a heading unless it is in the issuer's or the signer's block */
    L_TITLE,      /* capitals naming a document or an annex ("KẾ HOẠCH", "PHỤ LỤC"): a heading, and the blocks end */
    L_HEADER,     /* the motto, "Số: …", "Hà Nội, ngày …": the issuer's block reaches down to it */
    L_SIGNATURE,  /* "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN": the signer's block starts */
    L_FURNITURE,  /* "Kính gửi: …", "V/v …", "CHỦ TỊCH": never a heading */
    L_PROSE,      /* a long line of ordinary text: the signer's block is over */
};

/* folded starts with word w (a whole word or words). */
static bool starts(const char *folded, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(folded, w, n) && (folded[n] == ' ' || !folded[n]);
}

/* folded holds word w, whole. */
static bool has_word(const char *folded, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = folded; (p = strstr(p, w)); p++)
        if ((p == folded || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return true;
    return false;
}

/* Roman or Arabic numbering ("II.", "1.", "1.2.", "3)") or a letter ("a)", "đ)") opening the line, then a space. */
static bool numbered(const char *l, size_t len)
{
    size_t i = 0;
    if (i < len && strchr("IVXL", l[i])) {
        while (i < len && strchr("IVXL", l[i])) i++;
    } else if (i < len && l[i] >= '0' && l[i] <= '9') {
        while (i < len && ((l[i] >= '0' && l[i] <= '9') || (l[i] == '.' && i + 1 < len && l[i + 1] >= '0' && l[i + 1] <= '9')))
            i++;
    } else if (i < len && l[i] >= 'a' && l[i] <= 'z') {
        return len >= 2 && l[1] == ')';
    } else if (len >= 3 && !memcmp(l, "đ", 2)) {
        return l[2] == ')';
    }
    return i && i + 1 < len && (l[i] == '.' || l[i] == ')') && l[i + 1] == ' ';
}

/* "Điều 1", "Chương II", "Mục 3", "Phần I": the parts of a legal text, whatever follows on the line. */
static bool article(const char *l, size_t len, const char *folded)
{
    if (!starts(folded, "dieu") && !starts(folded, "chuong") && !starts(folded, "muc") && !starts(folded, "phan"))
        return false;
    size_t i = 0;
    while (i < len && l[i] != ' ') i++;
    while (i < len && l[i] == ' ') i++;
    size_t k = i;
    if (i < len && l[i] >= '0' && l[i] <= '9') while (k < len && l[k] >= '0' && l[k] <= '9') k++;
    else while (k < len && strchr("IVXL", l[k])) k++;
    return k > i && (k == len || strchr(" .:", l[k]));
}

/* Letters in upper and lower case, Vietnamese ones included. */
static void letter_cases(const char *l, size_t len, int *upper, int *lower)
{
    *upper = *lower = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)l + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { i++; continue; }
        *upper += utf8proc_isupper(cp) != 0;
        *lower += utf8proc_islower(cp) != 0;
        i += (size_t)n;
    }
}

static enum line_kind classify(const char *l, size_t len)
{
    if (len < 2 || len > 160) return len > 160 ? L_PROSE : L_OTHER;
    char *line = strndup(l, len), *f = line ? text_fold(line) : NULL;
    free(line);
    if (!f) return L_OTHER;
    enum line_kind k = L_OTHER;
    int upper, lower;
    letter_cases(l, len, &upper, &lower);
    bool sentence_end = strchr(".;:,", l[len - 1]) != NULL;
    /* Markdown, as editors write articles: "## Cách đăng ký", or a line in bold alone ("**Cách 2 - Gọi điện**"). */
    size_t hashes = strspn(l, "#");
    if ((hashes && hashes <= 6 && hashes < len && l[hashes] == ' ') ||
        (len > 4 && !strncmp(l, "**", 2) && !strncmp(l + len - 2, "**", 2) && !memmem(l + 2, len - 4, "**", 2))) {
        free(f);
        return L_NUMBERED;
    }
    if (starts(f, "cong hoa xa hoi chu nghia") || starts(f, "doc lap tu do hanh phuc") ||
        (starts(f, "so") && (memchr(l, '/', len) || (f[2] == ' ' && f[3] >= '0' && f[3] <= '9'))) ||
        (has_word(f, "ngay") && has_word(f, "thang") && has_word(f, "nam") && len <= 100))
        k = L_HEADER;
    else if (starts(f, "noi nhan") || !strncmp(l, "TM. ", 4) || !strncmp(l, "KT. ", 4) || !strncmp(l, "TL. ", 4) ||
             !strncmp(l, "TUQ. ", 5) || !strncmp(l, "Q. ", 3) || !strncmp(l, "TTL. ", 5) || !strncmp(l, "PP. ", 4))
        k = L_SIGNATURE;
    else if (starts(f, "kinh gui") || !strncasecmp(l, "V/v", 3))
        k = L_FURNITURE;
    else if (article(l, len, f))
        k = L_NUMBERED;
    else if (numbered(l, len))
        k = sentence_end ? L_OTHER : L_NUMBERED;
    else if (!lower && upper >= 3 && !sentence_end) {
        /* A signer's office on its own line ("PHÓ CHỦ TỊCH", "GIÁM ĐỐC") closes the document, it opens no section. */
        static const char *const titles[] = { "ke hoach", "quyet dinh", "thong bao", "chi thi", "huong dan", "cong van",
                                              "bao cao", "to trinh", "nghi quyet", "chuong trinh", "phuong an", "de an",
                                              "phu luc", "danh muc", "bieu mau", "quy che", "quy dinh", NULL };
        const char *o = !strncmp(f, "pho ", 4) ? f + 4 : f;
        for (int i = 0; doc_offices[i] && k == L_OTHER; i++)
            if (!strcmp(o, doc_offices[i])) k = L_FURNITURE;
        for (int i = 0; titles[i] && k == L_OTHER; i++)
            if (starts(f, titles[i])) k = L_TITLE;
        if (k == L_OTHER) k = L_CAPITALS;
    } else if (lower && len >= 80)
        k = L_PROSE;
    free(f);
    return k;
}

/* How many lines from the top the issuer's block may take: a header is a dozen lines at most. */
#define HEADER_LINES 20

struct heading *headings_find(const char *text, size_t *n)
{
    struct heading *v = NULL;
    size_t cap = 0;
    *n = 0;
    /* The issuer's block: the lines down to the last header line near the top ("Số: …", the date). */
    size_t header_end = 0;
    int line_no = 0;
    for (const char *l = text; l && line_no < HEADER_LINES; line_no++) {
        size_t len = strcspn(l, "\n"), t = len;
        while (t && (l[t - 1] == ' ' || l[t - 1] == '\r')) t--;
        if (classify(l, t) == L_HEADER) header_end = (size_t)(l - text) + len;
        l = l[len] ? l + len + 1 : NULL;
    }
    bool signing = false;
    for (const char *l = text; l;) {
        size_t len = strcspn(l, "\n"), t = len;
        while (t && (l[t - 1] == ' ' || l[t - 1] == '\r')) t--;
        size_t at = (size_t)(l - text);
        enum line_kind k = classify(l, t);
        if (k == L_SIGNATURE) signing = true;
        if (k == L_NUMBERED || k == L_TITLE || k == L_PROSE) signing = false;
        bool heading = k == L_NUMBERED || k == L_TITLE || (k == L_CAPITALS && !signing && at >= header_end);
        if (heading) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                v = realloc(v, cap * sizeof *v);
                if (!v) abort();
            }
            /* A Markdown heading's marks are not its words. */
            size_t a = 0;
            while (a < t && (l[a] == '#' || l[a] == '*' || l[a] == ' ')) a++;
            while (t > a && l[t - 1] == '*') t--;
            v[(*n)++] = (struct heading){ at + a, t - a };
        }
        l = l[len] ? l + len + 1 : NULL;
    }
    return v;
}

const struct heading *heading_in_force(const struct heading *h, size_t n, size_t at)
{
    const struct heading *best = NULL;
    for (size_t i = 0; i < n && h[i].at < at; i++) best = &h[i];
    return best;
}
