/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The gzip member format (RFC 1952) around a deflate stream: header with
 * its optional fields, then the CRC32 and size of the decoded data.
 */
#include <hv/lib.h>
#include <hv/abi.h>
#include <hv/decompress.h>

#include "private.h"

#define GZIP_HEADER_SIZE   10
#define GZIP_TRAILER_SIZE  8
#define GZIP_CM_DEFLATE    8

#define GZIP_FHCRC         0x02
#define GZIP_FEXTRA        0x04
#define GZIP_FNAME         0x08
#define GZIP_FCOMMENT      0x10
#define GZIP_FRESERVED     0xe0

static uint32_t gzip_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* Skips a zero-terminated field (file name, comment) at p[*pos]. */
static int gzip_skip_string(const uint8_t *p, size_t len, size_t *pos)
{
    while (*pos < len)
        if (p[(*pos)++] == 0)
            return 0;
    return -XEN_EINVAL;
}

/* The header's length in *hdr_len; its CRC16 is checked when present. */
static int gzip_header(const uint8_t *p, size_t len, size_t *hdr_len)
{
    size_t pos = GZIP_HEADER_SIZE;
    unsigned int flags;

    if (len < GZIP_HEADER_SIZE || p[0] != 0x1f || p[1] != 0x8b ||
        p[2] != GZIP_CM_DEFLATE)
        return -XEN_EINVAL;
    flags = p[3];
    if (flags & GZIP_FRESERVED)
        return -XEN_EINVAL;
    if (flags & GZIP_FEXTRA) {
        size_t xlen;

        if (len - pos < 2)
            return -XEN_EINVAL;
        xlen = p[pos] | ((size_t)p[pos + 1] << 8);
        if (len - pos - 2 < xlen)
            return -XEN_EINVAL;
        pos += 2 + xlen;
    }
    if ((flags & GZIP_FNAME) && gzip_skip_string(p, len, &pos))
        return -XEN_EINVAL;
    if ((flags & GZIP_FCOMMENT) && gzip_skip_string(p, len, &pos))
        return -XEN_EINVAL;
    if (flags & GZIP_FHCRC) {
        if (len - pos < 2 || (crc32_update(0, p, pos) & 0xffff) !=
                             (p[pos] | ((unsigned int)p[pos + 1] << 8)))
            return -XEN_EINVAL;
        pos += 2;
    }
    *hdr_len = pos;
    return 0;
}

int gzip_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
                    size_t *out_len)
{
    const uint8_t *p = in;
    size_t pos, used, n;
    int rc = gzip_header(p, in_len, &pos);

    if (rc)
        return rc;
    rc = inflate_raw(p + pos, in_len - pos, &used, out, out_cap, &n);
    if (rc)
        return rc;
    pos += used;
    if (in_len - pos < GZIP_TRAILER_SIZE ||
        crc32_update(0, out, n) != gzip_le32(p + pos) ||
        (uint32_t)n != gzip_le32(p + pos + 4))
        return -XEN_EINVAL;
    *out_len = n;
    return 0;
}
