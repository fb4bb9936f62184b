/* Reads one zip entry of an uploaded DOCX or XLSX within an inflation budget shared by all entries. Must not trust the
 * sizes the archive declares: the bytes actually inflated are what count. */
#include <zip.h>

#include "core/buf.h"
#include "import/extract_internal.h"

size_t extract_zip_budget(size_t len, size_t max)
{
    size_t b = len > max / EXTRACT_ZIP_RATIO ? max : len * EXTRACT_ZIP_RATIO;
    if (b < EXTRACT_ZIP_FLOOR)
        b = EXTRACT_ZIP_FLOOR;
    return b < max ? b : max;
}

/* Appends one entry to *dst. The declared size is checked first (cheap refusal of an honest bomb), then the
 * bytes actually inflated are counted, because the declared size is just a number the attacker wrote. */
enum extract_status extract_zip_entry(zip_t *za, zip_int64_t idx, size_t *budget, struct buf *dst)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0)
        return EXTRACT_CORRUPT;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > *budget)
        return EXTRACT_BOMB;
    zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf)
        return EXTRACT_CORRUPT; /* encrypted entry or unknown compression method */
    enum extract_status rc = EXTRACT_OK;
    size_t total = 0;
    char tmp[1 << 16];
    for (;;) {
        /* Asking for one byte past the budget is how "more than allowed" is told from "exactly allowed". */
        size_t want = *budget - total + 1;
        if (want > sizeof tmp)
            want = sizeof tmp;
        zip_int64_t n = zip_fread(zf, tmp, want);
        if (n < 0) {
            rc = EXTRACT_CORRUPT; /* CRC mismatch, truncated or invalid deflate data */
            break;
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > *budget) {
            rc = EXTRACT_BOMB;
            break;
        }
        buf_put(dst, tmp, (size_t)n);
    }
    zip_fclose(zf);
    if (rc == EXTRACT_OK)
        *budget -= total;
    return rc;
}
