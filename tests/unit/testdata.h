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

#endif
