/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op: a PV guest's view of physical devices.  So far the virtual
 * IOPL (which gates port I/O emulation, emul_priv.c); interrupts and PCI
 * come with M4.
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
    static uint64_t reported;
    struct physdev_set_iopl iopl;

    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        if (copy_from_guest(&iopl, (const void *)arg, sizeof(iopl)))
            return -XEN_EFAULT;
        if (iopl.iopl > 3)
            return -XEN_EINVAL;
        current->arch.iopl = iopl.iopl;
        return 0;
    default:
        if (log_once(&reported, cmd))
            pr_warn("d%u: physdev_op %lu not implemented yet: -ENOSYS\n",
                    current->domain->domain_id, cmd);
        return -XEN_ENOSYS;
    }
}
