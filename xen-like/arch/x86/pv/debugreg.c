/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * set_debugreg / get_debugreg: a PV guest's debug registers, checked and
 * kept per vCPU.  They are not loaded into the hardware yet, so guest
 * hardware breakpoints do not fire (a #DB in Keel's own context would
 * need handling first).
 */
#include <hv/abi.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

#define DR6_FIXED   0xffff0ff0UL    /* bits that read as 1 */
#define DR7_FIXED   0x00000400UL
#define DR7_RESERVED (0xffffffff00000000UL | (1UL << 12) | (3UL << 14))

long do_set_debugreg(unsigned long reg, unsigned long value)
{
    struct vcpu *v = current;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        /* Breakpoints on guest addresses only. */
        if (!guest_range_ok(value, 1))
            return -XEN_EPERM;
        break;
    case 6:
        value = (value & 0xffffffffUL) | DR6_FIXED;
        break;
    case 7:
        if (value & DR7_RESERVED)
            return -XEN_EPERM;
        value |= DR7_FIXED;
        break;
    default:
        return -XEN_EINVAL;
    }
    v->arch.debugreg[reg] = value;
    return 0;
}

long do_get_debugreg(unsigned long reg)
{
    const struct vcpu *v = current;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        return v->arch.debugreg[reg];
    case 6:
        return v->arch.debugreg[6] | DR6_FIXED;
    case 7:
        return v->arch.debugreg[7] | DR7_FIXED;
    default:
        return -XEN_EINVAL;
    }
}
