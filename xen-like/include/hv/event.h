/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channels (2-level ABI) and virtual interrupts. */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/abi.h>
#include <hv/types.h>

struct domain;
struct vcpu;

int evtchn_init(struct domain *d);
/* Raises a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG) if the vCPU bound it. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/*
 * Raises a global VIRQ (VIRQ_CONSOLE, ...), bound on vCPU 0 and delivered
 * to its port's notify vCPU; safe in interrupt context.  Returns false if
 * d's event lock was busy (nothing raised: the caller retries later), true
 * if the VIRQ was raised or d has not bound it.
 */
bool send_guest_global_virq(struct domain *d, unsigned int virq);
/* Raises d's port bound to a pirq (interrupt context; see evtchn.c). */
void evtchn_raise_pirq(struct domain *d, evtchn_port_t port);
/* Is port pending in d's shared_info?  (false for invalid ports) */
bool evtchn_port_pending(struct domain *d, evtchn_port_t port);
bool evtchn_port_valid(struct domain *d, evtchn_port_t port);
long do_event_channel_op(unsigned long cmd, unsigned long arg);

#endif
