/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uvm: update_va_mapping remaps, read-only and NX mappings, unmapping, and
 * the refusals (no L1 for the address, hypervisor hole, non-canonical,
 * writable page tables, frames we do not own, bad flush masks).
 */
#include <guest.h>

#define RW_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D)

static uint64_t pte_of(unsigned long va, uint64_t flags)
{
    return (mm_va_to_mfn(va) << PAGE_SHIFT) | flags;
}

static long uvm(unsigned long va, uint64_t pte, unsigned long flags)
{
    return hypercall_update_va_mapping(va, pte, flags);
}

static void check_legal(char *a, char *b)
{
    unsigned long va = (unsigned long)a;
    uint64_t old = mm_l1e_read(va);

    a[0] = 'a';
    b[0] = 'b';
    CHECK_RC("remap a -> b (INVLPG)", uvm(va, pte_of((unsigned long)b,
                                                     RW_FLAGS), UVMF_INVLPG),
             0);
    CHECK(READ_ONCE(a[0]) == 'b', "remap not visible");
    CHECK_RC("restore (TLB_FLUSH|ALL)", uvm(va, old,
                                            UVMF_TLB_FLUSH | UVMF_ALL), 0);
    CHECK(READ_ONCE(a[0]) == 'a', "restore not visible");
    CHECK_RC("read-only", uvm(va, pte_of(va, PTE_P | PTE_A), UVMF_INVLPG), 0);
    CHECK(!(mm_l1e_read(va) & PTE_RW), "read-only mapping has RW");
    CHECK_RC("unmap", uvm(va, 0, UVMF_INVLPG), 0);
    CHECK(mm_l1e_read(va) == 0, "unmapped entry reads %#lx",
          (unsigned long)mm_l1e_read(va));
    CHECK_RC("map back", uvm(va, old, UVMF_INVLPG), 0);
    CHECK(READ_ONCE(a[0]) == 'a', "contents lost");
    CHECK_RC("no flush", uvm(va, old, UVMF_NONE), 0);
}

static void check_refused(char *a)
{
    unsigned long va = (unsigned long)a;
    unsigned long l4 = start_info->pt_base;
    uint64_t old = mm_l1e_read(va);
    static const unsigned long bad_mask = 0;

    CHECK_RC("va without an L1 table", uvm(0x1000, pte_of(va, RW_FLAGS),
                                          UVMF_INVLPG), -XEN_EINVAL);
    CHECK_RC("va in the hypervisor hole",
             uvm(0xffff830000000000UL, pte_of(va, RW_FLAGS), UVMF_INVLPG),
             -XEN_EINVAL);
    CHECK_RC("non-canonical va", uvm(0x8000000000000000UL,
                                     pte_of(va, RW_FLAGS), UVMF_INVLPG),
             -XEN_EINVAL);
    CHECK_RC("writable mapping of the L4",
             uvm(va, pte_of(l4, RW_FLAGS), UVMF_INVLPG), -XEN_EBUSY);
    CHECK_RC("RAM frame we do not own",
             uvm(va, (mm_foreign_ram_mfn() << PAGE_SHIFT) | RW_FLAGS,
                 UVMF_INVLPG), -XEN_EBUSY);
    /* Bit 7 of an L1 entry is PAT: a dom0 may pick cache attributes. */
    CHECK_RC("PAT bit in an L1 entry",
             uvm(va, pte_of(va, RW_FLAGS | PTE_PSE), UVMF_INVLPG), 0);
    CHECK_RC("restore", uvm(va, old, UVMF_INVLPG), 0);
    CHECK_RC("bad vcpu mask pointer",
             uvm(va, old, UVMF_INVLPG | UVMF_MULTI | 0x1000), -XEN_EFAULT);
    CHECK_RC("empty vcpu mask",
             uvm(va, old, UVMF_INVLPG | UVMF_MULTI |
                 (unsigned long)&bad_mask), 0);
    CHECK(mm_l1e_read(va) == old, "entry changed by a refused update");
}

void test_main(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page();

    check_legal(a, b);
    check_refused(a);
}
