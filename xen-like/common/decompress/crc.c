/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CRC-32 and CRC-64 for the .xz and gzip checks, from tables built on
 * first use (boot is single-threaded when decompressing).  CRC-32 covers
 * the whole kernel, so it takes eight bytes per step.
 */
#include <hv/lib.h>

#include "private.h"

#define CRC32_POLY  0xedb88320u               /* IEEE 802.3, reflected */
#define CRC64_POLY  0xc96c5795d7870f42ull     /* ECMA-182, reflected */

/* [k][b]: the CRC of byte b followed by k zero bytes. */
static uint32_t crc32_table[8][256];
static uint64_t crc64_table[256];
static bool crc32_ready, crc64_ready;

static void crc32_init(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint32_t r = i;

        for (unsigned int k = 0; k < 8; k++)
            r = (r >> 1) ^ (CRC32_POLY & (0u - (r & 1)));
        crc32_table[0][i] = r;
    }
    for (unsigned int k = 1; k < 8; k++)
        for (unsigned int i = 0; i < 256; i++) {
            uint32_t r = crc32_table[k - 1][i];

            crc32_table[k][i] = (r >> 8) ^ crc32_table[0][r & 0xff];
        }
    crc32_ready = true;
}

static void crc64_init(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint64_t r = i;

        for (unsigned int k = 0; k < 8; k++)
            r = (r >> 1) ^ (CRC64_POLY & (0ull - (r & 1)));
        crc64_table[i] = r;
    }
    crc64_ready = true;
}

static uint32_t crc32_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint32_t (*t)[256] = crc32_table;
    const uint8_t *p = buf;

    if (unlikely(!crc32_ready))
        crc32_init();
    crc = ~crc;
    for (; len >= 8; len -= 8, p += 8) {
        uint32_t lo = crc ^ crc32_le32(p), hi = crc32_le32(p + 4);

        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
              t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
              t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    for (; len; len--, p++)
        crc = t[0][(crc ^ *p) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint64_t crc64_update(uint64_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (unlikely(!crc64_ready))
        crc64_init();
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = crc64_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}
