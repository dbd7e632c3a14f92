/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces between the decompressors' parts (common/decompress). */
#ifndef DECOMPRESS_PRIVATE_H
#define DECOMPRESS_PRIVATE_H

#include <hv/types.h>

/*
 * CRC-32 (IEEE 802.3, reflected) and CRC-64 (ECMA-182, reflected) with the
 * usual pre- and post-inversion: start with 0, feed pieces in order.
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len);

/*
 * Decodes raw LZMA2 data from in into out[out_start, out_cap), the whole
 * of out before out_start being unused by it (each LZMA2 stream starts with
 * a dictionary reset).  On success *in_used covers the end marker and
 * *out_end is the position after the last decoded byte.
 */
int lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used,
                 uint8_t *out, size_t out_start, size_t out_cap,
                 size_t *out_end, uint32_t dict_size);

/*
 * Undoes the x86 BCJ filter in place: buf holds a whole filtered block and
 * start is the filter's start offset (its position of buf[0]).
 */
void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start);

/*
 * Decodes one raw deflate stream (RFC 1951) into out.  *in_used is the
 * number of whole bytes it occupies (the last one possibly partly).
 */
int inflate_raw(const uint8_t *in, size_t in_len, size_t *in_used,
                uint8_t *out, size_t out_cap, size_t *out_used);

#endif
