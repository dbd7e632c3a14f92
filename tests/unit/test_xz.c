/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for common/decompress (xz): streams made by Debian's liblzma
 * must decode byte-exact; truncated and mutated ones must fail cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <lzma.h>
#include <hv/types.h>
#include <hv/lib.h>
#include <hv/abi.h>
#include <hv/decompress.h>
#include "testdata.h"

/* How a test stream is made. */
struct enc {
    lzma_check check;
    uint32_t preset;
    bool bcj;
    uint32_t bcj_start;
    int lc, lp, pb;            /* -1: the preset's */
    size_t block;              /* 0: one block; else a block per this many */
};

#define ENC_DEFAULT { .check = LZMA_CHECK_CRC32, .preset = 6, \
                      .lc = -1, .lp = -1, .pb = -1 }

/* Code-like bytes: calls and jumps with near targets, some repetition. */
static void gen_x86(uint8_t *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned int kind = rng() % 8;
        int32_t rel = (int32_t)(rng() % 0x20000) - 0x10000;

        if (kind < 3 && n - i >= 5) {
            p[i++] = kind == 0 ? 0xe9 : 0xe8;
            for (unsigned int k = 0; k < 4; k++)
                p[i++] = (uint8_t)((uint32_t)rel >> (8 * k));
        } else if (kind < 5 && i >= 64) {
            size_t want = 4 + rng() % 24, len = MIN(n - i, want);

            for (size_t k = 0; k < len; k++, i++)
                p[i] = p[i - 64 + (rng() % 8)];
        } else {
            p[i++] = (uint8_t)(0x40 + rng() % 0x50);
        }
    }
}

/* Opcode-dense noise: E8/E9 and 00/FF bytes stress the BCJ state. */
static void gen_bcj_dense(uint8_t *p, size_t n)
{
    static const uint8_t alpha[] = { 0xe8, 0xe9, 0x00, 0xff, 0x12, 0xe8 };

    for (size_t i = 0; i < n; i++)
        p[i] = rng() % 4 ? alpha[rng() % sizeof(alpha)] : (uint8_t)rng();
}

static void set_filters(const struct enc *e, lzma_filter *f,
                        lzma_options_lzma *opt, lzma_options_bcj *bcj)
{
    int k = 0;

    assert_false(lzma_lzma_preset(opt, e->preset));
    if (e->lc >= 0) {
        opt->lc = (uint32_t)e->lc;
        opt->lp = (uint32_t)e->lp;
        opt->pb = (uint32_t)e->pb;
    }
    bcj->start_offset = e->bcj_start;
    if (e->bcj)
        f[k++] = (lzma_filter){ .id = LZMA_FILTER_X86, .options = bcj };
    f[k++] = (lzma_filter){ .id = LZMA_FILTER_LZMA2, .options = opt };
    f[k] = (lzma_filter){ .id = LZMA_VLI_UNKNOWN, .options = NULL };
}

/* A block per e->block input bytes, through full flushes. */
static size_t encode_blocks(const uint8_t *in, size_t n, lzma_filter *f,
                            const struct enc *e, uint8_t *out, size_t cap)
{
    lzma_stream s = LZMA_STREAM_INIT;
    size_t done = 0;
    lzma_ret ret;

    assert_int_equal(lzma_stream_encoder(&s, f, e->check), LZMA_OK);
    s.next_out = out;
    s.avail_out = cap;
    do {
        size_t len = MIN(e->block, n - done);
        lzma_action act = done + len == n ? LZMA_FINISH : LZMA_FULL_FLUSH;

        s.next_in = in + done;
        s.avail_in = len;
        do
            ret = lzma_code(&s, act);
        while (ret == LZMA_OK);
        assert_int_equal(ret, LZMA_STREAM_END);
        done += len;
    } while (done < n);
    lzma_end(&s);
    return cap - s.avail_out;
}

/* Returns the .xz stream for in[0, n) in a malloc'd buffer. */
static uint8_t *encode(const uint8_t *in, size_t n, const struct enc *e,
                       size_t *zn)
{
    lzma_options_lzma opt;
    lzma_options_bcj bcj;
    lzma_filter f[3];
    size_t cap = lzma_stream_buffer_bound(n) + 4096, pos = 0;
    uint8_t *out;

    if (e->block)
        cap += (n / e->block + 1) * 128;    /* headers, index records */
    out = xmalloc(cap);

    set_filters(e, f, &opt, &bcj);
    if (e->block) {
        *zn = encode_blocks(in, n, f, e, out, cap);
        return out;
    }
    assert_int_equal(lzma_stream_buffer_encode(f, e->check, NULL, in, n,
                                               out, &pos, cap), LZMA_OK);
    *zn = pos;
    return out;
}

/*
 * Decodes z (copied to an exact-size buffer, then again with the bzImage's
 * four size bytes after it) into exact-size and roomier buffers.
 */
static void check_decode(const uint8_t *z, size_t zn, const uint8_t *ref,
                         size_t n)
{
    uint8_t *in = xmalloc(zn + 4);

    memcpy(in, z, zn);
    for (unsigned int k = 0; k < 4; k++)
        in[zn + k] = (uint8_t)(n >> (8 * k));
    check_decoder(xz_decompress, in, zn, 4, ref, n);
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

static void test_empty_and_tiny(void **state)
{
    static const lzma_check checks[] = {
        LZMA_CHECK_NONE, LZMA_CHECK_CRC32, LZMA_CHECK_CRC64
    };
    uint8_t byte = 'k';

    (void)state;
    for (unsigned int i = 0; i < ARRAY_SIZE(checks); i++) {
        struct enc e = ENC_DEFAULT;

        e.check = checks[i];
        roundtrip(&byte, 0, &e);
        roundtrip(&byte, 1, &e);
        e.bcj = true;
        roundtrip(&byte, 0, &e);
        roundtrip(&byte, 1, &e);
    }
}

static void test_presets(void **state)
{
    static const uint32_t presets[] = {
        0, 1, 3, 6, 9, 0 | LZMA_PRESET_EXTREME, 9 | LZMA_PRESET_EXTREME
    };

    (void)state;
    rng_state = 1;
    for (unsigned int i = 0; i < ARRAY_SIZE(presets); i++) {
        struct enc e = ENC_DEFAULT;

        e.preset = presets[i];
        roundtrip_gen(gen_text, 150000, &e);
        roundtrip_gen(gen_x86, 70000, &e);
    }
}

/* Random data is stored in uncompressed chunks of at most 64 KiB. */
static void test_random(void **state)
{
    struct enc e = ENC_DEFAULT;

    (void)state;
    rng_state = 2;
    roundtrip_gen(gen_random, 300000, &e);
    e.bcj = true;
    roundtrip_gen(gen_random, 200001, &e);
}

/* LZMA chunks hold at most 2 MiB uncompressed, 64 KiB compressed. */
static void test_chunk_limits(void **state)
{
    static const size_t sizes[] = {
        65535, 65536, 65537, 131071, 131072, 131073,
    };
    struct enc e = ENC_DEFAULT;

    (void)state;
    rng_state = 3;
    for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
        roundtrip_gen(gen_random, sizes[i], &e);
        roundtrip_gen(gen_text, sizes[i], &e);
    }
    roundtrip_gen(gen_repeat, (2u << 20) - 1, &e);
    roundtrip_gen(gen_repeat, 2u << 20, &e);
    roundtrip_gen(gen_repeat, (2u << 20) + 1, &e);
    roundtrip_gen(gen_repeat, 5u << 20, &e);
    roundtrip_gen(gen_text, 3u << 20, &e);
}

/* Text and noise in turn: LZMA and stored chunks, with state resets. */
static void gen_mixed(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 50000) {
        size_t len = MIN(n - i, 50000);

        if ((i / 50000) % 2)
            gen_random(p + i, len);
        else
            gen_text(p + i, len);
    }
}

static void test_mixed(void **state)
{
    struct enc e = ENC_DEFAULT;

    (void)state;
    rng_state = 4;
    roundtrip_gen(gen_mixed, 600000, &e);
    e.preset = 0;
    roundtrip_gen(gen_mixed, 400000, &e);
}

static void test_lc_lp_pb(void **state)
{
    (void)state;
    rng_state = 5;
    for (int lc = 0; lc <= 4; lc++)
        for (int lp = 0; lc + lp <= 4; lp++)
            for (int pb = 0; pb <= 4; pb += 2) {
                struct enc e = ENC_DEFAULT;

                e.lc = lc;
                e.lp = lp;
                e.pb = pb;
                e.preset = 1;
                roundtrip_gen(gen_text, 20000, &e);
                roundtrip_gen(gen_x86, 20000, &e);
            }
}

static void test_bcj(void **state)
{
    static const uint32_t starts[] = { 0, 1, 0x1000, 0xfffffff0 };

    (void)state;
    rng_state = 6;
    for (unsigned int i = 0; i < ARRAY_SIZE(starts); i++) {
        struct enc e = ENC_DEFAULT;

        e.bcj = true;
        e.bcj_start = starts[i];
        roundtrip_gen(gen_x86, 300000, &e);
        roundtrip_gen(gen_bcj_dense, 100000, &e);
    }
}

/* Every short length, where the filter leaves the tail alone. */
static void test_bcj_short(void **state)
{
    struct enc e = ENC_DEFAULT;

    (void)state;
    rng_state = 7;
    e.bcj = true;
    e.preset = 0;
    for (size_t n = 0; n < 80; n++)
        for (unsigned int k = 0; k < 8; k++)
            roundtrip_gen(gen_bcj_dense, n, &e);
}

static void test_checks(void **state)
{
    static const lzma_check checks[] = {
        LZMA_CHECK_NONE, LZMA_CHECK_CRC32, LZMA_CHECK_CRC64
    };

    (void)state;
    rng_state = 8;
    for (unsigned int i = 0; i < ARRAY_SIZE(checks); i++) {
        struct enc e = ENC_DEFAULT;

        e.check = checks[i];
        roundtrip_gen(gen_text, 100000, &e);
        e.bcj = true;
        roundtrip_gen(gen_x86, 100000, &e);
    }
}

/* A damaged check field, and a check type that is not supported. */
static void test_check_errors(void **state)
{
    uint8_t data[5000], out[5000], *z;
    struct enc e = ENC_DEFAULT;
    size_t zn, len;

    (void)state;
    rng_state = 9;
    gen_text(data, sizeof(data));
    e.check = LZMA_CHECK_CRC64;
    z = encode(data, sizeof(data), &e, &zn);
    /* The check ends 4 (CRC32 index) + 12 (footer) + padding before. */
    for (size_t i = 0; i < zn; i++) {
        z[i] ^= 0x01;
        assert_true(xz_decompress(z, zn, out, sizeof(out), &len) < 0);
        z[i] ^= 0x01;
    }
    free(z);
    e.check = LZMA_CHECK_SHA256;
    z = encode(data, sizeof(data), &e, &zn);
    assert_int_equal(xz_decompress(z, zn, out, sizeof(out), &len),
                     -XEN_EOPNOTSUPP);
    free(z);
}

static void test_multi_block(void **state)
{
    static const size_t blocks[] = { 1, 1000, 65536, 100000 };

    (void)state;
    rng_state = 10;
    for (unsigned int i = 0; i < ARRAY_SIZE(blocks); i++) {
        struct enc e = ENC_DEFAULT;

        e.block = blocks[i];
        roundtrip_gen(gen_text, blocks[i] == 1 ? 3000 : 400000, &e);
        e.bcj = true;
        e.check = LZMA_CHECK_CRC64;
        roundtrip_gen(gen_x86, blocks[i] == 1 ? 3000 : 400000, &e);
        e.check = LZMA_CHECK_NONE;
        roundtrip_gen(gen_mixed, blocks[i] == 1 ? 2000 : 300000, &e);
    }
}

/* Every prefix of a stream is an error, never a crash. */
static void test_truncation(void **state)
{
    uint8_t data[3000], out[3000], *z, *in;
    struct enc e = ENC_DEFAULT;
    size_t zn, len;

    (void)state;
    rng_state = 11;
    gen_x86(data, sizeof(data));
    e.bcj = true;
    e.check = LZMA_CHECK_CRC64;
    e.block = 1000;
    z = encode(data, sizeof(data), &e, &zn);
    for (size_t n = 0; n < zn; n++) {
        in = xmalloc(n);
        memcpy(in, z, n);
        assert_int_equal(xz_decompress(in, n, out, sizeof(out), &len),
                         -XEN_EINVAL);
        free(in);
    }
    free(z);
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
        rc = xz_decompress(in, zn, out, n, &len);
        if (rc == 0)
            assert_true(len <= n);
        else
            assert_true(rc == -XEN_EINVAL || rc == -XEN_ENOSPC ||
                        rc == -XEN_EOPNOTSUPP);
    }
    free(in);
    free(out);
}

static void test_fuzz(void **state)
{
    static gen_fn *const gens[] = { gen_text, gen_x86, gen_mixed };
    static const lzma_check checks[] = {
        LZMA_CHECK_NONE, LZMA_CHECK_CRC32, LZMA_CHECK_CRC64
    };
    uint8_t data[6000];

    (void)state;
    rng_state = 12;
    for (unsigned int i = 0; i < 4; i++) {
        struct enc e = ENC_DEFAULT;
        size_t zn;
        uint8_t *z;

        gens[i % 3](data, sizeof(data));
        e.check = checks[i % 3];
        e.bcj = i & 1;
        e.block = i == 3 ? 2500 : 0;
        z = encode(data, sizeof(data), &e, &zn);
        fuzz_one(z, zn, sizeof(data), 5000);
        free(z);
    }
}

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p;
    long sz;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = xmalloc((size_t)sz);
    assert_int_equal(fread(p, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *n = (size_t)sz;
    return p;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* The Debian kernel's payload (PV-ABI.md 1.1), against liblzma's output. */
static void test_kernel(void **state)
{
    const char *o = getenv("O");
    char path[512];
    size_t fn, off, plen, usize, len = 0, in_pos = 0, ref_len = 0;
    uint8_t *file, *out, *ref;
    uint64_t memlimit = UINT64_MAX;
    double t0, t1, t2;

    (void)state;
    snprintf(path, sizeof(path), "%s/cache/linux/vmlinuz", o ? o : "build");
    file = read_file(path, &fn);
    if (!file)
        skip();
    assert_true(fn > 0x250);
    off = ((size_t)(file[0x1f1] ? file[0x1f1] : 4) + 1) * 512 +
          le32(file + 0x248);
    plen = le32(file + 0x24c);
    assert_true(off < fn && plen <= fn - off && plen > 4);
    usize = le32(file + off + plen - 4);
    out = xmalloc(usize);
    ref = xmalloc(usize);
    t0 = now();
    assert_int_equal(xz_decompress(file + off, plen, out, usize, &len), 0);
    t1 = now();
    assert_int_equal(lzma_stream_buffer_decode(&memlimit, 0, NULL,
                                               file + off, &in_pos, plen - 4,
                                               ref, &ref_len, usize),
                     LZMA_OK);
    t2 = now();
    assert_int_equal(len, usize);
    assert_int_equal(ref_len, usize);
    assert_memory_equal(out, ref, usize);
    print_message("kernel payload %zu -> %zu bytes: keel %.2f s, "
                  "liblzma %.2f s (this build: ASan/UBSan -O1)\n",
                  plen, usize, t1 - t0, t2 - t1);
    free(out);
    free(ref);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_chunk_limits),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_lc_lp_pb),
        cmocka_unit_test(test_bcj),
        cmocka_unit_test(test_bcj_short),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_multi_block),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_fuzz),
        cmocka_unit_test(test_kernel),
    };

    return cmocka_run_group_tests_name("xz", tests, NULL, NULL);
}
