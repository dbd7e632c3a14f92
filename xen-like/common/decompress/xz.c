/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The .xz container: stream header, blocks (header, LZMA2 data with an
 * optional x86 BCJ filter, padding, check), index and stream footer.
 * Single call: the whole input and the whole output are in memory.
 */
#include <hv/lib.h>
#include <hv/abi.h>
#include <hv/decompress.h>

#include "private.h"

#define XZ_HEADER_SIZE   12
#define XZ_FOOTER_SIZE   12
#define XZ_VLI_MAX       (~0ull >> 1)     /* values fit in 63 bits */
#define XZ_VLI_BYTES     9

#define XZ_CHECK_NONE    0
#define XZ_CHECK_CRC32   1
#define XZ_CHECK_CRC64   4

#define XZ_FILTER_X86    0x04
#define XZ_FILTER_LZMA2  0x21

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t xz_footer_magic[2] = { 'Y', 'Z' };

/* What the stream's blocks added up to, compared with its index. */
struct xz_stream {
    const uint8_t *in;
    size_t in_len;
    size_t ip;
    uint8_t *out;
    size_t out_cap;
    size_t op;
    unsigned int check;
    uint64_t nr_blocks;
    uint32_t records_crc;          /* over (unpadded, uncompressed) pairs */
};

struct xz_block {
    size_t hdr_size;
    uint64_t comp_size;            /* XZ_VLI_MAX + 1 when not given */
    uint64_t unc_size;
    bool bcj;
    uint32_t bcj_start;
    uint32_t dict_size;
};

#define XZ_SIZE_UNKNOWN  (XZ_VLI_MAX + 1)

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* Bytes of the check field for each check ID (spec: 0, 4, 8, 16, 32, 64). */
static size_t xz_check_size(unsigned int check)
{
    static const uint8_t sizes[16] = {
        0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64
    };

    return sizes[check & 15];
}

/*
 * A variable-length integer at p[*pos] (before end): 7 bits per byte, low
 * first; at most nine bytes, no redundant zero byte at the end.
 */
static int xz_vli(const uint8_t *p, size_t *pos, size_t end, uint64_t *val)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < XZ_VLI_BYTES; i++) {
        unsigned int b;

        if (*pos >= end)
            return -XEN_EINVAL;
        b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return -XEN_EINVAL;
            *val = v;
            return 0;
        }
    }
    return -XEN_EINVAL;
}

static int xz_stream_header(struct xz_stream *x)
{
    const uint8_t *h = x->in;

    if (x->in_len < XZ_HEADER_SIZE + XZ_FOOTER_SIZE ||
        memcmp(h, xz_magic, sizeof(xz_magic)))
        return -XEN_EINVAL;
    if (crc32_update(0, h + 6, 2) != get_le32(h + 8))
        return -XEN_EINVAL;
    if (h[6] != 0 || (h[7] & 0xf0))
        return -XEN_EOPNOTSUPP;    /* a future version of the format */
    x->check = h[7];
    if (x->check != XZ_CHECK_NONE && x->check != XZ_CHECK_CRC32 &&
        x->check != XZ_CHECK_CRC64)
        return -XEN_EOPNOTSUPP;
    x->ip = XZ_HEADER_SIZE;
    return 0;
}

/* One filter's ID and properties, at h[*pos]; the last must be LZMA2. */
static int xz_filter(struct xz_block *b, const uint8_t *h, size_t *pos,
                     size_t end, bool last)
{
    uint64_t id, psize;
    const uint8_t *props;

    if (xz_vli(h, pos, end, &id) || xz_vli(h, pos, end, &psize) ||
        psize > end - *pos)
        return -XEN_EINVAL;
    props = h + *pos;
    *pos += psize;
    if (last) {
        if (id != XZ_FILTER_LZMA2)
            return -XEN_EOPNOTSUPP;
        /* Dictionary size: 2 or 3 times a power of two, or 4 GiB - 1. */
        if (psize != 1 || props[0] > 40)
            return -XEN_EINVAL;
        b->dict_size = props[0] == 40 ? 0xffffffffu :
                       (2u | (props[0] & 1)) << (props[0] / 2 + 11);
        return 0;
    }
    if (id != XZ_FILTER_X86 || b->bcj)
        return -XEN_EOPNOTSUPP;
    if (psize != 0 && psize != 4)
        return -XEN_EINVAL;
    b->bcj = true;
    b->bcj_start = psize ? get_le32(props) : 0;
    return 0;
}

static int xz_block_fields(struct xz_block *b, const uint8_t *h, size_t end)
{
    unsigned int flags = h[1];
    size_t pos = 2;
    int rc;

    if (flags & 0x3c)
        return -XEN_EOPNOTSUPP;    /* reserved flags */
    b->comp_size = b->unc_size = XZ_SIZE_UNKNOWN;
    if ((flags & 0x40) && (xz_vli(h, &pos, end, &b->comp_size) ||
                           b->comp_size == 0))
        return -XEN_EINVAL;
    if ((flags & 0x80) && xz_vli(h, &pos, end, &b->unc_size))
        return -XEN_EINVAL;
    b->bcj = false;
    for (unsigned int i = 0, n = (flags & 3) + 1; i < n; i++) {
        rc = xz_filter(b, h, &pos, end, i == n - 1);
        if (rc)
            return rc;
    }
    /* Header padding: zeros up to the CRC32. */
    for (; pos < end; pos++)
        if (h[pos])
            return -XEN_EOPNOTSUPP;
    return 0;
}

/* The block header at x->ip, whose first byte is not the index's zero. */
static int xz_block_header(struct xz_stream *x, struct xz_block *b)
{
    const uint8_t *h = x->in + x->ip;
    size_t size = ((size_t)h[0] + 1) * 4;

    if (size > x->in_len - x->ip)
        return -XEN_EINVAL;
    if (crc32_update(0, h, size - 4) != get_le32(h + size - 4))
        return -XEN_EINVAL;
    b->hdr_size = size;
    return xz_block_fields(b, h, size - 4);
}

/* The block's check field, over its (unfiltered) output. */
static int xz_block_check(struct xz_stream *x, const uint8_t *data,
                          size_t len)
{
    const uint8_t *c = x->in + x->ip;
    size_t size = xz_check_size(x->check);

    if (size > x->in_len - x->ip)
        return -XEN_EINVAL;
    x->ip += size;
    if (x->check == XZ_CHECK_CRC32)
        return crc32_update(0, data, len) == get_le32(c) ? 0 : -XEN_EINVAL;
    if (x->check == XZ_CHECK_CRC64)
        return crc64_update(0, data, len) == get_le64(c) ? 0 : -XEN_EINVAL;
    return 0;
}

/*
 * Folds a block's (unpadded size, uncompressed size) into a CRC, so the
 * index can be compared with the blocks without storing a list.
 */
static uint32_t xz_record(uint32_t crc, uint64_t unpadded, uint64_t unc)
{
    uint8_t rec[16];

    for (unsigned int i = 0; i < 8; i++) {
        rec[i] = (uint8_t)(unpadded >> (8 * i));
        rec[8 + i] = (uint8_t)(unc >> (8 * i));
    }
    return crc32_update(crc, rec, sizeof(rec));
}

/* Block padding after the compressed data: zeros to a multiple of four. */
static int xz_block_padding(struct xz_stream *x, size_t comp)
{
    for (; comp & 3; comp++, x->ip++)
        if (x->ip >= x->in_len || x->in[x->ip])
            return -XEN_EINVAL;
    return 0;
}

static int xz_block(struct xz_stream *x)
{
    struct xz_block b;
    size_t start_op = x->op, used, end_op;
    int rc = xz_block_header(x, &b);

    if (rc)
        return rc;
    x->ip += b.hdr_size;
    if (b.unc_size != XZ_SIZE_UNKNOWN && b.unc_size > x->out_cap - x->op)
        return -XEN_ENOSPC;
    rc = lzma2_decode(x->in + x->ip, x->in_len - x->ip, &used, x->out,
                      x->op, x->out_cap, &end_op, b.dict_size);
    if (rc)
        return rc;
    if ((b.comp_size != XZ_SIZE_UNKNOWN && b.comp_size != used) ||
        (b.unc_size != XZ_SIZE_UNKNOWN && b.unc_size != end_op - x->op))
        return -XEN_EINVAL;
    x->ip += used;
    x->op = end_op;
    rc = xz_block_padding(x, used);
    if (rc)
        return rc;
    if (b.bcj)
        bcj_x86_decode(x->out + start_op, end_op - start_op, b.bcj_start);
    rc = xz_block_check(x, x->out + start_op, end_op - start_op);
    if (rc)
        return rc;
    x->records_crc = xz_record(x->records_crc, b.hdr_size + used +
                               xz_check_size(x->check), end_op - start_op);
    x->nr_blocks++;
    return 0;
}

/* The index: the block records, padding and a CRC32; returns its size. */
static int xz_index(struct xz_stream *x, size_t *size)
{
    const uint8_t *in = x->in;
    size_t start = x->ip, pos = x->ip + 1;    /* after the zero indicator */
    uint64_t count, unpadded, unc;
    uint32_t crc = 0;

    if (xz_vli(in, &pos, x->in_len, &count) || count != x->nr_blocks)
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        if (xz_vli(in, &pos, x->in_len, &unpadded) || unpadded == 0 ||
            xz_vli(in, &pos, x->in_len, &unc))
            return -XEN_EINVAL;
        crc = xz_record(crc, unpadded, unc);
    }
    if (crc != x->records_crc)
        return -XEN_EINVAL;
    for (; (pos - start) & 3; pos++)
        if (pos >= x->in_len || in[pos])
            return -XEN_EINVAL;
    if (x->in_len - pos < 4 ||
        crc32_update(0, in + start, pos - start) != get_le32(in + pos))
        return -XEN_EINVAL;
    x->ip = pos + 4;
    *size = x->ip - start;
    return 0;
}

/* CRC32, backward size (the index's), the header's flags, then "YZ". */
static int xz_stream_footer(struct xz_stream *x, size_t index_size)
{
    const uint8_t *f = x->in + x->ip;

    if (x->in_len - x->ip < XZ_FOOTER_SIZE ||
        memcmp(f + 10, xz_footer_magic, sizeof(xz_footer_magic)) ||
        crc32_update(0, f + 4, 6) != get_le32(f))
        return -XEN_EINVAL;
    if (((uint64_t)get_le32(f + 4) + 1) * 4 != index_size ||
        f[8] != 0 || f[9] != x->check)
        return -XEN_EINVAL;
    x->ip += XZ_FOOTER_SIZE;
    return 0;
}

int xz_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
                  size_t *out_len)
{
    struct xz_stream x = {
        .in = in, .in_len = in_len, .out = out, .out_cap = out_cap,
    };
    size_t index_size;
    int rc = xz_stream_header(&x);

    while (!rc) {
        if (x.ip >= x.in_len)
            return -XEN_EINVAL;
        if (x.in[x.ip] == 0)
            break;              /* the index indicator */
        rc = xz_block(&x);
    }
    if (!rc)
        rc = xz_index(&x, &index_size);
    if (!rc)
        rc = xz_stream_footer(&x, index_size);
    if (!rc)
        *out_len = x.op;
    return rc;
}
