/* SPDX-License-Identifier: GPL-2.0-only */
/* xen_version: who Keel says it is, and which features it offers. */
#include <hv/abi.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <asm/pv/hypercall.h>

/* Keel implements the ABI of Xen 4.17, and says so. */
#define KEEL_XEN_MAJOR  4
#define KEEL_XEN_MINOR  17

/* What a PV guest gets in submap 0 (Linux panics without bits 5 and 7). */
#define KEEL_FEATURES   ((1u << XENFEAT_mmu_pt_update_preserve_ad) | \
                         (1u << XENFEAT_highmem_assist) | \
                         (1u << XENFEAT_gnttab_map_avail_bits) | \
                         (1u << XENFEAT_dom0))

static long copy_string(unsigned long arg, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest((void *)arg, buf, size);
}

static long get_features(unsigned long arg)
{
    xen_feature_info_t fi;

    if (copy_from_guest(&fi, (const void *)arg, sizeof(fi)))
        return -XEN_EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -XEN_EINVAL;
    fi.submap = KEEL_FEATURES;
    return copy_to_guest((void *)arg, &fi, sizeof(fi));
}

long do_xen_version(unsigned long cmd, unsigned long arg)
{
    xen_platform_parameters_t pp = { .virt_start = HYPERVISOR_VIRT_START };

    switch (cmd) {
    case XENVER_version:
        return (KEEL_XEN_MAJOR << 16) | KEEL_XEN_MINOR;
    case XENVER_extraversion:
        return copy_string(arg, ".0-keel", sizeof(xen_extraversion_t));
    case XENVER_capabilities:
        return copy_string(arg, "xen-3.0-x86_64 ",
                           sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string(arg, "keel", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
        return copy_to_guest((void *)arg, &pp, sizeof(pp));
    case XENVER_get_features:
        return get_features(arg);
    case XENVER_pagesize:
        return PAGE_SIZE;
    default:
        return -XEN_ENOSYS;
    }
}
