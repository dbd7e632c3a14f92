/* SPDX-License-Identifier: GPL-2.0-only */
/* sched_op: yield, block, poll and shutdown (one vCPU per CPU so far). */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/processor.h>
#include <asm/pv/time.h>
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

#define MAX_POLL_PORTS  128

/* Sleeps with events unmasked until one is pending for this vCPU. */
static long sched_block(void)
{
    struct vcpu_info *vi = current->vcpu_info;

    vi->evtchn_upcall_mask = 0;
    local_irq_disable();
    if (!vi->evtchn_upcall_pending) {
        vcpu_runstate_change(current, RUNSTATE_blocked);
        pv_periodic_pause(current);
        while (!vi->evtchn_upcall_pending) {
            safe_halt();            /* an interrupt wakes us */
            local_irq_disable();
        }
        vcpu_runstate_change(current, RUNSTATE_running);
        pv_periodic_resume(current);
    }
    local_irq_enable();
    return 0;
}

static bool any_pending(struct domain *d, const evtchn_port_t *ports,
                        unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        if (evtchn_port_pending(d, ports[i]))
            return true;
    return false;
}

static void poll_timeout(void *data)
{
    (void)data;                     /* the interrupt itself wakes the CPU */
}

/* SCHEDOP_poll: until a listed port is pending or the deadline passes. */
static long sched_poll(unsigned long arg)
{
    struct domain *d = current->domain;
    evtchn_port_t ports[MAX_POLL_PORTS];
    struct sched_poll sp;
    struct timer t;
    unsigned int i;

    if (copy_from_guest(&sp, (const void *)arg, sizeof(sp)))
        return -XEN_EFAULT;
    if (sp.nr_ports > MAX_POLL_PORTS)
        return -XEN_EINVAL;
    for (i = 0; i < sp.nr_ports; i++) {
        if (copy_from_guest(&ports[i], sp.ports.p + i, sizeof(ports[i])))
            return -XEN_EFAULT;
        if (!evtchn_port_valid(d, ports[i]))
            return -XEN_EINVAL;
    }
    timer_init(&t, poll_timeout, NULL, smp_processor_id());
    if (sp.timeout)
        timer_set(&t, (s_time_t)sp.timeout);
    vcpu_runstate_change(current, RUNSTATE_blocked);
    pv_periodic_pause(current);
    for (;;) {
        local_irq_disable();
        if (any_pending(d, ports, sp.nr_ports) ||
            (sp.timeout && NOW() >= (s_time_t)sp.timeout))
            break;
        safe_halt();
    }
    vcpu_runstate_change(current, RUNSTATE_running);
    pv_periodic_resume(current);
    local_irq_enable();
    timer_stop(&t);
    return 0;
}

static long remote_shutdown(unsigned long arg)
{
    struct sched_remote_shutdown rs;
    struct domain *d;

    if (copy_from_guest(&rs, (const void *)arg, sizeof(rs)))
        return -XEN_EFAULT;
    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    if (!(d = domain_by_id(rs.domain_id)))
        return -XEN_ESRCH;
    domain_shutdown(d, rs.reason);
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
    case SCHEDOP_block:
        return sched_block();
    case SCHEDOP_poll:
        return sched_poll(arg);
    case SCHEDOP_remote_shutdown:
        return remote_shutdown(arg);
    default:
        if (log_once(&reported, cmd))
            pr_warn("d%u: sched_op %lu is not implemented yet: -ENOSYS\n",
                    current->domain->domain_id, cmd);
        return -XEN_ENOSYS;
    }
}
