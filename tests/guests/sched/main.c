/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched: SCHEDOP_yield, SCHEDOP_poll (already pending, timeout, bad port
 * lists), bad shutdown arguments and remote_shutdown of a missing domain.
 */
#include <guest.h>

#define MS 1000000UL

static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

    set_xen_guest_handle(p.ports, ports);
    return hypercall_sched_op(SCHEDOP_poll, &p);
}

static void check_poll(void)
{
    long a = evtchn_alloc_unbound(DOMID_SELF), b;
    evtchn_port_t ports[2], bad = 4095;
    uint64_t start, end;
    unsigned int early = 0;

    CHECK(a > 0, "alloc_unbound %ld", a);
    b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a);
    CHECK(b > 0, "bind_interdomain %ld", b);
    ports[0] = (evtchn_port_t)b;
    ports[1] = (evtchn_port_t)a;
    /* bind_interdomain leaves the new local port pending: clear it. */
    evtchn_clear_pending((evtchn_port_t)b);

    /*
     * Nothing pending: returns by the timeout.  Xen may wake a poller
     * early (other wake-ups of the vCPU), so poll again until it passes.
     */
    start = time_now_ns();
    do {
        CHECK_RC("poll(timeout)", poll(ports, 2, start + 10 * MS), 0);
        end = time_now_ns();
    } while (end < start + 10 * MS && ++early < 100);
    CHECK(end >= start + 10 * MS, "poll kept returning early (%u times)",
          early);
    printk("poll(timeout): %u early returns\n", early);

    /* A pending (masked) port: returns at once. */
    evtchn_set_mask((evtchn_port_t)a);
    CHECK_RC("send", evtchn_send((evtchn_port_t)b), 0);
    CHECK(evtchn_test_pending((evtchn_port_t)a), "port not pending");
    start = time_now_ns();
    CHECK_RC("poll(pending)", poll(ports, 2, start + 1000 * MS), 0);
    CHECK(time_now_ns() - start < 500 * MS, "poll on a pending port slept");
    evtchn_clear_pending((evtchn_port_t)a);

    CHECK_RC("poll(bad port)", poll(&bad, 1, 0), -XEN_EINVAL);
    CHECK_RC("poll(129 ports)", poll(ports, 129, 0), -XEN_EINVAL);
    CHECK_RC("poll(bad list)", poll(BAD_PTR_UNMAPPED, 1, 0), -XEN_EFAULT);
    CHECK_RC("poll(bad arg)",
             hypercall_sched_op(SCHEDOP_poll, BAD_PTR_UNMAPPED), -XEN_EFAULT);
    evtchn_close((evtchn_port_t)a);
    evtchn_close((evtchn_port_t)b);
}

static void check_misc(void)
{
    struct sched_remote_shutdown rs = { .domain_id = 0x3ff,
                                        .reason = SHUTDOWN_poweroff };

    CHECK_RC("yield", hypercall_sched_op(SCHEDOP_yield, NULL), 0);
    CHECK_RC("shutdown(bad ptr)",
             hypercall_sched_op(SCHEDOP_shutdown, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("remote_shutdown(no such domain)",
             hypercall_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH);
    CHECK_RC("unknown sched_op", hypercall_sched_op(0x40, NULL),
             -XEN_ENOSYS);
}

void test_main(void)
{
    check_misc();
    check_poll();
}
