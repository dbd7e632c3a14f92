/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hostile: argument generators.  Random numbers, pools of bad and
 * boundary values, and per-hypercall structures.  The denylist (what is
 * never generated, and why) is spelled out where each hypercall is made.
 */
#include "hostile.h"

/* memory_op encodes a restart extent above the command (Xen's layout). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK 0x3f
/* Interface versions of the 4.17 control interfaces (platform.h etc.). */
#define PLATFORM_VERSION 0x03000001
#define SYSCTL_VERSION 0x15
#define DOMCTL_VERSION 0x15
#define MCA_VERSION 0x01ecc003
#define HYPERVISOR_mca __HYPERVISOR_arch_0

static uint64_t rng_state = 0x9e3779b97f4a7c15UL;     /* fixed seed */
/*
 * Each slot is the last SLOT_SIZE bytes of its own page, followed by an
 * unmapped guard page: an operation run with a huge count faults there
 * instead of reading or writing the next slot's structure.
 */
static char arena[NR_SLOTS][2][PAGE_SIZE] __aligned(PAGE_SIZE);

static char *slot_mem(unsigned int slot)
{
    return arena[slot][0] + PAGE_SIZE - SLOT_SIZE;
}

/* Unmaps the guard pages; returns the first failing hypercall's error. */
long arena_init(void)
{
    unsigned int i;
    long rc;

    for (i = 0; i < NR_SLOTS; i++)
        if ((rc = hypercall_update_va_mapping((unsigned long)arena[i][1], 0,
                                              UVMF_INVLPG)))
            return rc;
    return 0;
}
static const char junk_text[] = "hostile: console junk 0123456789\n";

/* xorshift64*: deterministic, good enough for argument soup. */
uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dUL;
}

unsigned long rnd_below(unsigned long n)
{
    return n ? rnd() % n : 0;
}

static bool coin(unsigned int percent)
{
    return rnd_below(100) < percent;
}

#define PICK(...)                                                           \
    ({                                                                      \
        const unsigned long pick_v[] = { __VA_ARGS__ };                     \
        pick_v[rnd_below(ARRAY_SIZE(pick_v))];                              \
    })

static void fill_random(void *p, size_t n)
{
    uint8_t *b = p;
    size_t i;

    for (i = 0; i < n; i++)
        b[i] = (uint8_t)rnd();
}

/*
 * Generated update_va_mappings remap scratch pages (read-only, elsewhere,
 * or not at all): we only write where a writable mapping is in place.
 */
static bool scratch_writable(unsigned long va, size_t n)
{
    unsigned long p;
    uint64_t pte;

    if (va < (unsigned long)scratch[0] ||
        va + n > (unsigned long)scratch[NR_SCRATCH] || !n)
        return false;
    for (p = va & ~(PAGE_SIZE - 1); p < va + n; p += PAGE_SIZE) {
        pte = mm_l1e_read(p);
        if ((pte & (PTE_P | PTE_RW)) != (PTE_P | PTE_RW))
            return false;
    }
    return true;
}

/*
 * Our frames, recorded once before the storm from the p2m (which the
 * storm never touches): the M2P cannot be trusted afterwards, since
 * MMU_MACHPHYS_UPDATE calls with garbage rewrite our own entries.
 */
#define MAX_TRACKED_MFNS (1UL << 22)        /* 16 GiB of host RAM */
static uint64_t ours[MAX_TRACKED_MFNS / 64];

void mfn_ownership_init(void)
{
    unsigned long pfn;

    for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
        unsigned long mfn = mm_pfn_to_mfn(pfn);

        if (mfn < MAX_TRACKED_MFNS)
            ours[mfn / 64] |= 1UL << (mfn % 64);
    }
}

bool mfn_is_ours(unsigned long mfn)
{
    if (mfn >= MAX_TRACKED_MFNS)
        return false;
    return ours[mfn / 64] & (1UL << (mfn % 64));
}

unsigned long scratch_mfn(unsigned int i)
{
    return mm_va_to_mfn((unsigned long)scratch[i]);
}

/* --- value pools --- */

static unsigned long rnd_count(void)
{
    return PICK(0, 1, 2, 3, 8, 64, 128, 129, 512, 4096, 0x7fffffff,
                0x80000000, 0xffffffff, rnd_below(16), (uint32_t)rnd());
}

static unsigned long rnd_domid(void)
{
    return PICK(DOMID_SELF, 0, 1, 5, 0x3ff, DOMID_IO, DOMID_XEN, DOMID_COW,
                DOMID_INVALID, 0x7ff5, 0xffff, (uint16_t)rnd());
}

/* Never dom0 itself: for ops that would shut down or drain us. */
static unsigned long rnd_other_domid(void)
{
    unsigned long d = rnd_domid();

    return d == 0 || d == DOMID_SELF ? 0x3ff : d;
}

static unsigned long rnd_port(void)
{
    return PICK(0, 1, 2, 63, 64, 1023, 4095, 4096, 1UL << 17, ~0u,
                rnd_below(4096), (uint32_t)rnd());
}

/*
 * A frame number that is safe to hand to anything: a scratch frame or
 * scratch table, somebody else's RAM, beyond RAM, or garbage that turned
 * out not to be ours.  Never one of our other frames (text, stacks, page
 * tables, the p2m), which Xen could be made to write, free or retype.
 */
static unsigned long rnd_mfn_any(bool tables)
{
    unsigned long m;

    switch (rnd_below(tables ? 7 : 6)) {
    case 0: return scratch_mfn((unsigned int)rnd_below(NR_SCRATCH));
    case 1: m = max_ram_page - 1 - rnd_below(64); break;
    case 2: m = rnd_below(0x100); break;
    /* (Not the HPET: Xen may use it, and a write there would stop time.) */
    case 3: return PICK(1UL << 40, ~0UL, 1UL << 52, max_ram_page,
                        0xfee00, 0xfec00);
    case 4: m = rnd() >> rnd_below(64); break;
    case 5: return mm_va_to_mfn((unsigned long)scratch_l1);
    default:
        return mm_va_to_mfn((unsigned long)scratch_tables[rnd_below(
            NR_TABLES)]);
    }
    return mfn_is_ours(m) ? scratch_mfn(0) : m;
}

/*
 * A frame that can never become our L4 (for NEW_BASEPTR): none of ours,
 * since even a zeroed scratch page validates as an (empty) L4, and
 * switching to it would unmap this kernel.
 */
static unsigned long rnd_mfn_not_l4(void)
{
    unsigned long m = rnd_mfn_any(false);

    return mfn_is_ours(m) ? ~0UL : m;
}

static uint64_t rnd_pte(void)
{
    uint64_t flags = rnd() & (0xfffUL | (0x7ffUL << 52) | PTE_NX);

    if (coin(10))
        return rnd();
    if (coin(10))
        return 0;
    return (rnd_mfn_any(true) << PAGE_SHIFT) | flags;
}

/* Virtual addresses for update_va_mapping, invlpg, SET_LDT. */
static unsigned long rnd_va(void)
{
    switch (rnd_below(4)) {
    case 0:
    case 1:
        return (unsigned long)scratch[rnd_below(NR_SCRATCH + 1)] +
               (coin(80) ? 0 : rnd_below(PAGE_SIZE));
    case 2:
        return PICK(0, 0x1000, 0x7ffffffff000UL, 0xffff800000000000UL,
                    0xffff830000000000UL, 0xffff880000000000UL,
                    0x8000000000000000UL, 0xfffffffffffff000UL);
    default:
        return rnd();
    }
}

/*
 * Pointers Xen may be asked to read or write: bad ones (unmapped, hole,
 * non-canonical, read-only kernel text, the read-only M2P) or scratch
 * (garbage, possibly running into the guard page).
 */
static unsigned long rnd_ptr(size_t size)
{
    unsigned long off;

    switch (rnd_below(10)) {
    case 0: return 0;
    case 1: return 0x1000 + rnd_below(0x100000);
    case 2: return 0xffff800000000000UL + (rnd() & 0x7ffffffffffUL);
    case 3: return 0x8000000000000000UL | rnd();
    case 4: return (unsigned long)_image_start + rnd_below(0x2000);
    case 5: return MACH2PHYS_VIRT_START + rnd_below(0x10000);
    case 6: return (unsigned long)scratch[NR_SCRATCH] - rnd_below(64);
    default:
        if (size > NR_SCRATCH * PAGE_SIZE)
            size = NR_SCRATCH * PAGE_SIZE;
        off = rnd_below(NR_SCRATCH * PAGE_SIZE - size + 1);
        if (scratch_writable((unsigned long)scratch[0] + off, size))
            fill_random(scratch[0] + off, size);
        return (unsigned long)scratch[0] + off;
    }
}

/* Pointers Xen can neither read nor write (for "bad arguments only"). */
static unsigned long bad_ptr(void)
{
    return PICK(0, 0x1000 + rnd_below(0x100000),
                0xffff800000000000UL + (rnd() & 0x7ffffffffffUL),
                0x8000000000000000UL | rnd(), 0xfffffffffffff000UL);
}

/*
 * Words of generated structures that happen to name one of our frames
 * (other than scratch) become ~0: a count of 4096 is also MFN 0x1000.
 */
static void scrub_words(uint64_t *w, unsigned int n)
{
    unsigned int i, k;

    for (i = 0; i < n; i++) {
        if (!mfn_is_ours(w[i]))
            continue;
        for (k = 0; k < NR_SCRATCH; k++)
            if (w[i] == scratch_mfn(k))
                break;
        if (k == NR_SCRATCH)
            w[i] = ~0UL;
    }
}

/* A zeroed arena slot, or a bad pointer instead. */
static void *slot_or_bad(unsigned int slot, unsigned long *arg)
{
    if (coin(8)) {
        *arg = bad_ptr();
        return NULL;
    }
    memset(slot_mem(slot), 0, SLOT_SIZE);
    *arg = (unsigned long)slot_mem(slot);
    return slot_mem(slot);
}

/* --- per-hypercall generators --- */

/* mmu_update: requests into scratch frames and tables only. */
static void gen_mmu_update(struct hcall *c, unsigned int slot)
{
    struct mmu_update *req = slot_or_bad(slot, &c->a[0]);
    unsigned int i, n = 1 + (unsigned int)rnd_below(8);
    unsigned long mfn;

    c->a[1] = n;
    for (i = 0; req && i < n; i++) {
        mfn = rnd_mfn_any(true);
        req[i].ptr = (mfn << PAGE_SHIFT) | (rnd_below(512) * 8) |
                     rnd_below(4);
        if (coin(5))
            req[i].ptr |= rnd_below(8);
        req[i].val = rnd_pte();
    }
    if (!req)
        c->a[1] = rnd_count();
    c->a[2] = coin(50) ? 0 : rnd_ptr(4);
    c->a[3] = PICK(DOMID_SELF, DOMID_SELF, DOMID_SELF, 0, DOMID_IO,
                   DOMID_XEN, 0x3ff, (uint16_t)rnd());
}

/*
 * mmuext_op: every command, frames from the safe pool.  NEW_BASEPTR only
 * gets frames that cannot be an L4 (switching to one of our scratch L4s
 * would unmap this kernel).
 */
static void gen_mmuext(struct hcall *c, unsigned int slot)
{
    struct mmuext_op *op = slot_or_bad(slot, &c->a[0]);
    unsigned int i, n = 1 + (unsigned int)rnd_below(8);

    c->a[1] = n;
    for (i = 0; op && i < n; i++) {
        op[i].cmd = (unsigned int)(coin(95) ? rnd_below(22) : rnd());
        if (op[i].cmd == MMUEXT_NEW_BASEPTR)
            op[i].arg1.mfn = rnd_mfn_not_l4();
        else if (op[i].cmd == MMUEXT_INVLPG_LOCAL ||
                 op[i].cmd == MMUEXT_INVLPG_MULTI ||
                 op[i].cmd == MMUEXT_INVLPG_ALL ||
                 op[i].cmd == MMUEXT_SET_LDT)
            op[i].arg1.linear_addr = rnd_va();
        else
            op[i].arg1.mfn = rnd_mfn_any(true);
        if (op[i].cmd == MMUEXT_SET_LDT)
            op[i].arg2.nr_ents = (unsigned int)PICK(0, 1, 16, 8192, 8193,
                                                     rnd());
        else if (op[i].cmd == MMUEXT_COPY_PAGE)
            op[i].arg2.src_mfn = rnd_mfn_any(true);
        else
            set_xen_guest_handle(op[i].arg2.vcpumask,
                                 (void *)rnd_ptr(8));
    }
    if (!op)
        c->a[1] = rnd_count();
    c->a[2] = coin(50) ? 0 : rnd_ptr(4);
    c->a[3] = PICK(DOMID_SELF, DOMID_SELF, DOMID_SELF, 0, DOMID_IO,
                   DOMID_XEN, 0x3ff);
}

static void gen_uvm(struct hcall *c, bool other)
{
    c->a[0] = rnd_va();
    c->a[1] = rnd_pte();
    c->a[2] = rnd_below(8) | (coin(30) ? rnd_ptr(8) & ~7UL : 0);
    if (other)
        c->a[3] = rnd_domid();
}

/*
 * sched_op: never SCHEDOP_block (no wake-up is armed: it would sleep for
 * ever), shutdown only with an unreadable argument, remote_shutdown and
 * watchdog never for ourselves (a watchdog would later kill us), poll only
 * with a deadline at most 200us ahead (timeout 0 means "for ever").
 */
static void gen_sched(struct hcall *c, unsigned int slot)
{
    unsigned int cmd = (unsigned int)PICK(SCHEDOP_yield, SCHEDOP_shutdown,
        SCHEDOP_poll, SCHEDOP_poll, SCHEDOP_remote_shutdown,
        SCHEDOP_shutdown_code, SCHEDOP_pin_override, 8, rnd() | 8);
    struct sched_poll *p;
    struct sched_remote_shutdown *rs;
    unsigned long *w;

    c->a[0] = cmd;
    switch (cmd) {
    case SCHEDOP_shutdown:
        c->a[1] = bad_ptr();
        break;
    case SCHEDOP_poll:
        p = slot_or_bad(slot, &c->a[1]);
        if (!p)
            break;
        set_xen_guest_handle(p->ports, (evtchn_port_t *)rnd_ptr(4 * 130));
        p->nr_ports = (unsigned int)PICK(0, 1, 2, 128, 129, rnd_below(200));
        p->timeout = time_now_ns() + 1 + rnd_below(200000);
        break;
    case SCHEDOP_remote_shutdown:
        rs = slot_or_bad(slot, &c->a[1]);
        if (rs) {
            rs->domain_id = (domid_t)rnd_other_domid();
            rs->reason = (unsigned int)rnd_below(8);
        }
        break;
    default:
        w = slot_or_bad(slot, &c->a[1]);
        if (w)
            fill_random(w, 16);
    }
}

/*
 * event_channel_op: garbage structures (scratch) for every command but
 * FIFO init_control/expand_array, whose frame numbers come from the pool
 * (a FIFO control block in one of our frames would corrupt it).
 */
static void gen_evtchn(struct hcall *c, unsigned int slot)
{
    unsigned int cmd = (unsigned int)(coin(95) ? rnd_below(15) : rnd());
    uint32_t *s;

    c->a[0] = cmd;
    if (cmd == EVTCHNOP_init_control || cmd == EVTCHNOP_expand_array) {
        struct evtchn_init_control *ic = slot_or_bad(slot, &c->a[1]);

        if (ic) {
            ic->control_gfn = rnd_mfn_any(false);
            if (ic->control_gfn == scratch_mfn(0) || coin(50))
                ic->control_gfn = ~0UL;
            ic->offset = (uint32_t)PICK(0, 8, 4032, rnd());
            ic->vcpu = (uint32_t)PICK(0, 1, rnd());
        }
        return;
    }
    c->a[1] = rnd_ptr(32);
    if (scratch_writable(c->a[1], 32)) {
        s = (uint32_t *)c->a[1];
        s[0] = (uint32_t)(coin(50) ? rnd_port() : rnd_domid());
        s[1] = (uint32_t)rnd_port();
        s[2] = (uint32_t)rnd_port();
    }
}

static void gen_grant(struct hcall *c, unsigned int slot)
{
    unsigned int cmd = (unsigned int)(coin(95) ? rnd_below(14) : rnd());
    uint64_t *w = slot_or_bad(slot, &c->a[1]);
    unsigned int i;

    /*
     * GNTTABOP_transfer gives one of our frames away: never.  (Xen looks
     * at the low 12 bits; the rest is a continuation argument.)
     */
    if ((cmd & 0xfff) == GNTTABOP_transfer)
        cmd = GNTTABOP_query_size;
    c->a[0] = cmd;
    /*
     * Xen writes a status into every element: counts that reach past the
     * slot (8 of the largest, gnttab_copy, fit) only with bad pointers.
     */
    if (coin(5) && w) {
        c->a[1] = bad_ptr();
        w = NULL;
    }
    c->a[2] = w ? 1 + rnd_below(8) : rnd_count();
    if (!w)
        return;
    /*
     * Every 8-byte word of the structures is a pointer, a frame, a small
     * number or a ref/domid pair: frames and pointers from the pools.
     */
    for (i = 0; i < SLOT_SIZE / 8; i++) {
        switch (rnd_below(5)) {
        case 0: w[i] = rnd_ptr(64); break;
        case 1: w[i] = rnd_mfn_any(false); break;
        case 2: w[i] = rnd_below(64) | (rnd_domid() << 32); break;
        case 3: w[i] = rnd_count() | ((uint64_t)rnd_below(16) << 48); break;
        default: w[i] = rnd_port() | ((uint64_t)rnd_domid() << 16);
        }
    }
    scrub_words(w, SLOT_SIZE / 8);
}

/*
 * memory_op: ops that move memory between us and Xen get structures whose
 * frames are not ours and whose allocations cannot succeed (order >= 32
 * for ourselves), so the reservation must not change; everything else
 * gets garbage with pool pointers.
 */
static void gen_memory(struct hcall *c, unsigned int slot)
{
    unsigned int op = (unsigned int)(coin(95) ? rnd_below(30) : rnd());
    struct xen_memory_reservation *r;
    uint64_t *w, *list;
    unsigned int i;

    c->a[0] = op | (coin(10) ? rnd_below(64) << MEMOP_EXTENT_SHIFT : 0);
    op &= MEMOP_CMD_MASK;
    w = slot_or_bad(slot, &c->a[1]);
    if (!w)
        return;
    /* Extent lists for decrease/exchange: never our frames, scratch too. */
    list = w + 32;
    for (i = 0; i < 16; i++) {
        list[i] = rnd_mfn_any(false);
        if (mfn_is_ours(list[i]))
            list[i] = ~0UL;
    }
    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
    case XENMEM_claim_pages:
        r = (struct xen_memory_reservation *)w;
        set_xen_guest_handle(r->extent_start, (xen_pfn_t *)rnd_ptr(128));
        r->nr_extents = coin(70) ? rnd_below(17) : rnd_count();
        r->extent_order = (unsigned int)rnd_below(4);
        r->mem_flags = (unsigned int)(coin(50) ? 0 : rnd());
        r->domid = (domid_t)rnd_domid();
        if (op != XENMEM_decrease_reservation && op != XENMEM_claim_pages &&
            (r->domid == 0 || r->domid == DOMID_SELF))
            r->extent_order = 32 + (unsigned int)rnd_below(1000);
        if (op == XENMEM_claim_pages)
            r->domid = (domid_t)rnd_other_domid();
        /* Order 0 only: the frames after a foreign one may be ours. */
        if (op == XENMEM_decrease_reservation) {
            r->extent_order = 0;
            set_xen_guest_handle(r->extent_start, (xen_pfn_t *)(
                r->nr_extents <= 16 && coin(80) ? (unsigned long)list :
                bad_ptr()));
        }
        break;
    case XENMEM_exchange: {
        struct xen_memory_exchange *x = (struct xen_memory_exchange *)w;

        set_xen_guest_handle(x->in.extent_start, (xen_pfn_t *)list);
        x->in.nr_extents = rnd_below(17);
        x->in.extent_order = (unsigned int)rnd_below(3);
        x->in.domid = (domid_t)rnd_domid();
        set_xen_guest_handle(x->out.extent_start, (xen_pfn_t *)rnd_ptr(128));
        x->out.nr_extents = rnd_count();
        x->out.extent_order = (unsigned int)rnd_below(3);
        x->out.domid = (domid_t)rnd_domid();
        x->nr_exchanged = coin(80) ? 0 : rnd();
        break;
    }
    default:
        for (i = 0; i < 32; i++)
            w[i] = coin(30) ? rnd_ptr(256) : coin(50) ? rnd_domid() :
                   rnd_count();
        scrub_words(w, 32);
    }
}

/*
 * vcpu_op: never down or send_nmi on vCPU 0 (we have no NMI handler
 * worth the name), never register_vcpu_info with a readable argument (it
 * would move vcpu_info into one of our frames, and can't be undone);
 * runstate and time areas only at pool pointers.
 */
static void gen_vcpu(struct hcall *c, unsigned int slot)
{
    unsigned int cmd = (unsigned int)(coin(95) ? rnd_below(16) : rnd());
    unsigned int vcpu = (unsigned int)PICK(0, 0, 0, 1, 127, 128, rnd());
    uint64_t *w;

    if ((cmd == VCPUOP_down || cmd == VCPUOP_send_nmi) && vcpu == 0)
        vcpu = 1;
    c->a[0] = cmd;
    c->a[1] = vcpu;
    if (cmd == VCPUOP_register_vcpu_info) {
        c->a[2] = bad_ptr();
        return;
    }
    w = slot_or_bad(slot, &c->a[2]);
    if (!w)
        return;
    if (cmd == VCPUOP_register_runstate_memory_area ||
        cmd == VCPUOP_register_vcpu_time_memory_area) {
        w[0] = rnd_ptr(64);
        return;
    }
    fill_random(w, SLOT_SIZE);
    w[0] = PICK(0, 1, 50000, 1000000, rnd(),
                time_now_ns() + rnd_below(1000000));
    w[1] = rnd_below(4);
    scrub_words(w, SLOT_SIZE / 8);
}

/*
 * physdev_op: only commands that change nothing outside this domain get
 * readable arguments; the rest (IO-APIC writes, pirq/MSI/GSI set-up, PCI
 * add/remove, the pirq EOI frame) get unreadable ones.
 */
static void gen_physdev(struct hcall *c, unsigned int slot)
{
    unsigned int cmd = (unsigned int)(coin(95) ? rnd_below(32) : rnd());
    uint64_t *w;

    c->a[0] = cmd;
    switch (cmd) {
    case PHYSDEVOP_irq_status_query:
    case PHYSDEVOP_set_iopl:
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_get_free_pirq:
        c->a[1] = rnd_ptr(32);
        break;
    case PHYSDEVOP_set_iobitmap:
        w = slot_or_bad(slot, &c->a[1]);
        if (w) {
            w[0] = rnd_ptr(8192);
            w[1] = rnd_count();
        }
        break;
    default:
        c->a[1] = bad_ptr();
    }
}

/*
 * Control interfaces (platform_op, sysctl, domctl, mca, paging_domctl):
 * garbage with a wrong interface version, or a read-only command.
 * kexec, xenpmu, xenoprof: unreadable arguments only (kexec could reboot
 * the host, xenpmu maps a frame of ours).
 */
static void gen_control(struct hcall *c, unsigned int slot, uint32_t version,
                        unsigned int ro_cmd)
{
    uint32_t *w = slot_or_bad(slot, &c->a[0]);

    if (!w)
        return;
    fill_random(w, SLOT_SIZE);
    w[0] = (uint32_t)rnd_below(80);
    w[1] = version ^ (uint32_t)(1 + rnd_below(0xffff));
    if (coin(20)) {
        memset(w, 0, SLOT_SIZE);
        w[0] = ro_cmd;
        w[1] = version;
    }
}

static void gen_misc(struct hcall *c, unsigned int nr, unsigned int slot)
{
    uint64_t *w;

    switch (nr) {
    case __HYPERVISOR_set_trap_table:
        c->a[0] = rnd_ptr(256);
        c->restore = true;
        break;
    case __HYPERVISOR_set_gdt:
        w = slot_or_bad(slot, &c->a[0]);
        if (w) {
            w[0] = rnd_mfn_any(true);
            w[1] = rnd_mfn_any(true);
        }
        c->a[1] = PICK(0, 1, 16, 512, 513, 7168, 7169, rnd());
        break;
    case __HYPERVISOR_set_callbacks:
        c->a[0] = rnd();
        c->a[1] = rnd();
        c->a[2] = rnd();
        c->restore = true;
        break;
    case __HYPERVISOR_update_descriptor:
        c->a[0] = (rnd_mfn_any(true) << PAGE_SHIFT) | rnd_below(PAGE_SIZE);
        c->a[1] = rnd();
        break;
    case __HYPERVISOR_set_debugreg:
        /* DR7 (and DR5, its alias) could arm breakpoints in our code. */
        c->a[0] = PICK(0, 1, 2, 3, 4, 6, 8, 100, rnd());
        c->a[1] = rnd();
        break;
    case __HYPERVISOR_xen_version:
        c->a[0] = coin(90) ? rnd_below(16) : rnd();
        c->a[1] = rnd_ptr(1024);
        break;
    case __HYPERVISOR_console_io:
        /* Whole lines only, rarely: the log must stay readable. */
        c->a[0] = PICK(CONSOLEIO_write, CONSOLEIO_read, 2, rnd());
        c->a[1] = c->a[0] == CONSOLEIO_write ? sizeof(junk_text) - 1
                                             : rnd_count();
        c->a[2] = c->a[0] == CONSOLEIO_write && coin(5) ?
                  (unsigned long)junk_text : bad_ptr();
        if (c->a[0] == CONSOLEIO_read && coin(50))
            c->a[2] = rnd_ptr(4096);
        break;
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_nmi_op:
        c->a[0] = rnd_below(4);
        w = slot_or_bad(slot, &c->a[1]);
        if (w) {
            w[0] = rnd();
            w[1] = rnd();
        }
        c->restore = true;
        break;
    default:
        /* Everything else takes plain numbers and pool pointers. */
        c->a[0] = coin(80) ? rnd_below(64) : rnd();
        c->a[1] = coin(50) ? rnd_ptr(256) : rnd_count();
        c->a[2] = coin(50) ? rnd_ptr(256) : rnd_count();
        c->a[3] = rnd_count();
        c->a[4] = rnd_ptr(64);
    }
}

/* Hypercalls that take only bad pointers (see the comments above). */
static bool bad_args_only(unsigned int nr)
{
    return nr == __HYPERVISOR_event_channel_op_compat ||
           nr == __HYPERVISOR_physdev_op_compat ||
           nr == __HYPERVISOR_kexec_op || nr == __HYPERVISOR_xenpmu_op ||
           nr == __HYPERVISOR_xenoprof_op;
}

static unsigned int pick_nr(bool in_multicall)
{
    unsigned int nr;

    for (;;) {
        nr = (unsigned int)(coin(95) ? rnd_below(50) : rnd_below(128));
        /* iret pops our stack and jumps: never. */
        if (nr == __HYPERVISOR_iret)
            continue;
        if (in_multicall && nr == __HYPERVISOR_multicall)
            continue;
        return nr;
    }
}

void gen_call(struct hcall *c, unsigned int slot, bool in_multicall)
{
    unsigned int nr = pick_nr(in_multicall);

    memset(c, 0, sizeof(*c));
    c->nr = nr;
    if (bad_args_only(nr)) {
        c->a[0] = rnd_below(16);
        c->a[1] = bad_ptr();
        c->a[2] = bad_ptr();
        return;
    }
    switch (nr) {
    case __HYPERVISOR_mmu_update: gen_mmu_update(c, slot); break;
    case __HYPERVISOR_mmuext_op: gen_mmuext(c, slot); break;
    case __HYPERVISOR_update_va_mapping: gen_uvm(c, false); break;
    case __HYPERVISOR_update_va_mapping_otherdomain: gen_uvm(c, true); break;
    case __HYPERVISOR_sched_op: gen_sched(c, slot); break;
    case __HYPERVISOR_sched_op_compat:
        /* Only yield and unknown commands: 1 blocks, 2 shuts down. */
        c->a[0] = PICK(SCHEDOP_yield, 8, 100, rnd() | 8);
        c->a[1] = rnd();
        break;
    case __HYPERVISOR_event_channel_op: gen_evtchn(c, slot); break;
    case __HYPERVISOR_grant_table_op: gen_grant(c, slot); break;
    case __HYPERVISOR_memory_op: gen_memory(c, slot); break;
    case __HYPERVISOR_vcpu_op: gen_vcpu(c, slot); break;
    case __HYPERVISOR_physdev_op: gen_physdev(c, slot); break;
    case __HYPERVISOR_platform_op:
        gen_control(c, slot, PLATFORM_VERSION, 50);
        break;
    case __HYPERVISOR_sysctl:
        gen_control(c, slot, SYSCTL_VERSION, 3);      /* physinfo */
        break;
    case __HYPERVISOR_domctl:
    case __HYPERVISOR_arch_1:                   /* paging_domctl_cont */
        gen_control(c, slot, DOMCTL_VERSION, 5);  /* getdomaininfo */
        break;
    case HYPERVISOR_mca:
        gen_control(c, slot, MCA_VERSION, 0xff);
        break;
    default:
        gen_misc(c, nr, slot);
    }
}
