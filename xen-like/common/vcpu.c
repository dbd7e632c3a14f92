/* SPDX-License-Identifier: GPL-2.0-only */
/* vcpu_op: which vCPUs are up, and their timers. */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/time.h>

static long set_singleshot(struct vcpu *v, unsigned long arg)
{
    struct vcpu_set_singleshot_timer st;

    if (v != current)
        return -XEN_EINVAL;
    if (copy_from_guest(&st, (const void *)arg, sizeof(st)))
        return -XEN_EFAULT;
    pv_set_singleshot(v, st.timeout_abs_ns);
    return 0;
}

long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg)
{
    static uint64_t reported;
    struct domain *d = current->domain;
    struct vcpu *v;

    if (vcpuid >= MAX_DOMAIN_VCPUS || !(v = d->vcpu[vcpuid]))
        return -XEN_ENOENT;
    switch (cmd) {
    case VCPUOP_is_up:
        return 1;                   /* every vCPU Keel created runs */
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -XEN_EINVAL;
        timer_stop(&v->singleshot_timer);
        return 0;
    case VCPUOP_stop_periodic_timer:
        return 0;                   /* Keel starts no periodic timer */
    default:
        if (log_once(&reported, cmd))
            pr_warn("d%u: vcpu_op %lu not implemented yet: -ENOSYS\n",
                    d->domain_id, cmd);
        return -XEN_ENOSYS;
    }
}
