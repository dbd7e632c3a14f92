/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains and their virtual CPUs. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/list.h>
#include <hv/spinlock.h>
#include <hv/types.h>
#include <asm/pv/vcpu.h>
#include <hv/abi.h>

#define MAX_DOMAIN_VCPUS    XEN_LEGACY_MAX_VCPUS    /* vcpu_info in shared_info */

#include <hv/timer.h>
#include <hv/grant_table.h>

struct domain;
struct evtchn;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;         /* the physical CPU it runs on */
    bool initialised;               /* has a context to start from */
    bool up;                        /* running (VCPUOP_up), not down */
    struct vcpu_info *vcpu_info;    /* in shared_info, or registered */
    evtchn_port_t virq_to_port[NR_VIRQS];
    struct timer singleshot_timer;  /* set_timer_op, VCPUOP singleshot */
    struct timer periodic_timer;    /* VCPUOP_set_periodic_timer */
    s_time_t periodic_period;       /* 0: stopped */
    struct timer time_refresh;      /* rewrites vcpu_time_info each second */
    mfn_t vcpu_info_mfn;            /* registered area, or INVALID_MFN */
    struct vcpu_runstate_info runstate;
    unsigned long runstate_guest;   /* guest address of its copy, or 0 */
    struct arch_vcpu arch;
};

struct domain {
    domid_t domain_id;
    bool is_privileged;

    struct spinlock page_lock;      /* protects page_list and tot_pages */
    struct list_head page_list;     /* frames assigned to the domain */
    unsigned long tot_pages;
    unsigned long max_pages;

    struct shared_info *shared_info;  /* hypervisor mapping */
    mfn_t shared_info_mfn;

    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_DOMAIN_VCPUS];

    unsigned long vm_assist;        /* VMASST_TYPE_* bits */

    struct spinlock evtchn_lock;    /* protects evtchn[] and evtchn_valid */
    struct evtchn *evtchn;          /* EVTCHN_2L_NR_CHANNELS entries */
    unsigned int evtchn_valid;      /* ports below this are valid */

    struct grant_table gnttab;
    uint32_t pci_cf8;               /* dom0's 0xcf8 (arch/x86/pv/ioport.c) */
    /* PHYSDEVOP_pirq_eoi_gmfn_v2: bit n set while pirq n awaits its EOI;
     * Keel's mapping of the guest's frame, NULL if none registered. */
    unsigned long *pirq_eoi_map;
    bool is_shutting_down;
    uint8_t shutdown_code;          /* SHUTDOWN_* */
};

struct domain *domain_create(domid_t id, bool privileged);
struct domain *domain_by_id(domid_t id);
struct domain *domain_lookup(domid_t id);     /* DOMID_SELF: the caller */
struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu);
int domain_populate(struct domain *d, unsigned long nr, unsigned long *mfns);
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d);
/* vcpu.c: v enters a RUNSTATE_* state (v runs on this CPU). */
void vcpu_runstate_change(struct vcpu *v, int state);

static inline bool domain_is_privileged(const struct domain *d)
{
    return d->is_privileged;
}

#endif
