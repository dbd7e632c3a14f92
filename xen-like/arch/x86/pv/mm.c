/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV memory hypercalls (update_va_mapping; mmu_update and mmuext_op to
 * come) and the hooks the page-type rules (pagetype.c) need from Keel.
 */
#include <hv/abi.h>
#include <hv/acpi.h>
#include <hv/boot.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/m2p.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/processor.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/dom0.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/mm.h>
#include <asm/pv/msi.h>
#include <asm/pv/smp.h>

static uint64_t *table_of(uint64_t entry)
{
    return mfn_to_virt(_mfn((entry & PADDR_MASK) >> PAGE_SHIFT));
}

/* The L1 frame that maps va in the loaded tables, or NULL. */
struct page_info *pv_find_l1(unsigned long va)
{
    uint64_t *t = maddr_to_virt(read_cr3() & PADDR_MASK);
    unsigned int shift;

    for (shift = L4_SHIFT; shift > L2_SHIFT; shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];

        if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
            return NULL;
        t = table_of(e);
    }
    if (!(t[l2_index(va)] & _PAGE_PRESENT) || (t[l2_index(va)] & _PAGE_PSE))
        return NULL;
    return mfn_to_page(_mfn((t[l2_index(va)] & PADDR_MASK) >> PAGE_SHIFT));
}

static long flush_after_update(unsigned long va, unsigned long flags)
{
    uint64_t mask;

    if (!(flags & UVMF_ALL) && (flags & ~UVMF_FLUSHTYPE_MASK) &&
        copy_from_guest(&mask, (const void *)(flags & ~UVMF_FLUSHTYPE_MASK),
                        sizeof(mask)))
        return -XEN_EFAULT;
    if ((flags & UVMF_ALL) || (flags & ~UVMF_FLUSHTYPE_MASK)) {
        if (flags & UVMF_FLUSHTYPE_MASK)
            flush_tlb_domain(current->domain);  /* other vCPUs too */
        return 0;
    }
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        write_cr3(read_cr3());
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    }
    return 0;
}

long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags)
{
    struct domain *d = current->domain;
    struct page_info *l1;
    long rc;
    unsigned long type;

    if (!guest_range_ok(va, 1) || !(l1 = pv_find_l1(va)))
        return -XEN_EINVAL;
    type = pagetype_get_validated(l1);
    if (type != PGT_l1_page_table) {
        if (type != PGT_none)
            put_page_type(l1);      /* a reference was taken: give it back */
        return -XEN_EINVAL;
    }
    rc = mod_l1_entry(d, l1, l1_index(va), val, false);
    put_page_type(l1);
    if (rc)
        return rc;
    return flush_after_update(va, flags);
}

/* Hooks of pagetype.c. */

void pagetype_free_domheap_page(struct page_info *pg)
{
    struct domain *d = pg->owner;

    /* Frames Keel shares with d (shared_info, grant table) are not on
     * its page list and not in tot_pages: their list node is empty. */
    if (d && !list_empty(&pg->list)) {
        spin_lock(&d->page_lock);
        list_del(&pg->list);
        d->tot_pages--;
        spin_unlock(&d->page_lock);
    }
    m2p_set(page_to_mfn(pg), INVALID_M2P_ENTRY);
    pg->owner = NULL;
    if (d)
        flush_tlb_domain(d);    /* no stale mapping may outlive the frame */
    free_pages(pg, 0);
}

#define LOW_MEGABYTE_FRAMES 0x100

/* Device pages Keel drives itself: no guest may map them.  (The HPET is
 * only used to calibrate the TSC at boot: dom0 may have it, as in Xen.) */
static bool keel_mmio_frame(mfn_t mfn)
{
    unsigned long f = mfn_x(mfn);
    unsigned int i;

    if (f == acpi_info.lapic_addr >> PAGE_SHIFT)
        return true;
    for (i = 0; i < acpi_info.nr_ioapics; i++)
        if (f == acpi_info.ioapics[i].addr >> PAGE_SHIFT)
            return true;
    return false;
}

static bool frame_is_ram(mfn_t mfn)
{
    const struct boot_info *bi = keel_boot_info();
    paddr_t pa = (paddr_t)mfn_x(mfn) << PAGE_SHIFT;
    unsigned int i;

    for (i = 0; i < bi->nr_mmap; i++)
        if (bi->mmap[i].type == E820_RAM && pa >= bi->mmap[i].start &&
            pa - bi->mmap[i].start < bi->mmap[i].len)
            return true;
    return false;
}

/*
 * dom0 may map what is not RAM (firmware tables, legacy VGA and BIOS
 * areas, device memory) and the first MiB, except the devices Keel uses
 * itself.  RAM Keel keeps (its image, frame table, heap) is never I/O.
 */
/* Frames the CPU can address: beyond, a PTE has reserved bits set. */
static bool frame_addressable(mfn_t mfn)
{
    struct cpuid_regs r;
    unsigned int bits = 36;

    cpuid(0x80000000, &r);
    if (r.eax >= 0x80000008) {
        cpuid(0x80000008, &r);
        bits = r.eax & 0xff;
    }
    return mfn_x(mfn) < (1UL << (bits - PAGE_SHIFT));
}

bool pagetype_iomem_allowed(struct domain *d, mfn_t mfn)
{
    if (!domain_is_privileged(d) || !frame_addressable(mfn) ||
        keel_mmio_frame(mfn))
        return false;
    return mfn_x(mfn) < LOW_MEGABYTE_FRAMES || !frame_is_ram(mfn);
}

/* Xen's mmio_ro_ranges: MMCONFIG holds the MSI registers Keel owns, and
 * the MSI-X tables Keel programs; ptwr.c emulates dom0's writes there. */
bool pagetype_iomem_ro(mfn_t mfn)
{
    return (pci_mmcfg_frame(mfn, NULL) || msi_table_frame(mfn)) &&
           !frame_is_ram(mfn);
}

void pagetype_init_xen_l4_slots(uint64_t *l4)
{
    unsigned int slot;

    for (slot = PAGETYPE_XEN_L4_FIRST; slot <= PAGETYPE_XEN_L4_LAST; slot++)
        l4[slot] = idle_l4_entry(slot);
}

void pagetype_flush_tlbs(struct domain *d)
{
    flush_tlb_domain(d);
}

/* Descriptor pages: each of the 512 entries as update_descriptor checks
 * one (pv/descriptor.c): Xen's 64-bit PV rules, DPL forced to 3. */
int pagetype_check_seg_desc_page(struct domain *d, uint64_t *descs)
{
    unsigned int i;

    (void)d;
    for (i = 0; i < PAGE_SIZE / sizeof(*descs); i++)
        if (descriptor_check(&descs[i]))
            return -XEN_EINVAL;
    return 0;
}

const uint32_t *dom0_hv_features(void)
{
    /* writable_page_tables: Linux requires it; the ptwr emulation is
     * part of M2. */
    static const uint32_t features[XENFEAT_NR_SUBMAPS] = {
        (1u << XENFEAT_writable_page_tables) |
        (1u << XENFEAT_pae_pgdir_above_4gb) |
        (1u << XENFEAT_mmu_pt_update_preserve_ad) |
        (1u << XENFEAT_highmem_assist) |
        (1u << XENFEAT_gnttab_map_avail_bits) |
        (1u << XENFEAT_dom0),
    };
    return features;
}
