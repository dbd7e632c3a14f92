/* SPDX-License-Identifier: GPL-2.0-only */
/* Looks up the table tools/gensyms.sh generates from the first link. */
#include <hv/lib.h>
#include <hv/symbols.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_offsets[];
extern const char ksyms_names[];
extern const char _etext[];

/* Index of the last symbol at or below addr, or -1. */
static long symbols_find(unsigned long addr)
{
    long lo = 0, hi = (long)ksyms_count - 1, found = -1;

    if (!ksyms_count || addr >= (unsigned long)_etext)
        return -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;

        if (ksyms_addrs[mid] <= addr) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

int symbols_snprint(char *buf, size_t size, unsigned long addr)
{
    long i = symbols_find(addr);
    unsigned long end;

    if (i < 0)
        return snprintf(buf, size, "??");
    end = (uint64_t)i + 1 < ksyms_count ? ksyms_addrs[i + 1]
                                        : (unsigned long)_etext;
    return snprintf(buf, size, "%s+0x%lx/0x%lx",
                    ksyms_names + ksyms_offsets[i], addr - ksyms_addrs[i],
                    end - ksyms_addrs[i]);
}
