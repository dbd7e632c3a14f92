/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI and MSI-X pirqs of the hardware domain (PV-ABI §5.3).  Dom0 maps a
 * device's MSI, or one MSI-X table entry, to a pirq; Keel gives it a vector
 * of its own, writes the message (address: the CPU of the vCPU the port is
 * bound to; data: the vector) and keeps it masked while no port is bound.
 * Dom0 enables the capability itself, but may not write the message.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/pv/mm.h>
#include <asm/pv/msi.h>
#include <asm/pv/pirq.h>

#define MSI_ADDR_BASE       0xfee00000u
#define MSI_ADDR_DEST_SHIFT 12

#define MSI_FLAGS           2           /* capability register offsets */
#define MSI_FLAGS_64BIT     0x0080
#define MSI_FLAGS_MASKBIT   0x0100
#define MSI_FLAGS_QSIZE     0x0070      /* multiple message enable */
#define MSI_ADDR_LO         4
#define MSIX_FLAGS          2
#define MSIX_FLAGS_QSIZE    0x07ff
#define MSIX_TABLE          4
#define MSIX_TABLE_BIR      0x7u

#define MSIX_ENTRY_SIZE     16          /* table entry: dwords 0-3 */
#define MSIX_ENTRY_ADDR_LO  0
#define MSIX_ENTRY_ADDR_HI  1
#define MSIX_ENTRY_DATA     2
#define MSIX_ENTRY_CTRL     3
#define MSIX_CTRL_MASKBIT   1u

#define MAX_TABLE_PAGES     32

struct msi_irq {
    struct domain *d;               /* NULL: the vector is free */
    unsigned int pirq;
    evtchn_port_t port;             /* bound port, 0 if none */
    unsigned int bdf, cap;          /* the device and its capability */
    bool msix;
    unsigned int entry;             /* MSI-X: the table entry ... */
    volatile uint32_t *msix_entry;  /* ... and Keel's mapping of it */
    uint32_t dest_apic;             /* where the message goes */
};

/* msis[i] owns vector MSI_VECTOR_BASE + i; under pirq_lock. */
static struct msi_irq msis[NR_MSI_VECTORS];

/*
 * MSI-X table pages Keel has mapped, one mapping each, kept for good (the
 * ioremap area is never given back): so there may only be a few.  From
 * then on dom0 maps them read-only and its writes are dropped (Xen's
 * mmio_ro_ranges).  As in Xen ("XXX How to deal with existing mappings?"),
 * a mapping made before stays writable: Linux ioremaps the table before
 * PHYSDEVOP_map_pirq, but as a Xen guest never writes it (it sets
 * pci_msi_ignore_mask), and Keel keeps no reverse map to find such entries.
 */
static DEFINE_SPINLOCK(table_lock);
static struct { paddr_t pa; uint8_t *va; } table_pages[MAX_TABLE_PAGES];
static unsigned int nr_table_pages;

static unsigned int vector_of(const struct msi_irq *m)
{
    return MSI_VECTOR_BASE + (unsigned int)(m - msis);
}

static struct msi_irq *find_pirq(const struct domain *d, unsigned int pirq)
{
    unsigned int i;

    ASSERT(spin_is_locked(&pirq_lock));
    for (i = 0; i < NR_MSI_VECTORS; i++)
        if (msis[i].d == d && msis[i].pirq == pirq)
            return &msis[i];
    return NULL;
}

/* The mapping of this MSI (entry) if d made one already. */
static struct msi_irq *find_source(const struct domain *d, unsigned int bdf,
                                   bool msix, unsigned int entry)
{
    unsigned int i;

    for (i = 0; i < NR_MSI_VECTORS; i++)
        if (msis[i].d == d && msis[i].bdf == bdf && msis[i].msix == msix &&
            (!msix || msis[i].entry == entry))
            return &msis[i];
    return NULL;
}

bool msi_pirq_in_use(const struct domain *d, unsigned int pirq)
{
    return find_pirq(d, pirq) != NULL;
}

static void msi_interrupt(struct cpu_regs *regs)
{
    struct msi_irq *m = &msis[regs->vector - MSI_VECTOR_BASE];
    unsigned long flags = spin_lock_irqsave(&pirq_lock);

    /* Edge-triggered: nothing to hold back; a stray one is dropped. */
    if (m->d && m->port)
        evtchn_raise_pirq(m->d, m->port);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* ---- the message ------------------------------------------------------ */

static uint32_t msg_addr(const struct msi_irq *m)
{
    return MSI_ADDR_BASE | m->dest_apic << MSI_ADDR_DEST_SHIFT;
}

/* MSI registers: address (+ high half if 64-bit), data, mask bits. */
static void msi_layout(const struct msi_irq *m, unsigned int *data,
                       unsigned int *mask)
{
    uint16_t flags = pci_conf_read(m->bdf, m->cap + MSI_FLAGS, 2);
    unsigned int next = m->cap + MSI_ADDR_LO + 4;

    if (flags & MSI_FLAGS_64BIT)
        next += 4;
    *data = next;
    *mask = flags & MSI_FLAGS_MASKBIT ? next + 4 : 0;
}

static void msi_set_masked(const struct msi_irq *m, bool masked)
{
    unsigned int data, mask;
    uint32_t ctrl;

    if (m->msix) {
        ctrl = m->msix_entry[MSIX_ENTRY_CTRL];
        ctrl = masked ? ctrl | MSIX_CTRL_MASKBIT : ctrl & ~MSIX_CTRL_MASKBIT;
        m->msix_entry[MSIX_ENTRY_CTRL] = ctrl;
        return;
    }
    msi_layout(m, &data, &mask);
    if (mask)       /* without per-vector masking, an unbound one drops */
        pci_conf_write(m->bdf, mask, 4, masked ? 1 : 0);
}

/* Writes the message with the vector masked; it stays masked. */
static void msi_write_msg(const struct msi_irq *m)
{
    unsigned int data, mask;
    uint16_t flags;

    msi_set_masked(m, true);
    if (m->msix) {
        m->msix_entry[MSIX_ENTRY_ADDR_LO] = msg_addr(m);
        m->msix_entry[MSIX_ENTRY_ADDR_HI] = 0;
        m->msix_entry[MSIX_ENTRY_DATA] = vector_of(m);
        return;
    }
    msi_layout(m, &data, &mask);
    pci_conf_write(m->bdf, m->cap + MSI_ADDR_LO, 4, msg_addr(m));
    if (data != m->cap + MSI_ADDR_LO + 4)
        pci_conf_write(m->bdf, m->cap + MSI_ADDR_LO + 4, 4, 0);
    pci_conf_write(m->bdf, data, 2, vector_of(m));
    /* One message: clear the multiple message enable field. */
    flags = pci_conf_read(m->bdf, m->cap + MSI_FLAGS, 2);
    pci_conf_write(m->bdf, m->cap + MSI_FLAGS, 2, flags & ~MSI_FLAGS_QSIZE);
}

/* ---- MSI-X tables ----------------------------------------------------- */

static uint8_t *map_table_page(paddr_t pa)
{
    uint8_t *va = NULL;
    unsigned int i;

    spin_lock(&table_lock);
    for (i = 0; i < nr_table_pages && !va; i++)
        if (table_pages[i].pa == pa)
            va = table_pages[i].va;
    if (!va && nr_table_pages < MAX_TABLE_PAGES &&
        (va = ioremap(pa, PAGE_SIZE))) {
        table_pages[nr_table_pages].pa = pa;
        table_pages[nr_table_pages++].va = va;
    }
    spin_unlock(&table_lock);
    return va;
}

bool msi_table_frame(mfn_t mfn)
{
    paddr_t pa = mfn_x(mfn) << PAGE_SHIFT;
    bool found = false;
    unsigned int i;

    spin_lock(&table_lock);
    for (i = 0; i < nr_table_pages && !found; i++)
        found = table_pages[i].pa == pa;
    spin_unlock(&table_lock);
    return found;
}

/* Keel's mapping of MSI-X entry of bdf, found from the device's own BAR
 * (not dom0's table_base); the page must be I/O memory dom0 may use. */
static int msix_entry_map(struct domain *d, unsigned int bdf,
                          unsigned int cap, unsigned int entry,
                          volatile uint32_t **out)
{
    uint16_t flags = pci_conf_read(bdf, cap + MSIX_FLAGS, 2);
    uint32_t table = pci_conf_read(bdf, cap + MSIX_TABLE, 4);
    uint64_t bar = pci_mem_bar(bdf, table & MSIX_TABLE_BIR);
    paddr_t pa = bar + (table & ~MSIX_TABLE_BIR) + entry * MSIX_ENTRY_SIZE;
    uint8_t *page;

    if (entry > (flags & MSIX_FLAGS_QSIZE))
        return -XEN_EINVAL;
    if (!bar)
        return -XEN_ENXIO;
    if (!pagetype_iomem_allowed(d, _mfn(pa >> PAGE_SHIFT)))
        return -XEN_EPERM;
    page = map_table_page(ROUNDDOWN(pa, PAGE_SIZE));
    if (!page)
        return -XEN_ENOMEM;
    *out = (volatile uint32_t *)(page + (pa & (PAGE_SIZE - 1)));
    return 0;
}

/* ---- PHYSDEVOP_map_pirq / unmap --------------------------------------- */

static int check_request(const struct physdev_map_pirq *op, unsigned int *bdf)
{
    static uint64_t reported;

    if (op->type == MAP_PIRQ_TYPE_MULTI_MSI && op->entry_nr > 1) {
        /* Linux then falls back to a single MSI. */
        if (log_once(&reported, 0))
            pr_warn("d%u: multi-message MSI not supported: -EOPNOTSUPP\n",
                    current->domain->domain_id);
        return -XEN_EOPNOTSUPP;
    }
    if (op->bus > 0xff || op->devfn > 0xff)
        return -XEN_ENODEV;             /* segment 0 only */
    *bdf = PCI_BDF(op->bus, op->devfn);
    if (!pci_device_present(*bdf))
        return -XEN_ENODEV;
    return 0;
}

/* Under pirq_lock: a free vector slot for a new mapping. */
static struct msi_irq *alloc_slot(void)
{
    unsigned int i;

    for (i = 0; i < NR_MSI_VECTORS; i++)
        if (!msis[i].d)
            return &msis[i];
    return NULL;
}

/* The pirq for a new mapping: any (-1) or the one asked for, if free. */
static int choose_pirq(struct domain *d, int want)
{
    if (want < 0)
        return pirq_alloc_locked(d, true);
    if (want >= NR_PIRQS)
        return -XEN_EINVAL;
    return pirq_in_use_locked(d, want) ? -XEN_EEXIST : want;
}

static int map_locked(struct domain *d, struct msi_irq *proto,
                      struct physdev_map_pirq *op)
{
    struct msi_irq *m = find_source(d, proto->bdf, proto->msix, proto->entry);
    int pirq;

    if (m) {                            /* as Xen: the same pirq again */
        op->pirq = m->pirq;
        return 0;
    }
    if (!(m = alloc_slot()))
        return -XEN_ENOSPC;
    if ((pirq = choose_pirq(d, op->pirq)) < 0)
        return pirq;
    *m = *proto;
    m->d = d;
    m->pirq = pirq;
    m->dest_apic = cpu_apic_id[d->vcpu[0] ? d->vcpu[0]->processor : 0];
    set_irq_handler(vector_of(m), msi_interrupt);
    msi_write_msg(m);
    op->pirq = pirq;
    return 0;
}

int msi_map(struct domain *d, struct physdev_map_pirq *op)
{
    struct msi_irq proto = { .entry = 0 };
    unsigned long flags;
    int rc;

    if ((rc = check_request(op, &proto.bdf)))
        return rc;
    proto.msix = op->table_base != 0;
    proto.cap = pci_find_cap(proto.bdf, proto.msix ? PCI_CAP_ID_MSIX
                                                   : PCI_CAP_ID_MSI);
    if (!proto.cap)
        return -XEN_ENODEV;
    if (proto.msix) {
        proto.entry = op->entry_nr;
        rc = msix_entry_map(d, proto.bdf, proto.cap, proto.entry,
                            &proto.msix_entry);
        if (rc)
            return rc;
    }
    flags = spin_lock_irqsave(&pirq_lock);
    rc = map_locked(d, &proto, op);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int msi_unmap_locked(struct domain *d, unsigned int pirq)
{
    struct msi_irq *m = find_pirq(d, pirq);

    if (!m)
        return -XEN_EINVAL;
    msi_set_masked(m, true);
    memset(m, 0, sizeof(*m));           /* the port stays ECS_PIRQ */
    return 0;
}

/* ---- binding ---------------------------------------------------------- */

int msi_bind_locked(struct domain *d, unsigned int pirq, evtchn_port_t port)
{
    struct msi_irq *m = find_pirq(d, pirq);

    if (!m)
        return -XEN_EPERM;
    if (m->port)
        return -XEN_EEXIST;
    m->port = port;
    msi_set_masked(m, false);
    return 0;
}

void msi_unbind_locked(struct domain *d, unsigned int pirq,
                       evtchn_port_t port)
{
    struct msi_irq *m = find_pirq(d, pirq);

    if (m && m->port == port) {
        msi_set_masked(m, true);
        m->port = 0;
    }
}

/* The port may be a stale one of an unmapped pirq: then nothing moves. */
int msi_retarget_locked(struct domain *d, unsigned int pirq,
                        evtchn_port_t port, unsigned int cpu)
{
    struct msi_irq *m = find_pirq(d, pirq);

    if (!m || m->port != port)
        return -XEN_EINVAL;
    m->dest_apic = cpu_apic_id[cpu];
    msi_write_msg(m);
    msi_set_masked(m, false);
    return 0;
}

/* ---- dom0's config writes --------------------------------------------- */

bool msi_conf_write_allowed(unsigned int bdf, unsigned int reg,
                            unsigned int bytes)
{
    struct msi_irq probe = { .bdf = bdf };
    unsigned int data, mask, first, end;

    if (reg < 0x40)
        return true;                    /* the header has no MSI fields */
    probe.cap = pci_find_cap(bdf, PCI_CAP_ID_MSI);
    if (!probe.cap)
        return true;
    msi_layout(&probe, &data, &mask);
    first = probe.cap + MSI_ADDR_LO;
    end = data + 2;
    return reg + bytes <= first || reg >= end;
}
