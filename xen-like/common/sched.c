/* SPDX-License-Identifier: GPL-2.0-only */
/* sched_op: yield and shutdown (block and poll come with events). */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

static long sched_shutdown(unsigned long arg)
{
    struct sched_shutdown sd;

    if (copy_from_guest(&sd, (const void *)arg, sizeof(sd)))
        return -XEN_EFAULT;
    pr_info("d%u: SCHEDOP_shutdown, reason %u\n",
            current->domain->domain_id, sd.reason);
    domain_shutdown(current->domain, sd.reason);
    return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg)
{
    static uint64_t reported;

    switch (cmd) {
    case SCHEDOP_yield:
        return 0;       /* one vCPU per CPU: nothing else to run */
    case SCHEDOP_shutdown:
        return sched_shutdown(arg);
    default:
        if (log_once(&reported, cmd))
            pr_warn("d%u: sched_op %lu is not implemented yet: -ENOSYS\n",
                    current->domain->domain_id, cmd);
        return -XEN_ENOSYS;
    }
}
