/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frame-number translations (p2m from start_info->mfn_list, the read-only
 * M2P at MACH2PHYS_VIRT_START) and walks of the current page tables.
 */
#include <guest.h>

#define NR_SPARE_PAGES 32

static char spare_pages[NR_SPARE_PAGES][PAGE_SIZE] __page_aligned_bss;
static unsigned int spare_used;

unsigned long mm_pfn_to_mfn(unsigned long pfn)
{
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;

    return p2m[pfn];
}

unsigned long mm_mfn_to_pfn(unsigned long mfn)
{
    const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

    return m2p[mfn];
}

unsigned long mm_va_to_mfn(unsigned long va)
{
    return mm_pfn_to_mfn(mm_va_to_pfn(va));
}

/* Table entry at `level` (4..1) for va, starting from the current L4. */
static uint64_t *table_of(unsigned long va, unsigned int level)
{
    uint64_t *t = (uint64_t *)start_info->pt_base;
    unsigned int l, idx;
    uint64_t e;

    for (l = 4; l > level; l--) {
        idx = (va >> (PAGE_SHIFT + 9 * (l - 1))) & 511;
        e = t[idx];
        if (!(e & PTE_P) || (e & PTE_PSE))
            return NULL;
        t = (uint64_t *)mm_pfn_to_va(
            mm_mfn_to_pfn((e & PTE_ADDR) >> PAGE_SHIFT));
    }
    return t;
}

uint64_t *mm_table(unsigned long va, unsigned int level)
{
    return table_of(va, level);
}

uint64_t mm_l1e_maddr(unsigned long va)
{
    const uint64_t *l1 = table_of(va, 1);
    unsigned long idx = (va >> PAGE_SHIFT) & 511;

    if (!l1)
        return 0;
    return (mm_va_to_mfn((unsigned long)l1) << PAGE_SHIFT) + idx * 8;
}

uint64_t mm_l1e_read(unsigned long va)
{
    const uint64_t *l1 = table_of(va, 1);

    return l1 ? l1[(va >> PAGE_SHIFT) & 511] : 0;
}

long mm_update(uint64_t ptr, uint64_t val)
{
    struct mmu_update req = { .ptr = ptr, .val = val };

    return hypercall_mmu_update(&req, 1, NULL, DOMID_SELF);
}

long mm_mmuext(unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1,
                            .arg2.vcpumask.p = (void *)arg2 };

    return hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long mm_set_flags(unsigned long va, uint64_t flags)
{
    uint64_t pte = (mm_va_to_mfn(va) << PAGE_SHIFT) | flags;

    return hypercall_update_va_mapping(va, pte, UVMF_INVLPG);
}

static void mmuext1(unsigned int cmd, unsigned long va)
{
    long rc = mm_mmuext(cmd, va, 0);

    if (rc)
        report_error("mmuext_op %u: %ld", cmd, rc);
}

void mm_flush_va(unsigned long va)
{
    mmuext1(MMUEXT_INVLPG_LOCAL, va);
}

void mm_flush_tlb(void)
{
    mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

void *mm_alloc_page(void)
{
    if (spare_used == NR_SPARE_PAGES) {
        report_error("out of spare pages");
        report_finish();
    }
    return spare_pages[spare_used++];
}

void *mm_page_before_hole(void)
{
    char *page = mm_alloc_page();
    char *hole = mm_alloc_page();
    long rc;

    if (hole != page + PAGE_SIZE) {
        report_error("spare pages not contiguous");
        report_finish();
    }
    rc = hypercall_update_va_mapping((unsigned long)hole, 0, UVMF_INVLPG);
    if (rc) {
        report_error("unmapping guard page: %ld", rc);
        report_finish();
    }
    return page;
}

/* The first frame from 256 MiB up whose p2m/M2P round trip fails. */
unsigned long mm_foreign_ram_mfn(void)
{
    unsigned long max = (unsigned long)hypercall_memory_op(
        XENMEM_maximum_ram_page, NULL);
    unsigned long mfn, pfn;

    for (mfn = 0x10000; mfn < max; mfn++) {
        pfn = mm_mfn_to_pfn(mfn);
        if (pfn >= start_info->nr_pages || mm_pfn_to_mfn(pfn) != mfn)
            return mfn;
    }
    return 0;
}
