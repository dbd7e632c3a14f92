/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * timer: vcpu_time_info (version protocol, monotonic system time), the
 * wallclock, set_timer_op + VIRQ_TIMER + SCHEDOP_block wake-up, cancel,
 * deadlines in the past, and VCPUOP singleshot errors.
 */
#include <guest.h>

#define MS 1000000UL

static evtchn_port_t timer_port;

static void check_time_info(void)
{
    const struct vcpu_time_info *t = &vcpu0_info()->time;
    const struct shared_info *s = shared_info;
    uint64_t prev = 0, now;
    unsigned int i;

    CHECK(!(READ_ONCE(t->version) & 1), "time version odd at rest: %u",
          t->version);
    CHECK(t->tsc_to_system_mul != 0, "tsc_to_system_mul is 0");
    CHECK(!(READ_ONCE(s->wc_version) & 1), "wc_version odd: %u",
          s->wc_version);
    CHECK(s->wc_sec > 1500000000u || s->wc_sec_hi, "wallclock %u s",
          s->wc_sec);
    for (i = 0; i < 10000; i++) {
        now = time_now_ns();
        if (now < prev) {
            report_fail("system time went back: %lu -> %lu",
                        (unsigned long)prev, (unsigned long)now);
            break;
        }
        prev = now;
    }
    printk("system time %lu ns, mul %u shift %d, wallclock %u s\n",
           (unsigned long)prev, t->tsc_to_system_mul, t->tsc_shift,
           s->wc_sec);
}

/* Block until the timer event (events are re-masked afterwards). */
static unsigned int block_for_timer(uint64_t deadline)
{
    unsigned int n = event_count[timer_port], loops = 0;

    CHECK_RC("set_timer_op", hypercall_set_timer_op(deadline), 0);
    while (event_count[timer_port] == n && loops++ < 1000)
        CHECK_RC("SCHEDOP_block", hypercall_sched_op(SCHEDOP_block, NULL), 0);
    events_mask_all();
    return event_count[timer_port] - n;
}

static void check_oneshot(void)
{
    uint64_t start = time_now_ns(), deadline = start + 5 * MS, end;

    CHECK(block_for_timer(deadline) >= 1, "no VIRQ_TIMER after block");
    end = time_now_ns();
    CHECK(end >= deadline, "woke %lu ns before the deadline",
          (unsigned long)(deadline - end));
    CHECK(end < start + 2000 * MS, "woke %lu ms late",
          (unsigned long)((end - deadline) / MS));

    /* A deadline in the past fires at once. */
    CHECK(block_for_timer(start) >= 1, "past deadline did not fire");
}

static void check_cancel(void)
{
    unsigned int n = event_count[timer_port];
    uint64_t until;

    CHECK_RC("set_timer_op", hypercall_set_timer_op(time_now_ns() + 2 * MS),
             0);
    CHECK_RC("set_timer_op(0) cancels", hypercall_set_timer_op(0), 0);
    events_unmask_all();
    until = time_now_ns() + 20 * MS;
    while (time_now_ns() < until)
        hypercall_sched_op(SCHEDOP_yield, NULL);
    events_mask_all();
    CHECK(event_count[timer_port] == n, "cancelled timer fired");
}

static void check_vcpu_op(void)
{
    struct vcpu_set_singleshot_timer st = {
        .timeout_abs_ns = time_now_ns() - MS,
        .flags = VCPU_SSHOTTMR_future,
    };

    /* Xen 4.17 ignores VCPU_SSHOTTMR_future: the past deadline fires. */
    CHECK_RC("singleshot(past, future flag)",
             hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
    CHECK_RC("singleshot(no such vcpu)",
             hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 7, &st),
             -XEN_ENOENT);
    CHECK_RC("singleshot(bad ptr)",
             hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0,
                               BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("stop_singleshot", hypercall_vcpu_op(
                 VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    CHECK_RC("SCHEDOP_yield", hypercall_sched_op(SCHEDOP_yield, NULL), 0);
    CHECK_RC("unknown sched_op", hypercall_sched_op(99, NULL), -XEN_ENOSYS);
}

void test_main(void)
{
    long p;

    check_time_info();
    /* Xen gives PV vCPUs a periodic tick; stop it so only ours fires. */
    CHECK_RC("stop_periodic_timer",
             hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    p = evtchn_bind_virq(VIRQ_TIMER, 0);
    if (p <= 0) {
        report_fail("bind_virq(VIRQ_TIMER): %ld", p);
        return;
    }
    timer_port = (evtchn_port_t)p;
    evtchn_clear_mask(timer_port);
    check_oneshot();
    check_cancel();
    check_vcpu_op();
}
