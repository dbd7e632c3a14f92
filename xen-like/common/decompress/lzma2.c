/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LZMA2 chunk layer: uncompressed and LZMA chunks, dictionary, state
 * and property resets, each chunk's sizes checked against both buffers.
 */
#include <hv/lib.h>
#include <hv/abi.h>

#include "lzma_dec.h"
#include "private.h"

#define LZMA2_END          0x00
#define LZMA2_COPY_RESET   0x01    /* uncompressed, dictionary reset */
#define LZMA2_COPY         0x02    /* uncompressed */
#define LZMA2_LZMA         0x80    /* and up: an LZMA chunk */
#define LZMA2_LZMA_ALL     0xe0    /* LZMA chunk resetting everything */

/* Reset levels in bits 5-6 of an LZMA chunk's control byte. */
enum { RESET_NONE, RESET_STATE, RESET_PROPS, RESET_DICT };

/* 28 KiB: too big for a hypervisor stack, hence static (not reentrant). */
static struct lzma_dec lzma2_dec;

struct lzma2_ctx {
    const uint8_t *in;
    size_t in_len;
    size_t ip;
    uint8_t *out;
    size_t out_cap;
    bool need_dict;
    bool need_props;
};

static size_t lzma2_out_pos(const struct lzma2_ctx *c,
                            const struct lzma_dec *s)
{
    return (size_t)(s->dict - c->out) + s->pos;
}

/* A range decoder over one chunk: a zero byte, then the 32-bit code. */
static int lzma2_rc_init(struct rc_dec *rd, const uint8_t *in, size_t len)
{
    if (len < 5 || in[0] != 0)
        return -XEN_EINVAL;
    rd->in = in;
    rd->pos = 5;
    rd->end = len;
    rd->range = 0xffffffffu;
    rd->code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) |
               ((uint32_t)in[3] << 8) | in[4];
    return 0;
}

static int lzma2_copy_chunk(struct lzma2_ctx *c, struct lzma_dec *s)
{
    size_t len;

    if (c->in_len - c->ip < 2)
        return -XEN_EINVAL;
    len = (((size_t)c->in[c->ip] << 8) | c->in[c->ip + 1]) + 1;
    c->ip += 2;
    if (c->in_len - c->ip < len)
        return -XEN_EINVAL;
    if (len > c->out_cap - lzma2_out_pos(c, s))
        return -XEN_ENOSPC;
    memcpy(s->dict + s->pos, c->in + c->ip, len);
    c->ip += len;
    s->pos += len;
    return 0;
}

/* Header: size bits, compressed size, then a properties byte if reset. */
static int lzma2_lzma_chunk(struct lzma2_ctx *c, struct lzma_dec *s,
                            unsigned int control)
{
    unsigned int reset = (control >> 5) & 3;
    size_t hdr = reset >= RESET_PROPS ? 5 : 4;
    const uint8_t *p = c->in + c->ip;
    size_t unc, comp;
    struct rc_dec rd;
    int rc;

    if (c->in_len - c->ip < hdr)
        return -XEN_EINVAL;
    unc = (((size_t)(control & 0x1f) << 16) | ((size_t)p[0] << 8) | p[1]) + 1;
    comp = (((size_t)p[2] << 8) | p[3]) + 1;
    if (reset >= RESET_PROPS) {
        rc = lzma_set_props(s, p[4]);
        if (rc)
            return rc;
        c->need_props = false;
    } else if (c->need_props) {
        return -XEN_EINVAL;
    }
    if (reset >= RESET_STATE)
        lzma_reset(s);
    c->ip += hdr;
    if (c->in_len - c->ip < comp)
        return -XEN_EINVAL;
    if (unc > c->out_cap - lzma2_out_pos(c, s))
        return -XEN_ENOSPC;
    rc = lzma2_rc_init(&rd, c->in + c->ip, comp);
    if (!rc)
        rc = lzma_decode(s, &rd, s->pos + unc);
    if (rc)
        return rc;
    /* The chunk must end exactly where the range coder's data does. */
    if (rd.pos != rd.end || rd.code != 0)
        return -XEN_EINVAL;
    c->ip += comp;
    return 0;
}

static int lzma2_chunk(struct lzma2_ctx *c, struct lzma_dec *s,
                       unsigned int control)
{
    if (control == LZMA2_COPY_RESET || control >= LZMA2_LZMA_ALL) {
        s->dict += s->pos;
        s->pos = 0;
        c->need_dict = false;
        c->need_props = true;
    } else if (c->need_dict) {
        return -XEN_EINVAL;
    }
    if (control >= LZMA2_LZMA)
        return lzma2_lzma_chunk(c, s, control);
    if (control == LZMA2_COPY_RESET || control == LZMA2_COPY)
        return lzma2_copy_chunk(c, s);
    return -XEN_EINVAL;
}

int lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used,
                 uint8_t *out, size_t out_start, size_t out_cap,
                 size_t *out_end, uint32_t dict_size)
{
    struct lzma2_ctx c = {
        .in = in, .in_len = in_len, .out = out, .out_cap = out_cap,
        .need_dict = true, .need_props = true,
    };
    struct lzma_dec *s = &lzma2_dec;

    s->dict = out + out_start;
    s->pos = 0;
    s->dict_size = dict_size;
    for (;;) {
        unsigned int control;
        int rc;

        if (c.ip >= in_len)
            return -XEN_EINVAL;
        control = in[c.ip++];
        if (control == LZMA2_END)
            break;
        rc = lzma2_chunk(&c, s, control);
        if (rc)
            return rc;
    }
    *in_used = c.ip;
    *out_end = lzma2_out_pos(&c, s);
    return 0;
}
