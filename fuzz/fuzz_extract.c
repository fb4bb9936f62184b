/* libFuzzer harness for src/import/extract*.c: any bytes must give a status, never a crash, leak, hang or bad text.
 * Must not write files or keep state between inputs; it only calls extract_text() and extract_free(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/text.h"
#include "import/extract.h"

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

struct part {
    const char *name;
    const uint8_t *data;
    size_t len;
};

/* A stored (uncompressed) zip of the parts, with correct CRCs. Inputs that start with '<' are wrapped in one, so
 * that mutations reach the XML walker instead of dying on the zip's CRC check. */
static unsigned char *stored_zip(const struct part *parts, int n, size_t *out_len)
{
    size_t total = 22;
    for (int i = 0; i < n; i++)
        total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].len;
    unsigned char *z = calloc(1, total);
    if (!z)
        return NULL;
    uint32_t crc[2], off[2];
    size_t pos = 0;
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name), len = parts[i].len;
        unsigned char *p = z + pos;
        crc[i] = (uint32_t)crc32(0L, parts[i].data, (uInt)len);
        off[i] = (uint32_t)pos;
        put32(p, 0x04034b50), put16(p + 4, 20), put32(p + 14, crc[i]), put32(p + 18, (uint32_t)len);
        put32(p + 22, (uint32_t)len), put16(p + 26, (unsigned)nl);
        memcpy(p + 30, parts[i].name, nl);
        if (len)
            memcpy(p + 30 + nl, parts[i].data, len);
        pos += 30 + nl + len;
    }
    size_t cd = pos;
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name), len = parts[i].len;
        unsigned char *p = z + pos;
        put32(p, 0x02014b50), put16(p + 4, 20), put16(p + 6, 20), put32(p + 16, crc[i]);
        put32(p + 20, (uint32_t)len), put32(p + 24, (uint32_t)len), put16(p + 28, (unsigned)nl);
        put32(p + 42, off[i]);
        memcpy(p + 46, parts[i].name, nl);
        pos += 46 + nl;
    }
    unsigned char *p = z + pos;
    put32(p, 0x06054b50), put16(p + 8, (unsigned)n), put16(p + 10, (unsigned)n);
    put32(p + 12, (uint32_t)(pos - cd)), put32(p + 16, (uint32_t)cd);
    *out_len = pos + 22;
    return z;
}

static void check(const uint8_t *data, size_t size)
{
    struct extract_result r = extract_text(data, size, "fuzz.txt");
    if (r.status == EXTRACT_OK) {
        /* The contract: NUL-terminated, len matches, valid UTF-8, NFC, not blank. */
        if (!r.text || strlen(r.text) != r.len || r.len == 0 || !text_valid_utf8(r.text, r.len))
            __builtin_trap();
        char *nfc = text_nfc(r.text);
        if (!nfc || strcmp(nfc, r.text) != 0)
            __builtin_trap();
        free(nfc);
    } else if (r.text || !extract_message(r.status)) {
        __builtin_trap();
    }
    extract_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '<') {
        /* "<…document…<w:numbering…" becomes word/document.xml and word/numbering.xml. */
        static const char mark[] = "<w:numbering";
        const uint8_t *cut = memmem(data, size, mark, sizeof mark - 1);
        size_t dl = cut ? (size_t)(cut - data) : size;
        struct part parts[2] = {{"word/document.xml", data, dl}, {"word/numbering.xml", cut, size - dl}};
        size_t zl;
        unsigned char *z = stored_zip(parts, cut ? 2 : 1, &zl);
        if (z) {
            check(z, zl);
            free(z);
        }
        return 0;
    }
    check(data, size);
    return 0;
}
