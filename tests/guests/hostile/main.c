/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hostile: 100000 random and structure-aware hypercalls from a fixed
 * seed (gen.c), direct and in multicalls, then: still alive, ordinary
 * hypercalls still work, the reservation is unchanged, and the p2m still
 * matches the M2P.  The generators never ask for what legitimately ends
 * or wrecks the test (their comments list what and why).
 */
#include "hostile.h"

#define NR_CALLS 100000
#define MC_MAX 8

char scratch[NR_SCRATCH + 1][PAGE_SIZE] __page_aligned_bss;
uint64_t scratch_tables[NR_TABLES][PAGE_SIZE / 8] __page_aligned_bss;
uint64_t *scratch_l1;
unsigned long max_ram_page;

extern const char __start_ex_table[];
static struct multicall_entry mc_list[MC_MAX];
static unsigned long nr_ok, nr_calls, nr_multicalls;

static long raw_hypercall(unsigned long nr, const unsigned long *a)
{
    register unsigned long r_a1 asm("rdi") = a[0];
    register unsigned long r_a2 asm("rsi") = a[1];
    register unsigned long r_a3 asm("rdx") = a[2];
    register unsigned long r_a4 asm("r10") = a[3];
    register unsigned long r_a5 asm("r8") = a[4];
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4),
                   "+r"(r_a5)
                 : "a"(nr)
                 : "memory", "r9", "rcx", "r11");
    return ret;
}

/* Text, notes and rodata read-only, so Xen cannot be made to write them. */
static void protect_text(uint64_t flags)
{
    unsigned long va;

    for (va = (unsigned long)_image_start;
         va + PAGE_SIZE <= ((unsigned long)__start_ex_table & ~0xfffUL);
         va += PAGE_SIZE)
        if (mm_set_flags(va, flags))
            report_error("remapping text page %#lx", va);
}

static void setup(void)
{
    unsigned int i;

    max_ram_page = (unsigned long)hypercall_memory_op(
        XENMEM_maximum_ram_page, NULL);
    mfn_ownership_init();
    CHECK_RC("unmap the guard page",
             hypercall_update_va_mapping((unsigned long)scratch[NR_SCRATCH],
                                         0, UVMF_INVLPG), 0);
    CHECK_RC("unmap the arena's guard pages", arena_init(), 0);
    for (i = 0; i < NR_TABLES; i++)
        CHECK_RC("scratch table read-only",
                 mm_set_flags((unsigned long)scratch_tables[i],
                              PTE_P | PTE_A), 0);
    scratch_l1 = mm_alloc_page();
    CHECK_RC("scratch L1 read-only",
             mm_set_flags((unsigned long)scratch_l1, PTE_P | PTE_A), 0);
    CHECK_RC("pin scratch L1", mm_mmuext(MMUEXT_PIN_L1_TABLE,
             mm_va_to_mfn((unsigned long)scratch_l1), 0), 0);
    protect_text(PTE_P | PTE_A);
}

static void restore_handlers(void)
{
    traps_init();
    events_init();
}

static void count(long rc)
{
    nr_calls++;
    if (rc == 0)
        nr_ok++;
}

static void run_multicall(void)
{
    struct hcall c;
    unsigned int i, n = 1 + (unsigned int)rnd_below(MC_MAX);
    bool restore = false;

    for (i = 0; i < n; i++) {
        gen_call(&c, i, true);
        mc_list[i].op = c.nr;
        mc_list[i].result = 0;
        memcpy(mc_list[i].args, c.a, sizeof(c.a));
        mc_list[i].args[5] = rnd();
        restore |= c.restore;
    }
    count(hypercall_multicall(mc_list, n));
    nr_multicalls++;
    if (restore)
        restore_handlers();
}

static void run(void)
{
    struct hcall c;
    unsigned int i;
    long rc;

    for (i = 0; i < NR_CALLS; i++) {
        if (i % 20000 == 0)
            printk("hostile: %u calls\n", i);
        if (rnd_below(100) < 3) {
            run_multicall();
            continue;
        }
        if (rnd_below(1000) == 0) {
            unsigned long a[5] = { rnd(), rnd(), rnd(), rnd(), rnd() };

            /* Numbers beyond the table, straight through syscall. */
            count(raw_hypercall(128 + (rnd() >> 1), a));
            continue;
        }
        gen_call(&c, NR_SLOTS - 1, false);
        rc = hypercall_any(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
        count(rc);
        if (c.restore)
            restore_handlers();
    }
}

/* Every frame the generators may name as ours: scratch, tables, L1. */
static unsigned long scratch_frame_va(unsigned int i)
{
    if (i <= NR_SCRATCH)
        return (unsigned long)scratch[i];
    if (i <= NR_SCRATCH + NR_TABLES)
        return (unsigned long)scratch_tables[i - NR_SCRATCH - 1];
    return (unsigned long)scratch_l1;
}
#define NR_SCRATCH_FRAMES (NR_SCRATCH + 1 + NR_TABLES + 1)

/* Undo what the calls may legitimately have changed in our own state. */
static void cleanup(void)
{
    static const xen_pfn_t no_frames[1];
    unsigned long va, pfn, mfn;
    unsigned int i, j;

    restore_handlers();
    events_mask_all();
    mm_mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0);
    mm_mmuext(MMUEXT_SET_LDT, 0, 0);
    hypercall_set_gdt(no_frames, 0);
    hypercall_fpu_taskswitch(0);
    for (i = 0; i < 8; i++)
        HYPERCALL2(__HYPERVISOR_set_debugreg, i, i == 6 ? 0xffff0ff0 : 0);
    /* MMU_MACHPHYS_UPDATE may have renamed any of them in the M2P. */
    for (i = 0; i < NR_SCRATCH_FRAMES; i++) {
        va = scratch_frame_va(i);
        pfn = mm_va_to_pfn(va);
        mfn = mm_pfn_to_mfn(pfn);
        CHECK_RC("M2P of a scratch frame",
                 mm_update((mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn),
                 0);
    }
    /* Tables may link tables: unpin everything for a few rounds. */
    for (j = 0; j < 4; j++)
        for (i = 0; i < NR_SCRATCH_FRAMES; i++)
            mm_mmuext(MMUEXT_UNPIN_TABLE,
                      mm_va_to_mfn(scratch_frame_va(i)), 0);
    for (i = 0; i < NR_SCRATCH; i++)
        CHECK_RC("remap a scratch page",
                 mm_set_flags(scratch_frame_va(i),
                              PTE_P | PTE_RW | PTE_A | PTE_D), 0);
    hypercall_update_va_mapping((unsigned long)scratch[NR_SCRATCH], 0,
                                UVMF_INVLPG);
    protect_text(PTE_P | PTE_RW | PTE_A | PTE_D);
}

static void check_alive(long version, long reservation)
{
    domid_t self = DOMID_SELF;
    char *page = mm_alloc_page();
    unsigned long pfn, bad = 0;
    long port;

    CHECK_RC("xen_version afterwards",
             hypercall_xen_version(XENVER_version, NULL), version);
    CHECK_RC("current_reservation afterwards",
             hypercall_memory_op(XENMEM_current_reservation, &self),
             reservation);
    port = evtchn_alloc_unbound(DOMID_SELF);
    CHECK(port > 0, "alloc_unbound afterwards: %ld", port);
    if (port > 0) {
        CHECK_RC("send afterwards", evtchn_send((evtchn_port_t)port), 0);
        CHECK_RC("close afterwards", evtchn_close((evtchn_port_t)port), 0);
    }
    page[0] = 'p';
    CHECK_RC("update_va_mapping afterwards",
             mm_set_flags((unsigned long)page, PTE_P | PTE_A), 0);
    CHECK(page[0] == 'p', "page contents lost");
    CHECK_RC("mmuext afterwards", mm_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    for (pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (mm_mfn_to_pfn(mm_pfn_to_mfn(pfn)) != pfn && !bad++)
            report_fail("p2m/M2P mismatch at pfn %#lx (mfn %#lx -> %#lx)",
                        pfn, mm_pfn_to_mfn(pfn),
                        mm_mfn_to_pfn(mm_pfn_to_mfn(pfn)));
    CHECK(bad == 0, "%lu p2m/M2P mismatches", bad);
}

void test_main(void)
{
    domid_t self = DOMID_SELF;
    long version = hypercall_xen_version(XENVER_version, NULL);
    long reservation = hypercall_memory_op(XENMEM_current_reservation,
                                           &self);
    uint64_t start;

    setup();
    if (report_failed())
        return;
    start = time_now_ns();
    run();
    cleanup();
    printk("hostile: %lu calls (%lu multicalls), %lu returned 0, %lu ms\n",
           nr_calls, nr_multicalls, nr_ok,
           (unsigned long)((time_now_ns() - start) / 1000000));
    check_alive(version, reservation);
}
