/* SPDX-License-Identifier: GPL-2.0-only */
/* Test data for the decompressor tests: a fixed-seed generator and inputs
 * of different kinds (random, text-like, repetitive). */
#include <stdint.h>
#include <stdlib.h>
#include <hv/compiler.h>
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
