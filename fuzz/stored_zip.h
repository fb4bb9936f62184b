/* A stored (uncompressed) zip with correct CRCs, for the harnesses whose inputs are zips: mutations of the parts
 * then reach our readers instead of dying on the zip's checksum. Must stay free of any dxday code. */
#ifndef DXDAY_FUZZ_STORED_ZIP_H
#define DXDAY_FUZZ_STORED_ZIP_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

#ifndef NPARTS
#define NPARTS 4
#endif

/* A stored (uncompressed) zip of the parts, with correct CRCs, so that mutations of the XML reach the reader
 * instead of dying on the zip's CRC check. */
static unsigned char *stored_zip(const struct part *parts, int n, size_t *out_len)
{
    size_t total = 22;
    for (int i = 0; i < n; i++)
        total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].len;
    unsigned char *z = calloc(1, total);
    if (!z)
        return NULL;
    uint32_t crc[NPARTS], off[NPARTS];
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

#endif
