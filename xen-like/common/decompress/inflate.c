/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw deflate (RFC 1951): stored, fixed and dynamic Huffman blocks, decoded
 * in one call into a buffer that is also the 32 KiB window.
 */
#include <hv/lib.h>
#include <hv/abi.h>

#include "private.h"

#define INFL_MAX_BITS    15          /* longest Huffman code */
#define INFL_FAST_BITS   9           /* codes up to this long: one lookup */
#define INFL_LIT_SYMS    288         /* 286 and 287 are never valid */
#define INFL_DIST_SYMS   32          /* 30 and 31 are never valid */
#define INFL_CLEN_SYMS   19
#define INFL_END_BLOCK   256

/*
 * A canonical Huffman code.  fast[] maps the next INFL_FAST_BITS input bits
 * to (length << 9 | symbol), 0 if the code is longer; longer codes are
 * found from the per-length first codes and the symbols sorted by code.
 */
struct infl_huff {
    uint16_t fast[1u << INFL_FAST_BITS];
    uint16_t count[INFL_MAX_BITS + 1];
    uint16_t first[INFL_MAX_BITS + 1];  /* first code of each length */
    uint16_t index[INFL_MAX_BITS + 1];  /* its position in symbol[] */
    uint16_t symbol[INFL_LIT_SYMS];
};

/* The two codes of the current block; static: not reentrant. */
static struct infl_huff infl_lit, infl_dist;

/*
 * Input bits come least significant first.  Past the end of the input the
 * bit buffer fills with zeros; infl_overrun() tells if any were consumed.
 */
struct infl {
    const uint8_t *in;
    size_t in_len;
    size_t ip;
    uint64_t bits;
    unsigned int nbits;
    uint8_t *out;
    size_t out_cap;
    size_t op;
};

static void infl_fill(struct infl *z)
{
    while (z->nbits <= 56) {
        uint64_t b = z->ip < z->in_len ? z->in[z->ip] : 0;

        z->ip++;
        z->bits |= b << z->nbits;
        z->nbits += 8;
    }
}

static bool infl_overrun(const struct infl *z)
{
    return z->ip - z->nbits / 8 > z->in_len;
}

/* The next n (at most 16) bits as a number. */
static unsigned int infl_bits(struct infl *z, unsigned int n)
{
    unsigned int v;

    if (z->nbits < n)
        infl_fill(z);
    v = (unsigned int)z->bits & ((1u << n) - 1);
    z->bits >>= n;
    z->nbits -= n;
    return v;
}

static unsigned int infl_reverse(unsigned int code, unsigned int len)
{
    unsigned int r = 0;

    for (unsigned int i = 0; i < len; i++, code >>= 1)
        r = (r << 1) | (code & 1);
    return r;
}

/* Counts the lengths; rejects over-full codes and most incomplete ones. */
static int infl_count(struct infl_huff *h, const uint8_t *lens,
                      unsigned int n, bool clen)
{
    int left = 1;
    unsigned int used = 0, longest = 0;

    memset(h->count, 0, sizeof(h->count));
    for (unsigned int s = 0; s < n; s++)
        h->count[lens[s]]++;
    for (unsigned int len = 1; len <= INFL_MAX_BITS; len++) {
        left = 2 * left - h->count[len];
        if (left < 0)
            return -XEN_EINVAL;
        used += h->count[len];
        if (h->count[len])
            longest = len;
    }
    /* Incomplete: only "no code" or one 1-bit code (lit/len, distance). */
    if (left > 0 && used > 0 && (clen || longest != 1))
        return -XEN_EINVAL;
    return 0;
}

static void infl_fast_fill(struct infl_huff *h)
{
    memset(h->fast, 0, sizeof(h->fast));
    for (unsigned int len = 1; len <= INFL_FAST_BITS; len++)
        for (unsigned int k = 0; k < h->count[len]; k++) {
            unsigned int sym = h->symbol[h->index[len] + k];
            unsigned int r = infl_reverse(h->first[len] + k, len);

            for (; r < (1u << INFL_FAST_BITS); r += 1u << len)
                h->fast[r] = (uint16_t)((len << 9) | sym);
        }
}

static int infl_build(struct infl_huff *h, const uint8_t *lens,
                      unsigned int n, bool clen)
{
    uint16_t next[INFL_MAX_BITS + 1];
    unsigned int code = 0, pos = 0;
    int rc = infl_count(h, lens, n, clen);

    if (rc)
        return rc;
    h->count[0] = 0;
    for (unsigned int len = 1; len <= INFL_MAX_BITS; len++) {
        code = (code + h->count[len - 1]) << 1;
        h->first[len] = (uint16_t)code;
        h->index[len] = (uint16_t)pos;
        next[len] = (uint16_t)pos;
        pos += h->count[len];
    }
    for (unsigned int s = 0; s < n; s++)
        if (lens[s])
            h->symbol[next[lens[s]]++] = (uint16_t)s;
    infl_fast_fill(h);
    return 0;
}

/* The next symbol of code h, or -XEN_EINVAL for a code not in it. */
static int infl_decode(struct infl *z, const struct infl_huff *h)
{
    unsigned int e, code = 0;
    uint64_t bits;

    if (z->nbits < INFL_MAX_BITS)
        infl_fill(z);
    e = h->fast[z->bits & ((1u << INFL_FAST_BITS) - 1)];
    if (e) {
        z->bits >>= e >> 9;
        z->nbits -= e >> 9;
        return e & 0x1ff;
    }
    bits = z->bits;
    for (unsigned int len = 1; len <= INFL_MAX_BITS; len++, bits >>= 1) {
        unsigned int k;

        code = (code << 1) | (bits & 1);
        k = code - h->first[len];
        if (code >= h->first[len] && k < h->count[len]) {
            z->bits >>= len;
            z->nbits -= len;
            return h->symbol[h->index[len] + k];
        }
    }
    return -XEN_EINVAL;
}

/* A length symbol (257..285) and the distance after it, then the copy. */
static int infl_match(struct infl *z, unsigned int sym)
{
    static const uint16_t len_base[29] = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
    };
    static const uint8_t len_extra[29] = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
    };
    static const uint16_t dist_base[30] = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577
    };
    unsigned int len, dist;
    int dsym;

    sym -= INFL_END_BLOCK + 1;
    if (sym >= ARRAY_SIZE(len_base))
        return -XEN_EINVAL;
    len = len_base[sym] + infl_bits(z, len_extra[sym]);
    dsym = infl_decode(z, &infl_dist);
    if (dsym < 0 || dsym >= (int)ARRAY_SIZE(dist_base))
        return -XEN_EINVAL;
    /* Distance codes 4..29 carry (code - 2) / 2 extra bits. */
    dist = dist_base[dsym] + infl_bits(z, dsym < 4 ? 0 : (dsym - 2) / 2);
    if (dist > z->op)
        return -XEN_EINVAL;
    if (len > z->out_cap - z->op)
        return -XEN_ENOSPC;
    for (unsigned int i = 0; i < len; i++)
        z->out[z->op + i] = z->out[z->op - dist + i];
    z->op += len;
    return 0;
}

/* The symbols of a Huffman block, up to its end-of-block code. */
static int infl_codes(struct infl *z)
{
    for (;;) {
        int sym = infl_decode(z, &infl_lit);
        int rc;

        /* Past the input: stop now, not when the output is full. */
        if (sym < 0 || infl_overrun(z))
            return -XEN_EINVAL;
        if (sym < INFL_END_BLOCK) {
            if (z->op >= z->out_cap)
                return -XEN_ENOSPC;
            z->out[z->op++] = (uint8_t)sym;
            continue;
        }
        if (sym == INFL_END_BLOCK)
            return 0;
        rc = infl_match(z, (unsigned int)sym);
        if (rc)
            return rc;
    }
}

static int infl_fixed(struct infl *z)
{
    uint8_t lens[INFL_LIT_SYMS];
    unsigned int s = 0;
    int rc;

    for (; s < 144; s++)
        lens[s] = 8;
    for (; s < 256; s++)
        lens[s] = 9;
    for (; s < 280; s++)
        lens[s] = 7;
    for (; s < INFL_LIT_SYMS; s++)
        lens[s] = 8;
    rc = infl_build(&infl_lit, lens, INFL_LIT_SYMS, false);
    memset(lens, 5, INFL_DIST_SYMS);
    if (!rc)
        rc = infl_build(&infl_dist, lens, INFL_DIST_SYMS, false);
    return rc ? rc : infl_codes(z);
}

/* Code lengths 0-15, or 16 (repeat the last 3-6 times), 17/18 (zeros). */
static int infl_lengths(struct infl *z, uint8_t *lens, unsigned int n)
{
    for (unsigned int i = 0; i < n;) {
        int sym = infl_decode(z, &infl_dist);
        unsigned int rep, val = 0;

        if (sym < 0)
            return sym;
        if (sym < 16) {
            lens[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (i == 0)
                return -XEN_EINVAL;
            val = lens[i - 1];
            rep = 3 + infl_bits(z, 2);
        } else {
            rep = sym == 17 ? 3 + infl_bits(z, 3) : 11 + infl_bits(z, 7);
        }
        if (rep > n - i)
            return -XEN_EINVAL;
        memset(lens + i, (int)val, rep);
        i += rep;
    }
    return 0;
}

static int infl_dynamic(struct infl *z)
{
    static const uint8_t order[INFL_CLEN_SYMS] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
    };
    uint8_t lens[INFL_LIT_SYMS + INFL_DIST_SYMS];
    unsigned int nlit = 257 + infl_bits(z, 5);
    unsigned int ndist = 1 + infl_bits(z, 5);
    unsigned int nclen = 4 + infl_bits(z, 4);
    int rc;

    if (nlit > 286 || ndist > 30)
        return -XEN_EINVAL;
    memset(lens, 0, INFL_CLEN_SYMS);
    for (unsigned int i = 0; i < nclen; i++)
        lens[order[i]] = (uint8_t)infl_bits(z, 3);
    /* The code-length code is short-lived: it borrows the distance slot. */
    rc = infl_build(&infl_dist, lens, INFL_CLEN_SYMS, true);
    if (!rc)
        rc = infl_lengths(z, lens, nlit + ndist);
    if (rc)
        return rc;
    if (lens[INFL_END_BLOCK] == 0)
        return -XEN_EINVAL;
    rc = infl_build(&infl_lit, lens, nlit, false);
    if (!rc)
        rc = infl_build(&infl_dist, lens + nlit, ndist, false);
    return rc ? rc : infl_codes(z);
}

/* LEN, its complement, LEN raw bytes; byte aligned, so read directly. */
static int infl_stored(struct infl *z)
{
    size_t len, nlen;

    z->bits >>= z->nbits & 7;
    z->nbits &= ~7u;
    z->ip -= z->nbits / 8;          /* give back the buffered bytes */
    z->bits = 0;
    z->nbits = 0;
    if (z->ip > z->in_len || z->in_len - z->ip < 4)
        return -XEN_EINVAL;
    len = z->in[z->ip] | ((size_t)z->in[z->ip + 1] << 8);
    nlen = z->in[z->ip + 2] | ((size_t)z->in[z->ip + 3] << 8);
    if ((len ^ 0xffff) != nlen)
        return -XEN_EINVAL;
    z->ip += 4;
    if (len > z->in_len - z->ip)
        return -XEN_EINVAL;
    if (len > z->out_cap - z->op)
        return -XEN_ENOSPC;
    memcpy(z->out + z->op, z->in + z->ip, len);
    z->ip += len;
    z->op += len;
    return 0;
}

int inflate_raw(const uint8_t *in, size_t in_len, size_t *in_used,
                uint8_t *out, size_t out_cap, size_t *out_used)
{
    struct infl z = {
        .in = in, .in_len = in_len, .out = out, .out_cap = out_cap,
    };
    bool last;

    do {
        unsigned int type;
        int rc;

        last = infl_bits(&z, 1);
        type = infl_bits(&z, 2);
        if (type == 0)
            rc = infl_stored(&z);
        else if (type == 1)
            rc = infl_fixed(&z);
        else if (type == 2)
            rc = infl_dynamic(&z);
        else
            rc = -XEN_EINVAL;
        if (!rc && infl_overrun(&z))
            rc = -XEN_EINVAL;
        if (rc)
            return rc;
    } while (!last);
    *in_used = z.ip - z.nbits / 8;
    *out_used = z.op;
    return 0;
}
