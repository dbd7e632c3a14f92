/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op: a PV guest's view of physical devices.  The virtual IOPL and
 * I/O bitmap (which gate port I/O emulation, ioport.c), IO-APIC reads, and
 * the pirqs of the hardware domain: GSIs (pirq.c), MSI and MSI-X (msi.c).
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/apic.h>
#include <asm/pv/emulate.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/mm.h>
#include <asm/pv/msi.h>
#include <asm/pv/pirq.h>

union physdev_args {
    struct physdev_set_iopl set_iopl;
    struct physdev_set_iobitmap set_iobitmap;
    struct physdev_apic apic;
    struct physdev_irq irq;
    struct physdev_map_pirq map;
    struct physdev_unmap_pirq unmap;
    struct physdev_setup_gsi setup_gsi;
    struct physdev_irq_status_query status;
    struct physdev_eoi eoi;
    struct physdev_pirq_eoi_gmfn eoi_gmfn;
};

/* The argument size of cmd, 0 for ops that only return, -1 unknown. */
static long op_size(unsigned long cmd)
{
    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        return sizeof(struct physdev_set_iopl);
    case PHYSDEVOP_set_iobitmap:
        return sizeof(struct physdev_set_iobitmap);
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
        return sizeof(struct physdev_apic);
    case PHYSDEVOP_alloc_irq_vector:
        return sizeof(struct physdev_irq);
    case PHYSDEVOP_map_pirq:
        return sizeof(struct physdev_map_pirq);
    case PHYSDEVOP_unmap_pirq:
        return sizeof(struct physdev_unmap_pirq);
    case PHYSDEVOP_setup_gsi:
        return sizeof(struct physdev_setup_gsi);
    case PHYSDEVOP_irq_status_query:
        return sizeof(struct physdev_irq_status_query);
    case PHYSDEVOP_eoi:
        return sizeof(struct physdev_eoi);
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
        return sizeof(struct physdev_pirq_eoi_gmfn);
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_add_ext:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_mmcfg_reserved:
        return 0;
    default:
        return -1;
    }
}

/* Only the hardware domain maps, and only for itself (no passthrough). */
static int map_pirq(struct domain *d, struct physdev_map_pirq *op)
{
    if (op->domid != DOMID_SELF && op->domid != d->domain_id)
        return domain_is_privileged(d) ? -XEN_EOPNOTSUPP : -XEN_EPERM;
    switch (op->type) {
    case MAP_PIRQ_TYPE_GSI:
        return pirq_map_gsi(d, op->index, &op->pirq);
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        return msi_map(d, op);
    default:
        return -XEN_EINVAL;
    }
}

static int unmap_pirq(struct domain *d, const struct physdev_unmap_pirq *op)
{
    if (op->domid != DOMID_SELF && op->domid != d->domain_id)
        return domain_is_privileged(d) ? -XEN_EOPNOTSUPP : -XEN_EPERM;
    return pirq_unmap(d, op->pirq);
}

/*
 * The EOI bitmap (v2: the port is not unmasked on EOI): one of d's own
 * frames, held writable for good; a guest that has one EOIs exactly the
 * pirqs whose bit Keel set (level GSIs), and makes no hypercall for MSIs.
 */
static int set_eoi_map(struct domain *d, xen_pfn_t gmfn)
{
    struct page_info *pg;

    if (d->pirq_eoi_map)
        return -XEN_EBUSY;              /* as Xen: once per domain */
    if (gmfn >= max_page)
        return -XEN_EINVAL;
    pg = frame_table + gmfn;
    if (get_page_and_type(pg, d, PGT_writable_page))
        return -XEN_EINVAL;
    d->pirq_eoi_map = page_to_virt(pg);
    memset(d->pirq_eoi_map, 0, PAGE_SIZE);
    return 0;
}

static int set_iopl(struct physdev_set_iopl *op)
{
    if (op->iopl > 3)
        return -XEN_EINVAL;
    current->arch.iopl = op->iopl;
    return 0;
}

static int run_op(unsigned long cmd, union physdev_args *op, bool *copy_back)
{
    struct domain *d = current->domain;

    *copy_back = cmd == PHYSDEVOP_apic_read || cmd == PHYSDEVOP_map_pirq ||
                 cmd == PHYSDEVOP_alloc_irq_vector ||
                 cmd == PHYSDEVOP_irq_status_query;
    if (cmd != PHYSDEVOP_set_iopl && cmd != PHYSDEVOP_set_iobitmap &&
        cmd != PHYSDEVOP_irq_status_query && cmd != PHYSDEVOP_eoi &&
        !domain_is_privileged(d))
        return -XEN_EPERM;
    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        return set_iopl(&op->set_iopl);
    case PHYSDEVOP_set_iobitmap:
        return pv_set_iobitmap(current,
                               (unsigned long)op->set_iobitmap.bitmap.p,
                               op->set_iobitmap.nr_ports);
    case PHYSDEVOP_apic_read:
        return ioapic_guest_read(op->apic.apic_physbase, op->apic.reg,
                                 &op->apic.value);
    case PHYSDEVOP_apic_write:
        /* Keel owns every RTE (pirq.c programs them from setup_gsi and
         * bind_pirq); Linux 6.1 PV never writes.  Ignored, as Xen
         * ignores writes to anything but the low half of an RTE. */
        return 0;
    case PHYSDEVOP_alloc_irq_vector:
        /* As Xen: a dummy; the vector is Keel's business. */
        op->irq.vector = op->irq.irq;
        return 0;
    case PHYSDEVOP_map_pirq:
        return map_pirq(d, &op->map);
    case PHYSDEVOP_unmap_pirq:
        return unmap_pirq(d, &op->unmap);
    case PHYSDEVOP_setup_gsi:
        return pirq_setup_gsi(d, op->setup_gsi.gsi,
                              op->setup_gsi.triggering,
                              op->setup_gsi.polarity);
    case PHYSDEVOP_irq_status_query:
        if (op->status.irq >= NR_PIRQS)
            return -XEN_EINVAL;
        /* As Xen: always, so a guest without the EOI page EOIs. */
        op->status.flags = XENIRQSTAT_needs_eoi;
        return 0;
    case PHYSDEVOP_eoi:
        return pirq_eoi(d, op->eoi.irq);
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
        return set_eoi_map(d, op->eoi_gmfn.gmfn);
    default:
        /* PCI add and MMCONFIG notices: Keel has no IOMMU and reads the
         * MSI capabilities when dom0 maps them: nothing to record. */
        return 0;
    }
}

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
    static uint64_t reported;
    long size = op_size(cmd);
    union physdev_args op;
    bool copy_back;
    int rc;

    if (size < 0) {
        /* pirq_eoi_gmfn_v1 among them (Linux 6.1 uses v2 only). */
        if (log_once(&reported, cmd))
            pr_warn("d%u: physdev_op %lu not implemented yet: -ENOSYS\n",
                    current->domain->domain_id, cmd);
        return -XEN_ENOSYS;
    }
    if (size && copy_from_guest(&op, (const void *)arg, size))
        return -XEN_EFAULT;
    rc = run_op(cmd, &op, &copy_back);
    if (!rc && copy_back && copy_to_guest((void *)arg, &op, size))
        rc = -XEN_EFAULT;
    return rc;
}
