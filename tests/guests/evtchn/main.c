/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * evtchn: a loopback interdomain channel (alloc_unbound + bind_interdomain
 * to ourselves), send and upcall delivery, pending/mask bits in shared_info,
 * EVTCHNOP_unmask, status, close, VIRQ and IPI binding, and bad ports.
 */
#include <guest.h>

#define BAD_PORT 4095u
#define NO_SUCH_DOMID 0x3ff

static long status(evtchn_port_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
    return hypercall_event_channel_op(EVTCHNOP_status, st);
}

static void check_status(const char *what, evtchn_port_t port,
                         uint32_t want, uint32_t peer)
{
    struct evtchn_status st;

    CHECK_RC(what, status(port, &st), 0);
    CHECK(st.status == want, "%s: status %u, expected %u", what, st.status,
          want);
    CHECK(st.vcpu == 0, "%s: vcpu %u", what, st.vcpu);
    if (want == EVTCHNSTAT_interdomain)
        CHECK(st.u.interdomain.dom == 0 && st.u.interdomain.port == peer,
              "%s: peer d%u port %u, expected d0 port %u", what,
              st.u.interdomain.dom, st.u.interdomain.port, peer);
    if (want == EVTCHNSTAT_unbound)
        CHECK(st.u.unbound.dom == 0, "%s: unbound for d%u", what,
              st.u.unbound.dom);
}

/* Returns (a, b) connected to each other, both unmasked. */
static void loopback(evtchn_port_t *a, evtchn_port_t *b)
{
    long pa = evtchn_alloc_unbound(DOMID_SELF), pb;

    CHECK(pa > 0, "alloc_unbound: %ld", pa);
    check_status("status(unbound)", (evtchn_port_t)pa, EVTCHNSTAT_unbound, 0);
    pb = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)pa);
    CHECK(pb > 0 && pb != pa, "bind_interdomain: %ld", pb);
    *a = (evtchn_port_t)pa;
    *b = (evtchn_port_t)pb;
    /* Xen marks the binding side pending, for notifications it missed. */
    CHECK(evtchn_test_pending(*b), "bind_interdomain: port %u not pending",
          *b);
    CHECK(!evtchn_test_pending(*a), "bind_interdomain: port %u pending", *a);
    evtchn_clear_pending(*b);
    check_status("status(a)", *a, EVTCHNSTAT_interdomain, *b);
    check_status("status(b)", *b, EVTCHNSTAT_interdomain, *a);
    evtchn_clear_mask(*a);
    evtchn_clear_mask(*b);
}

static void check_delivery(evtchn_port_t a, evtchn_port_t b)
{
    struct vcpu_info *vi = vcpu0_info();
    unsigned int n = event_count[a];

    /* Upcalls enabled: the event arrives on the way out of send. */
    events_unmask_all();
    CHECK_RC("send(b)", evtchn_send(b), 0);
    CHECK(event_count[a] == n + 1, "no upcall for port %u", a);
    CHECK(!evtchn_test_pending(a), "port %u still pending", a);
    n = event_count[b];
    CHECK_RC("send(a)", evtchn_send(a), 0);
    CHECK(event_count[b] == n + 1, "no upcall for port %u", b);

    /* A masked port: pending is set, nothing is delivered. */
    n = event_count[a];
    evtchn_set_mask(a);
    CHECK_RC("send(b) masked", evtchn_send(b), 0);
    CHECK(evtchn_test_pending(a), "masked port %u not pending", a);
    CHECK(event_count[a] == n, "masked port %u delivered", a);
    /* EVTCHNOP_unmask of a pending port raises the upcall. */
    CHECK_RC("unmask(a)", evtchn_unmask(a), 0);
    CHECK(!evtchn_test_masked(a), "unmask left port %u masked", a);
    CHECK(event_count[a] == n + 1, "unmask did not deliver port %u", a);

    /* Upcalls masked: pending + upcall_pending, delivered on unmask. */
    events_mask_all();
    n = event_count[a];
    CHECK_RC("send(b) upcalls masked", evtchn_send(b), 0);
    CHECK(evtchn_test_pending(a), "port %u not pending", a);
    CHECK(vi->evtchn_upcall_pending, "upcall_pending not set");
    CHECK(vi->evtchn_pending_sel & (1UL << (a / 64)),
          "pending_sel %#lx lacks word %u", vi->evtchn_pending_sel, a / 64);
    CHECK(event_count[a] == n, "delivered while upcalls masked");
    events_unmask_all();
    CHECK(event_count[a] == n + 1, "not delivered after unmasking");
    events_mask_all();
}

static void check_close(evtchn_port_t a, evtchn_port_t b)
{
    struct evtchn_status st;

    CHECK_RC("close(b)", evtchn_close(b), 0);
    check_status("status(a) after peer closed", a, EVTCHNSTAT_unbound, 0);
    CHECK_RC("status(b) after close", status(b, &st), 0);
    CHECK(st.status == EVTCHNSTAT_closed, "closed port status %u",
          st.status);
    CHECK_RC("send on a closed port", evtchn_send(b), -XEN_EINVAL);
    CHECK_RC("send on an unbound port", evtchn_send(a), 0);
    CHECK_RC("close(b) again", evtchn_close(b), -XEN_EINVAL);
    CHECK_RC("close(a)", evtchn_close(a), 0);
}

static void check_virq_ipi(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    struct evtchn_status st;
    long p, q;
    unsigned int n;

    p = evtchn_bind_virq(VIRQ_DEBUG, 0);
    CHECK(p > 0, "bind_virq(VIRQ_DEBUG): %ld", p);
    CHECK_RC("status(virq)", status((evtchn_port_t)p, &st), 0);
    CHECK(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_DEBUG,
          "virq port status %u virq %u", st.status, st.u.virq);
    CHECK_RC("bind_virq twice", evtchn_bind_virq(VIRQ_DEBUG, 0), -XEN_EEXIST);
    CHECK_RC("bind_virq(no such virq)", evtchn_bind_virq(NR_VIRQS, 0),
             -XEN_EINVAL);
    CHECK_RC("bind_virq(no such vcpu)", evtchn_bind_virq(VIRQ_TIMER, 7),
             -XEN_ENOENT);
    CHECK_RC("close(virq)", evtchn_close((evtchn_port_t)p), 0);

    CHECK_RC("bind_ipi", hypercall_event_channel_op(EVTCHNOP_bind_ipi, &ipi),
             0);
    q = ipi.port;
    evtchn_clear_mask((evtchn_port_t)q);
    n = event_count[q];
    events_unmask_all();
    CHECK_RC("send(ipi)", evtchn_send((evtchn_port_t)q), 0);
    CHECK(event_count[q] == n + 1, "ipi port %ld: %u events", q,
          event_count[q] - n);
    events_mask_all();
    CHECK_RC("close(ipi)", evtchn_close((evtchn_port_t)q), 0);
    ipi.vcpu = 7;
    CHECK_RC("bind_ipi(no such vcpu)",
             hypercall_event_channel_op(EVTCHNOP_bind_ipi, &ipi),
             -XEN_ENOENT);
}

static void check_bad(void)
{
    struct evtchn_status st;
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
                                       .remote_dom = NO_SUCH_DOMID };

    CHECK_RC("send(port 0)", evtchn_send(0), -XEN_EINVAL);
    CHECK_RC("send(bad port)", evtchn_send(BAD_PORT), -XEN_EINVAL);
    CHECK_RC("send(huge port)", evtchn_send(0x7fffffff), -XEN_EINVAL);
    CHECK_RC("close(bad port)", evtchn_close(BAD_PORT), -XEN_EINVAL);
    CHECK_RC("unmask(bad port)", evtchn_unmask(BAD_PORT), -XEN_EINVAL);
    CHECK_RC("status(bad port)", status(BAD_PORT, &st), -XEN_EINVAL);
    CHECK_RC("bind_interdomain(closed port)",
             evtchn_bind_interdomain(DOMID_SELF, BAD_PORT), -XEN_EINVAL);
    CHECK_RC("alloc_unbound(no such remote)",
             hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0);
    if (au.port)
        evtchn_close(au.port);
    au = (struct evtchn_alloc_unbound){ .dom = NO_SUCH_DOMID,
                                        .remote_dom = DOMID_SELF };
    CHECK_RC("alloc_unbound(no such dom)",
             hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au),
             -XEN_ESRCH);
    CHECK_RC("bad pointer",
             hypercall_event_channel_op(EVTCHNOP_send, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("unknown cmd", hypercall_event_channel_op(99, &st),
             -XEN_ENOSYS);
}

void test_main(void)
{
    evtchn_port_t a, b;

    loopback(&a, &b);
    check_delivery(a, b);
    check_close(a, b);
    check_virq_ipi();
    check_bad();
}
