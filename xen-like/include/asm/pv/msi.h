/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI and MSI-X pirqs of the hardware domain (pv/msi.c).  Keel programs the
 * capability (or table entry) itself, to a vector of its own, and turns the
 * interrupt into an event on the pirq's bound port.
 */
#ifndef ASM_PV_MSI_H
#define ASM_PV_MSI_H

#include <hv/abi.h>
#include <hv/types.h>

struct domain;

/* PHYSDEVOP_map_pirq for MAP_PIRQ_TYPE_MSI, _MSI_SEG and _MULTI_MSI. */
int msi_map(struct domain *d, struct physdev_map_pirq *op);

/* For pirq.c, with pirq_lock held: -XEN_ENOENT if pirq is not an MSI. */
bool msi_pirq_in_use(const struct domain *d, unsigned int pirq);
int msi_unmap_locked(struct domain *d, unsigned int pirq);
int msi_bind_locked(struct domain *d, unsigned int pirq, evtchn_port_t port);
void msi_unbind_locked(struct domain *d, unsigned int pirq,
                       evtchn_port_t port);
int msi_retarget_locked(struct domain *d, unsigned int pirq,
                        evtchn_port_t port, unsigned int cpu);

/* Is mfn an MSI-X table page Keel programs (dom0 may not write it)? */
bool msi_table_frame(mfn_t mfn);

/* May dom0 write bytes at reg of bdf?  Not the MSI address and data. */
bool msi_conf_write_allowed(unsigned int bdf, unsigned int reg,
                            unsigned int bytes);

#endif
