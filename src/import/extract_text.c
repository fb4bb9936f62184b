/* Decodes an uploaded text file (TXT, MD) to UTF-8: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1258.
 * Must not guess wildly: binary data is refused, and 8-bit text that does not read as Vietnamese is refused. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "import/extract.h"

#include "import/extract_internal.h"

static void put_cp(struct buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_put(b, s, n);
}

/* UTF-16 after its BOM. Unpaired surrogates and an odd byte count mean the file is not what its BOM says. */
static enum extract_status utf16_to_utf8(const unsigned char *d, size_t len, bool big_endian, struct buf *b)
{
    if (len % 2)
        return EXTRACT_BAD_ENCODING;
    for (size_t i = 0; i < len; i += 2) {
        uint32_t u = big_endian ? (uint32_t)(d[i] << 8 | d[i + 1]) : (uint32_t)(d[i + 1] << 8 | d[i]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= len)
                return EXTRACT_BAD_ENCODING;
            uint32_t lo = big_endian ? (uint32_t)(d[i + 2] << 8 | d[i + 3]) : (uint32_t)(d[i + 3] << 8 | d[i + 2]);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return EXTRACT_BAD_ENCODING;
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            return EXTRACT_BAD_ENCODING;
        }
        put_cp(b, u);
    }
    return EXTRACT_OK;
}

/* Text has almost no C0 controls besides tab and line ends; executables, images and archives are full of them
 * (about one byte in eight). A NUL never belongs in text. A couple of strays (a trailing Ctrl-Z from DOS, an ESC)
 * are tolerated so that a short, otherwise good file is not refused; clean_controls() drops them later. */
static bool looks_binary(const unsigned char *d, size_t len)
{
    size_t controls = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = d[i];
        if (c == 0)
            return true;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
            controls++;
    }
    return controls > 2 && controls * 50 > len;
}

/* Windows-1258 bytes 0x80..0xFF. 0 marks the bytes the code page leaves undefined. */
static const uint16_t cp1258[128] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0,      0x2039, 0x0152, 0,
    0,      0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0,      0x203A,
    0x0153, 0,      0,      0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9,
    0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5,
    0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, 0x0110, 0x00D1, 0x0309, 0x00D3,
    0x00D4, 0x01A0, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, 0x00E0, 0x00E1,
    0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
    0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0,
    0x20AB, 0x00FF,
};

/* Vowels, as Windows-1258 writes them before a combining tone mark. */
static bool cp1258_vowel(unsigned char c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
    case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
    case 0xC2: case 0xC3: case 0xCA: case 0xD4: case 0xD5: case 0xDD: /* Â Ă Ê Ô Ơ Ư */
    case 0xE2: case 0xE3: case 0xEA: case 0xF4: case 0xF5: case 0xFD: /* â ă ê ô ơ ư */
        return true;
    }
    return false;
}

/* Bytes that Vietnamese text in Windows-1258 uses: letters, tone marks, the đồng sign, quotes, dashes and a few
 * common symbols. Anything else is a sign the file is in another 8-bit code (TCVN3, VNI, Latin-1, Cyrillic …)
 * whose bytes would come out as the wrong letters. */
static bool cp1258_plausible(unsigned char c)
{
    switch (c) {
    case 0x80: case 0x85: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: case 0x99:
    case 0xA0: case 0xA7: case 0xA9: case 0xAB: case 0xB0: case 0xB1: case 0xB7: case 0xBB:
    case 0xC0: case 0xC1: case 0xC2: case 0xC3: case 0xC8: case 0xC9: case 0xCA: case 0xCD: case 0xD0:
    case 0xD3: case 0xD4: case 0xD5: case 0xD9: case 0xDA: case 0xDD:
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE8: case 0xE9: case 0xEA: case 0xED: case 0xF0:
    case 0xF3: case 0xF4: case 0xF5: case 0xF9: case 0xFA: case 0xFD: case 0xFE:
        return true;
    }
    return false;
}

static bool cp1258_tone(unsigned char c)
{
    return c == 0xCC || c == 0xD2 || c == 0xDE || c == 0xEC || c == 0xF2;
}

/* Windows-1258 is what Vietnamese Windows wrote before UTF-8. Almost any byte string decodes in it, so it is
 * taken only when every non-ASCII byte is one Vietnamese uses and every tone mark follows a vowel. */
static enum extract_status cp1258_to_utf8(const unsigned char *d, size_t len, struct buf *b)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = d[i];
        if (c < 0x80)
            continue;
        if (cp1258_tone(c)) {
            if (i == 0 || !cp1258_vowel(d[i - 1]))
                return EXTRACT_BAD_ENCODING;
        } else if (!cp1258_plausible(c)) {
            return EXTRACT_BAD_ENCODING;
        }
    }
    for (size_t i = 0; i < len; i++)
        put_cp(b, d[i] < 0x80 ? d[i] : cp1258[d[i] - 0x80]);
    return EXTRACT_OK;
}

enum extract_status extract_plain(const unsigned char *data, size_t len, char **out, size_t *out_len)
{
    struct buf b = {0};
    enum extract_status st;
    if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        st = utf16_to_utf8(data + 2, len - 2, data[0] == 0xFE, &b);
        /* Decoded UTF-16 is held to the same rules as UTF-8: a U+0000 or a flood of controls is not text. */
        if (st == EXTRACT_OK && looks_binary((const unsigned char *)b.p, b.len))
            st = EXTRACT_UNSUPPORTED;
    } else {
        bool bom = len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF;
        if (bom) {
            data += 3;
            len -= 3;
        }
        if (looks_binary(data, len)) {
            st = EXTRACT_UNSUPPORTED;
        } else if (text_valid_utf8((const char *)data, len)) {
            buf_put(&b, (const char *)data, len);
            st = EXTRACT_OK;
        } else {
            /* A UTF-8 BOM on bytes that are not UTF-8 is a broken file, not a Windows-1258 one. */
            st = bom ? EXTRACT_BAD_ENCODING : cp1258_to_utf8(data, len, &b);
        }
    }
    if (st != EXTRACT_OK) {
        buf_free(&b);
        return st;
    }
    *out_len = b.len;
    *out = buf_take(&b);
    return EXTRACT_OK;
}
