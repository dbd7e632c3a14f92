/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for common/decompress (gzip, deflate): members made by
 * Debian's zlib must decode byte-exact; hand-made and mutated ones must
 * fail cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <hv/types.h>
#include <hv/lib.h>
#include <hv/abi.h>
#include <hv/decompress.h>
#include "testdata.h"

/* How a test member is made. */
struct enc {
    int level;
    int strategy;
    gz_header *hdr;
    size_t flush;              /* 0: none; else Z_SYNC_FLUSH this often */
};

/* Rare bytes among common ones: long Huffman codes (over 9 bits). */
static void gen_skewed(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned int r = (unsigned int)(rng() % 1000);

        p[i] = r < 900 ? (uint8_t)('a' + r % 3) : (uint8_t)rng();
    }
}

/* Returns the gzip member for in[0, n) in a malloc'd buffer. */
static uint8_t *encode(const uint8_t *in, size_t n, const struct enc *e,
                       size_t *zn)
{
    z_stream s = { 0 };
    size_t cap, done = 0;
    uint8_t *out;

    assert_int_equal(deflateInit2(&s, e->level, Z_DEFLATED, 31, 8,
                                  e->strategy), Z_OK);
    if (e->hdr)
        assert_int_equal(deflateSetHeader(&s, e->hdr), Z_OK);
    cap = deflateBound(&s, n) + 4096 + (e->flush ? n / e->flush * 8 : 0);
    out = xmalloc(cap);
    s.next_out = out;
    s.avail_out = (uInt)cap;
    do {
        size_t len = e->flush ? MIN(e->flush, n - done) : n - done;
        int flush = done + len == n ? Z_FINISH : Z_SYNC_FLUSH;

        s.next_in = (Bytef *)in + done;
        s.avail_in = (uInt)len;
        assert_int_equal(deflate(&s, flush),
                         flush == Z_FINISH ? Z_STREAM_END : Z_OK);
        done += len;
    } while (done < n);
    *zn = cap - s.avail_out;
    deflateEnd(&s);
    return out;
}

/* Decodes z from exact-size buffers, then with trailing bytes and room. */
static void check_decode(const uint8_t *z, size_t zn, const uint8_t *ref,
                         size_t n)
{
    uint8_t *in = xmalloc(zn + 4);

    memcpy(in, z, zn);
    memset(in + zn, 0x1f, 4);
    check_decoder(gzip_decompress, in, zn, 4, ref, n);
    free(in);
}

static void roundtrip(const uint8_t *data, size_t n, const struct enc *e)
{
    size_t zn;
    uint8_t *z = encode(data, n, e, &zn);

    check_decode(z, zn, data, n);
    free(z);
}

typedef void gen_fn(uint8_t *p, size_t n);

static void roundtrip_gen(gen_fn *gen, size_t n, const struct enc *e)
{
    uint8_t *data = xmalloc(n);

    gen(data, n);
    roundtrip(data, n, e);
    free(data);
}

static const int levels[] = { 0, 1, 6, 9 };

static void test_empty_and_tiny(void **state)
{
    uint8_t byte = 'k';

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(levels); i++) {
        struct enc e = { .level = levels[i] };

        roundtrip(&byte, 0, &e);
        roundtrip(&byte, 1, &e);
    }
}

static void test_levels(void **state)
{
    static gen_fn *const gens[] = {
        gen_text, gen_random, gen_repeat, gen_skewed
    };

    (void)state;
    rng_state = 1;
    for (unsigned int i = 0; i < ARRAY_SIZE(levels); i++)
        for (unsigned int g = 0; g < ARRAY_SIZE(gens); g++) {
            struct enc e = { .level = levels[i] };

            roundtrip_gen(gens[g], 150000, &e);
        }
}

/* Filtered, Huffman-only, RLE and fixed-code blocks. */
static void test_strategies(void **state)
{
    static const int strategies[] = {
        Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED
    };

    (void)state;
    rng_state = 2;
    for (unsigned int i = 0; i < ARRAY_SIZE(strategies); i++) {
        struct enc e = { .level = 9, .strategy = strategies[i] };

        roundtrip_gen(gen_text, 100000, &e);
        roundtrip_gen(gen_skewed, 100000, &e);
        roundtrip_gen(gen_random, 20000, &e);
    }
}

/* Stored blocks hold at most 65535 bytes; big outputs; sync flushes. */
static void test_sizes_and_flushes(void **state)
{
    static const size_t sizes[] = { 65535, 65536, 65537, 200000 };
    struct enc e = { .level = 0 };

    (void)state;
    rng_state = 3;
    for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
        e.level = 0;
        roundtrip_gen(gen_random, sizes[i], &e);
        e.level = 9;
        roundtrip_gen(gen_text, sizes[i], &e);
    }
    roundtrip_gen(gen_repeat, 3u << 20, &e);
    e.flush = 1000;
    roundtrip_gen(gen_text, 50000, &e);
    e.level = 0;
    roundtrip_gen(gen_text, 5000, &e);
    e.flush = 1;
    e.level = 1;
    roundtrip_gen(gen_skewed, 300, &e);
}

/* FEXTRA, FNAME, FCOMMENT and FHCRC, alone and together. */
static void test_header_fields(void **state)
{
    static uint8_t extra[] = { 'K', 'L', 4, 0, 1, 2, 3, 4 };
    uint8_t data[4000];

    (void)state;
    rng_state = 4;
    gen_text(data, sizeof(data));
    for (unsigned int mask = 0; mask < 16; mask++) {
        gz_header h = {
            .os = 3,
            .extra = mask & 1 ? extra : NULL,
            .extra_len = sizeof(extra),
            .name = mask & 2 ? (Bytef *)"vmlinux" : NULL,
            .comment = mask & 4 ? (Bytef *)"keel test" : NULL,
            .hcrc = (mask & 8) != 0,
        };
        struct enc e = { .level = 6, .hdr = &h };

        roundtrip(data, sizeof(data), &e);
    }
}

/* Header, CRC32 and ISIZE damage: every byte outside the deflate data. */
static void test_wrapper_errors(void **state)
{
    gz_header h = { .os = 3, .name = (Bytef *)"n", .hcrc = 1 };
    struct enc e = { .level = 6, .hdr = &h };
    uint8_t data[3000], out[3000], *z;
    size_t zn, len;

    (void)state;
    rng_state = 5;
    gen_text(data, sizeof(data));
    z = encode(data, sizeof(data), &e, &zn);
    for (size_t i = 0; i < zn; i++) {
        if (i >= 14 && i < zn - 8)
            continue;           /* the deflate data */
        for (unsigned int bit = 0; bit < 8; bit++) {
            z[i] ^= (uint8_t)(1u << bit);
            assert_true(gzip_decompress(z, zn, out, sizeof(out), &len) < 0);
            z[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(z);
}

/* Writes deflate bits least significant first. */
struct bitw {
    uint8_t buf[64];
    size_t bits;
};

static void put_bits(struct bitw *w, unsigned int v, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++, w->bits++)
        if ((v >> i) & 1)
            w->buf[w->bits / 8] |= (uint8_t)(1u << (w->bits % 8));
}

/* A Huffman code goes most significant bit first. */
static void put_code(struct bitw *w, unsigned int code, unsigned int len)
{
    for (unsigned int i = len; i-- > 0;)
        put_bits(w, (code >> i) & 1, 1);
}

/* Fixed code: literal/length symbol. */
static void put_fixed(struct bitw *w, unsigned int sym)
{
    if (sym < 144)
        put_code(w, 0x30 + sym, 8);
    else if (sym < 256)
        put_code(w, 0x190 + sym - 144, 9);
    else if (sym < 280)
        put_code(w, sym - 256, 7);
    else
        put_code(w, 0xc0 + sym - 280, 8);
}

/* Wraps raw deflate bits in a gzip member for the given expected output. */
static int decode_raw(const struct bitw *w, const char *expect, uint8_t *out,
                      size_t cap, size_t *len)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    size_t n = (w->bits + 7) / 8, elen = strlen(expect);
    uint32_t crc = (uint32_t)crc32(0, (const Bytef *)expect, (uInt)elen);
    uint8_t *m = xmalloc(10 + n + 8);
    int rc;

    memcpy(m, hdr, 10);
    memcpy(m + 10, w->buf, n);
    for (unsigned int k = 0; k < 4; k++) {
        m[10 + n + k] = (uint8_t)(crc >> (8 * k));
        m[14 + n + k] = (uint8_t)(elen >> (8 * k));
    }
    rc = gzip_decompress(m, 10 + n + 8, out, cap, len);
    free(m);
    return rc;
}

/* Starts a final block with the fixed code. */
static void start_fixed(struct bitw *w)
{
    memset(w, 0, sizeof(*w));
    put_bits(w, 1, 1);
    put_bits(w, 1, 2);
}

static void test_handmade_match(void **state)
{
    struct bitw w;
    uint8_t out[64];
    size_t len;

    (void)state;
    /* "ab" then length 3 at distance 2: "ababa". */
    start_fixed(&w);
    put_fixed(&w, 'a');
    put_fixed(&w, 'b');
    put_fixed(&w, 257);
    put_code(&w, 1, 5);
    put_fixed(&w, 256);
    assert_int_equal(decode_raw(&w, "ababa", out, sizeof(out), &len), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(out, "ababa", 5);
    assert_int_equal(decode_raw(&w, "ababa", out, 4, &len), -XEN_ENOSPC);

    /* Distance 2 after one byte reaches before the output. */
    start_fixed(&w);
    put_fixed(&w, 'a');
    put_fixed(&w, 257);
    put_code(&w, 1, 5);
    put_fixed(&w, 256);
    assert_int_equal(decode_raw(&w, "aaaa", out, sizeof(out), &len),
                     -XEN_EINVAL);
}

static void test_handmade_invalid(void **state)
{
    struct bitw w;
    uint8_t out[64];
    size_t len;

    (void)state;
    /* Length symbol 286 and distance symbol 30 do not exist. */
    start_fixed(&w);
    put_fixed(&w, 'a');
    put_fixed(&w, 286);
    assert_int_equal(decode_raw(&w, "a", out, sizeof(out), &len),
                     -XEN_EINVAL);
    start_fixed(&w);
    put_fixed(&w, 'a');
    put_fixed(&w, 257);
    put_code(&w, 30, 5);
    assert_int_equal(decode_raw(&w, "aaaa", out, sizeof(out), &len),
                     -XEN_EINVAL);

    /* Block type 3 is reserved. */
    memset(&w, 0, sizeof(w));
    put_bits(&w, 1, 1);
    put_bits(&w, 3, 2);
    assert_int_equal(decode_raw(&w, "", out, sizeof(out), &len),
                     -XEN_EINVAL);
}

/* Stored blocks: LEN must match NLEN; an empty final block is fine. */
static void test_handmade_stored(void **state)
{
    struct bitw w = { 0 };
    uint8_t out[64];
    size_t len;

    (void)state;
    put_bits(&w, 0, 1);
    put_bits(&w, 0, 2);
    put_bits(&w, 0, 5);              /* to the byte boundary */
    put_bits(&w, 2, 16);
    put_bits(&w, 0xfffd, 16);
    put_bits(&w, 'o', 8);
    put_bits(&w, 'k', 8);
    put_bits(&w, 1, 1);              /* final, stored, empty */
    put_bits(&w, 0, 2);
    put_bits(&w, 0, 5);
    put_bits(&w, 0, 16);
    put_bits(&w, 0xffff, 16);
    assert_int_equal(decode_raw(&w, "ok", out, sizeof(out), &len), 0);
    assert_int_equal(len, 2);
    w.buf[3] ^= 1;                   /* NLEN no longer ~LEN */
    assert_int_equal(decode_raw(&w, "ok", out, sizeof(out), &len),
                     -XEN_EINVAL);
}

/* Every prefix of a member is an error, never a crash. */
static void test_truncation(void **state)
{
    gz_header h = { .os = 3, .name = (Bytef *)"x", .comment = (Bytef *)"c",
                    .hcrc = 1 };
    static const int lv[] = { 0, 1, 9 };
    uint8_t data[3000], out[3000], *z, *in;
    size_t zn, len;

    (void)state;
    rng_state = 6;
    gen_text(data, sizeof(data));
    for (unsigned int i = 0; i < ARRAY_SIZE(lv); i++) {
        struct enc e = { .level = lv[i], .hdr = &h, .flush = 1000 };

        z = encode(data, sizeof(data), &e, &zn);
        for (size_t n = 0; n < zn; n++) {
            in = xmalloc(n);
            memcpy(in, z, n);
            assert_int_equal(gzip_decompress(in, n, out, sizeof(out), &len),
                             -XEN_EINVAL);
            free(in);
        }
        free(z);
    }
}

/* Random bit flips: any result but a crash or an overrun (ASan). */
static void fuzz_one(const uint8_t *z, size_t zn, size_t n, unsigned int iter)
{
    uint8_t *in = xmalloc(zn), *out = xmalloc(n);
    size_t len = 0;
    int rc;

    for (unsigned int it = 0; it < iter; it++) {
        unsigned int flips = 1 + rng() % 4;

        memcpy(in, z, zn);
        for (unsigned int k = 0; k < flips; k++)
            in[rng() % zn] ^= (uint8_t)(1u << (rng() % 8));
        rc = gzip_decompress(in, zn, out, n, &len);
        if (rc == 0)
            assert_true(len <= n);
        else
            assert_true(rc == -XEN_EINVAL || rc == -XEN_ENOSPC);
    }
    free(in);
    free(out);
}

static void test_fuzz(void **state)
{
    static gen_fn *const gens[] = { gen_text, gen_skewed, gen_random };
    static const int lv[] = { 9, 1, 0, 6 };
    uint8_t data[6000];

    (void)state;
    rng_state = 7;
    for (unsigned int i = 0; i < ARRAY_SIZE(lv); i++) {
        struct enc e = { .level = lv[i], .strategy = i == 3 ? Z_FIXED : 0 };
        size_t zn;
        uint8_t *z;

        gens[i % 3](data, sizeof(data));
        z = encode(data, sizeof(data), &e, &zn);
        fuzz_one(z, zn, sizeof(data), 5000);
        free(z);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_strategies),
        cmocka_unit_test(test_sizes_and_flushes),
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_wrapper_errors),
        cmocka_unit_test(test_handmade_match),
        cmocka_unit_test(test_handmade_invalid),
        cmocka_unit_test(test_handmade_stored),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_fuzz),
    };

    return cmocka_run_group_tests_name("inflate", tests, NULL, NULL);
}
