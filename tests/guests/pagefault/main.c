/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pagefault: #PF error codes (present, write, instruction fetch, user bit
 * cleared for guest-kernel faults) and the faulting address delivered in
 * shared_info's vcpu_info[0].arch.cr2 before the handler runs.
 */
#include <guest.h>

#define PFEC_P 0x01UL
#define PFEC_W 0x02UL
#define PFEC_U 0x04UL
#define PFEC_I 0x10UL

static unsigned long do_read(unsigned long addr)
{
    unsigned long rip, val = 0;

    trap_reset();
    asm volatile("lea 1f(%%rip), %[rip]\n\t"
                 "1: movq (%[p]), %[v]\n\t"
                 "2:\n\t" EXTABLE(1b, 2b)
                 : [rip] "=&r"(rip), [v] "+r"(val)
                 : [p] "r"(addr)
                 : "memory");
    return rip;
}

static unsigned long do_write(unsigned long addr)
{
    unsigned long rip;

    trap_reset();
    asm volatile("lea 1f(%%rip), %[rip]\n\t"
                 "1: movq $0x5a, (%[p])\n\t"
                 "2:\n\t" EXTABLE(1b, 2b)
                 : [rip] "=&r"(rip)
                 : [p] "r"(addr)
                 : "memory");
    return rip;
}

static void do_fetch(unsigned long addr)
{
    trap_reset();
    trap_call_at(addr);
}

static void expect_pf(const char *what, unsigned long rip,
                      unsigned long addr, unsigned long err)
{
    const struct trap_record *t = &trap_last;

    if (t->count != 1 || t->vector != X86_EXC_PF) {
        report_fail("%s: %u exceptions, vector %u; expected one #PF", what,
                    t->count, t->vector);
        return;
    }
    CHECK(t->error_code == err, "%s: error code %#lx, expected %#lx", what,
          t->error_code, err);
    CHECK(t->cr2 == addr, "%s: cr2 %#lx, expected %#lx", what, t->cr2, addr);
    CHECK(t->rip == rip, "%s: rip %#lx, expected %#lx", what, t->rip, rip);
}

static void expect_none(const char *what)
{
    CHECK(trap_last.count == 0, "%s: unexpected exception %u (err %#lx)",
          what, trap_last.vector, trap_last.error_code);
}

static void remap(unsigned long va, uint64_t flags)
{
    uint64_t pte = (mm_va_to_mfn(va) << PAGE_SHIFT) | flags;

    CHECK_RC("update_va_mapping", hypercall_update_va_mapping(va, pte,
                                                              UVMF_INVLPG),
             0);
}

void test_main(void)
{
    unsigned long page = (unsigned long)mm_alloc_page();
    unsigned long hi = VIRT_BASE + (1UL << 30) + 0x123;  /* beyond L2 */
    unsigned long rip;
    static const uint8_t ret_insn = 0xc3;

    rip = do_read(0x1008);
    expect_pf("read, not present (low half)", rip, 0x1008, 0);
    rip = do_write(0x2010);
    expect_pf("write, not present", rip, 0x2010, PFEC_W);
    rip = do_read(hi);
    expect_pf("read, not present (high half)", rip, hi, 0);

    /* A read-only mapping: reads work, writes fault with P|W. */
    remap(page, PTE_P | PTE_A);
    do_read(page + 0x100);
    expect_none("read of a read-only page");
    rip = do_write(page + 0x108);
    expect_pf("write to a read-only page", rip, page + 0x108, PFEC_P | PFEC_W);

    /* The page tables are mapped read-only too. */
    rip = do_write(start_info->pt_base + 0x800);
    expect_pf("write to the L4", rip, start_info->pt_base + 0x800,
              PFEC_P | PFEC_W);

    /* The read-only M2P is readable, not writable. */
    do_read(MACH2PHYS_VIRT_START);
    expect_none("read of the M2P");
    rip = do_write(MACH2PHYS_VIRT_START);
    expect_pf("write to the M2P", rip, MACH2PHYS_VIRT_START,
              PFEC_P | PFEC_W);

    /* Instruction fetch from an NX page, then from the same page exec. */
    remap(page, PTE_P | PTE_RW | PTE_A | PTE_D);
    memcpy((void *)page, &ret_insn, 1);
    remap(page, PTE_P | PTE_A | PTE_NX);
    do_fetch(page);
    expect_pf("fetch from an NX page", page, page, PFEC_P | PFEC_I);
    remap(page, PTE_P | PTE_A);
    do_fetch(page);
    expect_none("fetch from an executable page");
    do_fetch(0x3000);
    expect_pf("fetch, not present", 0x3000, 0x3000, PFEC_I);

    /* cr2 in vcpu_info keeps the last fault address. */
    CHECK(vcpu0_info()->arch.cr2 == 0x3000, "arch.cr2 now %#lx",
          (unsigned long)vcpu0_info()->arch.cr2);
}
