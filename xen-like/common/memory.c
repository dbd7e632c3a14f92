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

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    switch (cmd & MEMOP_CMD_MASK) {
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
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
