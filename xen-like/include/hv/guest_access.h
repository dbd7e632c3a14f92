/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only way Keel touches guest memory by guest address: through the
 * current page tables, refusing the non-canonical gap and Keel's own slots,
 * and turning any fault into -XEN_EFAULT.
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <hv/abi.h>
#include <hv/types.h>

/* [first, end) may never be touched on a guest's behalf. */
#define GUEST_FORBIDDEN_START   0x0000800000000000UL
#define GUEST_FORBIDDEN_END     0xffff880000000000UL

size_t raw_copy(void *dst, const void *src, size_t n);

/* A 48-bit address sign-extended to 64 bits (4-level paging). */
static inline bool is_canonical(unsigned long va)
{
    return (unsigned long)((long)(va << 16) >> 16) == va;
}

static inline bool guest_range_ok(unsigned long va, size_t n)
{
    unsigned long end = va + n;

    if (end < va)
        return false;
    return end <= GUEST_FORBIDDEN_START || va >= GUEST_FORBIDDEN_END;
}

static inline int copy_from_guest(void *dst, const void *guest, size_t n)
{
    if (!guest_range_ok((unsigned long)guest, n))
        return -XEN_EFAULT;
    return raw_copy(dst, guest, n) ? -XEN_EFAULT : 0;
}

static inline int copy_to_guest(void *guest, const void *src, size_t n)
{
    if (!guest_range_ok((unsigned long)guest, n))
        return -XEN_EFAULT;
    return raw_copy(guest, src, n) ? -XEN_EFAULT : 0;
}

#endif
