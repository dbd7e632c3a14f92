/* SPDX-License-Identifier: GPL-2.0-only */
/* Physical IRQs (pirqs) of the hardware domain: GSI <-> pirq <-> port. */
#ifndef ASM_PV_PIRQ_H
#define ASM_PV_PIRQ_H

#include <hv/abi.h>
#include <hv/types.h>

#include <hv/spinlock.h>

#define NR_PIRQS        256             /* per domain: GSIs and MSIs */

struct domain;
struct vcpu;

/* pirq.c and msi.c: every pirq table; taken irqsave. */
extern struct spinlock pirq_lock;
/* A free pirq of d (pirq_lock held): GSIs from 16 up, MSIs from the top. */
int pirq_alloc_locked(struct domain *d, bool top_down);
/* pirq is mapped, to a GSI or an MSI (pirq_lock held). */
bool pirq_in_use_locked(struct domain *d, unsigned int pirq);

/* PHYSDEVOP_map_pirq (MAP_PIRQ_TYPE_GSI): *pirq is IN (-1: any) and OUT. */
int pirq_map_gsi(struct domain *d, int gsi, int *pirq);
int pirq_unmap(struct domain *d, int pirq);
/* PHYSDEVOP_setup_gsi: -XEN_EEXIST while the GSI is bound (as Xen). */
int pirq_setup_gsi(struct domain *d, int gsi, bool level, bool active_low);
int pirq_eoi(struct domain *d, unsigned int pirq);
/*
 * EVTCHNOP_bind_pirq and close (common/evtchn.c, caller holds
 * d->evtchn_lock): bind unmasks the pin, unbind masks it again.
 */
int pirq_bind(struct domain *d, unsigned int pirq, evtchn_port_t port);
void pirq_unbind(struct domain *d, unsigned int pirq, evtchn_port_t port);
/* EVTCHNOP_bind_vcpu of a pirq port (d->evtchn_lock held). */
void pirq_set_vcpu(struct domain *d, unsigned int pirq, evtchn_port_t port,
                   const struct vcpu *v);

#endif
