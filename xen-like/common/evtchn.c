/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI (public/event_channel.h): ports bound to
 * VIRQs, IPIs, physical IRQs (pirqs, arch/x86/pv/pirq.c), or another port
 * (interdomain, including to oneself), and the pending/mask/selector bits
 * in shared_info that deliver them.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/xmalloc.h>
#include <asm/apic.h>
#include <asm/pv/pirq.h>

#define NR_PORTS        EVTCHN_2L_NR_CHANNELS
#define PORT_BUCKET     64              /* ports become valid 64 at a time */
#define BITS_PER_WORD   64

enum ecs {
    ECS_FREE, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI, ECS_PIRQ
};

struct evtchn {
    uint8_t state;                  /* enum ecs */
    uint16_t notify_vcpu;
    domid_t remote_domid;           /* ECS_UNBOUND: who may bind */
    struct domain *remote_dom;      /* ECS_INTERDOMAIN */
    evtchn_port_t remote_port;
    uint32_t virq;                  /* ECS_VIRQ */
    uint32_t pirq;                  /* ECS_PIRQ */
};

int evtchn_init(struct domain *d)
{
    d->evtchn_lock = (struct spinlock)SPINLOCK_INIT;
    d->evtchn = xzalloc_array(struct evtchn, NR_PORTS);
    d->evtchn_valid = PORT_BUCKET;
    return d->evtchn ? 0 : -XEN_ENOMEM;
}

bool evtchn_port_valid(struct domain *d, evtchn_port_t port)
{
    return port && port < d->evtchn_valid;
}

static bool test_and_set(volatile xen_ulong_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, 1UL << bit, __ATOMIC_SEQ_CST) & (1UL << bit);
}

bool evtchn_port_pending(struct domain *d, evtchn_port_t port)
{
    return evtchn_port_valid(d, port) &&
           (d->shared_info->evtchn_pending[port / BITS_PER_WORD] &
            (1UL << (port % BITS_PER_WORD)));
}

/* Tells v's upcall that word w has work; wakes v's CPU if it sleeps. */
static void mark_upcall(struct vcpu *v, unsigned int w)
{
    if (test_and_set(&v->vcpu_info->evtchn_pending_sel, w))
        return;
    v->vcpu_info->evtchn_upcall_pending = 1;
    if (v->processor != smp_processor_id())
        lapic_send_ipi(cpu_apic_id[v->processor], LAPIC_TIMER_VECTOR);
}

static void set_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;
    struct vcpu *v = d->vcpu[d->evtchn[port].notify_vcpu];

    if (test_and_set(&s->evtchn_pending[w], bit))
        return;
    if (s->evtchn_mask[w] & (1UL << bit))
        return;                         /* the edge stays in pending */
    if (v)
        mark_upcall(v, w);
}

/* A free port (not 0), making the next bucket valid if needed. */
static long alloc_port(struct domain *d)
{
    unsigned int p;

    ASSERT(spin_is_locked(&d->evtchn_lock));
    for (p = 1; p < NR_PORTS; p++) {
        if (d->evtchn[p].state != ECS_FREE)
            continue;
        if (p >= d->evtchn_valid)
            d->evtchn_valid = ROUNDUP(p + 1, PORT_BUCKET);
        memset(&d->evtchn[p], 0, sizeof(d->evtchn[p]));
        return p;
    }
    return -XEN_ENOSPC;
}

static long alloc_unbound(struct evtchn_alloc_unbound *op)
{
    struct domain *d = domain_lookup(op->dom);
    long port;

    if (!d)
        return -XEN_ESRCH;
    if (d != current->domain && !domain_is_privileged(current->domain))
        return -XEN_EPERM;
    spin_lock(&d->evtchn_lock);
    port = alloc_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_UNBOUND;
        d->evtchn[port].remote_domid = op->remote_dom == DOMID_SELF
                                           ? current->domain->domain_id
                                           : op->remote_dom;
        op->port = port;
    }
    spin_unlock(&d->evtchn_lock);
    return port > 0 ? 0 : port;
}

/* Both ends of an interdomain channel; one lock suffices for now because
 * only domain 0 exists (two domains: lock both, ordered by domid). */
static long bind_interdomain(struct evtchn_bind_interdomain *op)
{
    struct domain *ld = current->domain, *rd = domain_lookup(op->remote_dom);
    struct evtchn *rc;
    long lport;

    if (!rd)
        return -XEN_ESRCH;
    if (rd != ld)
        return -XEN_EOPNOTSUPP;         /* other domains: with domUs */
    spin_lock(&ld->evtchn_lock);
    rc = evtchn_port_valid(rd, op->remote_port) ? &rd->evtchn[op->remote_port]
                                                : NULL;
    if (!rc || rc->state != ECS_UNBOUND || rc->remote_domid != ld->domain_id) {
        spin_unlock(&ld->evtchn_lock);
        return -XEN_EINVAL;
    }
    lport = alloc_port(ld);
    if (lport > 0) {
        ld->evtchn[lport].state = ECS_INTERDOMAIN;
        ld->evtchn[lport].remote_dom = rd;
        ld->evtchn[lport].remote_port = op->remote_port;
        rc->state = ECS_INTERDOMAIN;
        rc->remote_dom = ld;
        rc->remote_port = lport;
        op->local_port = lport;
        set_pending(ld, lport);         /* as Xen: the new end is pending */
    }
    spin_unlock(&ld->evtchn_lock);
    return lport > 0 ? 0 : lport;
}

/* Per-vCPU VIRQs are marked "V." in public/xen.h; the rest are global. */
static bool virq_is_global(unsigned int virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
           virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

static long bind_virq(struct evtchn_bind_virq *op)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    long port;

    if (op->virq >= NR_VIRQS || (virq_is_global(op->virq) && op->vcpu))
        return -XEN_EINVAL;
    if (op->vcpu >= MAX_DOMAIN_VCPUS || !(v = d->vcpu[op->vcpu]))
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    if (v->virq_to_port[op->virq]) {
        spin_unlock(&d->evtchn_lock);
        return -XEN_EEXIST;
    }
    port = alloc_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_VIRQ;
        d->evtchn[port].virq = op->virq;
        d->evtchn[port].notify_vcpu = op->vcpu;
        v->virq_to_port[op->virq] = port;
        op->port = port;
    }
    spin_unlock(&d->evtchn_lock);
    return port > 0 ? 0 : port;
}

static long bind_ipi(struct evtchn_bind_ipi *op)
{
    struct domain *d = current->domain;
    long port;

    if (op->vcpu >= MAX_DOMAIN_VCPUS || !d->vcpu[op->vcpu])
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    port = alloc_port(d);
    if (port > 0) {
        d->evtchn[port].state = ECS_IPI;
        d->evtchn[port].notify_vcpu = op->vcpu;
        op->port = port;
    }
    spin_unlock(&d->evtchn_lock);
    return port > 0 ? 0 : port;
}

/* As Xen: the pirq must be mapped; events go to vCPU 0 at first. */
static long bind_pirq(struct evtchn_bind_pirq *op)
{
    struct domain *d = current->domain;
    long port;
    int rc;

    spin_lock(&d->evtchn_lock);
    port = alloc_port(d);
    if (port > 0) {
        rc = pirq_bind(d, op->pirq, port);
        if (rc) {
            port = rc;                  /* the port stays ECS_FREE */
        } else {
            d->evtchn[port].state = ECS_PIRQ;
            d->evtchn[port].pirq = op->pirq;
            op->port = port;
        }
    }
    spin_unlock(&d->evtchn_lock);
    return port > 0 ? 0 : port;
}

/* Forgets which vCPU a VIRQ port was bound on: bind_vcpu may have moved
 * its notify vCPU since, so every vCPU's table is checked. */
static void unbind_virq(struct domain *d, const struct evtchn *c,
                        evtchn_port_t port)
{
    unsigned int i;

    for (i = 0; i < MAX_DOMAIN_VCPUS; i++)
        if (d->vcpu[i] && d->vcpu[i]->virq_to_port[c->virq] == port)
            d->vcpu[i]->virq_to_port[c->virq] = 0;
}

static long evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c;
    long rc = 0;

    spin_lock(&d->evtchn_lock);
    c = evtchn_port_valid(d, port) ? &d->evtchn[port] : NULL;
    if (!c || c->state == ECS_FREE) {
        rc = -XEN_EINVAL;
    } else if (c->state == ECS_INTERDOMAIN) {
        struct evtchn *peer = &c->remote_dom->evtchn[c->remote_port];

        peer->state = ECS_UNBOUND;      /* the other end may bind again */
        peer->remote_domid = d->domain_id;
    } else if (c->state == ECS_VIRQ) {
        unbind_virq(d, c, port);
    } else if (c->state == ECS_PIRQ) {
        pirq_unbind(d, c->pirq, port);  /* no more raises after this */
    }
    if (!rc) {
        memset(c, 0, sizeof(*c));
        /* A port bound again later must not start out pending. */
        __atomic_fetch_and(&d->shared_info->evtchn_pending[port /
                                                           BITS_PER_WORD],
                           ~(1UL << (port % BITS_PER_WORD)),
                           __ATOMIC_SEQ_CST);
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

static long evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn c;

    spin_lock(&d->evtchn_lock);
    if (!evtchn_port_valid(d, port)) {
        spin_unlock(&d->evtchn_lock);
        return -XEN_EINVAL;
    }
    c = d->evtchn[port];
    switch (c.state) {
    case ECS_INTERDOMAIN:
        set_pending(c.remote_dom, c.remote_port);
        break;
    case ECS_IPI:
        set_pending(d, port);
        break;
    case ECS_UNBOUND:
        break;                          /* nobody listens: Xen says 0 */
    default:
        spin_unlock(&d->evtchn_lock);
        return -XEN_EINVAL;
    }
    spin_unlock(&d->evtchn_lock);
    return 0;
}

static void fill_status(const struct evtchn *c, struct evtchn_status *op)
{
    op->vcpu = c->notify_vcpu;
    switch (c->state) {
    case ECS_FREE:
        op->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = c->remote_domid;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = c->remote_dom->domain_id;
        op->u.interdomain.port = c->remote_port;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = c->virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    case ECS_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        op->u.pirq = c->pirq;
        break;
    }
}

static long evtchn_status(struct evtchn_status *op)
{
    struct domain *d = domain_lookup(op->dom);
    long rc = 0;

    if (!d)
        return -XEN_ESRCH;
    if (d != current->domain && !domain_is_privileged(current->domain))
        return -XEN_EPERM;
    spin_lock(&d->evtchn_lock);
    if (!evtchn_port_valid(d, op->port))
        rc = -XEN_EINVAL;
    else
        fill_status(&d->evtchn[op->port], op);
    spin_unlock(&d->evtchn_lock);
    return rc;
}

static long evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;
    struct vcpu *v;
    xen_ulong_t was;

    if (!evtchn_port_valid(d, port))
        return -XEN_EINVAL;
    was = __atomic_fetch_and(&s->evtchn_mask[w], ~(1UL << bit),
                             __ATOMIC_SEQ_CST);
    v = d->vcpu[d->evtchn[port].notify_vcpu];
    /* Only an edge the mask held back is delivered now. */
    if ((was & (1UL << bit)) && (s->evtchn_pending[w] & (1UL << bit)) && v)
        mark_upcall(v, w);
    return 0;
}

static long bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *op)
{
    struct evtchn *c;
    long rc = 0;

    if (op->vcpu >= MAX_DOMAIN_VCPUS || !d->vcpu[op->vcpu])
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    c = evtchn_port_valid(d, op->port) ? &d->evtchn[op->port] : NULL;
    if (!c || c->state == ECS_IPI || c->state == ECS_FREE ||
        (c->state == ECS_VIRQ && !virq_is_global(c->virq)))
        rc = -XEN_EINVAL;
    else
        c->notify_vcpu = op->vcpu;
    if (!rc && c->state == ECS_PIRQ)
        pirq_set_vcpu(d, c->pirq, op->port, d->vcpu[op->vcpu]);
    spin_unlock(&d->evtchn_lock);
    return rc;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port = v->virq_to_port[virq];

    if (port)
        set_pending(v->domain, port);
}

/*
 * May run in an interrupt that preempted a hypercall holding evtchn_lock
 * on this CPU, so the lock is only tried: the lock keeps the port from
 * being closed under us (a stale pending bit would greet its next user).
 */
bool send_guest_global_virq(struct domain *d, unsigned int virq)
{
    struct vcpu *v = d->vcpu[0];
    evtchn_port_t port;

    ASSERT(virq < NR_VIRQS && virq_is_global(virq));
    if (!v || !d->evtchn)
        return true;
    if (!spin_trylock(&d->evtchn_lock))
        return false;
    port = v->virq_to_port[virq];
    if (port)
        set_pending(d, port);
    spin_unlock(&d->evtchn_lock);
    return true;
}

/*
 * The interrupt path of a bound pirq (pirq.c): no event lock, because the
 * caller's pirq_lock keeps the port bound (close unbinds the pirq first).
 */
void evtchn_raise_pirq(struct domain *d, evtchn_port_t port)
{
    set_pending(d, port);
}

union evtchn_args {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_unmask unmask;
    struct evtchn_bind_vcpu bind_vcpu;
};

/* The argument size of cmd, or 0 if Keel does not implement it. */
static size_t op_size(unsigned long cmd)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:
        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_bind_ipi:
        return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_bind_pirq:
        return sizeof(struct evtchn_bind_pirq);
    case EVTCHNOP_close:
        return sizeof(struct evtchn_close);
    case EVTCHNOP_send:
        return sizeof(struct evtchn_send);
    case EVTCHNOP_status:
        return sizeof(struct evtchn_status);
    case EVTCHNOP_unmask:
        return sizeof(struct evtchn_unmask);
    case EVTCHNOP_bind_vcpu:
        return sizeof(struct evtchn_bind_vcpu);
    default:
        return 0;
    }
}

static long run_op(unsigned long cmd, union evtchn_args *op, bool *copy_back)
{
    struct domain *d = current->domain;

    *copy_back = cmd == EVTCHNOP_alloc_unbound ||
                 cmd == EVTCHNOP_bind_interdomain ||
                 cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi ||
                 cmd == EVTCHNOP_bind_pirq || cmd == EVTCHNOP_status;
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return alloc_unbound(&op->alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        return bind_interdomain(&op->bind_interdomain);
    case EVTCHNOP_bind_virq:
        return bind_virq(&op->bind_virq);
    case EVTCHNOP_bind_ipi:
        return bind_ipi(&op->bind_ipi);
    case EVTCHNOP_bind_pirq:
        return bind_pirq(&op->bind_pirq);
    case EVTCHNOP_close:
        return evtchn_close(d, op->close.port);
    case EVTCHNOP_send:
        return evtchn_send(d, op->send.port);
    case EVTCHNOP_status:
        return evtchn_status(&op->status);
    case EVTCHNOP_unmask:
        return evtchn_unmask(d, op->unmask.port);
    default:
        return bind_vcpu(d, &op->bind_vcpu);
    }
}

long do_event_channel_op(unsigned long cmd, unsigned long arg)
{
    static uint64_t reported;
    size_t size = op_size(cmd);
    union evtchn_args op;
    bool copy_back;
    long rc;

    if (!size) {
        /* init_control (FIFO) among them: Linux then uses 2-level. */
        if (log_once(&reported, cmd))
            pr_warn("d%u: event_channel_op %lu not implemented: -ENOSYS\n",
                    current->domain->domain_id, cmd);
        return -XEN_ENOSYS;
    }
    if (copy_from_guest(&op, (const void *)arg, size))
        return -XEN_EFAULT;
    rc = run_op(cmd, &op, &copy_back);
    if (!rc && copy_back && copy_to_guest((void *)arg, &op, size))
        rc = -XEN_EFAULT;
    return rc;
}
