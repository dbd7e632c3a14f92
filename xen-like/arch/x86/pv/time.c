/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest time: vcpu_time_info (pvclock, version protocol), the wallclock in
 * shared_info, and the one-shot timer behind set_timer_op / VCPUOP timers
 * that raises VIRQ_TIMER.
 */
#include <hv/abi.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/msr.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/time.h>

static uint64_t boot_unix_time;     /* wallclock at system time 0 */

void pv_time_init(void)
{
    boot_unix_time = rtc_unix_time();
}

/* Writers bump version to odd, write, bump to even; readers retry. */
void pv_update_vcpu_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc = rdtsc();
    uint32_t mul;
    int8_t shift;

    time_pvclock_scale(&mul, &shift);
    t->version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = tsc_to_system_time(tsc);
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

void pv_update_wallclock(struct domain *d)
{
    struct shared_info *s = d->shared_info;

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)boot_unix_time;
    s->wc_sec_hi = (uint32_t)(boot_unix_time >> 32);
    s->wc_nsec = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}

static void singleshot_fired(void *data)
{
    struct vcpu *v = data;

    pv_update_vcpu_time(v);
    send_guest_vcpu_virq(v, VIRQ_TIMER);
}

static void periodic_fired(void *data)
{
    struct vcpu *v = data;

    if (!v->periodic_period)
        return;
    timer_set(&v->periodic_timer, NOW() + v->periodic_period);
    pv_update_vcpu_time(v);
    send_guest_vcpu_virq(v, VIRQ_TIMER);
}

#define TIME_REFRESH    SECONDS(1)

/* Like Xen's calibration, vcpu_time_info is rewritten every second. */
static void time_refresh_fired(void *data)
{
    struct vcpu *v = data;

    pv_update_vcpu_time(v);
    timer_set(&v->time_refresh, NOW() + TIME_REFRESH);
}

void pv_vcpu_timer_init(struct vcpu *v)
{
    timer_init(&v->singleshot_timer, singleshot_fired, v, v->processor);
    timer_init(&v->periodic_timer, periodic_fired, v, v->processor);
    timer_init(&v->time_refresh, time_refresh_fired, v, v->processor);
}

void pv_vcpu_time_start(struct vcpu *v)
{
    pv_update_vcpu_time(v);
    timer_set(&v->time_refresh, NOW() + TIME_REFRESH);
}

/*
 * As in Xen, the periodic timer does not run while its vCPU is blocked
 * (it never wakes it); back on the CPU, an overdue period ticks once.
 */
void pv_periodic_pause(struct vcpu *v)
{
    if (v->periodic_period)
        timer_stop(&v->periodic_timer);
}

void pv_periodic_resume(struct vcpu *v)
{
    s_time_t now = NOW();

    if (!v->periodic_period)
        return;
    if (now >= v->periodic_timer.expires) {
        send_guest_vcpu_virq(v, VIRQ_TIMER);
        v->periodic_timer.expires = now + v->periodic_period;
    }
    timer_set(&v->periodic_timer, v->periodic_timer.expires);
}

/* A deadline in the past fires at once (Xen ignores SSHOTTMR_future). */
void pv_set_singleshot(struct vcpu *v, uint64_t deadline)
{
    timer_set(&v->singleshot_timer, (s_time_t)deadline);
}

long do_set_timer_op(unsigned long timeout)
{
    if (!timeout)
        timer_stop(&current->singleshot_timer);
    else
        pv_set_singleshot(current, timeout);
    return 0;
}
