/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical IRQs of the hardware domain (PV-ABI §5.3): which pirq a GSI is
 * mapped to, which event channel it is bound to, how its IO-APIC pin is
 * programmed, and the interrupt path that turns the pin into an event.
 * MSI pirqs live in msi.c; the pirq calls here hand them over.
 */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include <asm/pv/msi.h>
#include <asm/pv/pirq.h>

#define NR_ISA_IRQS     16
#define ISA_IRQ_PIT     0       /* Keel calibrates the TSC with it */
#define ISA_IRQ_COM1    4       /* Keel's console UART (polled) */

struct gsi {
    struct domain *d;           /* owner of the mapping, NULL if unmapped */
    int pirq;                   /* valid while d is set */
    evtchn_port_t port;         /* bound port of d, 0 if unbound */
    bool configured;            /* the pin is programmed */
    bool level, active_low;
    bool eoi_masked;            /* level pin masked until the guest's EOI */
    unsigned int cpu;           /* the CPU the pin is routed to */
};

/* Protects gsis[] and msi.c's table; taken irqsave (the interrupt paths
 * take it too). */
DEFINE_SPINLOCK(pirq_lock);
static struct gsi gsis[PIRQ_MAX_GSIS];

static unsigned int nr_gsis(void)
{
    return MIN(ioapic_nr_gsis, (unsigned int)PIRQ_MAX_GSIS);
}

/* The GSI an ISA IRQ arrives on (MADT overrides, else identity). */
static unsigned int isa_irq_gsi(unsigned int irq)
{
    unsigned int i;

    for (i = 0; i < acpi_info.nr_overrides; i++)
        if (acpi_info.overrides[i].isa_irq == irq)
            return acpi_info.overrides[i].gsi;
    return irq;
}

/*
 * GSIs whose devices Keel drives: the PIT and COM1.  Dom0 may map them (as
 * Xen lets it map any IRQ but 0) but not program or bind them, as Xen
 * refuses to bind an IRQ it uses itself.
 */
static bool gsi_is_keels(unsigned int gsi)
{
    return gsi == isa_irq_gsi(ISA_IRQ_PIT) || gsi == isa_irq_gsi(ISA_IRQ_COM1);
}

/* ISA GSIs: edge, active high unless overridden; the rest PCI: level, low. */
static void gsi_default_mode(unsigned int gsi, bool *level, bool *low)
{
    unsigned int i;

    *level = *low = gsi >= NR_ISA_IRQS;
    for (i = 0; i < acpi_info.nr_overrides; i++) {
        uint16_t f = acpi_info.overrides[i].flags;

        if (acpi_info.overrides[i].gsi != gsi)
            continue;
        *level = ACPI_TRIGGER(f) == 3;
        *low = ACPI_POLARITY(f) == 3;
    }
}

/* The GSI d mapped pirq to, or NULL.  Caller holds pirq_lock. */
static struct gsi *pirq_gsi(struct domain *d, unsigned int pirq)
{
    unsigned int g;

    ASSERT(spin_is_locked(&pirq_lock));
    for (g = 0; g < nr_gsis(); g++)
        if (gsis[g].d == d && gsis[g].pirq == (int)pirq)
            return &gsis[g];
    return NULL;
}

bool pirq_in_use_locked(struct domain *d, unsigned int pirq)
{
    return pirq_gsi(d, pirq) || msi_pirq_in_use(d, pirq);
}

/* As Xen's get_free_pirq(): GSIs take the first free one from 16 up, MSIs
 * the last free one from the top down. */
int pirq_alloc_locked(struct domain *d, bool top_down)
{
    unsigned int i, p;

    for (i = NR_ISA_IRQS; i < NR_PIRQS; i++) {
        p = top_down ? NR_PIRQS - 1 - (i - NR_ISA_IRQS) : i;
        if (!pirq_in_use_locked(d, p))
            return p;
    }
    return -XEN_ENOSPC;
}

static void gsi_interrupt(struct cpu_regs *regs)
{
    unsigned int gsi = regs->vector - PIRQ_VECTOR_BASE;
    struct gsi *g = &gsis[gsi];
    unsigned long flags = spin_lock_irqsave(&pirq_lock);

    if (g->level || !g->port) {
        /* Level: held masked until PHYSDEVOP_eoi; unbound: stray. */
        ioapic_set_masked(gsi, true);
        g->eoi_masked = g->port != 0;
        if (g->eoi_masked && g->d->pirq_eoi_map)
            __atomic_fetch_or(&g->d->pirq_eoi_map[g->pirq / 64],
                              1UL << (g->pirq % 64), __ATOMIC_SEQ_CST);
    }
    /* pirq_lock keeps the port bound while it is raised. */
    if (g->port)
        evtchn_raise_pirq(g->d, g->port);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* Programs gsi's pin (masked) to reach g->cpu (that of dom0's vCPU 0,
 * until EVTCHNOP_bind_vcpu moves the port). */
static int gsi_program(unsigned int gsi, bool level, bool active_low)
{
    struct gsi *g = &gsis[gsi];
    int rc;

    ASSERT(spin_is_locked(&pirq_lock));
    rc = ioapic_program(gsi, PIRQ_VECTOR_BASE + gsi, level, active_low,
                        cpu_apic_id[g->cpu]);
    if (rc)
        return rc;
    set_irq_handler(PIRQ_VECTOR_BASE + gsi, gsi_interrupt);
    g->configured = true;
    g->level = level;
    g->active_low = active_low;
    g->eoi_masked = false;
    return 0;
}

/* Checks the pirq a caller asked for (or picks one) for gsi. */
static int pick_pirq(struct domain *d, const struct gsi *g, int pirq)
{
    const struct gsi *other;

    if (g->d && g->d != d)
        return -XEN_EBUSY;
    if (pirq < 0)
        return g->d ? g->pirq : pirq_alloc_locked(d, false);
    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    if (g->d && g->pirq != pirq)
        return -XEN_EEXIST;         /* Xen: "already mapped to pirq" */
    other = pirq_gsi(d, pirq);
    /* Xen returns 0 here without mapping; an error is more honest. */
    if ((other && other != g) || msi_pirq_in_use(d, pirq))
        return -XEN_EBUSY;
    return pirq;
}

int pirq_map_gsi(struct domain *d, int gsi, int *pirq)
{
    unsigned long flags;
    int rc;

    if (!domain_is_privileged(d))
        return -XEN_EPERM;
    if (gsi < 0 || (unsigned int)gsi >= nr_gsis())
        return -XEN_EINVAL;
    if (gsi == 0)
        return -XEN_EPERM;          /* as Xen: IRQ 0 is never dom0's */
    flags = spin_lock_irqsave(&pirq_lock);
    rc = pick_pirq(d, &gsis[gsi], *pirq);
    if (rc >= 0) {
        gsis[gsi].d = d;
        gsis[gsi].pirq = rc;
        *pirq = rc;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Masks and forgets g's binding (the port stays ECS_PIRQ until closed). */
static void gsi_unbind(unsigned int gsi)
{
    ASSERT(spin_is_locked(&pirq_lock));
    if (gsis[gsi].configured)
        ioapic_set_masked(gsi, true);
    gsis[gsi].port = 0;
    gsis[gsi].eoi_masked = false;
}

int pirq_unmap(struct domain *d, int pirq)
{
    unsigned long flags;
    struct gsi *g;
    int rc = -XEN_EINVAL;

    if (pirq < 0 || pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    if ((g = pirq_gsi(d, pirq))) {
        gsi_unbind(g - gsis);
        g->d = NULL;
        g->pirq = 0;
        g->configured = false;      /* the next mapper sets it up anew */
        g->cpu = 0;
        rc = 0;
    } else {
        rc = msi_unmap_locked(d, pirq);
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int pirq_setup_gsi(struct domain *d, int gsi, bool level, bool active_low)
{
    unsigned long flags;
    int rc;

    if (!domain_is_privileged(d))
        return -XEN_EPERM;
    if (gsi < 0 || (unsigned int)gsi >= nr_gsis())
        return -XEN_EINVAL;
    if (gsi_is_keels(gsi))
        return -XEN_EEXIST;         /* as Xen for an IRQ it drives */
    flags = spin_lock_irqsave(&pirq_lock);
    if (gsis[gsi].port)
        rc = -XEN_EEXIST;           /* in use: Linux says "Already setup" */
    else
        rc = gsi_program(gsi, level, active_low);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Unmasks a level pin the interrupt path masked; 0 also if none was. */
int pirq_eoi(struct domain *d, unsigned int pirq)
{
    unsigned long flags;
    struct gsi *g;
    int rc = -XEN_EINVAL;

    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    if (d->pirq_eoi_map)
        __atomic_fetch_and(&d->pirq_eoi_map[pirq / 64], ~(1UL << (pirq % 64)),
                           __ATOMIC_SEQ_CST);
    if ((g = pirq_gsi(d, pirq))) {
        if (g->eoi_masked && g->port) {
            g->eoi_masked = false;
            ioapic_set_masked(g - gsis, false);
        }
        rc = 0;
    } else if (msi_pirq_in_use(d, pirq)) {
        rc = 0;                     /* edge: nothing held back */
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* A pin dom0 never set up (legacy ISA IRQs) gets the ACPI defaults. */
static int bind_check(struct domain *d, unsigned int pirq, struct gsi **gp)
{
    bool level, low;
    struct gsi *g;
    int rc;

    if (pirq >= NR_PIRQS)
        return -XEN_EINVAL;
    if (!(g = pirq_gsi(d, pirq)))
        return -XEN_EPERM;          /* as Xen: not mapped, no access */
    if (g->port)
        return -XEN_EEXIST;
    if (gsi_is_keels(g - gsis))
        return -XEN_EBUSY;          /* Xen: "In use by" the hypervisor */
    if (!g->configured) {
        gsi_default_mode(g - gsis, &level, &low);
        if ((rc = gsi_program(g - gsis, level, low)))
            return rc;
    }
    *gp = g;
    return 0;
}

/* Routes a configured pin to cpu: reprogrammed masked, then unmasked
 * again unless unbound or awaiting the guest's EOI. */
static void gsi_retarget(struct gsi *g, unsigned int cpu)
{
    unsigned int gsi = g - gsis;

    ASSERT(spin_is_locked(&pirq_lock));
    g->cpu = cpu;
    if (!g->configured ||
        ioapic_program(gsi, PIRQ_VECTOR_BASE + gsi, g->level, g->active_low,
                       cpu_apic_id[cpu]))
        return;
    if (g->port && !g->eoi_masked)
        ioapic_set_masked(gsi, false);
}

int pirq_bind(struct domain *d, unsigned int pirq, evtchn_port_t port)
{
    unsigned long flags = spin_lock_irqsave(&pirq_lock);
    struct gsi *g = NULL;
    int rc;

    if (pirq < NR_PIRQS && msi_pirq_in_use(d, pirq))
        rc = msi_bind_locked(d, pirq, port);
    else if (!(rc = bind_check(d, pirq, &g))) {
        g->port = port;
        g->eoi_masked = false;
        /* A new port notifies vCPU 0: the pin goes back to its CPU
         * (gsi_retarget() unmasks it there). */
        if (d->vcpu[0] && g->cpu != d->vcpu[0]->processor)
            gsi_retarget(g, d->vcpu[0]->processor);
        else
            ioapic_set_masked(g - gsis, false);
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

void pirq_unbind(struct domain *d, unsigned int pirq, evtchn_port_t port)
{
    unsigned long flags = spin_lock_irqsave(&pirq_lock);
    struct gsi *g = pirq < NR_PIRQS ? pirq_gsi(d, pirq) : NULL;

    /* The pirq may have been unmapped (and mapped again) since. */
    if (g && g->port == port)
        gsi_unbind(g - gsis);
    else if (!g && pirq < NR_PIRQS)
        msi_unbind_locked(d, pirq, port);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* EVTCHNOP_bind_vcpu: the interrupt follows its port to the vCPU's CPU,
 * as Xen moves the physical IRQ's affinity. */
void pirq_set_vcpu(struct domain *d, unsigned int pirq, evtchn_port_t port,
                   const struct vcpu *v)
{
    unsigned long flags = spin_lock_irqsave(&pirq_lock);
    struct gsi *g = pirq < NR_PIRQS ? pirq_gsi(d, pirq) : NULL;

    if (g && g->port == port)
        gsi_retarget(g, v->processor);
    else if (pirq < NR_PIRQS && msi_pirq_in_use(d, pirq))
        msi_retarget_locked(d, pirq, port, v->processor);
    spin_unlock_irqrestore(&pirq_lock, flags);
}
