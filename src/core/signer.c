/* The signature block of a document, read from its last lines: office lines in capitals, then the signer's name.
 * Must not read anything but the text given, nor accept a name without an office line above it. */
#include "core/signer.h"
#include "core/buf.h"
#include "core/text.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const char *const doc_offices[] = { "chu tich", "giam doc", "bo truong", "thu truong", "truong ban", "bi thu", "cuc truong",
                                    "vu truong", "vien truong", "hieu truong", "tong giam doc", "chanh van phong",
                                    "tong cuc truong", "truong phong", "tong bien tap", NULL };

/* No lower-case letter: a line of capitals (digits and punctuation allowed). */
static bool capitals(const char *l, size_t len)
{
    bool letter = false;
    for (utf8proc_ssize_t i = 0; i < (utf8proc_ssize_t)len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)l + i, (utf8proc_ssize_t)len - i, &c);
        if (k <= 0) return false;
        if (utf8proc_islower(c)) return false;
        if (utf8proc_isupper(c)) letter = true;
        i += k;
    }
    return letter;
}

static bool office_line(const char *l, size_t len)
{
    if (!capitals(l, len)) return false;
    static const char *const signs_for[] = { "KT.", "TM.", "TL.", "Q.", "TUQ.", "TTL.", "PP.", NULL };
    for (int i = 0; signs_for[i]; i++)
        if (len >= strlen(signs_for[i]) && !strncmp(l, signs_for[i], strlen(signs_for[i]))) return true;
    char *line = strndup(l, len), *f = line ? text_fold(line) : NULL;
    bool found = false;
    for (int i = 0; f && doc_offices[i] && !found; i++) found = strstr(f, doc_offices[i]) != NULL;
    free(f);
    free(line);
    return found;
}

/* A person's name: 2 to 6 words, each opening with a capital followed by lower case, no digits nor punctuation. */
static bool name_line(const char *l, size_t len)
{
    if (len < 5 || len > 80) return false;
    int words = 0;
    bool start = true;
    for (utf8proc_ssize_t i = 0; i < (utf8proc_ssize_t)len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)l + i, (utf8proc_ssize_t)len - i, &c);
        if (k <= 0) return false;
        if (c == ' ') start = true;
        else if (start) {
            if (!utf8proc_isupper(c)) return false;
            words++;
            start = false;
        } else if (!utf8proc_islower(c) && utf8proc_category(c) != UTF8PROC_CATEGORY_MN) return false;
        i += k;
    }
    return words >= 2 && words <= 6;
}

/* "BỘ TRƯỞNG" → "Bộ trưởng": the office as a sentence writes it; a prefix "KT. " "TM. " "TL. " "Q. " stays as it is. */
static void sentence_case(struct buf *b, const char *l, size_t len)
{
    const char *dot = memchr(l, '.', len < 4 ? len : 4);
    size_t keep = dot ? (size_t)(dot - l) + 1 : 0;
    while (keep < len && l[keep] == ' ') keep++;
    buf_put(b, l, keep);
    bool first = true;
    for (utf8proc_ssize_t i = (utf8proc_ssize_t)keep; i < (utf8proc_ssize_t)len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)l + i, (utf8proc_ssize_t)len - i, &c);
        if (k <= 0) break;
        if (!first) c = utf8proc_tolower(c);
        if (utf8proc_isupper(c) || utf8proc_islower(c)) first = false;
        utf8proc_uint8_t enc[4];
        buf_put(b, (const char *)enc, (size_t)utf8proc_encode_char(c, enc));
        i += k;
    }
}

bool doc_signer(const char *text, char *out, size_t n)
{
    if (n) out[0] = 0;
    if (!text || !n) return false;
    /* The last lines, up to 12 non-empty ones, read from the end. */
    const char *start[12];
    size_t len[12];
    int nl = 0;
    const char *end = text + strlen(text);
    while (end > text && nl < 12) {
        const char *e = end;
        while (e > text && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ')) e--;
        const char *line = e;
        while (line > text && line[-1] != '\n') line--;
        const char *s = line;
        while (s < e && (*s == ' ' || *s == '*' || *s == '#')) s++;
        size_t l = (size_t)(e - s);
        while (l && (s[l - 1] == '*' || s[l - 1] == ' ')) l--;
        if (l) { start[nl] = s; len[nl] = l; nl++; }
        if (line == text) break;
        end = line;
    }
    /* The name, then directly above it the office lines. */
    for (int i = 0; i + 1 < nl && i < 4; i++) {
        if (!name_line(start[i], len[i]) || !office_line(start[i + 1], len[i + 1])) continue;
        int top = i + 1;
        while (top + 1 < nl && top < i + 3 && office_line(start[top + 1], len[top + 1])) top++;
        struct buf b = {0};
        buf_put(&b, start[i], len[i]);
        buf_puts(&b, " (");
        for (int k = top; k > i; k--) {
            sentence_case(&b, start[k], len[k]);
            if (k > i + 1) buf_puts(&b, ", ");
        }
        buf_puts(&b, ")");
        bool ok = b.p && b.len < n;
        if (ok) memcpy(out, b.p, b.len + 1);
        buf_free(&b);
        return ok;
    }
    return false;
}
