/* libFuzzer harness for src/import/extract*.c: any bytes must give a status, never a crash, leak, hang or bad text.
 * Must not write files or keep state between inputs; it only calls extract_text() and extract_free(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NPARTS 2
#include "stored_zip.h"
#include "core/text.h"
#include "import/extract.h"

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
