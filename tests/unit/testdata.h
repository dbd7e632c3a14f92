/* SPDX-License-Identifier: GPL-2.0-only */
/* Test data shared by the decompressor tests (testdata.c). */
#ifndef TESTS_UNIT_TESTDATA_H
#define TESTS_UNIT_TESTDATA_H

#include <stddef.h>
#include <stdint.h>

extern uint64_t rng_state;      /* seed it before each test */
uint64_t rng(void);
void *xmalloc(size_t n);        /* asserts success */
void gen_random(uint8_t *p, size_t n);
void gen_text(uint8_t *p, size_t n);
void gen_repeat(uint8_t *p, size_t n);

typedef int decompress_fn(const void *in, size_t in_len, void *out,
                          size_t out_cap, size_t *out_len);
/*
 * The checks every decoder passes on its stream in[0..zn), which has
 * `extra` bytes after it that must be ignored: the output ref[0..n) into
 * an exact-size buffer, into a roomier one (untouched past n), and
 * -XEN_ENOSPC one byte short.
 */
void check_decoder(decompress_fn *fn, const uint8_t *in, size_t zn,
                   size_t extra, const uint8_t *ref, size_t n);

#endif
