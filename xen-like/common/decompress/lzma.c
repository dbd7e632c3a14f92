/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LZMA symbol decoder: literals, matches, repeated matches, lengths and
 * distances, written straight into the output buffer (the dictionary).
 */
#include <hv/lib.h>
#include <hv/abi.h>

#include "lzma_dec.h"

#define LZMA_END_MARKER  0xffffffffu    /* a distance; invalid in LZMA2 */

/*
 * One lzma_decode() call works on this local copy of the decoder's moving
 * parts, so that the compiler keeps them in registers: every helper is
 * inlined and nothing takes the copy's address beyond them.
 */
struct lzma_run {
    struct rc_dec rd;
    struct lzma_probs *p;
    uint8_t *dict;
    size_t pos;
    size_t limit;
    uint32_t dict_size;
    unsigned int state;
    uint32_t rep0, rep1, rep2, rep3;
    unsigned int lc, lp_mask, pb_mask;
};

int lzma_set_props(struct lzma_dec *s, unsigned int props)
{
    if (props >= 9 * 5 * 5)
        return -XEN_EINVAL;
    s->lc = props % 9;
    props /= 9;
    s->lp = props % 5;
    s->pb = props / 5;
    /* LZMA2 caps lc + lp at 4, which bounds the literal coders. */
    if (s->lc + s->lp > 4)
        return -XEN_EINVAL;
    return 0;
}

void lzma_reset(struct lzma_dec *s)
{
    /* The probabilities are all uint16_t, literal coders last. */
    uint16_t *p = (uint16_t *)&s->p;
    size_t n = offsetof(struct lzma_probs, literal) / sizeof(uint16_t) +
               ((size_t)LZMA_LIT_SIZE << (s->lc + s->lp));

    for (size_t i = 0; i < n; i++)
        p[i] = RC_PROB_INIT;
    s->state = 0;
    s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
}

/* Copies len bytes from dist + 1 back; they may overlap the destination. */
RC_INLINE int lzma_copy(struct lzma_run *r, uint32_t dist, unsigned int len)
{
    uint8_t *dst;
    const uint8_t *src;

    if (unlikely(dist >= r->pos || dist >= r->dict_size ||
                 len > r->limit - r->pos))
        return -XEN_EINVAL;
    dst = r->dict + r->pos;
    src = dst - dist - 1;
    r->pos += len;
    /* Eight at a time when the source is that far back: all written. */
    if (dist >= 7) {
        for (; len >= 8; len -= 8, dst += 8, src += 8) {
            uint64_t v;

            __builtin_memcpy(&v, src, 8);
            __builtin_memcpy(dst, &v, 8);
        }
    }
    for (unsigned int i = 0; i < len; i++)
        dst[i] = src[i];
    return 0;
}

RC_INLINE int lzma_literal(struct lzma_run *r)
{
    static const uint8_t next_state[LZMA_STATES] = {
        0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5
    };
    unsigned int prev = r->pos ? r->dict[r->pos - 1] : 0;
    unsigned int ctx = ((r->pos & r->lp_mask) << r->lc) +
                       (prev >> (8 - r->lc));
    uint16_t *probs = r->p->literal[ctx];
    unsigned int sym = 1;

    if (r->state >= LZMA_LIT_STATES) {
        /* After a match: the byte at rep0 steers the first bits. */
        unsigned int match;

        if (unlikely(r->rep0 >= r->pos))
            return -XEN_EINVAL;
        match = r->dict[r->pos - r->rep0 - 1];
        do {
            unsigned int mbit = (match >> 7) & 1;
            unsigned int bit;

            match <<= 1;
            bit = rc_bit(&r->rd, &probs[0x100 + (mbit << 8) + sym]);
            sym = (sym << 1) | bit;
            if (bit != mbit)
                break;
        } while (sym < 0x100);
    }
    while (sym < 0x100)
        sym = (sym << 1) | rc_bit(&r->rd, &probs[sym]);
    r->dict[r->pos++] = (uint8_t)sym;
    r->state = next_state[r->state];
    return 0;
}

RC_INLINE unsigned int lzma_len(struct lzma_run *r, struct lzma_len_probs *l,
                                unsigned int ps)
{
    if (!rc_bit(&r->rd, &l->choice))
        return LZMA_MATCH_LEN_MIN + rc_tree(&r->rd, l->low[ps], 3);
    if (!rc_bit(&r->rd, &l->choice2))
        return LZMA_MATCH_LEN_MIN + 8 + rc_tree(&r->rd, l->mid[ps], 3);
    return LZMA_MATCH_LEN_MIN + 16 + rc_tree(&r->rd, l->high, 8);
}

/* A match distance minus one, coded by slot, then extra and align bits. */
RC_INLINE uint32_t lzma_dist(struct lzma_run *r, unsigned int len)
{
    unsigned int ls = MIN(len - LZMA_MATCH_LEN_MIN, LZMA_LEN_STATES - 1u);
    unsigned int slot = rc_tree(&r->rd, r->p->dist_slot[ls], 6);
    unsigned int nbits;
    uint32_t dist;

    if (slot < 4)
        return slot;
    nbits = (slot >> 1) - 1;
    dist = (2u | (slot & 1)) << nbits;
    if (slot < LZMA_DIST_MODEL_END)
        return dist + rc_tree_rev(&r->rd, r->p->dist_special + dist - slot,
                                  nbits);
    dist += rc_direct(&r->rd, nbits - LZMA_ALIGN_BITS) << LZMA_ALIGN_BITS;
    return dist + rc_tree_rev(&r->rd, r->p->dist_align, LZMA_ALIGN_BITS);
}

RC_INLINE int lzma_match(struct lzma_run *r, unsigned int ps)
{
    unsigned int len = lzma_len(r, &r->p->match_len, ps);
    uint32_t dist = lzma_dist(r, len);

    r->rep3 = r->rep2;
    r->rep2 = r->rep1;
    r->rep1 = r->rep0;
    r->rep0 = dist;
    r->state = r->state < LZMA_LIT_STATES ? 7 : 10;
    if (unlikely(dist == LZMA_END_MARKER))
        return -XEN_EINVAL;
    return lzma_copy(r, dist, len);
}

/* A match at one of the last four distances, or one byte at rep0. */
RC_INLINE int lzma_rep(struct lzma_run *r, unsigned int ps)
{
    struct lzma_probs *p = r->p;
    unsigned int st = r->state;
    uint32_t dist;

    if (!rc_bit(&r->rd, &p->is_rep0[st])) {
        if (!rc_bit(&r->rd, &p->is_rep0_long[st][ps])) {
            r->state = st < LZMA_LIT_STATES ? 9 : 11;
            return lzma_copy(r, r->rep0, 1);
        }
    } else {
        if (!rc_bit(&r->rd, &p->is_rep1[st])) {
            dist = r->rep1;
        } else {
            if (!rc_bit(&r->rd, &p->is_rep2[st])) {
                dist = r->rep2;
            } else {
                dist = r->rep3;
                r->rep3 = r->rep2;
            }
            r->rep2 = r->rep1;
        }
        r->rep1 = r->rep0;
        r->rep0 = dist;
    }
    r->state = st < LZMA_LIT_STATES ? 8 : 11;
    return lzma_copy(r, r->rep0, lzma_len(r, &p->rep_len, ps));
}

RC_INLINE int lzma_run_loop(struct lzma_run *r)
{
    int rc = 0;

    while (r->pos < r->limit) {
        unsigned int ps = r->pos & r->pb_mask;

        if (!rc_bit(&r->rd, &r->p->is_match[r->state][ps]))
            rc = lzma_literal(r);
        else if (!rc_bit(&r->rd, &r->p->is_rep[r->state]))
            rc = lzma_match(r, ps);
        else
            rc = lzma_rep(r, ps);
        if (unlikely(rc))
            break;
    }
    return rc;
}

int lzma_decode(struct lzma_dec *s, struct rc_dec *rd, size_t limit)
{
    struct lzma_run r = {
        .rd = *rd, .p = &s->p, .dict = s->dict, .pos = s->pos,
        .limit = limit, .dict_size = s->dict_size, .state = s->state,
        .rep0 = s->rep[0], .rep1 = s->rep[1], .rep2 = s->rep[2],
        .rep3 = s->rep[3], .lc = s->lc, .lp_mask = (1u << s->lp) - 1,
        .pb_mask = (1u << s->pb) - 1,
    };
    int rc = lzma_run_loop(&r);

    *rd = r.rd;
    s->pos = r.pos;
    s->state = r.state;
    s->rep[0] = r.rep0;
    s->rep[1] = r.rep1;
    s->rep[2] = r.rep2;
    s->rep[3] = r.rep3;
    return rc;
}
