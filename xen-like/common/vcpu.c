/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vcpu_op: which vCPUs are up, where their vcpu_info and runstate live,
 * and their timers.
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/xmalloc.h>
#include <asm/pv/entry.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/smp.h>
#include <asm/pv/vcpu.h>
#include <asm/pv/mm.h>
#include <asm/pv/time.h>

#define MIN_PERIOD      MILLISECS(1)        /* as Xen */
#define MAX_PERIOD      ((1ULL << 62) - 1)  /* as Xen: STIME_DELTA_MAX */
#define ALL_WORDS       (~0UL)

/* Copies v's runstate to the guest; with the update flag, the copy says
 * "being updated" while it changes (VMASST_TYPE_runstate_update_flag). */
static void runstate_publish(struct vcpu *v)
{
    struct vcpu_runstate_info r = v->runstate;
    bool flag = v->domain->vm_assist & (1UL << VMASST_TYPE_runstate_update_flag);
    void *g = (void *)v->runstate_guest;

    if (!g || v != current)
        return;
    if (flag) {
        r.state_entry_time |= XEN_RUNSTATE_UPDATE;
        copy_to_guest(g, &r, sizeof(r));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        r.state_entry_time &= ~XEN_RUNSTATE_UPDATE;
    }
    copy_to_guest(g, &r, sizeof(r));
}

void vcpu_runstate_change(struct vcpu *v, int state)
{
    s_time_t now = NOW();
    struct vcpu_runstate_info *r = &v->runstate;

    r->time[r->state] += now - (s_time_t)r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
    runstate_publish(v);
}

static long register_runstate(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_runstate_memory_area area;

    if (copy_from_guest(&area, (const void *)arg, sizeof(area)))
        return -XEN_EFAULT;
    /* Xen checks only the range; later writes fail silently. */
    if (!guest_range_ok((unsigned long)area.addr.v, sizeof(v->runstate)))
        return -XEN_EFAULT;
    v->runstate_guest = (unsigned long)area.addr.v;    /* NULL: none */
    vcpu_runstate_change(v, v->runstate.state);
    return 0;
}

static long get_runstate(struct vcpu *v, unsigned long arg)
{
    struct vcpu_runstate_info r = v->runstate;

    r.time[r.state] += NOW() - (s_time_t)r.state_entry_time;
    return copy_to_guest((void *)arg, &r, sizeof(r));
}

/* Moves v's vcpu_info into a frame of its own, contents and all; the
 * guest must then rescan every pending word. */
static long register_vcpu_info(struct vcpu *v, unsigned long arg)
{
    struct vcpu_register_vcpu_info info;
    struct page_info *pg;
    struct vcpu_info *area;

    if (copy_from_guest(&info, (const void *)arg, sizeof(info)))
        return -XEN_EFAULT;
    /* Xen checks the offset first: -ENXIO, whatever else is wrong. */
    if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
        (info.offset & 7))
        return -XEN_ENXIO;
    if (info.rsvd || !mfn_eq(v->vcpu_info_mfn, INVALID_MFN) ||
        info.mfn >= max_page)
        return -XEN_EINVAL;
    pg = mfn_to_page(_mfn(info.mfn));
    if (get_page_and_type(pg, v->domain, PGT_writable_page))
        return -XEN_EINVAL;
    area = (struct vcpu_info *)((char *)page_to_virt(pg) + info.offset);
    memcpy(area, v->vcpu_info, sizeof(*area));
    v->vcpu_info = area;
    v->vcpu_info_mfn = page_to_mfn(pg);
    area->evtchn_pending_sel = ALL_WORDS;
    area->evtchn_upcall_pending = 1;
    pv_update_vcpu_time(v);
    return 0;
}

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

static long set_periodic(struct vcpu *v, unsigned long arg)
{
    struct vcpu_set_periodic_timer pt;

    if (copy_from_guest(&pt, (const void *)arg, sizeof(pt)))
        return -XEN_EFAULT;
    if (pt.period_ns < (uint64_t)MIN_PERIOD || pt.period_ns > MAX_PERIOD)
        return -XEN_EINVAL;
    v->periodic_period = pt.period_ns;
    timer_set(&v->periodic_timer, NOW() + v->periodic_period);
    return 0;
}

static long vcpu_initialise(struct vcpu *v, unsigned long arg)
{
    struct vcpu_guest_context *c;
    long rc;

    if (v->up)
        return -XEN_EEXIST;
    if (!(c = xzalloc(struct vcpu_guest_context)))
        return -XEN_ENOMEM;
    rc = copy_from_guest(c, (const void *)arg, sizeof(*c));
    if (!rc && !(rc = pv_vcpu_load_context(v, c)))
        v->initialised = true;
    xfree(c);
    return rc;
}

static long vcpu_up(struct vcpu *v)
{
    if (!v->initialised)
        return -XEN_EINVAL;
    if (v->up)
        return 0;
    v->up = true;
    pv_vcpu_start_remote(v);
    return 0;
}

/* VCPUOP_down of the calling vCPU: it stops here (its CPU idles) and,
 * brought up again, returns 0 from this hypercall. */
static long vcpu_down(struct vcpu *v)
{
    static uint64_t reported;
    struct cpu_regs *frame = (struct cpu_regs *)get_cpu_info() - 1;

    if (v != current) {
        if (log_once(&reported, 0))
            pr_warn("d%u: VCPUOP_down of another vCPU: not supported\n",
                    v->domain->domain_id);
        return -XEN_EOPNOTSUPP;
    }
    frame->rax = 0;
    v->arch.regs = *frame;
    v->up = false;
    pv_vcpu_stop();
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
        return v->up;
    case VCPUOP_initialise:
        return vcpu_initialise(v, arg);
    case VCPUOP_up:
        return vcpu_up(v);
    case VCPUOP_down:
        return vcpu_down(v);
    case VCPUOP_get_runstate_info:
        return get_runstate(v, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate(v, arg);
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -XEN_EINVAL;
        timer_stop(&v->singleshot_timer);
        return 0;
    case VCPUOP_set_periodic_timer:
        return set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        timer_stop(&v->periodic_timer);
        return 0;
    default:
        if (log_once(&reported, cmd))
            pr_warn("d%u: vcpu_op %lu not implemented yet: -ENOSYS\n",
                    d->domain_id, cmd);
        return -XEN_ENOSYS;
    }
}
