/* SPDX-License-Identifier: GPL-2.0-only */
/* Test data for the decompressor tests: a fixed-seed generator and inputs
 * of different kinds (random, text-like, repetitive). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/compiler.h>
#include <hv/abi.h>
#include "testdata.h"

uint64_t rng_state;

uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    assert_non_null(p);
    return p;
}

void gen_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

void gen_text(uint8_t *p, size_t n)
{
    static const char *const words[] = {
        "the ", "hypervisor ", "page ", "table ", "domain ", "grant ",
        "event ", "channel ", "of ", "and ", "a ", "kernel ", "\n",
        "mmu_update ", "0x1000 ", "vcpu ", "Xen ", "is ", "PV ", ", ",
    };
    size_t i = 0;

    while (i < n) {
        const char *w = words[rng() % ARRAY_SIZE(words)];

        while (*w && i < n)
            p[i++] = (uint8_t)*w++;
    }
}

void gen_repeat(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)("keel"[i % 4] + (i / 100000));
}

void check_decoder(decompress_fn *fn, const uint8_t *in, size_t zn,
                   size_t extra, const uint8_t *ref, size_t n)
{
    uint8_t *out = xmalloc(n + 64);
    size_t len = 0;

    assert_int_equal(fn(in, zn, out, n, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(out, ref, n);
    memset(out, 0xa5, n + 64);
    len = 0;
    assert_int_equal(fn(in, zn + extra, out, n + 64, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(out, ref, n);
    for (size_t k = n; k < n + 64; k++)
        assert_int_equal(out[k], 0xa5);
    if (n)
        assert_int_equal(fn(in, zn, out, n - 1, &len), -XEN_ENOSPC);
    free(out);
}
