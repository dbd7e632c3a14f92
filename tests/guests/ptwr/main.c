/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ptwr: with VMASST_TYPE_writable_pagetables, plain writes to in-use and
 * pinned L1 tables (mov, xchg, lock cmpxchg, lock btr/bts, as Linux does)
 * are emulated and validated; invalid entries and writes to L2-L4 tables
 * are refused with the original #PF.
 */
#include <guest.h>

#define PFEC_P 0x01UL
#define PFEC_W 0x02UL
#define PTE_FLAGS_MASK (PTE_P | PTE_RW)

/* Each form returns with trap_last telling whether it faulted. */
static void w_mov(uint64_t *p, uint64_t v)
{
    trap_reset();
    asm volatile("1: movq %[v], %[m]\n\t2:\n\t" EXTABLE(1b, 2b)
                 : [m] "+m"(*p) : [v] "r"(v) : "memory");
}

static uint64_t w_xchg(uint64_t *p, uint64_t v)
{
    trap_reset();
    asm volatile("1: xchgq %[v], %[m]\n\t2:\n\t" EXTABLE(1b, 2b)
                 : [m] "+m"(*p), [v] "+r"(v) : : "memory");
    return v;
}

/* lock cmpxchg: true if it swapped; *expect gets the value found. */
static bool w_cmpxchg(uint64_t *p, uint64_t *expect, uint64_t v)
{
    uint64_t a = *expect;
    uint8_t ok = 0;

    trap_reset();
    asm volatile("1: lock cmpxchgq %[v], %[m]\n\t2: setz %[ok]\n\t"
                 EXTABLE(1b, 2b)
                 : [m] "+m"(*p), "+a"(a), [ok] "+q"(ok) : [v] "r"(v)
                 : "memory", "cc");
    *expect = a;
    return ok;
}

/* lock btr/bts: the bit's old value. */
static bool w_btr(uint64_t *p, unsigned int bit)
{
    uint8_t c = 0;

    trap_reset();
    asm volatile("1: lock btrq %q[b], %[m]\n\t2: setc %[c]\n\t"
                 EXTABLE(1b, 2b)
                 : [m] "+m"(*p), [c] "+q"(c) : [b] "r"((uint64_t)bit)
                 : "memory", "cc");
    return c;
}

static bool w_bts(uint64_t *p, unsigned int bit)
{
    uint8_t c = 0;

    trap_reset();
    asm volatile("1: lock btsq %q[b], %[m]\n\t2: setc %[c]\n\t"
                 EXTABLE(1b, 2b)
                 : [m] "+m"(*p), [c] "+q"(c) : [b] "r"((uint64_t)bit)
                 : "memory", "cc");
    return c;
}

/* Byte-sized read-modify-write of a PTE's low byte, as Linux's
 * clear_bit/set_bit compile on a constant bit (ptep_set_wrprotect). */
static void w_andb(uint64_t *p, uint8_t mask)
{
    trap_reset();
    asm volatile("1: lock andb %[k], %[m]\n\t2:\n\t" EXTABLE(1b, 2b)
                 : [m] "+m"(*(uint8_t *)p) : [k] "iq"(mask)
                 : "memory", "cc");
}

static void w_orb(uint64_t *p, uint8_t bits)
{
    trap_reset();
    asm volatile("1: lock orb %[k], %[m]\n\t2:\n\t" EXTABLE(1b, 2b)
                 : [m] "+m"(*(uint8_t *)p) : [k] "iq"(bits)
                 : "memory", "cc");
}

static void poke(volatile char *p)
{
    trap_reset();
    asm volatile("1: movb $0x5a, %[m]\n\t2:\n\t" EXTABLE(1b, 2b)
                 : [m] "+m"(*p) : : "memory");
}

static void expect_ok(const char *what)
{
    CHECK(trap_last.count == 0, "%s: exception %u err %#lx", what,
          trap_last.vector, trap_last.error_code);
}

static void expect_pf(const char *what, const void *addr)
{
    if (trap_last.count != 1 || trap_last.vector != X86_EXC_PF) {
        report_fail("%s: %u exceptions (vector %u), expected #PF", what,
                    trap_last.count, trap_last.vector);
        return;
    }
    CHECK(trap_last.error_code == (PFEC_P | PFEC_W),
          "%s: error code %#lx", what, trap_last.error_code);
    CHECK(trap_last.cr2 == (unsigned long)addr, "%s: cr2 %#lx, expected %p",
          what, trap_last.cr2, addr);
}

static uint64_t pte_to(const void *va, uint64_t flags)
{
    return (mm_va_to_mfn((unsigned long)va) << PAGE_SHIFT) | flags;
}

static bool same_frame(uint64_t pte, const void *va)
{
    return (pte & PTE_ADDR) == (pte_to(va, 0) & PTE_ADDR);
}

static uint64_t *l1e_of(const void *va)
{
    unsigned long v = (unsigned long)va;

    return &mm_table(v, 1)[(v >> PAGE_SHIFT) & 511];
}

/* mov and lock btr/bts on the in-use L1 that maps the image. */
static void check_mov_bt(char *a, char *b)
{
    uint64_t *pte = l1e_of(a), old = *pte, v;

    w_mov(pte, pte_to(b, PTE_P | PTE_RW));
    expect_ok("mov: a -> b");
    mm_flush_va((unsigned long)a);
    CHECK(READ_ONCE(a[0]) == 'b', "mov: remap not visible");
    v = READ_ONCE(*pte);
    CHECK(same_frame(v, b) && (v & PTE_RW), "mov: entry reads %#lx",
          (unsigned long)v);
    CHECK(v & PTE_US, "mov: _PAGE_USER not forced (%#lx)", (unsigned long)v);
    WRITE_ONCE(a[8], 1);
    v = READ_ONCE(*pte);
    CHECK((v & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
          "mov: hardware A/D not set (%#lx)", (unsigned long)v);

    /* ptep_set_wrprotect: lock btr of RW keeps A/D. */
    CHECK(w_btr(pte, 1), "btr: RW was clear");
    expect_ok("lock btr");
    v = READ_ONCE(*pte);
    CHECK(same_frame(v, b) && !(v & PTE_RW) &&
          (v & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
          "btr: entry reads %#lx", (unsigned long)v);
    mm_flush_va((unsigned long)a);
    poke(a);
    expect_pf("write after btr", a);
    CHECK(!w_bts(pte, 1), "bts: RW was set");
    expect_ok("lock bts");
    v = READ_ONCE(*pte);
    CHECK(same_frame(v, b) && (v & PTE_RW) && (v & PTE_D),
          "bts: entry reads %#lx", (unsigned long)v);
    mm_flush_va((unsigned long)a);
    poke(a);
    expect_ok("write after bts");
    CHECK(READ_ONCE(b[0]) == 0x5a, "write after bts did not reach b");
    b[0] = 'b';

    w_mov(pte, old);
    expect_ok("mov: restore");
    mm_flush_va((unsigned long)a);
    CHECK(READ_ONCE(a[0]) == 'a', "mov: restore not visible");
}

/* lock andb / lock orb on an entry's low byte: RW off, then on again. */
static void check_byte_ops(char *a, char *b)
{
    uint64_t *pte = l1e_of(a), old = *pte, v;

    w_mov(pte, pte_to(b, PTE_P | PTE_RW | PTE_A | PTE_D));
    expect_ok("mov: a -> b (for byte ops)");
    w_andb(pte, (uint8_t)~PTE_RW);
    expect_ok("lock andb ~RW");
    v = READ_ONCE(*pte);
    CHECK(same_frame(v, b) && !(v & PTE_RW) && (v & PTE_D),
          "andb: entry reads %#lx", (unsigned long)v);
    mm_flush_va((unsigned long)a);
    poke(a);
    expect_pf("write after andb", a);
    w_orb(pte, PTE_RW);
    expect_ok("lock orb RW");
    v = READ_ONCE(*pte);
    CHECK(same_frame(v, b) && (v & PTE_RW), "orb: entry reads %#lx",
          (unsigned long)v);
    mm_flush_va((unsigned long)a);
    poke(a);
    expect_ok("write after orb");
    b[0] = 'b';
    w_mov(pte, old);
    expect_ok("mov: restore after byte ops");
    mm_flush_va((unsigned long)a);
}

/* xchg (ptep_get_and_clear) and lock cmpxchg. */
static void check_xchg_cmpxchg(char *a, char *b)
{
    uint64_t *pte = l1e_of(a), old = *pte, v, exp;

    v = w_xchg(pte, 0);
    expect_ok("xchg: clear");
    CHECK(v == old, "xchg returned %#lx, entry was %#lx", (unsigned long)v,
          (unsigned long)old);
    CHECK(READ_ONCE(*pte) == 0, "xchg: entry reads %#lx",
          (unsigned long)*pte);
    mm_flush_va((unsigned long)a);
    trap_reset();
    asm volatile("1: movb %[m], %%al\n\t2:\n\t" EXTABLE(1b, 2b)
                 : : [m] "m"(*a) : "rax", "memory");
    CHECK(trap_last.count == 1 && trap_last.vector == X86_EXC_PF &&
          trap_last.error_code == 0, "read of a cleared entry: %u/%u/%#lx",
          trap_last.count, trap_last.vector, trap_last.error_code);

    exp = 0x1234000;
    CHECK(!w_cmpxchg(pte, &exp, pte_to(b, PTE_P | PTE_RW)),
          "cmpxchg with a stale old value swapped");
    expect_ok("cmpxchg (stale)");
    CHECK(exp == 0, "cmpxchg (stale) returned %#lx", (unsigned long)exp);
    CHECK(READ_ONCE(*pte) == 0, "cmpxchg (stale) wrote %#lx",
          (unsigned long)*pte);
    exp = 0;
    CHECK(w_cmpxchg(pte, &exp, pte_to(b, PTE_P | PTE_RW | PTE_A)),
          "cmpxchg did not swap (found %#lx)", (unsigned long)exp);
    expect_ok("cmpxchg");
    CHECK(READ_ONCE(a[0]) == 'b', "cmpxchg: mapping not visible");

    exp = READ_ONCE(*pte);
    CHECK(w_cmpxchg(pte, &exp, old), "cmpxchg restore (found %#lx)",
          (unsigned long)exp);
    mm_flush_va((unsigned long)a);
    CHECK(READ_ONCE(a[0]) == 'a', "cmpxchg: restore not visible");
}

/* Entries mod_l1_entry would refuse: the write faults, nothing changes. */
static void check_invalid(char *a)
{
    uint64_t *pte = l1e_of(a), old = *pte, exp;
    uint64_t l4_rw = pte_to((void *)start_info->pt_base, PTE_P | PTE_RW);
    uint64_t foreign = (mm_foreign_ram_mfn() << PAGE_SHIFT) | PTE_P;

    w_mov(pte, l4_rw);
    expect_pf("mov: writable mapping of the L4", pte);
    w_mov(pte, foreign);
    expect_pf("mov: frame we do not own", pte);
    w_xchg(pte, l4_rw);
    expect_pf("xchg: writable mapping of the L4", pte);
    exp = old;
    w_cmpxchg(pte, &exp, l4_rw);
    expect_pf("cmpxchg: writable mapping of the L4", pte);
    w_mov(pte, pte_to(a, PTE_P | PTE_RW | PTE_PSE) | (1UL << 51));
    expect_pf("mov: frame beyond the physical address width", pte);
    CHECK(READ_ONCE(*pte) == old, "refused writes changed the entry to %#lx",
          (unsigned long)*pte);
    CHECK(READ_ONCE(a[0]) == 'a', "a lost its mapping");
}

/* A free slot (entry 0) in a table, searched from the top of its half. */
static uint64_t *free_slot(uint64_t *t, unsigned int from, unsigned int to)
{
    unsigned int i;

    for (i = from; i < to; i++)
        if (!t[i])
            return &t[i];
    return NULL;
}

/* L2-L4 are never emulated: the write is the guest's own #PF. */
static void check_upper(char *a)
{
    unsigned long va = (unsigned long)a;
    unsigned int level;
    uint64_t *slot;

    for (level = 2; level <= 4; level++) {
        slot = free_slot(mm_table(va, level), level == 4 ? 1 : 0, 256);
        if (!slot) {
            report_error("no free slot in the L%u", level);
            continue;
        }
        w_mov(slot, 0);
        if (trap_last.count != 1)
            report_fail("L%u write of 0 was not refused", level);
        else
            expect_pf(level == 2 ? "mov to an L2" : level == 3 ?
                      "mov to an L3" : "mov to an L4", slot);
        w_xchg(slot, 0);
        expect_pf("xchg on an upper table", slot);
    }
}

/* A pinned L1 that nothing links to is still emulated. */
static void check_pinned(char *b)
{
    uint64_t *l1 = mm_alloc_page();
    unsigned long mfn = mm_va_to_mfn((unsigned long)l1);

    CHECK_RC("make the new L1 read-only",
             mm_set_flags((unsigned long)l1, PTE_P | PTE_A), 0);
    CHECK_RC("pin L1", mm_mmuext(MMUEXT_PIN_L1_TABLE, mfn, 0), 0);
    w_mov(&l1[5], pte_to(b, PTE_P | PTE_RW));
    expect_ok("mov to a pinned L1");
    CHECK(same_frame(READ_ONCE(l1[5]), b), "pinned L1 entry reads %#lx",
          (unsigned long)l1[5]);
    w_mov(&l1[6], pte_to(l1, PTE_P | PTE_RW));
    expect_pf("pinned L1: writable self-map", &l1[6]);
    w_mov(&l1[6], pte_to(l1, PTE_P));
    expect_ok("pinned L1: read-only self-map");
    CHECK(w_btr(&l1[5], 1), "btr on the pinned L1: RW was clear");
    expect_ok("lock btr on a pinned L1");
    w_xchg(&l1[5], 0);
    w_xchg(&l1[6], 0);
    expect_ok("xchg on a pinned L1");
    CHECK_RC("unpin", mm_mmuext(MMUEXT_UNPIN_TABLE, mfn, 0), 0);
    CHECK_RC("make it writable again",
             mm_set_flags((unsigned long)l1, PTE_P | PTE_RW | PTE_A | PTE_D),
             0);
    w_mov(&l1[5], 0x1234);
    expect_ok("plain write after unpin");
    l1[5] = 0;
}

void test_main(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page();

    a[0] = 'a';
    b[0] = 'b';
    CHECK_RC("vm_assist(enable, writable_pagetables)",
             hypercall_vm_assist(VMASST_CMD_enable,
                                 VMASST_TYPE_writable_pagetables), 0);
    check_mov_bt(a, b);
    check_byte_ops(a, b);
    check_xchg_cmpxchg(a, b);
    check_invalid(a);
    check_upper(a);
    check_pinned(b);
    CHECK_RC("vm_assist(bad type)",
             hypercall_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);
    CHECK_RC("vm_assist(bad cmd)",
             hypercall_vm_assist(7, VMASST_TYPE_writable_pagetables),
             -XEN_ENOSYS);
}
