/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENMEM_exchange as Linux uses it (xen_create/destroy_contiguous_region):
 * 16 unmapped frames for one machine-contiguous order-4 extent below
 * 4 GiB and back; the reservation stays; each chunk is all or nothing
 * and nr_exchanged counts the chunks done; then the error codes.
 */
#include <guest.h>

#define BIG_ORDER 4
#define NR_BIG (1U << BIG_ORDER)
#define DMA_BITS 32
#define BAD_ORDER 19            /* Xen's max_order() for dom0 is 18 */
#define BAD_MFN (1UL << 40)     /* beyond any frame table */
#define NO_SUCH_DOMID 0x3ff
#define PTE_KERN (PTE_P | PTE_RW | PTE_A | PTE_D)

/* One of our spare pages: its mapping, GPFN and current MFN. */
struct frame {
    unsigned long va, pfn, mfn;
};

static struct frame big[NR_BIG];   /* consecutive GPFNs */

static void frame_take(struct frame *f)
{
    f->va = (unsigned long)mm_alloc_page();
    f->pfn = mm_va_to_pfn(f->va);
    f->mfn = mm_pfn_to_mfn(f->pfn);
    memset((void *)f->va, 0xa5, PAGE_SIZE);
}

static void frame_unmap(const struct frame *f)
{
    long rc = hypercall_update_va_mapping(f->va, 0, UVMF_INVLPG);

    if (rc)
        report_error("unmapping %#lx: %ld", f->va, rc);
}

/* Maps f at its GPFN to mfn (which must now be ours) and updates the p2m. */
static long frame_map(struct frame *f, unsigned long mfn)
{
    unsigned long *p2m = (unsigned long *)start_info->mfn_list;

    f->mfn = mfn;
    p2m[f->pfn] = mfn;
    return hypercall_update_va_mapping(f->va, (mfn << PAGE_SHIFT) | PTE_KERN,
                                       UVMF_INVLPG);
}

static long cur_pages(void)
{
    domid_t self = DOMID_SELF;

    return hypercall_memory_op(XENMEM_current_reservation, &self);
}

static void exch_set(struct xen_memory_exchange *x, xen_pfn_t *in,
                     unsigned long nin, unsigned int oin, xen_pfn_t *out,
                     unsigned long nout, unsigned int oout, unsigned int flags)
{
    memset(x, 0, sizeof(*x));
    set_xen_guest_handle(x->in.extent_start, in);
    x->in.nr_extents = nin;
    x->in.extent_order = oin;
    x->in.domid = DOMID_SELF;
    set_xen_guest_handle(x->out.extent_start, out);
    x->out.nr_extents = nout;
    x->out.extent_order = oout;
    x->out.mem_flags = flags;
    x->out.domid = DOMID_SELF;
}

static long exchange(struct xen_memory_exchange *x)
{
    return hypercall_memory_op(XENMEM_exchange, x);
}

static bool all_zero(const void *p)
{
    const uint64_t *w = p;
    unsigned int i;

    for (i = 0; i < PAGE_SIZE / 8; i++)
        if (w[i])
            return false;
    return true;
}

/* 16 single frames -> one order-4 extent below 2^32 (swiotlb-xen). */
static void check_make_contiguous(void)
{
    xen_pfn_t in[NR_BIG], out, base;
    struct xen_memory_exchange x;
    long cur = cur_pages();
    unsigned int k;

    for (k = 0; k < NR_BIG; k++) {
        frame_take(&big[k]);
        frame_unmap(&big[k]);
        in[k] = big[k].mfn;
    }
    out = big[0].pfn;
    exch_set(&x, in, NR_BIG, 0, &out, 1, BIG_ORDER,
             XENMEMF_address_bits(DMA_BITS));
    CHECK_RC("exchange(16 x order 0 -> order 4)", exchange(&x), 0);
    CHECK_RC("nr_exchanged", x.nr_exchanged, NR_BIG);
    base = out;
    printk("order-4 extent at mfn %#lx\n", (unsigned long)base);
    CHECK(base + NR_BIG <= 1UL << (DMA_BITS - 12),
          "extent mfn %#lx not below 2^%u", (unsigned long)base, DMA_BITS);
    CHECK((base & (NR_BIG - 1)) == 0, "extent mfn %#lx not aligned",
          (unsigned long)base);
    CHECK_RC("current_reservation unchanged", cur_pages(), cur);
    for (k = 0; k < NR_BIG; k++) {
        CHECK(mm_mfn_to_pfn(base + k) == big[k].pfn,
              "m2p[%#lx] = %#lx, expected %#lx", (unsigned long)base + k,
              mm_mfn_to_pfn(base + k), big[k].pfn);
        CHECK_RC("mapping the new frame", frame_map(&big[k], base + k), 0);
        CHECK(all_zero((void *)big[k].va), "new frame %#lx not zeroed",
              (unsigned long)base + k);
    }
    /* The frames given up are no longer ours to give. */
    exch_set(&x, &in[0], 1, 0, &out, 1, 0, 0);
    out = big[0].pfn;
    CHECK_RC("exchange(a frame already given up)", exchange(&x),
             -XEN_EINVAL);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);
}

/* The order-4 extent -> 16 single frames (destroy_contiguous_region). */
static void check_split(void)
{
    xen_pfn_t in = big[0].mfn, out[NR_BIG];
    struct xen_memory_exchange x;
    long cur = cur_pages();
    unsigned int k;

    for (k = 0; k < NR_BIG; k++) {
        frame_unmap(&big[k]);
        out[k] = big[k].pfn;
    }
    exch_set(&x, &in, 1, BIG_ORDER, out, NR_BIG, 0, 0);
    CHECK_RC("exchange(order 4 -> 16 x order 0)", exchange(&x), 0);
    CHECK_RC("nr_exchanged", x.nr_exchanged, 1);
    CHECK_RC("current_reservation unchanged", cur_pages(), cur);
    for (k = 0; k < NR_BIG; k++) {
        CHECK(mm_mfn_to_pfn(out[k]) == big[k].pfn,
              "m2p[%#lx] = %#lx, expected %#lx", (unsigned long)out[k],
              mm_mfn_to_pfn(out[k]), big[k].pfn);
        CHECK_RC("mapping the new frame", frame_map(&big[k], out[k]), 0);
    }
}

/* A chunk that fails leaves its frames ours and mapped back at once. */
static void check_kept(const struct frame *f, const char *what)
{
    CHECK(mm_mfn_to_pfn(f->mfn) == f->pfn, "%s: frame %#lx not ours", what,
          f->mfn);
    CHECK_RC(what, hypercall_update_va_mapping(
                 f->va, (f->mfn << PAGE_SHIFT) | PTE_KERN, UVMF_INVLPG), 0);
}

/* Two chunks: the first done, the second refused (frame still mapped). */
static void check_partial(void)
{
    struct frame f[2];
    xen_pfn_t in[2], out[2];
    struct xen_memory_exchange x;
    long cur = cur_pages();

    frame_take(&f[0]);
    frame_take(&f[1]);
    frame_unmap(&f[0]);                         /* f[1] stays mapped */
    in[0] = f[0].mfn;
    in[1] = f[1].mfn;
    out[0] = f[0].pfn;
    out[1] = f[1].pfn;
    exch_set(&x, in, 2, 0, out, 2, 0, 0);
    CHECK_RC("exchange(second frame mapped)", exchange(&x), -XEN_EINVAL);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 1);
    CHECK_RC("  second output untouched", out[1], f[1].pfn);
    CHECK(mm_mfn_to_pfn(out[0]) == f[0].pfn, "m2p[%#lx] = %#lx", out[0],
          mm_mfn_to_pfn(out[0]));
    CHECK_RC("  mapping the new frame", frame_map(&f[0], out[0]), 0);
    check_kept(&f[1], "  mapped frame kept");
    CHECK_RC("  current_reservation unchanged", cur_pages(), cur);

    /* Resuming at nr_exchanged = 1: the first entry is not read. */
    frame_unmap(&f[1]);
    in[0] = BAD_MFN;
    out[0] = 0x1234;
    exch_set(&x, in, 2, 0, out, 2, 0, 0);
    x.nr_exchanged = 1;
    CHECK_RC("exchange(from nr_exchanged 1)", exchange(&x), 0);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 2);
    CHECK_RC("  first output untouched", out[0], 0x1234);
    CHECK_RC("  mapping the new frame", frame_map(&f[1], out[1]), 0);
}

/* Failures that leave the one frame offered ours (all or nothing). */
static void check_refused(void)
{
    struct frame f;
    xen_pfn_t in, out;
    struct xen_memory_exchange x;
    long cur = cur_pages();

    frame_take(&f);
    in = f.mfn;
    out = f.pfn;
    exch_set(&x, &in, 1, 0, &out, 1, 0, 0);
    CHECK_RC("exchange(frame still mapped)", exchange(&x), -XEN_EINVAL);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);

    frame_unmap(&f);
    exch_set(&x, &in, 1, 0, &out, 1, 0, XENMEMF_address_bits(12));
    CHECK_RC("exchange(address_bits 12)", exchange(&x), -XEN_ENOMEM);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);
    CHECK_RC("  output untouched", out, f.pfn);
    CHECK_RC("  current_reservation unchanged", cur_pages(), cur);
    check_kept(&f, "  frame kept after -ENOMEM");

    frame_unmap(&f);
    exch_set(&x, &in, 1, 0, &out, 1, 0, XENMEMF_node(200));
    CHECK_RC("exchange(node 200)", exchange(&x), -XEN_EINVAL);
    exch_set(&x, &in, 1, 0, &out, 1, 0, 0);
    x.in.domid = x.out.domid = NO_SUCH_DOMID;
    CHECK_RC("exchange(no such domain)", exchange(&x), -XEN_ESRCH);
    exch_set(&x, BAD_PTR_UNMAPPED, 1, 0, &out, 1, 0, 0);
    CHECK_RC("exchange(input list unmapped)", exchange(&x), -XEN_EFAULT);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);
    check_kept(&f, "  frame kept after -EFAULT");
}

static void check_bad_frames(void)
{
    xen_pfn_t in, out = 0;
    struct xen_memory_exchange x;

    exch_set(&x, &in, 1, 0, &out, 1, 0, 0);
    in = BAD_MFN;
    CHECK_RC("exchange(mfn beyond RAM)", exchange(&x), -XEN_EINVAL);
    in = mm_foreign_ram_mfn();
    if (in)
        CHECK_RC("exchange(a frame not ours)", exchange(&x), -XEN_EINVAL);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);
}

/* Argument checks, which come before any frame is looked at. */
static void check_args(void)
{
    xen_pfn_t in[2] = { BAD_MFN, BAD_MFN }, out[2] = { 0, 0 };
    struct xen_memory_exchange x;

    CHECK_RC("exchange(bad argument pointer)",
             hypercall_memory_op(XENMEM_exchange, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    exch_set(&x, in, 1, BAD_ORDER, out, 1, BAD_ORDER, 0);
    CHECK_RC("exchange(order 19)", exchange(&x), -XEN_EPERM);
    exch_set(&x, in, 1, 0, out, 1, 0, 0);
    x.nr_exchanged = 2;
    CHECK_RC("exchange(nr_exchanged > nr_extents)", exchange(&x),
             -XEN_EINVAL);
    CHECK_RC("  nr_exchanged kept", x.nr_exchanged, 2);
    exch_set(&x, in, 1, 0, out, 1, 0, 0);
    x.out.domid = 0;
    CHECK_RC("exchange(in.domid != out.domid)", exchange(&x), -XEN_EINVAL);
    exch_set(&x, in, 2, 0, out, 1, 0, 0);
    CHECK_RC("exchange(2 frames for 1)", exchange(&x), -XEN_EINVAL);
    exch_set(&x, in, ~0UL, 1, out, ~0UL, 1, 0);
    CHECK_RC("exchange(list size overflows)", exchange(&x), -XEN_EINVAL);
    /* Nothing left to do: the lists are not even checked. */
    exch_set(&x, BAD_PTR_HOLE, 2, 0, BAD_PTR_HOLE, 2, 0, 0);
    x.nr_exchanged = 2;
    CHECK_RC("exchange(all done already)", exchange(&x), 0);
    exch_set(&x, BAD_PTR_HOLE, 1, 0, out, 1, 0, 0);
    CHECK_RC("exchange(input list in the hole)", exchange(&x), -XEN_EFAULT);
    exch_set(&x, in, 1, 0, BAD_PTR_HOLE, 1, 0, 0);
    CHECK_RC("exchange(output list in the hole)", exchange(&x),
             -XEN_EFAULT);
    CHECK_RC("  nr_exchanged", x.nr_exchanged, 0);
}

void test_main(void)
{
    check_args();
    check_bad_frames();
    check_make_contiguous();
    check_split();
    check_partial();
    check_refused();
}
