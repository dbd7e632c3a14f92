/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 BCJ filter, decoding side: E8 (call) and E9 (jmp) rel32 operands
 * were made absolute by the encoder so that LZMA finds repeats; make them
 * relative again.  The whole filtered block is in memory (single call).
 */
#include <hv/lib.h>

#include "private.h"

/* A top operand byte a near branch within +-16 MiB has. */
static inline bool bcj_top_ok(unsigned int b)
{
    return b == 0x00 || b == 0xff;
}

/*
 * mask tells which of the three bytes before an opcode were themselves
 * E8/E9 bytes left alone: bit k for the one k + 1 bytes back.  The filter
 * converts an opcode only if at most one such byte is that near, and that
 * one's operand top byte (inside this operand) is not 00/FF.
 */
static bool bcj_skip(const uint8_t *op, unsigned int mask)
{
    unsigned int far;

    if (mask == 0)
        return false;
    if (mask != 1 && mask != 2 && mask != 4)
        return true;
    far = mask == 4 ? 2 : mask - 1;    /* bit index = distance - 1 */
    return bcj_top_ok(op[3 - far]);
}

/* Rewrites op[1..4] from absolute to relative; pos is the opcode's. */
static void bcj_convert(uint8_t *op, uint32_t pos, unsigned int mask)
{
    uint32_t src = (uint32_t)op[1] | ((uint32_t)op[2] << 8) |
                   ((uint32_t)op[3] << 16) | ((uint32_t)op[4] << 24);
    /* The byte the nearby E8/E9's operand overlaps, as a shift count. */
    unsigned int shift = mask == 4 ? 0 : mask == 2 ? 8 : 16;
    uint32_t dest;

    for (;;) {
        dest = src - (pos + 5);
        if (mask == 0 || !bcj_top_ok((dest >> shift) & 0xff))
            break;
        src = dest ^ ((1u << (shift + 8)) - 1);
    }
    op[1] = (uint8_t)dest;
    op[2] = (uint8_t)(dest >> 8);
    op[3] = (uint8_t)(dest >> 16);
    op[4] = (dest >> 24) & 1 ? 0xff : 0x00;
}

void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start)
{
    size_t i = 0, last = 0;
    unsigned int mask = 0;

    if (len < 5)
        return;
    for (;;) {
        while (i < len - 4 && (buf[i] & 0xfe) != 0xe8)
            i++;
        if (i >= len - 4)
            break;
        /* Age the mask by the distance from the previous E8/E9. */
        if (i - last > 3 || mask == 0)
            mask = 0;
        else
            mask = (mask << (i - last - 1)) & 7;
        last = i;
        if (!bcj_skip(&buf[i], mask) && bcj_top_ok(buf[i + 4])) {
            bcj_convert(&buf[i], start + (uint32_t)i, mask);
            i += 5;
        } else {
            mask = ((mask << 1) & 7) | 1;
            i++;
        }
    }
}
