/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for the 2-level event channels (common/evtchn.c), driven
 * through do_event_channel_op() with argument structs in host memory, over
 * two domains: dom0 (privileged, vCPUs 0-1 on CPUs 0-1) and dom1 (vCPU 0);
 * and for the pirq bookkeeping behind EVTCHNOP_bind_pirq
 * (arch/x86/pv/pirq.c) over a recorded IO-APIC (stub_ioapic.c), MSI and
 * MSI-X pirqs included (arch/x86/pv/msi.c, over stub_pci.c's device).
 */
#include <stdlib.h>
#include <hv/acpi.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/xmalloc.h>
#include <asm/apic.h>
#include <asm/pci.h>
#include <asm/pv/msi.h>
#include <asm/pv/pirq.h>
#include "stub_ioapic.h"
#include "stub_pci.h"

#define NR_PORTS        EVTCHN_2L_NR_CHANNELS
#define NR_DOMS         2
#define NOT_COPIED      0xdeadbeefU     /* an OUT field left alone */
#define APIC_ID(cpu)    (0x10 + (cpu))

/* stub_cpu.c */
extern struct cpu_info *stub_cpu_info;
int stub_cpu_run(int (*fn)(void));

static struct domain doms[NR_DOMS];
static const unsigned int nr_vcpus[NR_DOMS] = { 2, 1 };

/* ---- what evtchn.c needs from the rest of Keel ---- */

static bool xzalloc_fails;

void *xzalloc_bytes(size_t size)
{
    return xzalloc_fails ? NULL : calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

struct domain *domain_by_id(domid_t id)
{
    return id < NR_DOMS && doms[id].evtchn ? &doms[id] : NULL;
}

/* As in common/domain.c (not linked here). */
struct domain *domain_lookup(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

static unsigned int nr_ipis, last_ipi_apic, last_ipi_vector;

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    nr_ipis++;
    last_ipi_apic = apic_id;
    last_ipi_vector = vector;
}

/* raw_copy() succeeds this many more times, then fails; -1: always. */
static int copies_ok = -1;
static unsigned int nr_copies;

size_t raw_copy(void *dst, const void *src, size_t n)
{
    nr_copies++;
    if (copies_ok == 0)
        return n;
    if (copies_ok > 0)
        copies_ok--;
    memcpy(dst, src, n);
    return 0;
}

/* ---- domains ---- */

static void dom_create(domid_t id, bool privileged)
{
    struct domain *d = &doms[id];
    unsigned int i;

    memset(d, 0, sizeof(*d));
    d->domain_id = id;
    d->is_privileged = privileged;
    d->shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    assert_non_null(d->shared_info);
    memset(d->shared_info, 0, PAGE_SIZE);
    assert_int_equal(evtchn_init(d), 0);
    d->max_vcpus = nr_vcpus[id];
    for (i = 0; i < nr_vcpus[id]; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        assert_non_null(v);
        v->vcpu_id = i;
        v->domain = d;
        v->processor = i;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        d->vcpu[i] = v;
    }
}

static void dom_destroy(struct domain *d)
{
    unsigned int i;

    for (i = 0; i < MAX_DOMAIN_VCPUS; i++)
        free(d->vcpu[i]);
    xfree(d->evtchn);
    free(d->shared_info);
    memset(d, 0, sizeof(*d));
}

/* The hypercalls below are made by vCPU 0 of doms[id]. */
static void as(domid_t id)
{
    stub_cpu_info->current_vcpu = doms[id].vcpu[0];
}

static int test_setup(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 0; i < NR_CPUS; i++)
        cpu_apic_id[i] = APIC_ID(i);
    memset(&acpi_info, 0, sizeof(acpi_info));
    memset(stub_rtes, 0, sizeof(stub_rtes));
    stub_pci_reset();
    dom_create(0, true);
    dom_create(1, false);
    as(0);
    xzalloc_fails = false;
    copies_ok = -1;
    nr_copies = nr_ipis = last_ipi_apic = last_ipi_vector = 0;
    return 0;
}

static int test_teardown(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 0; i < NR_DOMS * NR_PIRQS; i++)    /* pirq.c's table */
        pirq_unmap(&doms[i / NR_PIRQS], i % NR_PIRQS);
    for (i = 0; i < NR_DOMS; i++)
        dom_destroy(&doms[i]);
    stub_cpu_info->current_vcpu = NULL;
    return 0;
}

/* ---- hypercall wrappers: OUT fields are untouched when rc != 0 ---- */

static long hc(unsigned long cmd, void *arg)
{
    return do_event_channel_op(cmd, (unsigned long)arg);
}

static long alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { dom, remote, NOT_COPIED };
    long rc = hc(EVTCHNOP_alloc_unbound, &op);

    if (rc)
        assert_int_equal(op.port, NOT_COPIED);
    else if (port)
        *port = op.port;
    return rc;
}

static long bind_interdomain(domid_t remote, evtchn_port_t rport,
                             evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain op = { remote, rport, NOT_COPIED };
    long rc = hc(EVTCHNOP_bind_interdomain, &op);

    if (rc)
        assert_int_equal(op.local_port, NOT_COPIED);
    else if (lport)
        *lport = op.local_port;
    return rc;
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { virq, vcpu, NOT_COPIED };
    long rc = hc(EVTCHNOP_bind_virq, &op);

    if (rc)
        assert_int_equal(op.port, NOT_COPIED);
    else if (port)
        *port = op.port;
    return rc;
}

static long bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { vcpu, NOT_COPIED };
    long rc = hc(EVTCHNOP_bind_ipi, &op);

    if (rc)
        assert_int_equal(op.port, NOT_COPIED);
    else if (port)
        *port = op.port;
    return rc;
}

static long evclose(evtchn_port_t port)
{
    struct evtchn_close op = { port };

    return hc(EVTCHNOP_close, &op);
}

static long evsend(evtchn_port_t port)
{
    struct evtchn_send op = { port };

    return hc(EVTCHNOP_send, &op);
}

static long unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { port };

    return hc(EVTCHNOP_unmask, &op);
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { port, vcpu };

    return hc(EVTCHNOP_bind_vcpu, &op);
}

static long status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0xa5, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return hc(EVTCHNOP_status, st);
}

/* Successful forms. */
static evtchn_port_t new_unbound(domid_t dom, domid_t remote)
{
    evtchn_port_t p = 0;

    assert_int_equal(alloc_unbound(dom, remote, &p), 0);
    return p;
}

static evtchn_port_t new_virq(uint32_t virq, uint32_t vcpu)
{
    evtchn_port_t p = 0;

    assert_int_equal(bind_virq(virq, vcpu, &p), 0);
    return p;
}

static evtchn_port_t new_ipi(uint32_t vcpu)
{
    evtchn_port_t p = 0;

    assert_int_equal(bind_ipi(vcpu, &p), 0);
    return p;
}

/* A loopback channel of the current domain: *rport unbound, then bound. */
static evtchn_port_t new_loop(evtchn_port_t *rport)
{
    evtchn_port_t l = 0;

    *rport = new_unbound(DOMID_SELF, DOMID_SELF);
    assert_int_equal(bind_interdomain(DOMID_SELF, *rport, &l), 0);
    return l;
}

static uint32_t status_of(domid_t dom, evtchn_port_t port)
{
    struct evtchn_status st;

    assert_int_equal(status(dom, port, &st), 0);
    return st.status;
}

/* ---- shared_info ---- */

#define WORD(p)     ((p) / 64)
#define BIT(p)      (1UL << ((p) % 64))

static bool pending(struct domain *d, evtchn_port_t p)
{
    return d->shared_info->evtchn_pending[WORD(p)] & BIT(p);
}

static void set_mask(struct domain *d, evtchn_port_t p)
{
    d->shared_info->evtchn_mask[WORD(p)] |= BIT(p);
}

static void clear_pending(struct domain *d, evtchn_port_t p)
{
    d->shared_info->evtchn_pending[WORD(p)] &= ~BIT(p);
}

static struct vcpu_info *vi(struct domain *d, unsigned int vcpu)
{
    return &d->shared_info->vcpu_info[vcpu];
}

static bool sel(struct domain *d, unsigned int vcpu, unsigned int word)
{
    return vi(d, vcpu)->evtchn_pending_sel & (1UL << word);
}

/* What a guest's upcall does first: take the selector and the flag. */
static void ack_upcall(struct domain *d, unsigned int vcpu)
{
    vi(d, vcpu)->evtchn_pending_sel = 0;
    vi(d, vcpu)->evtchn_upcall_pending = 0;
}

static bool no_upcall(struct domain *d, unsigned int vcpu)
{
    return !vi(d, vcpu)->evtchn_pending_sel &&
           !vi(d, vcpu)->evtchn_upcall_pending;
}

/* ---- ports ---- */

/* Port 0 is never valid; the first 64 are valid from the start. */
static void test_init(void **state)
{
    struct domain *d = &doms[0];
    struct domain spare;

    (void)state;
    assert_int_equal(d->evtchn_valid, 64);
    assert_false(evtchn_port_valid(d, 0));
    assert_true(evtchn_port_valid(d, 1));
    assert_true(evtchn_port_valid(d, 63));
    assert_false(evtchn_port_valid(d, 64));
    assert_false(evtchn_port_valid(d, NR_PORTS));
    assert_false(evtchn_port_valid(d, ~0U));
    assert_int_equal(status_of(DOMID_SELF, 63), EVTCHNSTAT_closed);

    memset(&spare, 0, sizeof(spare));
    xzalloc_fails = true;
    assert_int_equal(evtchn_init(&spare), -XEN_ENOMEM);
    xzalloc_fails = false;
}

/* Lowest free port first; the valid bound grows 64 ports at a time. */
static void test_port_alloc(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t p;

    (void)state;
    for (p = 1; p < 64; p++)
        assert_int_equal(new_unbound(DOMID_SELF, DOMID_SELF), p);
    assert_int_equal(d->evtchn_valid, 64);
    assert_int_equal(status(DOMID_SELF, 64, &st), -XEN_EINVAL);

    assert_int_equal(new_ipi(0), 64);
    assert_int_equal(d->evtchn_valid, 128);
    assert_true(evtchn_port_valid(d, 127));
    assert_false(evtchn_port_valid(d, 128));
    assert_int_equal(status_of(DOMID_SELF, 127), EVTCHNSTAT_closed);

    /* A closed port is reused before a higher one; the bound stays. */
    assert_int_equal(evclose(5), 0);
    assert_int_equal(evclose(64), 0);
    assert_int_equal(new_ipi(0), 5);
    assert_int_equal(new_ipi(0), 64);
    assert_int_equal(new_ipi(0), 65);
    assert_int_equal(d->evtchn_valid, 128);

    /* Other domains have their own ports. */
    assert_int_equal(doms[1].evtchn_valid, 64);
    as(1);
    assert_int_equal(new_ipi(0), 1);
}

/* All 4095 ports, then -ENOSPC; the bound ends at the 2-level maximum. */
static void test_port_exhaustion(void **state)
{
    struct domain *d = &doms[0];
    evtchn_port_t p, got = 0;

    (void)state;
    for (p = 1; p < NR_PORTS; p++) {
        assert_int_equal(alloc_unbound(DOMID_SELF, 1, &got), 0);
        assert_int_equal(got, p);
        assert_int_equal(d->evtchn_valid, ROUNDUP(p + 1, 64));
    }
    assert_int_equal(d->evtchn_valid, NR_PORTS);
    assert_false(evtchn_port_valid(d, NR_PORTS));
    assert_int_equal(alloc_unbound(DOMID_SELF, 1, NULL), -XEN_ENOSPC);
    assert_int_equal(bind_ipi(0, NULL), -XEN_ENOSPC);
    assert_int_equal(bind_virq(VIRQ_TIMER, 0, NULL), -XEN_ENOSPC);
    assert_int_equal(doms[0].vcpu[0]->virq_to_port[VIRQ_TIMER], 0);

    /* Binding needs a local port: refused, the remote end stays unbound. */
    assert_int_equal(evclose(4000), 0);
    assert_int_equal(new_unbound(DOMID_SELF, DOMID_SELF), 4000);
    assert_int_equal(bind_interdomain(DOMID_SELF, 4000, NULL), -XEN_ENOSPC);
    assert_int_equal(status_of(DOMID_SELF, 4000), EVTCHNSTAT_unbound);

    assert_int_equal(evclose(4000), 0);
    assert_int_equal(new_ipi(1), 4000);
    assert_int_equal(doms[1].evtchn_valid, 64);     /* dom1 untouched */
    assert_int_equal(evsend(NR_PORTS), -XEN_EINVAL);
}

/* ---- alloc_unbound ---- */

static void test_alloc_unbound(void **state)
{
    struct evtchn_status st;
    evtchn_port_t p;

    (void)state;
    /* For ourselves, loopback: the remote is our own domid. */
    p = new_unbound(DOMID_SELF, DOMID_SELF);
    assert_int_equal(status(DOMID_SELF, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
    assert_int_equal(st.vcpu, 0);

    /* Our domid instead of DOMID_SELF; another remote. */
    p = new_unbound(0, 1);
    assert_int_equal(status(0, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 1);

    /* A privileged domain allocates in another: DOMID_SELF is the caller. */
    p = new_unbound(1, DOMID_SELF);
    assert_int_equal(p, 1);
    assert_int_equal(status(1, p, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
    assert_int_equal(doms[0].evtchn_valid, 64);

    assert_int_equal(alloc_unbound(7, DOMID_SELF, NULL), -XEN_ESRCH);
    assert_int_equal(alloc_unbound(DOMID_IDLE, DOMID_SELF, NULL),
                     -XEN_ESRCH);

    /* An unprivileged domain: only for itself. */
    as(1);
    assert_int_equal(alloc_unbound(0, DOMID_SELF, NULL), -XEN_EPERM);
    assert_int_equal(alloc_unbound(7, DOMID_SELF, NULL), -XEN_ESRCH);
    assert_int_equal(new_unbound(1, 0), 2);
    assert_int_equal(new_unbound(DOMID_SELF, DOMID_SELF), 3);
    as(0);
    assert_int_equal(status_of(0, 3), EVTCHNSTAT_closed);
}

/* ---- bind_interdomain ---- */

static void test_bind_interdomain_self(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t r, l;

    (void)state;
    l = new_loop(&r);
    assert_int_not_equal(l, r);

    assert_int_equal(status(DOMID_SELF, l, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 0);
    assert_int_equal(st.u.interdomain.port, r);
    assert_int_equal(status(DOMID_SELF, r, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 0);
    assert_int_equal(st.u.interdomain.port, l);

    /* The new local end is pending (public/event_channel.h), not r. */
    assert_true(pending(d, l));
    assert_false(pending(d, r));
    assert_true(evtchn_port_pending(d, l));
    assert_true(sel(d, 0, WORD(l)));
    assert_int_equal(vi(d, 0)->evtchn_upcall_pending, 1);
    assert_true(no_upcall(d, 1));
    assert_int_equal(nr_ipis, 0);           /* vCPU 0 runs on this CPU */

    /* Explicit domid instead of DOMID_SELF. */
    r = new_unbound(DOMID_SELF, 0);
    assert_int_equal(bind_interdomain(0, r, &l), 0);
    assert_int_equal(status_of(DOMID_SELF, r), EVTCHNSTAT_interdomain);
}

static void test_bind_interdomain_errors(void **state)
{
    evtchn_port_t r, l, other, ipi;

    (void)state;
    l = new_loop(&r);
    other = new_unbound(DOMID_SELF, 1);     /* for dom1, not for us */
    ipi = new_ipi(0);

    assert_int_equal(bind_interdomain(DOMID_SELF, 0, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, 64, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, NR_PORTS, NULL),
                     -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, ~0U, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, 40, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, r, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, l, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, other, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(DOMID_SELF, ipi, NULL), -XEN_EINVAL);
    assert_int_equal(bind_interdomain(7, 1, NULL), -XEN_ESRCH);
    /* Across domains: not implemented yet (-EOPNOTSUPP, not a success). */
    assert_int_equal(bind_interdomain(1, 1, NULL), -XEN_EOPNOTSUPP);

    /* Nothing was allocated or changed by the refusals. */
    assert_int_equal(status_of(DOMID_SELF, ipi + 1), EVTCHNSTAT_closed);
    assert_int_equal(status_of(DOMID_SELF, other), EVTCHNSTAT_unbound);
    assert_int_equal(doms[0].evtchn_valid, 64);
}

/* ---- bind_virq ---- */

static void test_bind_virq(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t t0, t1, con;

    (void)state;
    t0 = new_virq(VIRQ_TIMER, 0);
    assert_int_equal(d->vcpu[0]->virq_to_port[VIRQ_TIMER], t0);
    assert_int_equal(status(DOMID_SELF, t0, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.u.virq, VIRQ_TIMER);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(bind_virq(VIRQ_TIMER, 0, NULL), -XEN_EEXIST);

    /* Per-vCPU VIRQs: once per vCPU. */
    t1 = new_virq(VIRQ_TIMER, 1);
    assert_int_not_equal(t0, t1);
    assert_int_equal(d->vcpu[1]->virq_to_port[VIRQ_TIMER], t1);
    assert_int_equal(status(DOMID_SELF, t1, &st), 0);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(bind_virq(VIRQ_TIMER, 1, NULL), -XEN_EEXIST);
    new_virq(VIRQ_DEBUG, 1);
    new_virq(VIRQ_XENPMU, 1);

    /* Global VIRQs: on vCPU 0 only. */
    assert_int_equal(bind_virq(VIRQ_CONSOLE, 1, NULL), -XEN_EINVAL);
    assert_int_equal(bind_virq(VIRQ_DOM_EXC, 7, NULL), -XEN_EINVAL);
    con = new_virq(VIRQ_CONSOLE, 0);
    assert_int_equal(d->vcpu[0]->virq_to_port[VIRQ_CONSOLE], con);
    assert_int_equal(bind_virq(VIRQ_CONSOLE, 0, NULL), -XEN_EEXIST);

    assert_int_equal(bind_virq(NR_VIRQS, 0, NULL), -XEN_EINVAL);
    assert_int_equal(bind_virq(~0U, 0, NULL), -XEN_EINVAL);
    assert_int_equal(bind_virq(VIRQ_TIMER, 2, NULL), -XEN_ENOENT);
    assert_int_equal(bind_virq(VIRQ_TIMER, MAX_DOMAIN_VCPUS, NULL),
                     -XEN_ENOENT);
    assert_int_equal(bind_virq(VIRQ_TIMER, ~0U, NULL), -XEN_ENOENT);

    /* A VIRQ port cannot be sent on; the hypervisor raises it. */
    assert_int_equal(evsend(t0), -XEN_EINVAL);
    assert_false(pending(d, t0));
    send_guest_vcpu_virq(d->vcpu[1], VIRQ_TIMER);
    assert_true(pending(d, t1));
    assert_false(pending(d, t0));
    assert_true(sel(d, 1, WORD(t1)));
    assert_true(no_upcall(d, 0));
    assert_int_equal(nr_ipis, 1);           /* vCPU 1 is on CPU 1 */
    assert_int_equal(last_ipi_apic, APIC_ID(1));
    assert_int_equal(last_ipi_vector, LAPIC_TIMER_VECTOR);

    /* Unbound VIRQ: nothing. */
    send_guest_vcpu_virq(d->vcpu[0], VIRQ_DEBUG);
    assert_true(no_upcall(d, 0));

    /* Per domain: dom1 binds the same VIRQ independently. */
    as(1);
    assert_int_equal(new_virq(VIRQ_TIMER, 0), 1);
    assert_int_equal(bind_virq(VIRQ_TIMER, 1, NULL), -XEN_ENOENT);
}

/*
 * public/xen.h marks VIRQ_XENOPROF "V." (per vCPU), and Xen's
 * virq_is_global() says so; Keel treats it as global.
 */
static void test_bind_virq_xenoprof_per_vcpu(void **state)
{
    long rc;

    (void)state;
    rc = bind_virq(VIRQ_XENOPROF, 1, NULL);
    assert_int_equal(rc, 0);
}

/* ---- bind_ipi ---- */

static void test_bind_ipi(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t i0, i1;

    (void)state;
    i0 = new_ipi(0);
    i1 = new_ipi(1);
    assert_int_equal(status(DOMID_SELF, i0, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(status(DOMID_SELF, i1, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(new_ipi(0), i1 + 1);   /* several per vCPU */

    assert_int_equal(bind_ipi(2, NULL), -XEN_ENOENT);
    assert_int_equal(bind_ipi(MAX_DOMAIN_VCPUS, NULL), -XEN_ENOENT);
    assert_int_equal(bind_ipi(~0U, NULL), -XEN_ENOENT);

    /* Sending notifies the bound vCPU, with an IPI if it is elsewhere. */
    assert_int_equal(evsend(i1), 0);
    assert_true(pending(d, i1));
    assert_true(sel(d, 1, WORD(i1)));
    assert_int_equal(vi(d, 1)->evtchn_upcall_pending, 1);
    assert_true(no_upcall(d, 0));
    assert_int_equal(nr_ipis, 1);
    assert_int_equal(last_ipi_apic, APIC_ID(1));

    assert_int_equal(evsend(i0), 0);
    assert_true(pending(d, i0));
    assert_true(sel(d, 0, WORD(i0)));
    assert_int_equal(nr_ipis, 1);           /* vCPU 0 is on this CPU */
}

/* ---- send ---- */

static void test_send(void **state)
{
    struct domain *d = &doms[0];
    evtchn_port_t r, l, u, v, ipi;

    (void)state;
    l = new_loop(&r);
    clear_pending(d, l);
    ack_upcall(d, 0);

    /* Interdomain: the other end becomes pending, either way round. */
    assert_int_equal(evsend(l), 0);
    assert_true(pending(d, r));
    assert_false(pending(d, l));
    assert_true(sel(d, 0, WORD(r)));
    clear_pending(d, r);
    ack_upcall(d, 0);
    assert_int_equal(evsend(r), 0);
    assert_true(pending(d, l));
    assert_false(pending(d, r));

    /* IPI: ourselves. */
    ipi = new_ipi(0);
    assert_int_equal(evsend(ipi), 0);
    assert_true(pending(d, ipi));

    /* Unbound: nobody listens, but no error (as Xen). */
    u = new_unbound(DOMID_SELF, 1);
    assert_int_equal(evsend(u), 0);
    assert_false(pending(d, u));

    /* VIRQ, closed, invalid: -EINVAL. */
    v = new_virq(VIRQ_DEBUG, 0);
    assert_int_equal(evsend(v), -XEN_EINVAL);
    assert_false(pending(d, v));
    assert_int_equal(evsend(v + 1), -XEN_EINVAL);
    assert_false(pending(d, v + 1));
    assert_int_equal(evsend(0), -XEN_EINVAL);
    assert_int_equal(evsend(64), -XEN_EINVAL);
    assert_int_equal(evsend(~0U), -XEN_EINVAL);

    /* Ports are per domain: dom1's port 1 is not ours. */
    as(1);
    assert_int_equal(evsend(l), -XEN_EINVAL);
    assert_false(evtchn_port_pending(&doms[1], l));
}

/* ---- the pending / mask / selector protocol ---- */

static void test_mask_protocol(void **state)
{
    struct domain *d = &doms[0];
    evtchn_port_t r, l;

    (void)state;
    l = new_loop(&r);
    clear_pending(d, l);
    ack_upcall(d, 0);

    /* Masked: the pending bit only. */
    set_mask(d, r);
    assert_int_equal(evsend(l), 0);
    assert_true(pending(d, r));
    assert_true(no_upcall(d, 0));
    assert_true(no_upcall(d, 1));

    /* Unmask delivers the edge kept in pending. */
    assert_int_equal(unmask(r), 0);
    assert_false(d->shared_info->evtchn_mask[WORD(r)] & BIT(r));
    assert_true(sel(d, 0, WORD(r)));
    assert_int_equal(vi(d, 0)->evtchn_upcall_pending, 1);

    /* Already pending: no second upcall. */
    ack_upcall(d, 0);
    assert_int_equal(evsend(l), 0);
    assert_true(no_upcall(d, 0));

    /* Once the guest clears pending, the next send raises it again. */
    clear_pending(d, r);
    assert_int_equal(evsend(l), 0);
    assert_true(sel(d, 0, WORD(r)));
    assert_int_equal(vi(d, 0)->evtchn_upcall_pending, 1);

    /* Selector already set for the word: pending set, no new IPI. */
    while (new_ipi(1) < 68)
        ;
    vi(d, 1)->evtchn_pending_sel = 1UL << 1;
    nr_ipis = 0;
    assert_int_equal(evsend(66), 0);
    assert_true(pending(d, 66));
    assert_int_equal(vi(d, 1)->evtchn_upcall_pending, 0);
    assert_int_equal(nr_ipis, 0);
    /* Another word: selector bit 1 is not bit 0. */
    vi(d, 1)->evtchn_pending_sel = 1UL << 0;
    assert_int_equal(evsend(67), 0);
    assert_true(sel(d, 1, 1));
    assert_int_equal(vi(d, 1)->evtchn_upcall_pending, 1);
    assert_int_equal(nr_ipis, 1);

    /* Unmask of a port that is not pending: nothing to deliver. */
    ack_upcall(d, 1);
    set_mask(d, 68);
    assert_int_equal(unmask(68), 0);
    assert_true(no_upcall(d, 1));

    /* Unmask of a free (but valid) port is allowed; invalid ports not. */
    assert_int_equal(unmask(100), 0);
    assert_int_equal(unmask(0), -XEN_EINVAL);
    assert_int_equal(unmask(128), -XEN_EINVAL);
    assert_int_equal(unmask(~0U), -XEN_EINVAL);
}

/* ---- close ---- */

static void test_close(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t r, l, l2, v, u, ipi;

    (void)state;
    /* Interdomain: the peer reverts to unbound, for our domid. */
    l = new_loop(&r);
    assert_int_equal(evclose(l), 0);
    assert_int_equal(status(DOMID_SELF, l, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(status(DOMID_SELF, r, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
    assert_int_equal(evsend(r), 0);         /* unbound now: no-op */
    assert_int_equal(evclose(l), -XEN_EINVAL);

    /* ... and can be bound again. */
    assert_int_equal(bind_interdomain(DOMID_SELF, r, &l2), 0);
    assert_int_equal(l2, l);
    assert_int_equal(status(DOMID_SELF, r, &st), 0);
    assert_int_equal(st.u.interdomain.port, l2);

    /* Closing the other end instead. */
    assert_int_equal(evclose(r), 0);
    assert_int_equal(status(DOMID_SELF, l2, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);

    /* VIRQ: the mapping goes, and the VIRQ can be bound again. */
    v = new_virq(VIRQ_TIMER, 1);
    assert_int_equal(evclose(v), 0);
    assert_int_equal(d->vcpu[1]->virq_to_port[VIRQ_TIMER], 0);
    send_guest_vcpu_virq(d->vcpu[1], VIRQ_TIMER);
    assert_false(pending(d, v));
    assert_int_equal(new_virq(VIRQ_TIMER, 1), v);
    assert_int_equal(evclose(v), 0);
    assert_int_equal(evclose(v), -XEN_EINVAL);

    /* Unbound and IPI. */
    u = new_unbound(DOMID_SELF, 1);
    ipi = new_ipi(1);
    assert_int_equal(evclose(u), 0);
    assert_int_equal(evclose(ipi), 0);
    assert_int_equal(status_of(DOMID_SELF, u), EVTCHNSTAT_closed);
    assert_int_equal(status_of(DOMID_SELF, ipi), EVTCHNSTAT_closed);
    assert_int_equal(evclose(ipi), -XEN_EINVAL);
    assert_int_equal(evsend(ipi), -XEN_EINVAL);

    assert_int_equal(evclose(0), -XEN_EINVAL);
    assert_int_equal(evclose(64), -XEN_EINVAL);
    assert_int_equal(evclose(~0U), -XEN_EINVAL);

    /* Only one's own ports: dom1's port 1 is not dom0's (free) port 1. */
    as(1);
    u = new_unbound(DOMID_SELF, 0);
    as(0);
    assert_int_equal(evclose(u), -XEN_EINVAL);
    assert_int_equal(status_of(1, u), EVTCHNSTAT_unbound);
}

/* A reused port must not start out pending (Xen clears it on close). */
static void test_close_clears_pending(void **state)
{
    struct domain *d = &doms[0];
    evtchn_port_t ipi;

    (void)state;
    ipi = new_ipi(0);
    assert_int_equal(evsend(ipi), 0);
    assert_true(pending(d, ipi));
    assert_int_equal(evclose(ipi), 0);
    ack_upcall(d, 0);
    assert_int_equal(new_ipi(0), ipi);
    assert_int_equal(evsend(ipi), 0);
    assert_true(sel(d, 0, WORD(ipi)));
}

/* A global VIRQ moved with bind_vcpu, then closed: the mapping goes. */
static void test_close_moved_global_virq(void **state)
{
    struct domain *d = &doms[0];
    evtchn_port_t con;

    (void)state;
    con = new_virq(VIRQ_CONSOLE, 0);
    assert_int_equal(bind_vcpu(con, 1), 0);
    assert_int_equal(evclose(con), 0);
    assert_int_equal(d->vcpu[0]->virq_to_port[VIRQ_CONSOLE], 0);
    assert_int_equal(d->vcpu[1]->virq_to_port[VIRQ_CONSOLE], 0);
    assert_int_equal(new_virq(VIRQ_CONSOLE, 0), con);
}

/* ---- status ---- */

static void test_status(void **state)
{
    struct evtchn_status st;
    evtchn_port_t r, l, u, v, ipi;

    (void)state;
    l = new_loop(&r);
    u = new_unbound(DOMID_SELF, 1);
    v = new_virq(VIRQ_DEBUG, 1);
    ipi = new_ipi(1);

    assert_int_equal(status(DOMID_SELF, ipi + 1, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(status(DOMID_SELF, u, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(st.u.unbound.dom, 1);
    assert_int_equal(status(DOMID_SELF, l, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_interdomain);
    assert_int_equal(st.u.interdomain.dom, 0);
    assert_int_equal(st.u.interdomain.port, r);
    assert_int_equal(status(DOMID_SELF, v, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(st.u.virq, VIRQ_DEBUG);
    assert_int_equal(status(DOMID_SELF, ipi, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 1);
    /* IN fields are copied back unchanged. */
    assert_int_equal(st.dom, DOMID_SELF);
    assert_int_equal(st.port, ipi);

    assert_int_equal(status(DOMID_SELF, 0, &st), -XEN_EINVAL);
    assert_int_equal(st.status, 0xa5a5a5a5);    /* not copied back */
    assert_int_equal(status(DOMID_SELF, 64, &st), -XEN_EINVAL);
    assert_int_equal(status(DOMID_SELF, ~0U, &st), -XEN_EINVAL);
    assert_int_equal(status(7, 1, &st), -XEN_ESRCH);

    /* Privileged: another domain's ports. */
    as(1);
    u = new_unbound(DOMID_SELF, 0);
    assert_int_equal(status_of(DOMID_SELF, u), EVTCHNSTAT_unbound);
    as(0);
    assert_int_equal(status(1, u, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(st.u.unbound.dom, 0);
}

/* public/event_channel.h: only a privileged domain may name another. */
static void test_status_unprivileged(void **state)
{
    struct evtchn_status st;
    evtchn_port_t p;
    long rc;

    (void)state;
    p = new_unbound(DOMID_SELF, 1);
    as(1);
    assert_int_equal(status(1, 1, &st), 0);     /* its own: fine */
    rc = status(0, p, &st);
    assert_int_equal(rc, -XEN_EPERM);
}

/* ---- bind_vcpu ---- */

static void test_bind_vcpu(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_status st;
    evtchn_port_t r, l, u, t, con, ipi;

    (void)state;
    l = new_loop(&r);
    u = new_unbound(DOMID_SELF, 1);
    t = new_virq(VIRQ_TIMER, 0);
    con = new_virq(VIRQ_CONSOLE, 0);
    ipi = new_ipi(0);

    /* Interdomain, unbound, global VIRQ: may move. */
    assert_int_equal(bind_vcpu(r, 1), 0);
    assert_int_equal(status(DOMID_SELF, r, &st), 0);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(bind_vcpu(u, 1), 0);
    assert_int_equal(status(DOMID_SELF, u, &st), 0);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(bind_vcpu(con, 1), 0);
    assert_int_equal(status(DOMID_SELF, con, &st), 0);
    assert_int_equal(st.vcpu, 1);
    assert_int_equal(bind_vcpu(con, 0), 0);

    /* The moved end now notifies vCPU 1. */
    clear_pending(d, l);
    ack_upcall(d, 0);
    nr_ipis = 0;
    assert_int_equal(evsend(l), 0);
    assert_true(pending(d, r));
    assert_true(no_upcall(d, 0));
    assert_true(sel(d, 1, WORD(r)));
    assert_int_equal(nr_ipis, 1);

    /* IPI, per-vCPU VIRQ, closed: fixed at bind time. */
    assert_int_equal(bind_vcpu(ipi, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(t, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(ipi + 1, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(0, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(64, 0), -XEN_EINVAL);
    assert_int_equal(status(DOMID_SELF, ipi, &st), 0);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(status(DOMID_SELF, t, &st), 0);
    assert_int_equal(st.vcpu, 0);

    /* No such vCPU: -ENOENT, checked first. */
    assert_int_equal(bind_vcpu(r, 2), -XEN_ENOENT);
    assert_int_equal(bind_vcpu(0, MAX_DOMAIN_VCPUS), -XEN_ENOENT);
    assert_int_equal(bind_vcpu(r, ~0U), -XEN_ENOENT);
    assert_int_equal(status(DOMID_SELF, r, &st), 0);
    assert_int_equal(st.vcpu, 1);

    /* A closed and reused port notifies vCPU 0 again. */
    assert_int_equal(evclose(u), 0);
    assert_int_equal(new_ipi(0), u);
    assert_int_equal(status(DOMID_SELF, u, &st), 0);
    assert_int_equal(st.vcpu, 0);
}

/* ---- the hypercall entry ---- */

static void test_unknown_cmd(void **state)
{
    uint64_t buf[8] = { 0 };

    (void)state;
    assert_int_equal(hc(EVTCHNOP_reset, buf), -XEN_ENOSYS);
    assert_int_equal(hc(EVTCHNOP_init_control, buf), -XEN_ENOSYS);
    assert_int_equal(hc(EVTCHNOP_expand_array, buf), -XEN_ENOSYS);
    assert_int_equal(hc(EVTCHNOP_set_priority, buf), -XEN_ENOSYS);
    assert_int_equal(hc(14, buf), -XEN_ENOSYS);
    assert_int_equal(hc(1000, buf), -XEN_ENOSYS);
    assert_int_equal(hc(~0UL, NULL), -XEN_ENOSYS);
    assert_int_equal(nr_copies, 0);         /* arguments never read */
}

static void test_efault(void **state)
{
    struct domain *d = &doms[0];
    struct evtchn_bind_ipi op = { 0, NOT_COPIED };
    evtchn_port_t r, l;

    (void)state;
    /* Copy-in fails: nothing happens. */
    copies_ok = 0;
    assert_int_equal(hc(EVTCHNOP_bind_ipi, &op), -XEN_EFAULT);
    assert_int_equal(op.port, NOT_COPIED);
    copies_ok = -1;
    assert_int_equal(status_of(DOMID_SELF, 1), EVTCHNSTAT_closed);

    /* Copy-out fails: -EFAULT, though the port was taken (as Xen). */
    copies_ok = 1;
    assert_int_equal(hc(EVTCHNOP_bind_ipi, &op), -XEN_EFAULT);
    assert_int_equal(op.port, NOT_COPIED);
    copies_ok = -1;
    assert_int_equal(status_of(DOMID_SELF, 1), EVTCHNSTAT_ipi);

    /* Sub-ops without OUT fields never copy back. */
    l = new_loop(&r);
    nr_copies = 0;
    copies_ok = 1;
    assert_int_equal(evsend(l), 0);
    copies_ok = 1;
    assert_int_equal(unmask(l), 0);
    copies_ok = 1;
    assert_int_equal(bind_vcpu(l, 1), 0);
    copies_ok = 1;
    assert_int_equal(evclose(l), 0);
    assert_int_equal(nr_copies, 4);
    copies_ok = -1;

    /* Keel's range and the non-canonical gap are refused before copying. */
    nr_copies = 0;
    assert_int_equal(do_event_channel_op(EVTCHNOP_send,
                                         0x0000800000000000UL), -XEN_EFAULT);
    assert_int_equal(do_event_channel_op(EVTCHNOP_status,
                                         0xffff82d040000000UL), -XEN_EFAULT);
    assert_int_equal(do_event_channel_op(EVTCHNOP_close, ~0UL - 1),
                     -XEN_EFAULT);
    assert_int_equal(do_event_channel_op(EVTCHNOP_alloc_unbound,
                                         0x00007ffffffffffcUL), -XEN_EFAULT);
    assert_int_equal(nr_copies, 0);
    assert_int_equal(d->evtchn_valid, 64);
}

/* ---- a random sequence against a model ---- */

enum { M_FREE, M_UNBOUND, M_INTERDOMAIN, M_VIRQ, M_IPI };

struct mport {
    uint8_t state;
    uint32_t vcpu;
    domid_t rdom;                   /* M_UNBOUND, M_INTERDOMAIN */
    evtchn_port_t rport;            /* M_INTERDOMAIN */
    uint32_t virq;                  /* M_VIRQ */
};

static struct mport model[NR_DOMS][NR_PORTS];
static unsigned int model_valid[NR_DOMS];
static uint64_t rnd_state;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static unsigned int rnd_below(unsigned int n)
{
    return rnd() % n;
}

/* Keel's classification (see test_bind_virq_xenoprof_per_vcpu). */
/* Per-vCPU VIRQs are marked "V." in public/xen.h. */
static bool m_virq_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
           virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

static bool m_valid(unsigned int di, evtchn_port_t p)
{
    return p && p < model_valid[di];
}

static bool m_has_vcpu(unsigned int di, uint32_t vcpu)
{
    return vcpu < nr_vcpus[di];
}

/* The lowest free port, made valid: as alloc_port(). */
static long m_alloc(unsigned int di)
{
    evtchn_port_t p;

    for (p = 1; p < NR_PORTS; p++) {
        if (model[di][p].state != M_FREE)
            continue;
        if (p >= model_valid[di])
            model_valid[di] = ROUNDUP(p + 1, 64);
        memset(&model[di][p], 0, sizeof(model[di][p]));
        return p;
    }
    return -XEN_ENOSPC;
}

static int m_dom(unsigned int cur, domid_t dom)
{
    if (dom == DOMID_SELF)
        return cur;
    return dom < NR_DOMS ? dom : -1;
}

static domid_t rnd_domid(void)
{
    static const domid_t ids[] = { DOMID_SELF, 0, 1, 5 };

    return ids[rnd_below(4)];
}

/* A port to act on: mostly valid ones, sometimes 0 or just beyond. */
static evtchn_port_t rnd_port(unsigned int di)
{
    return rnd_below(model_valid[di] + 3);
}

static void r_alloc_unbound(unsigned int cur)
{
    domid_t dom = rnd_domid(), remote = rnd_below(3) ? rnd_domid() : 1;
    int t = m_dom(cur, dom);
    evtchn_port_t got = 0;
    long expect;

    if (t < 0)
        expect = -XEN_ESRCH;
    else if (t != (int)cur && !doms[cur].is_privileged)
        expect = -XEN_EPERM;
    else
        expect = m_alloc(t);
    assert_int_equal(alloc_unbound(dom, remote, &got), expect > 0 ? 0
                                                                  : expect);
    if (expect <= 0)
        return;
    assert_int_equal(got, expect);
    model[t][got].state = M_UNBOUND;
    model[t][got].rdom = remote == DOMID_SELF ? cur : remote;
}

/* Half the time, a port that is unbound for us: those can be bound. */
static evtchn_port_t rnd_bindable(unsigned int cur)
{
    evtchn_port_t p, start = rnd_below(model_valid[cur]);

    for (p = start; p < start + model_valid[cur]; p++) {
        evtchn_port_t q = p % model_valid[cur];

        if (model[cur][q].state == M_UNBOUND && model[cur][q].rdom == cur)
            return q;
    }
    return rnd_port(cur);
}

static void r_bind_interdomain(unsigned int cur)
{
    domid_t remote = rnd_below(4) ? DOMID_SELF : rnd_domid();
    int rd = m_dom(cur, remote);
    evtchn_port_t rp = rnd_below(2) ? rnd_bindable(cur) : rnd_port(cur);
    evtchn_port_t got = 0;
    long expect;

    if (rd < 0)
        expect = -XEN_ESRCH;
    else if (rd != (int)cur)
        expect = -XEN_EOPNOTSUPP;
    else if (!m_valid(cur, rp) || model[cur][rp].state != M_UNBOUND ||
             model[cur][rp].rdom != cur)
        expect = -XEN_EINVAL;
    else
        expect = m_alloc(cur);
    assert_int_equal(bind_interdomain(remote, rp, &got),
                     expect > 0 ? 0 : expect);
    if (expect <= 0)
        return;
    assert_int_equal(got, expect);
    model[cur][got].state = M_INTERDOMAIN;
    model[cur][got].rdom = cur;
    model[cur][got].rport = rp;
    model[cur][rp].state = M_INTERDOMAIN;
    model[cur][rp].rport = got;
    assert_true(pending(&doms[cur], got));
}

static evtchn_port_t m_virq_port(unsigned int cur, uint32_t virq,
                                 uint32_t vcpu)
{
    evtchn_port_t p;

    for (p = 1; p < model_valid[cur]; p++)
        if (model[cur][p].state == M_VIRQ && model[cur][p].virq == virq &&
            model[cur][p].vcpu == vcpu)
            return p;
    return 0;
}

static void r_bind_virq(unsigned int cur)
{
    uint32_t virq = rnd_below(NR_VIRQS + 2);
    uint32_t vcpu = rnd_below(4) ? rnd_below(3) : MAX_DOMAIN_VCPUS;
    evtchn_port_t got = 0;
    long expect;

    if (virq >= NR_VIRQS || (m_virq_global(virq) && vcpu))
        expect = -XEN_EINVAL;
    else if (!m_has_vcpu(cur, vcpu))
        expect = -XEN_ENOENT;
    else if (m_virq_port(cur, virq, vcpu))
        expect = -XEN_EEXIST;
    else
        expect = m_alloc(cur);
    assert_int_equal(bind_virq(virq, vcpu, &got), expect > 0 ? 0 : expect);
    if (expect <= 0)
        return;
    assert_int_equal(got, expect);
    model[cur][got].state = M_VIRQ;
    model[cur][got].virq = virq;
    model[cur][got].vcpu = vcpu;
}

static void r_bind_ipi(unsigned int cur)
{
    uint32_t vcpu = rnd_below(3);
    evtchn_port_t got = 0;
    long expect = m_has_vcpu(cur, vcpu) ? m_alloc(cur) : -XEN_ENOENT;

    assert_int_equal(bind_ipi(vcpu, &got), expect > 0 ? 0 : expect);
    if (expect <= 0)
        return;
    assert_int_equal(got, expect);
    model[cur][got].state = M_IPI;
    model[cur][got].vcpu = vcpu;
}

static void r_close(unsigned int cur)
{
    evtchn_port_t p = rnd_port(cur);
    struct mport *c = &model[cur][p];

    if (!m_valid(cur, p) || c->state == M_FREE) {
        assert_int_equal(evclose(p), -XEN_EINVAL);
        return;
    }
    assert_int_equal(evclose(p), 0);
    if (c->state == M_INTERDOMAIN) {
        model[c->rdom][c->rport].state = M_UNBOUND;
        model[c->rdom][c->rport].rdom = cur;
    }
    memset(c, 0, sizeof(*c));
}

static void r_send(unsigned int cur)
{
    evtchn_port_t p = rnd_port(cur);
    const struct mport *c = &model[cur][p];
    bool ok = m_valid(cur, p) && (c->state == M_INTERDOMAIN ||
                                  c->state == M_IPI || c->state == M_UNBOUND);

    assert_int_equal(evsend(p), ok ? 0 : -XEN_EINVAL);
    if (ok && c->state == M_INTERDOMAIN)
        assert_true(pending(&doms[c->rdom], c->rport));
    if (ok && c->state == M_IPI)
        assert_true(pending(&doms[cur], p));
}

static void r_bind_vcpu(unsigned int cur)
{
    evtchn_port_t p = rnd_port(cur);
    uint32_t vcpu = rnd_below(3);
    struct mport *c = &model[cur][p];
    long expect;

    /* The model keys a VIRQ by the vCPU it was bound on, so it does not
     * move VIRQ ports; test_close_moved_global_virq covers that case. */
    if (m_valid(cur, p) && c->state == M_VIRQ)
        return;
    if (!m_has_vcpu(cur, vcpu))
        expect = -XEN_ENOENT;
    else if (!m_valid(cur, p) || c->state == M_FREE || c->state == M_IPI)
        expect = -XEN_EINVAL;
    else
        expect = 0;
    assert_int_equal(bind_vcpu(p, vcpu), expect);
    if (!expect)
        c->vcpu = vcpu;
}

/* The guest side: masks, unmasks, takes pending bits and upcalls. */
static void r_guest(unsigned int cur)
{
    struct domain *d = &doms[cur];
    evtchn_port_t p = rnd_port(cur);

    switch (rnd_below(4)) {
    case 0:
        if (p < NR_PORTS)
            set_mask(d, p);
        break;
    case 1:
        assert_int_equal(unmask(p), m_valid(cur, p) ? 0 : -XEN_EINVAL);
        break;
    case 2:
        if (p < NR_PORTS)
            clear_pending(d, p);
        break;
    default:
        ack_upcall(d, rnd_below(nr_vcpus[cur]));
        break;
    }
}

/* Status of every port matches the model, which itself is consistent. */
static void check_port(unsigned int di, evtchn_port_t p)
{
    const struct mport *c = &model[di][p];
    struct evtchn_status st;
    static const uint32_t stat[] = {
        EVTCHNSTAT_closed, EVTCHNSTAT_unbound, EVTCHNSTAT_interdomain,
        EVTCHNSTAT_virq, EVTCHNSTAT_ipi,
    };

    assert_int_equal(status(di, p, &st), 0);
    assert_int_equal(st.status, stat[c->state]);
    assert_int_equal(st.vcpu, c->vcpu);
    switch (c->state) {
    case M_UNBOUND:
        assert_int_equal(st.u.unbound.dom, c->rdom);
        break;
    case M_INTERDOMAIN:
        assert_int_equal(st.u.interdomain.dom, c->rdom);
        assert_int_equal(st.u.interdomain.port, c->rport);
        /* Each end points at the other. */
        assert_int_equal(model[c->rdom][c->rport].state, M_INTERDOMAIN);
        assert_int_equal(model[c->rdom][c->rport].rdom, di);
        assert_int_equal(model[c->rdom][c->rport].rport, p);
        assert_int_equal(status(c->rdom, c->rport, &st), 0);
        assert_int_equal(st.u.interdomain.dom, di);
        assert_int_equal(st.u.interdomain.port, p);
        break;
    case M_VIRQ:
        assert_int_equal(doms[di].vcpu[c->vcpu]->virq_to_port[c->virq], p);
        break;
    }
}

static void check_all(void)
{
    unsigned int di, v, virq;
    evtchn_port_t p;

    as(0);                                  /* privileged: sees both */
    for (di = 0; di < NR_DOMS; di++) {
        struct domain *d = &doms[di];

        assert_int_equal(d->evtchn_valid, model_valid[di]);
        assert_int_equal(d->evtchn_valid % 64, 0);
        assert_false(evtchn_port_valid(d, 0));
        assert_false(evtchn_port_valid(d, model_valid[di]));
        for (p = 1; p < model_valid[di]; p++)
            check_port(di, p);
        /* Every VIRQ mapping names a VIRQ port of that VIRQ and vCPU, so
         * no port is mapped twice. */
        for (v = 0; v < nr_vcpus[di]; v++) {
            for (virq = 0; virq < NR_VIRQS; virq++) {
                p = d->vcpu[v]->virq_to_port[virq];
                if (!p)
                    continue;
                assert_true(m_valid(di, p));
                assert_int_equal(model[di][p].state, M_VIRQ);
                assert_int_equal(model[di][p].virq, virq);
                assert_int_equal(model[di][p].vcpu, v);
            }
        }
    }
}

static void test_random(void **state)
{
    static void (*const ops[])(unsigned int) = {
        r_alloc_unbound, r_alloc_unbound, r_bind_interdomain,
        r_bind_interdomain, r_bind_interdomain, r_bind_virq, r_bind_ipi,
        r_close, r_close, r_send, r_bind_vcpu, r_guest, r_guest,
    };
    unsigned int i, cur;

    (void)state;
    memset(model, 0, sizeof(model));
    model_valid[0] = model_valid[1] = 64;
    rnd_state = 0x6b65656c5f65766eUL;
    for (i = 0; i < 6000; i++) {
        cur = rnd_below(4) ? 0 : 1;
        as(cur);
        ops[rnd_below(ARRAY_SIZE(ops))](cur);
        check_all();
    }
}

/* ---- pirqs (arch/x86/pv/pirq.c) ---- */

static long bind_pirq(uint32_t pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq op = { pirq, BIND_PIRQ__WILL_SHARE, NOT_COPIED };
    long rc = hc(EVTCHNOP_bind_pirq, &op);

    if (rc)
        assert_int_equal(op.port, NOT_COPIED);
    else if (port)
        *port = op.port;
    return rc;
}

static int map(int gsi, int pirq)
{
    int rc = pirq_map_gsi(&doms[0], gsi, &pirq);

    return rc ? rc : pirq;
}

/* QEMU's pc machine: ISA IRQ 0 on GSI 2, 9 level/high (the ACPI SCI). */
static void qemu_overrides(void)
{
    acpi_info.overrides[0] = (struct acpi_override){ 0, 2, 0 };
    acpi_info.overrides[1] = (struct acpi_override){ 9, 9, 0xd };
    acpi_info.nr_overrides = 2;
}

static void fire(unsigned int gsi)
{
    struct cpu_regs r = { .vector = PIRQ_VECTOR_BASE + gsi };

    assert_non_null(stub_irq_handlers[PIRQ_VECTOR_BASE + gsi]);
    stub_irq_handlers[PIRQ_VECTOR_BASE + gsi](&r);
}

static void test_pirq_map(void **state)
{
    int pirq = -1;

    (void)state;
    assert_int_equal(map(9, 9), 9);
    assert_int_equal(map(9, 9), 9);             /* again: fine */
    assert_int_equal(map(9, -1), 9);            /* the existing one */
    assert_int_equal(map(9, 10), -XEN_EEXIST);
    assert_int_equal(map(10, 9), -XEN_EBUSY);   /* pirq 9 is taken */
    assert_int_equal(map(20, -1), 16);          /* as Xen: 16 up */
    assert_int_equal(map(21, -1), 17);
    assert_int_equal(map(0, 0), -XEN_EPERM);    /* IRQ 0: never dom0's */
    assert_int_equal(map(-1, 1), -XEN_EINVAL);
    assert_int_equal(map(STUB_NR_GSIS, 1), -XEN_EINVAL);
    assert_int_equal(map(5, NR_PIRQS), -XEN_EINVAL);
    assert_int_equal(pirq_map_gsi(&doms[1], 5, &pirq), -XEN_EPERM);
    assert_int_equal(pirq_unmap(&doms[0], 9), 0);
    assert_int_equal(pirq_unmap(&doms[0], 9), -XEN_EINVAL);
    assert_int_equal(pirq_unmap(&doms[0], -1), -XEN_EINVAL);
    assert_int_equal(map(10, 9), 9);            /* free again */
    assert_false(stub_rtes[9].programmed || stub_rtes[10].programmed);
}

static void test_pirq_level(void **state)
{
    struct shared_info *s = doms[0].shared_info;
    struct evtchn_status st;
    evtchn_port_t port;

    (void)state;
    qemu_overrides();
    assert_int_equal(bind_pirq(9, &port), -XEN_EPERM);     /* unmapped */
    assert_int_equal(map(9, 9), 9);
    assert_int_equal(pirq_setup_gsi(&doms[0], 9, true, false), 0);
    assert_true(stub_rtes[9].programmed && stub_rtes[9].masked);
    assert_true(stub_rtes[9].level && !stub_rtes[9].active_low);
    assert_int_equal(stub_rtes[9].vector, PIRQ_VECTOR_BASE + 9);
    assert_int_equal(stub_rtes[9].dest, APIC_ID(0));
    assert_int_equal(bind_pirq(9, &port), 0);
    assert_false(stub_rtes[9].masked);
    assert_int_equal(bind_pirq(9, NULL), -XEN_EEXIST);
    assert_int_equal(pirq_setup_gsi(&doms[0], 9, false, false), -XEN_EEXIST);
    assert_int_equal(status(DOMID_SELF, port, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_pirq);
    assert_int_equal(st.u.pirq, 9);
    assert_int_equal(st.vcpu, 0);

    fire(9);            /* held masked until the guest's EOI */
    assert_true(evtchn_port_pending(&doms[0], port));
    assert_true(doms[0].vcpu[0]->vcpu_info->evtchn_upcall_pending);
    assert_true(stub_rtes[9].masked);
    assert_int_equal(pirq_eoi(&doms[0], 9), 0);
    assert_false(stub_rtes[9].masked);
    /* The pin follows its port to vCPU 1's CPU, and keeps its state. */
    assert_int_equal(bind_vcpu(port, 1), 0);
    assert_int_equal(stub_rtes[9].dest, APIC_ID(1));
    assert_false(stub_rtes[9].masked);
    fire(9);
    assert_int_equal(bind_vcpu(port, 0), 0);
    assert_int_equal(stub_rtes[9].dest, APIC_ID(0));
    assert_true(stub_rtes[9].masked);       /* still awaits the EOI */
    assert_int_equal(pirq_eoi(&doms[0], 9), 0);
    assert_false(stub_rtes[9].masked);
    assert_int_equal(bind_vcpu(port, 1), 0);
    assert_int_equal(pirq_eoi(&doms[0], 9), 0);             /* no-op */
    assert_false(stub_rtes[9].masked);
    assert_int_equal(pirq_eoi(&doms[0], 10), -XEN_EINVAL);  /* unmapped */

    assert_int_equal(evclose(port), 0);     /* masks the pin */
    assert_true(stub_rtes[9].masked);
    assert_false(s->evtchn_pending[port / 64] & (1UL << (port % 64)));
    assert_int_equal(pirq_eoi(&doms[0], 9), 0);
    assert_true(stub_rtes[9].masked);       /* unbound: stays masked */
    assert_int_equal(bind_pirq(9, &port), 0);   /* and binds again ... */
    assert_int_equal(stub_rtes[9].dest, APIC_ID(0));    /* ... on vCPU 0 */
    assert_false(stub_rtes[9].masked);
}

static void test_pirq_edge_defaults(void **state)
{
    evtchn_port_t port;

    (void)state;
    qemu_overrides();
    /* Never set up: bind programs the ACPI defaults, ISA edge/high. */
    assert_int_equal(map(1, 1), 1);
    assert_int_equal(bind_pirq(1, &port), 0);
    assert_true(stub_rtes[1].programmed && !stub_rtes[1].masked);
    assert_false(stub_rtes[1].level || stub_rtes[1].active_low);
    fire(1);
    assert_true(evtchn_port_pending(&doms[0], port));
    assert_false(stub_rtes[1].masked);      /* edge: never masked */
    /* The SCI's override: level, high; PCI GSIs: level, low. */
    assert_int_equal(map(9, 9), 9);
    assert_int_equal(bind_pirq(9, NULL), 0);
    assert_true(stub_rtes[9].level && !stub_rtes[9].active_low);
    assert_int_equal(map(17, -1), 16);
    assert_int_equal(bind_pirq(16, NULL), 0);
    assert_true(stub_rtes[17].level && stub_rtes[17].active_low);
}

static void test_pirq_keels_gsis(void **state)
{
    evtchn_port_t port;

    (void)state;
    qemu_overrides();
    /* PIT (ISA 0 -> GSI 2) and COM1 (GSI 4): mapped, never driven. */
    assert_int_equal(map(2, 2), 2);
    assert_int_equal(map(4, 4), 4);
    assert_int_equal(pirq_setup_gsi(&doms[0], 2, false, false), -XEN_EEXIST);
    assert_int_equal(pirq_setup_gsi(&doms[0], 4, false, false), -XEN_EEXIST);
    assert_int_equal(bind_pirq(2, NULL), -XEN_EBUSY);
    assert_int_equal(bind_pirq(4, NULL), -XEN_EBUSY);
    assert_false(stub_rtes[2].programmed || stub_rtes[4].programmed);
    /* The failed binds left no port behind. */
    assert_int_equal(bind_ipi(0, &port), 0);
    assert_int_equal(port, 1);
}

static void test_pirq_unmap_bound(void **state)
{
    evtchn_port_t port;

    (void)state;
    assert_int_equal(map(20, -1), 16);
    assert_int_equal(bind_pirq(16, &port), 0);
    assert_int_equal(pirq_unmap(&doms[0], 16), 0);  /* masks the pin */
    assert_true(stub_rtes[20].masked);
    assert_int_equal(map(21, 16), 16);              /* pirq reused */
    assert_int_equal(bind_pirq(16, NULL), 0);
    assert_false(stub_rtes[21].masked);
    assert_int_equal(evclose(port), 0);     /* the old port: not GSI 21's */
    assert_false(stub_rtes[21].masked);
}

/* ---- MSI and MSI-X pirqs (arch/x86/pv/msi.c) ---- */

#define MSI_ADDR(cpu)   (0xfee00000u | APIC_ID(cpu) << 12)
#define MSIX_WORD(e, w) stub_msix_table[4 * (e) + (w)]

static int map_msi(bool msix, unsigned int entry, int pirq)
{
    struct physdev_map_pirq op = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_MSI_SEG, .index = -1,
        .pirq = pirq, .bus = 0, .devfn = STUB_PCI_BDF & 0xff,
        .entry_nr = entry, .table_base = msix ? STUB_MSIX_BAR : 0,
    };
    int rc = msi_map(&doms[0], &op);

    return rc ? rc : op.pirq;
}

static void fire_vector(unsigned int vector)
{
    struct cpu_regs r = { .vector = vector };

    assert_non_null(stub_irq_handlers[vector]);
    stub_irq_handlers[vector](&r);
}

static void test_msix_map_bind(void **state)
{
    evtchn_port_t port;
    unsigned int vec;

    (void)state;
    assert_int_equal(map_msi(true, 2, -1), NR_PIRQS - 1);  /* from the top */
    assert_int_equal(map_msi(true, 2, -1), NR_PIRQS - 1);  /* same again */
    assert_int_equal(map_msi(true, 3, -1), NR_PIRQS - 2);
    /* The table page is Keel's now: dom0 maps it read-only. */
    assert_true(msi_table_frame(_mfn(STUB_MSIX_BAR >> PAGE_SHIFT)));
    assert_false(msi_table_frame(_mfn((STUB_MSIX_BAR >> PAGE_SHIFT) + 1)));
    vec = MSIX_WORD(2, 2);
    assert_true(vec >= MSI_VECTOR_BASE && vec < LAPIC_TIMER_VECTOR);
    assert_int_not_equal(MSIX_WORD(3, 2), vec);
    assert_int_equal(MSIX_WORD(2, 0), MSI_ADDR(0));
    assert_int_equal(MSIX_WORD(2, 1), 0);
    assert_true(MSIX_WORD(2, 3) & 1);               /* masked until bound */
    assert_int_equal(bind_pirq(NR_PIRQS - 1, &port), 0);
    assert_false(MSIX_WORD(2, 3) & 1);
    assert_true(MSIX_WORD(3, 3) & 1);
    fire_vector(vec);
    assert_true(pending(&doms[0], port));
    /* The port moves to vCPU 1: so does the message. */
    assert_int_equal(bind_vcpu(port, 1), 0);
    assert_int_equal(MSIX_WORD(2, 0), MSI_ADDR(1));
    assert_false(MSIX_WORD(2, 3) & 1);
    assert_int_equal(evclose(port), 0);
    assert_true(MSIX_WORD(2, 3) & 1);
    clear_pending(&doms[0], port);
    fire_vector(vec);                               /* stray: dropped */
    assert_false(pending(&doms[0], port));
    assert_int_equal(pirq_unmap(&doms[0], NR_PIRQS - 1), 0);
    assert_int_equal(pirq_unmap(&doms[0], NR_PIRQS - 1), -XEN_EINVAL);
}

static void test_msi_map_bind(void **state)
{
    unsigned int addr = STUB_MSI_CAP + 4, data = STUB_MSI_CAP + 12;
    evtchn_port_t port;

    (void)state;
    stub_pci_cfg[STUB_MSI_CAP + 2] |= 0x30;         /* MME: 8 messages */
    assert_int_equal(map_msi(false, 0, 40), 40);
    assert_int_equal(stub_cfg32(addr), MSI_ADDR(0));
    assert_int_equal(stub_cfg32(addr + 4), 0);
    assert_true(stub_cfg32(data) >= MSI_VECTOR_BASE);
    assert_int_equal(stub_pci_cfg[STUB_MSI_CAP + 2] & 0x70, 0);
    assert_int_equal(stub_cfg32(STUB_MSI_CAP + 16), 1); /* masked */
    assert_int_equal(pirq_eoi(&doms[0], 40), 0);
    assert_int_equal(bind_pirq(40, &port), 0);
    assert_int_equal(stub_cfg32(STUB_MSI_CAP + 16), 0);
    fire_vector(stub_cfg32(data) & 0xff);
    assert_true(pending(&doms[0], port));
    /* Dom0 may enable it and mask it, but not rewrite the message. */
    assert_true(msi_conf_write_allowed(STUB_PCI_BDF, STUB_MSI_CAP, 4));
    assert_true(msi_conf_write_allowed(STUB_PCI_BDF, STUB_MSI_CAP + 2, 2));
    assert_false(msi_conf_write_allowed(STUB_PCI_BDF, addr, 4));
    assert_false(msi_conf_write_allowed(STUB_PCI_BDF, addr + 4, 4));
    assert_false(msi_conf_write_allowed(STUB_PCI_BDF, data, 2));
    assert_false(msi_conf_write_allowed(STUB_PCI_BDF, addr + 3, 1));
    assert_true(msi_conf_write_allowed(STUB_PCI_BDF, STUB_MSI_CAP + 16, 4));
    assert_true(msi_conf_write_allowed(STUB_PCI_BDF, PCI_CAP_PTR, 1));
    assert_true(msi_conf_write_allowed(0x0008, addr, 4));  /* absent */
    assert_true(msi_conf_write_allowed(STUB_PCI_BDF, 0x104, 4)); /* ext. */
}

static void test_msi_errors(void **state)
{
    struct physdev_map_pirq multi = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_MULTI_MSI, .index = -1,
        .pirq = -1, .devfn = STUB_PCI_BDF & 0xff, .entry_nr = 4,
    };
    struct physdev_map_pirq seg1 = multi;
    int pirq = 40;

    (void)state;
    assert_int_equal(msi_map(&doms[0], &multi), -XEN_EOPNOTSUPP);
    seg1.type = MAP_PIRQ_TYPE_MSI_SEG;
    seg1.bus = 1u << 16;                            /* segment 1 */
    assert_int_equal(msi_map(&doms[0], &seg1), -XEN_ENODEV);
    seg1.bus = 0;
    seg1.devfn = 0x08;                              /* nothing there */
    assert_int_equal(msi_map(&doms[0], &seg1), -XEN_ENODEV);
    assert_int_equal(map_msi(true, STUB_MSIX_ENTRIES, -1), -XEN_EINVAL);
    assert_int_equal(map_msi(true, 0, NR_PIRQS), -XEN_EINVAL);
    /* MSI and GSI pirqs share one numbering. */
    assert_int_equal(map_msi(true, 0, 40), 40);
    assert_int_equal(map_msi(true, 1, 40), -XEN_EEXIST);
    assert_int_equal(pirq_map_gsi(&doms[0], 10, &pirq), -XEN_EBUSY);
    assert_int_equal(map(10, 41), 41);
    assert_int_equal(map_msi(true, 1, 41), -XEN_EEXIST);
    assert_int_equal(bind_pirq(42, NULL), -XEN_EPERM);  /* unmapped */
}

/* With PHYSDEVOP_pirq_eoi_gmfn_v2's page: a level GSI's bit is set while
 * it awaits the EOI; edge GSIs and MSIs never ask for one. */
static void test_pirq_eoi_map(void **state)
{
    unsigned long bits[PAGE_SIZE / sizeof(unsigned long)] = { 0 };
    evtchn_port_t level, edge;

    (void)state;
    qemu_overrides();
    doms[0].pirq_eoi_map = bits;
    assert_int_equal(map(9, 9), 9);
    assert_int_equal(map(1, 1), 1);
    assert_int_equal(bind_pirq(9, &level), 0);
    assert_int_equal(bind_pirq(1, &edge), 0);
    fire(1);
    assert_int_equal(bits[0], 0);
    fire(9);
    assert_int_equal(bits[0], 1UL << 9);
    assert_int_equal(pirq_eoi(&doms[0], 9), 0);
    assert_int_equal(bits[0], 0);
    assert_false(stub_rtes[9].masked);
    assert_int_equal(map_msi(true, 0, 70), 70);
    assert_int_equal(bind_pirq(70, NULL), 0);
    fire_vector(MSIX_WORD(0, 2));
    assert_int_equal(bits[1], 0);
    doms[0].pirq_eoi_map = NULL;
}

static int evtchn_tests(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, test_setup, test_teardown)
        T(test_init),
        T(test_port_alloc),
        T(test_port_exhaustion),
        T(test_alloc_unbound),
        T(test_bind_interdomain_self),
        T(test_bind_interdomain_errors),
        T(test_bind_virq),
        T(test_bind_virq_xenoprof_per_vcpu),
        T(test_bind_ipi),
        T(test_send),
        T(test_mask_protocol),
        T(test_close),
        T(test_close_clears_pending),
        T(test_close_moved_global_virq),
        T(test_status),
        T(test_status_unprivileged),
        T(test_bind_vcpu),
        T(test_unknown_cmd),
        T(test_efault),
        T(test_random),
        T(test_pirq_map),
        T(test_pirq_level),
        T(test_pirq_edge_defaults),
        T(test_pirq_keels_gsis),
        T(test_pirq_unmap_bound),
        T(test_msix_map_bind),
        T(test_msi_map_bind),
        T(test_msi_errors),
        T(test_pirq_eoi_map),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

int main(void)
{
    return stub_cpu_run(evtchn_tests);
}
