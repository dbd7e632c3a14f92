/* SPDX-License-Identifier: GPL-2.0-only */
/* Creating domains and vCPUs, giving them memory, and ending them. */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/xmalloc.h>
#include <asm/m2p.h>
#include <asm/pv/mm.h>
#include <asm/pv/emulate.h>
#include <asm/pv/time.h>

#define MAX_DOMAINS 64

/* Domains by id; written only while creating (dom0, at boot). */
static struct domain *domains[MAX_DOMAINS];

struct domain *domain_by_id(domid_t id)
{
    return id < MAX_DOMAINS ? domains[id] : NULL;
}

/* The domain a guest names: DOMID_SELF is the caller's own. */
struct domain *domain_lookup(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

struct domain *domain_create(domid_t id, bool privileged)
{
    struct domain *d;
    struct page_info *pg;

    if (id >= MAX_DOMAINS || domains[id] || !(d = xzalloc(struct domain)))
        return NULL;
    if (evtchn_init(d) || gnttab_init(d)) {
        xfree(d->gnttab.maps);
        xfree(d->evtchn);
        xfree(d);
        return NULL;
    }
    d->domain_id = id;
    d->is_privileged = privileged;
    d->page_lock = (struct spinlock)SPINLOCK_INIT;
    list_init(&d->page_list);
    pg = alloc_pages(0);
    if (!pg) {
        xfree(d->evtchn);
        xfree(d);
        return NULL;
    }
    memset(page_to_virt(pg), 0, PAGE_SIZE);
    list_init(&pg->list);             /* shared, not in the page list */
    pagetype_assign_page(pg, d);      /* shared_info: the guest may map it */
    d->shared_info = page_to_virt(pg);
    d->shared_info_mfn = page_to_mfn(pg);
    domains[id] = d;
    return d;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
    struct vcpu *v;

    if (id >= MAX_DOMAIN_VCPUS || d->vcpu[id] || !(v = xzalloc(struct vcpu)))
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = cpu;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info->evtchn_upcall_mask = 1;
    v->arch.guest_table = INVALID_MFN;
    v->arch.guest_table_user = INVALID_MFN;
    v->vcpu_info_mfn = INVALID_MFN;
    v->runstate.state = RUNSTATE_running;
    v->runstate.state_entry_time = NOW();
    v->arch.kernel_mode = true;
    pv_vcpu_timer_init(v);
    pv_fpu_init_vcpu(v);
    d->vcpu[id] = v;
    if (id >= d->max_vcpus)
        d->max_vcpus = id + 1;
    return v;
}

/* Assigns nr fresh frames to d, storing their MFNs (pfn order) in mfns. */
int domain_populate(struct domain *d, unsigned long nr, unsigned long *mfns)
{
    unsigned long done = 0, i;
    unsigned int order = MAX_ORDER;

    while (done < nr) {
        struct page_info *pg;

        while (order && (1UL << order) > nr - done)
            order--;
        pg = alloc_pages(order);
        if (!pg && order) {
            order--;
            continue;
        }
        if (!pg)
            return -XEN_ENOMEM;
        for (i = 0; i < (1UL << order); i++, done++) {
            memset(page_to_virt(pg + i), 0, PAGE_SIZE);
            pagetype_assign_page(pg + i, d);
            list_add_tail(&pg[i].list, &d->page_list);
            mfns[done] = mfn_x(page_to_mfn(pg + i));
            m2p_set(page_to_mfn(pg + i), done);
        }
    }
    d->tot_pages += nr;
    /* As in Xen, dom0 may grow without limit (domctl max_mem sets one). */
    d->max_pages = d->is_privileged ? UINT32_MAX : d->tot_pages;
    return 0;
}

static void __noreturn dom0_gone(const char *how)
{
    pr_info("Domain 0 %s: %s\n", how, test_mode() ? "ending the test run"
                                                  : "shutting down");
    if (test_mode())
        test_exit(true);
    machine_power_off();
}

/* SCHEDOP_shutdown: for dom0 this ends the machine. */
void domain_shutdown(struct domain *d, unsigned int reason)
{
    d->is_shutting_down = true;
    d->shutdown_code = reason;
    if (d->domain_id != 0)
        return;
    if (reason == SHUTDOWN_reboot && !test_mode()) {
        pr_info("Domain 0 asked for a reboot\n");
        machine_restart();
    }
    dom0_gone(reason == SHUTDOWN_crash ? "crashed" : "shut down");
}

/* A guest did something fatal: it dies, Keel stays up and says so. */
void domain_crash(struct domain *d)
{
    d->is_shutting_down = true;
    d->shutdown_code = SHUTDOWN_crash;
    pr_err("Domain %u crashed: Keel stays up%s\n", d->domain_id,
           d->domain_id == 0 ? " (with nothing left to run)" : "");
    if (d->domain_id == 0 && test_mode())
        test_exit(false);
}
