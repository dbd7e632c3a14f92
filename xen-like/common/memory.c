/* SPDX-License-Identifier: GPL-2.0-only */
/* memory_op: the memory maps and reservations a PV guest asks about. */
#include <hv/abi.h>
#include <hv/boot.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/m2p.h>
#include <asm/pv/mm.h>
#include <asm/pv/hypercall.h>

/* memory.h defines this for Xen itself only. */
#define MEMOP_CMD_MASK  0x3fu     /* the rest of cmd: a start extent */

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __packed;

/* XENMEM_machine_memory_map: the host's map (dom0 only). */
static long machine_memory_map(unsigned long arg)
{
    const struct boot_info *bi = keel_boot_info();
    struct xen_memory_map map;
    unsigned int i, n;

    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    if (copy_from_guest(&map, (const void *)arg, sizeof(map)))
        return -XEN_EFAULT;
    n = MIN(map.nr_entries, bi->nr_mmap);
    for (i = 0; i < n; i++) {
        struct e820_entry e = { bi->mmap[i].start, bi->mmap[i].len,
                                bi->mmap[i].type };
        struct e820_entry *dst = (struct e820_entry *)map.buffer.p + i;

        if (copy_to_guest(dst, &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest((void *)arg, &map, sizeof(map));
}

/* The domain a domid_t at arg names; NULL with *rc set if none. */
static struct domain *domain_from_guest(unsigned long arg, long *rc)
{
    domid_t id;
    struct domain *d;

    if (copy_from_guest(&id, (const void *)arg, sizeof(id))) {
        *rc = -XEN_EFAULT;
        return NULL;
    }
    d = id == DOMID_SELF ? current->domain : domain_by_id(id);
    if (!d)
        *rc = -XEN_ESRCH;
    else if (d != current->domain && !domain_is_privileged(current->domain)) {
        *rc = -XEN_EPERM;
        d = NULL;
    }
    return d;
}

static long reservation(unsigned long cmd, unsigned long arg)
{
    long rc = 0;
    struct domain *d = domain_from_guest(arg, &rc);

    if (!d)
        return rc;
    return cmd == XENMEM_current_reservation ? (long)d->tot_pages
                                             : (long)d->max_pages;
}

static long machphys_mapping(unsigned long arg)
{
    struct xen_machphys_mapping mp = {
        .v_start = MACH2PHYS_VIRT_START,
        .v_end = MACH2PHYS_VIRT_START +
                 ROUNDUP(max_page * sizeof(unsigned long), PAGE_SIZE),
        .max_mfn = max_page - 1,
    };

    return copy_to_guest((void *)arg, &mp, sizeof(mp));
}

/* XENMEM_memory_map: no domain has a pseudo-physical map set (yet). */
static long memory_map(unsigned long arg)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, (const void *)arg, sizeof(map)))
        return -XEN_EFAULT;
    return -XEN_ENOSYS;
}

/* Largest extent a domain may ask for (Xen 4.17: 18 for dom0, else 9). */
static unsigned int max_extent_order(const struct domain *d)
{
    return domain_is_privileged(d) ? 18 : 9;
}

/* Gives back 2^order frames from mfn; false at the first one not d's. */
static bool release_extent(struct domain *d, xen_pfn_t mfn,
                           unsigned int order)
{
    unsigned long i;

    for (i = 0; i < (1UL << order); i++) {
        struct page_info *pg;

        if (mfn + i >= max_page || !get_page(pg = mfn_to_page(_mfn(mfn + i)), d))
            return false;
        /* Freed (and its M2P entry cleared) once its last user goes. */
        pagetype_release_page(pg);
        put_page(pg);
    }
    return true;
}

/* A fresh, zeroed 2^order block assigned to d; INVALID_MFN if none. */
static mfn_t grab_extent(struct domain *d, unsigned int order)
{
    struct page_info *pg;
    unsigned long i;

    if (d->tot_pages + (1UL << order) > d->max_pages ||
        !(pg = alloc_pages(order)))
        return INVALID_MFN;
    for (i = 0; i < (1UL << order); i++) {
        memset(page_to_virt(pg + i), 0, PAGE_SIZE);
        pagetype_assign_page(pg + i, d);
        spin_lock(&d->page_lock);
        list_add_tail(&pg[i].list, &d->page_list);
        d->tot_pages++;
        spin_unlock(&d->page_lock);
    }
    return page_to_mfn(pg);
}

/*
 * increase/decrease_reservation and populate_physmap on the caller's own
 * memory: extents of 2^order frames; the result is how many were done.
 * A PV domain names frames by MFN; populate_physmap takes the GPFN of
 * each extent and returns its new MFN in its place.
 */
/* Can extents of d satisfy mem_flags' address limit?  (No allocation
 * below a given address yet: only limits above all of RAM are met.) */
static bool address_bits_ok(unsigned int mem_flags)
{
    unsigned int bits = mem_flags & 0xff;

    return !bits || (bits < 64 && ((paddr_t)max_page << PAGE_SHIFT) <=
                                  (1UL << bits));
}

static bool do_extent(struct domain *d, unsigned long op,
                      const struct xen_memory_reservation *r, xen_pfn_t *slot)
{
    xen_pfn_t val = 0;
    unsigned long j;
    mfn_t mfn;

    if (op != XENMEM_increase_reservation &&
        copy_from_guest(&val, slot, sizeof(val)))
        return false;
    if (op == XENMEM_decrease_reservation)
        return release_extent(d, val, r->extent_order);
    if (mfn_eq(mfn = grab_extent(d, r->extent_order), INVALID_MFN))
        return false;
    if (op == XENMEM_populate_physmap)
        for (j = 0; j < (1UL << r->extent_order); j++)
            m2p_set(mfn_add(mfn, j), val + j);
    val = mfn_x(mfn);
    return !r->extent_start.p || !copy_to_guest(slot, &val, sizeof(val));
}

/*
 * increase/decrease_reservation and populate_physmap on the caller's own
 * memory: extents of 2^order frames.  As in Xen 4.17 the result is always
 * the count of extents done (starting at the start extent in cmd's upper
 * bits), errors included: a bad argument, domain or order is 0 done.
 * A PV domain names frames by MFN; populate_physmap takes the GPFN of
 * each extent and returns its new MFN in its place.
 */
static long reservation_op(unsigned long cmd, unsigned long arg)
{
    unsigned long op = cmd & MEMOP_CMD_MASK, i = cmd >> 6;
    struct xen_memory_reservation r;
    struct domain *d;

    if (copy_from_guest(&r, (const void *)arg, sizeof(r)) ||
        r.nr_extents > (UINT32_MAX >> 6))
        return i;
    d = r.domid == DOMID_SELF ? current->domain : domain_by_id(r.domid);
    if (d != current->domain || r.extent_order > max_extent_order(d) ||
        (op != XENMEM_decrease_reservation && !address_bits_ok(r.mem_flags)))
        return i;                   /* other domains: with the toolstack */
    /* The whole list must be addressable before anything is allocated. */
    if (r.extent_start.p && i < r.nr_extents &&
        !guest_range_ok((unsigned long)(r.extent_start.p + i),
                        (r.nr_extents - i) * sizeof(xen_pfn_t)))
        return i;
    for (; i < r.nr_extents; i++)
        if (!do_extent(d, op, &r, r.extent_start.p + i))
            break;
    return i;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    switch (cmd & MEMOP_CMD_MASK) {
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(cmd, arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation(cmd & MEMOP_CMD_MASK, arg);
    case XENMEM_maximum_ram_page:
        return max_page;
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    case XENMEM_memory_map:
        return memory_map(arg);
    default:
        return -XEN_ENOSYS;
    }
}
