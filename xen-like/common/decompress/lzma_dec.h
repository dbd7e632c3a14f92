/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LZMA decoder's state and its range decoder, shared by lzma.c (the
 * symbol decoder) and lzma2.c (the chunk layer).
 */
#ifndef DECOMPRESS_LZMA_DEC_H
#define DECOMPRESS_LZMA_DEC_H

#include <hv/types.h>

/* Forced, so that the decoder's locals stay in registers. */
#define RC_INLINE        static inline __attribute__((always_inline))
#define RC_TOP           (1u << 24)  /* normalise below this range */
#define RC_PROB_BITS     11
#define RC_PROB_INIT     (1u << (RC_PROB_BITS - 1))
#define RC_MOVE_BITS     5

/*
 * The range decoder reads in[pos, end).  Reading past end yields zero bytes
 * and counts on, so one check of pos == end after a chunk catches both a
 * short and an overlong chunk without a branch out of the inner loops.
 */
struct rc_dec {
    const uint8_t *in;
    size_t pos;
    size_t end;
    uint32_t range;
    uint32_t code;
};

RC_INLINE unsigned int rc_next_byte(struct rc_dec *rd)
{
    unsigned int b = 0;

    if (likely(rd->pos < rd->end))
        b = rd->in[rd->pos];
    rd->pos++;
    return b;
}

RC_INLINE void rc_normalize(struct rc_dec *rd)
{
    if (rd->range < RC_TOP) {
        rd->range <<= 8;
        rd->code = (rd->code << 8) | rc_next_byte(rd);
    }
}

/* Decodes one bit with the adaptive probability *p (of a zero). */
RC_INLINE unsigned int rc_bit(struct rc_dec *rd, uint16_t *p)
{
    uint32_t bound = (rd->range >> RC_PROB_BITS) * *p;
    unsigned int bit;

    if (rd->code < bound) {
        rd->range = bound;
        *p += ((1u << RC_PROB_BITS) - *p) >> RC_MOVE_BITS;
        bit = 0;
    } else {
        rd->range -= bound;
        rd->code -= bound;
        *p -= *p >> RC_MOVE_BITS;
        bit = 1;
    }
    rc_normalize(rd);
    return bit;
}

/* An nbits symbol, most significant bit first, from probs[1 .. 2^nbits). */
RC_INLINE unsigned int rc_tree(struct rc_dec *rd, uint16_t *probs,
                                   unsigned int nbits)
{
    unsigned int m = 1;

    for (unsigned int i = 0; i < nbits; i++)
        m = (m << 1) | rc_bit(rd, &probs[m]);
    return m - (1u << nbits);
}

/* The same tree, but the symbol's bits come least significant first. */
RC_INLINE unsigned int rc_tree_rev(struct rc_dec *rd, uint16_t *probs,
                                       unsigned int nbits)
{
    unsigned int m = 1, sym = 0;

    for (unsigned int i = 0; i < nbits; i++) {
        unsigned int bit = rc_bit(rd, &probs[m]);

        m = (m << 1) | bit;
        sym |= bit << i;
    }
    return sym;
}

/* nbits bits of probability one half, most significant first. */
RC_INLINE uint32_t rc_direct(struct rc_dec *rd, unsigned int nbits)
{
    uint32_t v = 0;

    for (unsigned int i = 0; i < nbits; i++) {
        uint32_t one;

        rd->range >>= 1;
        one = rd->code >= rd->range;
        rd->code -= rd->range & (0u - one);
        v = (v << 1) | one;
        rc_normalize(rd);
    }
    return v;
}

#define LZMA_STATES         12
#define LZMA_LIT_STATES     7    /* states below this follow a literal */
#define LZMA_POS_STATES_MAX 16   /* 1 << pb, pb <= 4 */
#define LZMA_LEN_STATES     4    /* distance-slot contexts by length */
#define LZMA_DIST_SLOTS     64
#define LZMA_DIST_MODEL_END 14   /* slots below this use dist_special */
#define LZMA_FULL_DISTANCES 128
#define LZMA_ALIGN_BITS     4
#define LZMA_LIT_CODERS_MAX 16   /* 1 << (lc + lp), lc + lp <= 4 in LZMA2 */
#define LZMA_LIT_SIZE       0x300
#define LZMA_MATCH_LEN_MIN  2

struct lzma_len_probs {
    uint16_t choice;
    uint16_t choice2;
    uint16_t low[LZMA_POS_STATES_MAX][8];
    uint16_t mid[LZMA_POS_STATES_MAX][8];
    uint16_t high[256];
};

/* Every adaptive probability; lzma_reset() sets them all to one half. */
struct lzma_probs {
    uint16_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
    uint16_t is_rep[LZMA_STATES];
    uint16_t is_rep0[LZMA_STATES];
    uint16_t is_rep1[LZMA_STATES];
    uint16_t is_rep2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
    uint16_t dist_slot[LZMA_LEN_STATES][LZMA_DIST_SLOTS];
    /* Indexed from 1 by the reverse tree, hence the one spare entry. */
    uint16_t dist_special[LZMA_FULL_DISTANCES - LZMA_DIST_MODEL_END + 1];
    uint16_t dist_align[1 << LZMA_ALIGN_BITS];
    struct lzma_len_probs match_len;
    struct lzma_len_probs rep_len;
    uint16_t literal[LZMA_LIT_CODERS_MAX][LZMA_LIT_SIZE];
};

/*
 * The dictionary is the output buffer itself: dict[0] is the first byte
 * after the last dictionary reset and dict[pos] the next to be written.
 * rep[] hold match distances minus one.
 */
struct lzma_dec {
    struct lzma_probs p;
    unsigned int lc, lp, pb;
    unsigned int state;
    uint32_t rep[4];
    uint8_t *dict;
    size_t pos;
    uint32_t dict_size;
};

/* Sets lc/lp/pb from an LZMA properties byte; -XEN_EINVAL if invalid. */
int lzma_set_props(struct lzma_dec *s, unsigned int props);
/* Resets the probabilities and the coder state (not the dictionary). */
void lzma_reset(struct lzma_dec *s);
/*
 * Decodes symbols until s->pos == limit.  A match running past limit, a
 * distance beyond the dictionary, or an end marker gives -XEN_EINVAL.
 */
int lzma_decode(struct lzma_dec *s, struct rc_dec *rd, size_t limit);

#endif
