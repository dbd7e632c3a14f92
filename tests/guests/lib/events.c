/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 2-level event channels: the upcall scan (pending_sel, then pending and
 * not masked), per-port handlers and counters, bit helpers on shared_info.
 */
#include <guest.h>

extern char event_entry[], failsafe_entry[];
void event_handle(void);

volatile unsigned int event_count[EVTCHN_TRACKED];
static event_handler_fn handlers[EVTCHN_TRACKED];

#define BITS_PER_WORD 64

static void register_callback(unsigned int type, void *fn)
{
    struct callback_register cb = {
        .type = (uint16_t)type,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)fn,
    };
    long rc = hypercall_callback_op(CALLBACKOP_register, &cb);

    if (rc) {
        report_error("callback_op register type %u: %ld", type, rc);
        report_finish();
    }
}

void events_init(void)
{
    register_callback(CALLBACKTYPE_event, event_entry);
    register_callback(CALLBACKTYPE_failsafe, failsafe_entry);
}

void event_set_handler(evtchn_port_t port, event_handler_fn fn)
{
    if (port < EVTCHN_TRACKED)
        handlers[port] = fn;
}

static void dispatch(evtchn_port_t port)
{
    if (port >= EVTCHN_TRACKED) {
        report_error("event on untracked port %u", port);
        return;
    }
    event_count[port]++;
    if (handlers[port])
        handlers[port](port);
}

/* Called from the upcall with events masked; returns through iret. */
void event_handle(void)
{
    struct vcpu_info *vi = vcpu0_info();
    unsigned long sel, pend;
    unsigned int w, b;

    while (READ_ONCE(vi->evtchn_upcall_pending)) {
        WRITE_ONCE(vi->evtchn_upcall_pending, 0);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
                                  __ATOMIC_SEQ_CST);
        while (sel) {
            w = (unsigned int)__builtin_ctzl(sel);
            sel &= sel - 1;
            pend = READ_ONCE(shared_info->evtchn_pending[w]) &
                   ~READ_ONCE(shared_info->evtchn_mask[w]);
            while (pend) {
                b = (unsigned int)__builtin_ctzl(pend);
                pend &= pend - 1;
                evtchn_clear_pending(w * BITS_PER_WORD + b);
                dispatch(w * BITS_PER_WORD + b);
            }
        }
    }
}

/* Unmask and make the hypervisor deliver anything already pending. */
void events_unmask_all(void)
{
    struct vcpu_info *vi = vcpu0_info();

    WRITE_ONCE(vi->evtchn_upcall_mask, 0);
    barrier();
    if (READ_ONCE(vi->evtchn_upcall_pending))
        hypercall_xen_version(XENVER_version, NULL);
}

static unsigned long *word(unsigned long *base, evtchn_port_t port)
{
    return &base[port / BITS_PER_WORD];
}

bool evtchn_test_pending(evtchn_port_t port)
{
    unsigned long *w = word((unsigned long *)shared_info->evtchn_pending,
                            port);

    return (READ_ONCE(*w) >> (port % BITS_PER_WORD)) & 1;
}

bool evtchn_test_masked(evtchn_port_t port)
{
    unsigned long *w = word((unsigned long *)shared_info->evtchn_mask, port);

    return (READ_ONCE(*w) >> (port % BITS_PER_WORD)) & 1;
}

void evtchn_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(word((unsigned long *)shared_info->evtchn_pending,
                            port),
                       ~(1UL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

void evtchn_set_mask(evtchn_port_t port)
{
    __atomic_fetch_or(word((unsigned long *)shared_info->evtchn_mask, port),
                      1UL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
}

void evtchn_clear_mask(evtchn_port_t port)
{
    __atomic_fetch_and(word((unsigned long *)shared_info->evtchn_mask, port),
                       ~(1UL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &op);

    return rc ? rc : (long)op.port;
}

long evtchn_alloc_unbound(domid_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
                                       .remote_dom = remote };
    long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return rc ? rc : (long)op.port;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote,
                                          .remote_port = remote_port };
    long rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return rc ? rc : (long)op.local_port;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_close, &op);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_unmask, &op);
}
