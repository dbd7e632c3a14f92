/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * domctl: the toolstack's control of domains (privileged only), in the
 * Xen 4.17 interface (XEN_DOMCTL_INTERFACE_VERSION 0x15).  So far only
 * max_mem; the rest comes with the toolstack (M5).
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

long do_domctl(unsigned long arg)
{
    static uint64_t reported;
    struct xen_domctl op;
    struct domain *d;

    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    if (copy_from_guest(&op, (const void *)arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (op.cmd) {
    case XEN_DOMCTL_max_mem:
        if (!(d = domain_by_id(op.domain)))
            return -XEN_ESRCH;
        d->max_pages = op.u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
        return 0;
    default:
        if (log_once(&reported, op.cmd))
            pr_warn("d%u: domctl %u not implemented yet: -ENOSYS\n",
                    current->domain->domain_id, op.cmd);
        return -XEN_ENOSYS;
    }
}
