/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu: mmu_update NORMAL_PT_UPDATE (a legal remap, writes to plain pages,
 * refused writable mappings of page tables, refused foreign frames,
 * superpages in L2), MACHPHYS_UPDATE, partial batches and bad pointers.
 */
#include <guest.h>

static uint64_t pte_of(unsigned long mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

#define PTE_RW_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D)
#define PTE_RO_FLAGS (PTE_P | PTE_A)

static long update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update req = { .ptr = ptr, .val = val };

    return hypercall_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static void check_remap(char *a, char *b)
{
    uint64_t a_ptr = mm_l1e_maddr((unsigned long)a);
    uint64_t a_old = mm_l1e_read((unsigned long)a);
    unsigned long b_mfn = mm_va_to_mfn((unsigned long)b);

    CHECK(a_ptr != 0, "no L1 entry for the spare page");
    b[0] = 'B';
    /* The new entry takes effect, flush it from the TLB ourselves. */
    CHECK_RC("remap a -> b", update1(a_ptr | MMU_NORMAL_PT_UPDATE,
                                     pte_of(b_mfn, PTE_RW_FLAGS)), 0);
    mm_flush_va((unsigned long)a);
    CHECK(a[0] == 'B', "alias does not show b's contents");
    CHECK((mm_l1e_read((unsigned long)a) & PTE_ADDR) == (b_mfn << PAGE_SHIFT),
          "L1 entry reads back %#lx", (unsigned long)mm_l1e_read(
              (unsigned long)a));
    CHECK(mm_l1e_read((unsigned long)a) & PTE_US,
          "Xen did not force _PAGE_USER");
    CHECK_RC("restore a", update1(a_ptr, a_old), 0);
    mm_flush_va((unsigned long)a);
}

static void check_refused(char *a)
{
    uint64_t a_ptr = mm_l1e_maddr((unsigned long)a);
    uint64_t a_old = mm_l1e_read((unsigned long)a);
    unsigned long l4_mfn = mm_va_to_mfn(start_info->pt_base);
    unsigned long l1_mfn = a_ptr >> PAGE_SHIFT;
    unsigned long foreign = mm_foreign_ram_mfn();

    /* Xen: the writable type reference is refused with -EBUSY. */
    CHECK_RC("writable mapping of the L4", update1(a_ptr,
             pte_of(l4_mfn, PTE_RW_FLAGS)), -XEN_EBUSY);
    CHECK_RC("writable mapping of an L1", update1(a_ptr,
             pte_of(l1_mfn, PTE_RW_FLAGS)), -XEN_EBUSY);
    CHECK_RC("read-only mapping of the L4", update1(a_ptr,
             pte_of(l4_mfn, PTE_RO_FLAGS)), 0);
    CHECK_RC("restore", update1(a_ptr, a_old), 0);

    printk("foreign RAM frame %#lx\n", foreign);
    CHECK(foreign != 0, "no foreign RAM frame found");
    /* A free RAM frame (no owner): no reference can be taken. */
    CHECK_RC("mapping a RAM frame we do not own", update1(a_ptr,
             pte_of(foreign, PTE_RO_FLAGS)), -XEN_EBUSY);
    CHECK_RC("PTE ptr in a frame we do not own",
             update1(((uint64_t)foreign << PAGE_SHIFT) | MMU_NORMAL_PT_UPDATE,
                     0), -XEN_EINVAL);
    CHECK(mm_l1e_read((unsigned long)a) == a_old, "refused update changed "
          "the entry to %#lx", (unsigned long)mm_l1e_read((unsigned long)a));
}

/* L2 entries must point at L1 tables; no superpages for PV. */
static void check_l2(char *a)
{
    uint64_t l1_maddr = mm_l1e_maddr((unsigned long)a) & ~(PAGE_SIZE - 1);
    const uint64_t *l4 = (const uint64_t *)start_info->pt_base;
    unsigned long va = (unsigned long)a;
    uint64_t l3e = ((const uint64_t *)mm_pfn_to_va(mm_mfn_to_pfn(
        (l4[(va >> 39) & 511] & PTE_ADDR) >> PAGE_SHIFT)))[(va >> 30) & 511];
    uint64_t l2_maddr = l3e & PTE_ADDR;
    /* A free slot in our L2: 1 GiB minus 2 MiB above VIRT_BASE. */
    uint64_t slot = l2_maddr + 510 * 8;
    unsigned long data_mfn = mm_va_to_mfn((unsigned long)a);

    CHECK(l1_maddr != 0, "no L1");
    CHECK_RC("L2 -> data frame (has writable mappings)",
             update1(slot, pte_of(data_mfn, PTE_RW_FLAGS)), -XEN_EINVAL);
    CHECK_RC("L2 superpage", update1(slot, pte_of(0, PTE_RW_FLAGS | PTE_PSE)),
             -XEN_EINVAL);
}

static void check_plain_write(char *b)
{
    uint64_t ptr = ((uint64_t)mm_va_to_mfn((unsigned long)b) << PAGE_SHIFT) +
                   0x40;

    CHECK_RC("NORMAL_PT_UPDATE on a plain page",
             update1(ptr | MMU_NORMAL_PT_UPDATE, 0x1122334455667788UL), 0);
    CHECK(*(volatile uint64_t *)(b + 0x40) == 0x1122334455667788UL,
          "plain write did not land: %#lx",
          (unsigned long)*(volatile uint64_t *)(b + 0x40));
}

static void check_machphys(char *b)
{
    unsigned long mfn = mm_va_to_mfn((unsigned long)b);
    unsigned long pfn = mm_mfn_to_pfn(mfn);
    unsigned long foreign = mm_foreign_ram_mfn();
    uint64_t mptr = ((uint64_t)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;

    CHECK_RC("MACHPHYS_UPDATE", update1(mptr, pfn + 0x100), 0);
    CHECK(mm_mfn_to_pfn(mfn) == pfn + 0x100, "M2P reads %#lx",
          mm_mfn_to_pfn(mfn));
    CHECK_RC("MACHPHYS_UPDATE restore", update1(mptr, pfn), 0);
    CHECK(mm_mfn_to_pfn(mfn) == pfn, "M2P not restored");
    CHECK_RC("MACHPHYS_UPDATE foreign frame",
             update1(((uint64_t)foreign << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                     pfn), -XEN_EINVAL);
}

static void check_batch(char *a, char *b)
{
    uint64_t a_ptr = mm_l1e_maddr((unsigned long)a);
    uint64_t a_old = mm_l1e_read((unsigned long)a);
    unsigned long l4_mfn = mm_va_to_mfn(start_info->pt_base);
    struct mmu_update req[3] = {
        { a_ptr, pte_of(mm_va_to_mfn((unsigned long)b), PTE_RW_FLAGS) },
        { a_ptr, pte_of(l4_mfn, PTE_RW_FLAGS) },
        { a_ptr, a_old },
    };
    unsigned int done = 99;

    CHECK_RC("batch with a bad 2nd entry",
             hypercall_mmu_update(req, 3, &done, DOMID_SELF), -XEN_EBUSY);
    CHECK(done == 1, "done %u after a failing 2nd entry", done);
    CHECK_RC("restore", update1(a_ptr, a_old), 0);
    mm_flush_va((unsigned long)a);

    CHECK_RC("bad request pointer",
             hypercall_mmu_update(BAD_PTR_UNMAPPED, 1, NULL, DOMID_SELF),
             -XEN_EFAULT);
    CHECK_RC("count 0", hypercall_mmu_update(req, 0, NULL, DOMID_SELF), 0);
    CHECK_RC("bad foreign domain",
             hypercall_mmu_update(&req[2], 1, NULL, 0x3ff), -XEN_ESRCH);
}

void test_main(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page();

    a[0] = 'A';
    check_remap(a, b);
    CHECK(a[0] == 'A', "a not restored");
    check_refused(a);
    check_l2(a);
    check_plain_write(b);
    check_machphys(b);
    check_batch(a, b);
    CHECK(a[0] == 'A', "a not restored after the batch");
}
