/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Giving our own frames back (decrease_reservation, by MFN), getting them
 * back at the same GPFNs (populate_physmap), increase_reservation, and the
 * bad input: every failure is a short count, never an error code.
 */
#include "vcpu.h"
#include <public/domctl.h>

#define INVALID_M2P (~0UL)
#define BAD_MFN (1UL << 40)     /* beyond any frame table */
#define BAD_ORDER 19            /* Xen's max_order() for dom0 is 18 */
#define BIG_ORDER 13            /* above hwdom's 12, within dom0's 18 */
#define FAR_GPFN 0x100000UL     /* a GPFN far above our pages */
#define PTE_KERN (PTE_P | PTE_RW | PTE_A | PTE_D)

/* One of our spare pages: its mapping, GPFN and current MFN. */
struct frame {
    unsigned long va, pfn, mfn;
};

static long memop_extents(unsigned int cmd, xen_pfn_t *list, unsigned int nr,
                          unsigned int order, domid_t dom)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr, .extent_order = order, .domid = dom,
    };

    set_xen_guest_handle(r.extent_start, list);
    return hypercall_memory_op(cmd, &r);
}

static long cur_pages(void)
{
    domid_t self = DOMID_SELF;

    return hypercall_memory_op(XENMEM_current_reservation, &self);
}

static long max_pages(void)
{
    domid_t self = DOMID_SELF;

    return hypercall_memory_op(XENMEM_maximum_reservation, &self);
}

static void frame_take(struct frame *f)
{
    f->va = (unsigned long)mm_alloc_page();
    f->pfn = mm_va_to_pfn(f->va);
    f->mfn = mm_pfn_to_mfn(f->pfn);
    /* Xen does not scrub what a live domain frees: clear it first. */
    memset((void *)f->va, 0, PAGE_SIZE);
}

static void frame_unmap(const struct frame *f)
{
    long rc = hypercall_update_va_mapping(f->va, 0, UVMF_INVLPG);

    if (rc)
        report_error("unmapping %#lx: %ld", f->va, rc);
}

static bool frame_is_ours(const struct frame *f)
{
    return mm_mfn_to_pfn(f->mfn) == f->pfn;
}

/* A frame populate_physmap gave f->pfn: record it, map it, check it. */
static void frame_adopt(struct frame *f, unsigned long mfn)
{
    unsigned long *p2m = (unsigned long *)start_info->mfn_list;
    long max = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
    const uint64_t *w = (const uint64_t *)f->va;
    unsigned int i;
    long rc;

    if (mfn >= (unsigned long)max) {
        report_fail("populate_physmap: mfn %#lx beyond maximum_ram_page "
                    "%#lx", mfn, max);
        return;
    }
    CHECK(mm_mfn_to_pfn(mfn) == f->pfn, "populate_physmap: m2p[%#lx] = "
          "%#lx, expected gpfn %#lx", mfn, mm_mfn_to_pfn(mfn), f->pfn);
    f->mfn = mfn;
    p2m[f->pfn] = mfn;
    rc = hypercall_update_va_mapping(f->va, (mfn << PAGE_SHIFT) | PTE_KERN,
                                     UVMF_INVLPG);
    if (rc) {
        report_fail("mapping populated mfn %#lx: %ld", mfn, rc);
        return;
    }
    for (i = 0; i < PAGE_SIZE / 8; i++)
        if (w[i]) {
            report_fail("populated mfn %#lx: word %u is %#lx", mfn, i,
                        (unsigned long)w[i]);
            break;
        }
    WRITE_ONCE(*(volatile uint64_t *)f->va, 0x600d);
}

/* populate_physmap the frames' GPFNs back in one call (as domid 0). */
static void frames_restore(struct frame *f, unsigned int n)
{
    xen_pfn_t list[4];
    unsigned int i;
    long rc;

    for (i = 0; i < n; i++)
        list[i] = f[i].pfn;
    rc = memop_extents(XENMEM_populate_physmap, list, n, 0, 0);
    CHECK_RC("populate_physmap", rc, n);
    for (i = 0; i < n && i < (unsigned long)rc; i++)
        frame_adopt(&f[i], list[i]);
}

/* Two unmapped frames out and back; a frame already given back. */
static void check_give_back(void)
{
    struct frame f[2];
    xen_pfn_t list[2];
    long cur = cur_pages();
    unsigned int i;

    for (i = 0; i < 2; i++) {
        frame_take(&f[i]);
        frame_unmap(&f[i]);
        list[i] = f[i].mfn;
    }
    CHECK_RC("decrease_reservation(2 frames)",
             memop_extents(XENMEM_decrease_reservation, list, 2, 0,
                           DOMID_SELF), 2);
    CHECK_RC("current_reservation after decrease", cur_pages(), cur - 2);
    for (i = 0; i < 2; i++)
        CHECK(mm_mfn_to_pfn(f[i].mfn) == INVALID_M2P,
              "freed mfn %#lx: m2p %#lx, expected ~0", f[i].mfn,
              mm_mfn_to_pfn(f[i].mfn));
    CHECK_RC("decrease_reservation(frame given back)",
             memop_extents(XENMEM_decrease_reservation, list, 1, 0,
                           DOMID_SELF), 0);
    CHECK_RC("current_reservation", cur_pages(), cur - 2);

    frames_restore(f, 2);
    CHECK_RC("current_reservation after populate_physmap", cur_pages(), cur);
}

/*
 * A frame still mapped (or pinned) is given back all the same (count 1),
 * but stays ours, counted and readable until its last reference goes.
 */
static void check_give_back_in_use(bool pin)
{
    const char *what = pin ? "pinned L1" : "mapped frame";
    struct frame f;
    xen_pfn_t mfn;
    long cur = cur_pages();

    frame_take(&f);
    mfn = f.mfn;
    if (pin) {
        CHECK_RC("remap read-only", mm_set_flags(f.va, PTE_P | PTE_A), 0);
        CHECK_RC("pin L1", mm_mmuext(MMUEXT_PIN_L1_TABLE, f.mfn, 0), 0);
    } else {
        WRITE_ONCE(*(volatile uint64_t *)f.va, 0xfeed);
    }
    CHECK_RC(what, memop_extents(XENMEM_decrease_reservation, &mfn, 1, 0,
                                 DOMID_SELF), 1);
    CHECK_RC("current_reservation while in use", cur_pages(), cur);
    CHECK(frame_is_ours(&f), "%s: m2p %#lx changed while in use", what,
          mm_mfn_to_pfn(f.mfn));
    if (pin) {
        CHECK_RC("unpin", mm_mmuext(MMUEXT_UNPIN_TABLE, f.mfn, 0), 0);
        CHECK_RC("current_reservation while mapped", cur_pages(), cur);
    } else {
        CHECK(READ_ONCE(*(volatile uint64_t *)f.va) == 0xfeed,
              "mapped frame lost its contents");
        WRITE_ONCE(*(volatile uint64_t *)f.va, 0);
    }
    frame_unmap(&f);
    CHECK_RC("current_reservation after the last unmap", cur_pages(),
             cur - 1);
    CHECK(mm_mfn_to_pfn(f.mfn) == INVALID_M2P, "%s: m2p %#lx after free",
          what, mm_mfn_to_pfn(f.mfn));
    frames_restore(&f, 1);
    CHECK_RC("current_reservation restored", cur_pages(), cur);
}

/* The count stops at the first extent that cannot be done. */
static void check_partial(void)
{
    struct frame f[3];
    xen_pfn_t list[3], *edge = (xen_pfn_t *)((char *)mm_page_before_hole() +
                                             PAGE_SIZE) - 1;
    unsigned long foreign = mm_foreign_ram_mfn();
    long cur = cur_pages(), rc;
    unsigned int i;

    for (i = 0; i < 3; i++) {
        frame_take(&f[i]);
        frame_unmap(&f[i]);
    }
    /* The list runs into an unmapped page after its first entry. */
    *edge = f[0].mfn;
    CHECK_RC("decrease_reservation(list runs off)",
             memop_extents(XENMEM_decrease_reservation, edge, 2, 0,
                           DOMID_SELF), 1);
    CHECK_RC("current_reservation", cur_pages(), cur - 1);

    /* A frame that is not ours stops it; the next one is not touched. */
    CHECK(foreign != 0, "no foreign RAM frame found");
    list[0] = f[1].mfn;
    list[1] = foreign;
    list[2] = f[2].mfn;
    CHECK_RC("decrease_reservation(ours, not ours, ours)",
             memop_extents(XENMEM_decrease_reservation, list, 3, 0,
                           DOMID_SELF), 1);
    CHECK_RC("current_reservation", cur_pages(), cur - 2);
    CHECK(frame_is_ours(&f[2]), "frame after the foreign one was freed");
    list[0] = BAD_MFN;
    CHECK_RC("decrease_reservation(invalid mfn)",
             memop_extents(XENMEM_decrease_reservation, list, 1, 0,
                           DOMID_SELF), 0);

    frames_restore(f, 2);
    rc = hypercall_update_va_mapping(
        f[2].va, (f[2].mfn << PAGE_SHIFT) | PTE_KERN, UVMF_INVLPG);
    CHECK_RC("remap the untouched frame", rc, 0);
    CHECK_RC("current_reservation restored", cur_pages(), cur);
}

/* Bad lists, orders, domids and counts: 0 (or the start extent) back. */
static void check_bad_input(void)
{
    struct frame f;
    xen_pfn_t mfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    long cur = cur_pages();
    static const unsigned int ops[] = { XENMEM_increase_reservation,
        XENMEM_decrease_reservation, XENMEM_populate_physmap };
    unsigned int i;

    frame_take(&f);
    frame_unmap(&f);
    mfn = f.mfn;
    for (i = 0; i < ARRAY_SIZE(ops); i++) {
        CHECK_RC("memop(nr_extents 0)",
                 memop_extents(ops[i], &mfn, 0, 0, DOMID_SELF), 0);
        CHECK_RC("memop(extent_start in the hole)",
                 memop_extents(ops[i], BAD_PTR_HOLE, 1, 0, DOMID_SELF), 0);
        CHECK_RC("memop(extent_order 19)",
                 memop_extents(ops[i], &mfn, 1, BAD_ORDER, DOMID_SELF), 0);
        CHECK_RC("memop(no such domain)",
                 memop_extents(ops[i], &mfn, 1, 0, NO_SUCH_DOMID), 0);
        CHECK_RC("memop(bad argument pointer)",
                 hypercall_memory_op(ops[i], BAD_PTR_UNMAPPED), 0);
        CHECK_RC("memop(nr_extents > UINT_MAX >> 6)",
                 memop_extents(ops[i], &mfn, 1U << 26, 0, DOMID_SELF), 0);
    }
    CHECK_RC("decrease_reservation(extent_start unmapped)",
             memop_extents(XENMEM_decrease_reservation, BAD_PTR_UNMAPPED, 1,
                           0, DOMID_SELF), 0);
    CHECK_RC("populate_physmap(extent_start unmapped)",
             memop_extents(XENMEM_populate_physmap, BAD_PTR_UNMAPPED, 1, 0,
                           DOMID_SELF), 0);
    /* A start extent (cmd >> 6) at or past nr_extents comes straight back. */
    set_xen_guest_handle(r.extent_start, &mfn);
    r.nr_extents = 2;
    CHECK_RC("decrease_reservation(start extent 3 of 2)",
             hypercall_memory_op(XENMEM_decrease_reservation | (3 << 6), &r),
             3);
    /* address_bits <= PAGE_SHIFT cannot be met. */
    mfn = f.pfn;
    r.nr_extents = 1;
    r.mem_flags = XENMEMF_address_bits(12);
    CHECK_RC("populate_physmap(address_bits 12)",
             hypercall_memory_op(XENMEM_populate_physmap, &r), 0);
    CHECK_RC("current_reservation unchanged", cur_pages(), cur);
    CHECK(frame_is_ours(&f), "bad input freed mfn %#lx", f.mfn);
    CHECK_RC("remap", hypercall_update_va_mapping(
                 f.va, (f.mfn << PAGE_SHIFT) | PTE_KERN, UVMF_INVLPG), 0);
}

/* XEN_DOMCTL_max_mem on ourselves: dom0's maximum is otherwise unlimited. */
static long set_max_pages(unsigned long pages)
{
    struct xen_domctl op = {
        .cmd = XEN_DOMCTL_max_mem,
        .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
        .domain = 0,
        .u.max_mem.max_memkb = (uint64_t)pages << (PAGE_SHIFT - 10),
    };

    return HYPERCALL1(__HYPERVISOR_domctl, &op);
}

static void check_increase(void)
{
    long cur = cur_pages(), max = max_pages();
    xen_pfn_t mfn = 0, big = FAR_GPFN;

    if (memop_extents(XENMEM_increase_reservation, &mfn, 1, 0,
                      DOMID_SELF) != 1) {
        report_fail("increase_reservation(1) failed");
    } else {
        CHECK_RC("current_reservation after increase", cur_pages(), cur + 1);
        CHECK_RC("decrease_reservation(the new frame)",
                 memop_extents(XENMEM_decrease_reservation, &mfn, 1, 0,
                               DOMID_SELF), 1);
        CHECK_RC("current_reservation", cur_pages(), cur);
    }

    /* Order 13 (32 MiB) is within dom0's limit; give it straight back. */
    if (memop_extents(XENMEM_populate_physmap, &big, 1, BIG_ORDER,
                      DOMID_SELF) != 1) {
        report_fail("populate_physmap(order 13) failed");
    } else {
        CHECK_RC("current_reservation", cur_pages(),
                 cur + (1L << BIG_ORDER));
        CHECK(!(big & ((1UL << BIG_ORDER) - 1)) &&
              mm_mfn_to_pfn(big) == FAR_GPFN,
              "order 13 extent at mfn %#lx", big);
        CHECK_RC("decrease_reservation(order 13)",
                 memop_extents(XENMEM_decrease_reservation, &big, 1,
                               BIG_ORDER, DOMID_SELF), 1);
        CHECK_RC("current_reservation", cur_pages(), cur);
    }

    /* At the maximum nothing more is handed out. */
    printk("maximum_reservation %ld, current %ld\n", max, cur);
    CHECK_RC("domctl max_mem(current)", set_max_pages(cur), 0);
    CHECK_RC("maximum_reservation", max_pages(), cur);
    CHECK_RC("increase_reservation at the maximum",
             memop_extents(XENMEM_increase_reservation, &mfn, 1, 0,
                           DOMID_SELF), 0);
    mfn = FAR_GPFN;
    CHECK_RC("populate_physmap at the maximum",
             memop_extents(XENMEM_populate_physmap, &mfn, 1, 0, DOMID_SELF),
             0);
    CHECK_RC("current_reservation", cur_pages(), cur);
    CHECK_RC("domctl max_mem(restore)", set_max_pages((unsigned long)max), 0);
    CHECK_RC("maximum_reservation restored", max_pages(), max);
}

void reservation_checks(void)
{
    check_give_back();
    check_give_back_in_use(false);
    check_give_back_in_use(true);
    check_partial();
    check_bad_input();
    check_increase();
}
