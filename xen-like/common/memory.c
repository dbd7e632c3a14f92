/* SPDX-License-Identifier: GPL-2.0-only */
/* memory_op: the memory maps and reservations a PV guest asks about. */
#include <hv/abi.h>
#include <hv/boot.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/m2p.h>
#include <asm/pv/mm.h>
#include <asm/pv/hypercall.h>

/* memory.h defines this for Xen itself only. */
#define MEMOP_CMD_MASK  0x3fu     /* the rest of cmd: a start extent */

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __packed;

/* XENMEM_machine_memory_map: the host's map (dom0 only). */
static long machine_memory_map(unsigned long arg)
{
    const struct boot_info *bi = keel_boot_info();
    struct xen_memory_map map;
    unsigned int i, n;

    if (!domain_is_privileged(current->domain))
        return -XEN_EPERM;
    if (copy_from_guest(&map, (const void *)arg, sizeof(map)))
        return -XEN_EFAULT;
    n = MIN(map.nr_entries, bi->nr_mmap);
    for (i = 0; i < n; i++) {
        struct e820_entry e = { bi->mmap[i].start, bi->mmap[i].len,
                                bi->mmap[i].type };
        struct e820_entry *dst = (struct e820_entry *)map.buffer.p + i;

        if (copy_to_guest(dst, &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest((void *)arg, &map, sizeof(map));
}

/* The domain a domid_t at arg names; NULL with *rc set if none. */
static struct domain *domain_from_guest(unsigned long arg, long *rc)
{
    domid_t id;
    struct domain *d;

    if (copy_from_guest(&id, (const void *)arg, sizeof(id))) {
        *rc = -XEN_EFAULT;
        return NULL;
    }
    d = domain_lookup(id);
    if (!d)
        *rc = -XEN_ESRCH;
    else if (d != current->domain && !domain_is_privileged(current->domain)) {
        *rc = -XEN_EPERM;
        d = NULL;
    }
    return d;
}

static long reservation(unsigned long cmd, unsigned long arg)
{
    long rc = 0;
    struct domain *d = domain_from_guest(arg, &rc);

    if (!d)
        return rc;
    return cmd == XENMEM_current_reservation ? (long)d->tot_pages
                                             : (long)d->max_pages;
}

static long machphys_mapping(unsigned long arg)
{
    struct xen_machphys_mapping mp = {
        .v_start = MACH2PHYS_VIRT_START,
        .v_end = MACH2PHYS_VIRT_START +
                 ROUNDUP(max_page * sizeof(unsigned long), PAGE_SIZE),
        .max_mfn = max_page - 1,
    };

    return copy_to_guest((void *)arg, &mp, sizeof(mp));
}

/* XENMEM_machphys_mfn_list: the frame behind each 2 MiB of the M2P. */
static long machphys_mfn_list(unsigned long arg)
{
    struct xen_machphys_mfn_list l;
    xen_pfn_t *out;
    unsigned int i;
    mfn_t mfn;

    if (copy_from_guest(&l, (const void *)arg, sizeof(l)))
        return -XEN_EFAULT;
    out = l.extent_start.p;
    for (i = 0; i < l.max_extents && m2p_frame_at((unsigned long)i << 21,
                                                   &mfn); i++) {
        xen_pfn_t f = mfn_x(mfn);

        if (copy_to_guest(out + i, &f, sizeof(f)))
            return -XEN_EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest((void *)arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
}

/* XENMEM_memory_map: no domain has a pseudo-physical map set (yet). */
static long memory_map(unsigned long arg)
{
    struct xen_memory_map map;

    if (copy_from_guest(&map, (const void *)arg, sizeof(map)))
        return -XEN_EFAULT;
    return -XEN_ENOSYS;
}

/* Largest extent a domain may ask for (Xen 4.17: 18 for dom0, else 9). */
static unsigned int max_extent_order(const struct domain *d)
{
    return domain_is_privileged(d) ? 18 : 9;
}

/*
 * Gives back 2^order frames from mfn; false at the first one not d's.
 * Frames Keel shares with d (shared_info, grant frames) are not on its page
 * list and not part of its reservation: they cannot be given back.
 */
static bool release_extent(struct domain *d, xen_pfn_t mfn,
                           unsigned int order)
{
    unsigned long i;

    for (i = 0; i < (1UL << order); i++) {
        struct page_info *pg;

        if (mfn + i >= max_page)
            return false;
        pg = mfn_to_page(_mfn(mfn + i));
        if (!get_page(pg, d))
            return false;
        if (list_empty(&pg->list)) {
            put_page(pg);
            return false;
        }
        /* Freed (and its M2P entry cleared) once its last user goes. */
        pagetype_release_page(pg);
        put_page(pg);
    }
    return true;
}

/* Tries for one block under an address limit (see alloc_below()). */
#define ALLOC_BELOW_TRIES   16

static bool block_below(const struct page_info *pg, unsigned int order,
                        unsigned int bits)
{
    return bits > PAGE_SHIFT &&
           mfn_x(page_to_mfn(pg)) + (1UL << order) <=
               1UL << (bits - PAGE_SHIFT);
}

/*
 * A 2^order block (not zeroed, count 0) wholly below 2^bits (0: anywhere;
 * XENMEMF_address_bits), or NULL.  The buddy allocator takes no address
 * limit, so ask it for blocks and keep the first that fits.  With all RAM
 * below the limit that is the first block.  Otherwise the blocks that do
 * not fit are held, so that the allocator hands out others, and all freed
 * after ALLOC_BELOW_TRIES: a bounded cost for a limit the heap may never
 * meet (Linux's swiotlb-xen starts at 18 bits and widens its limit by one
 * bit after each -ENOMEM).
 */
static struct page_info *alloc_below(unsigned int order, unsigned int bits)
{
    struct list_head held;
    struct page_info *pg = NULL;
    unsigned int tries;

    if (!bits || bits >= 64 || ((paddr_t)max_page << PAGE_SHIFT) <= 1UL << bits)
        return alloc_pages(order);
    if (bits <= PAGE_SHIFT)
        return NULL;                /* below one page: never met */
    list_init(&held);
    for (tries = 0; tries < ALLOC_BELOW_TRIES; tries++) {
        pg = alloc_pages(order);
        if (!pg || block_below(pg, order, bits))
            break;
        list_add(&pg->list, &held);
        pg = NULL;
    }
    while (!list_empty(&held)) {
        struct page_info *h = list_first_entry(&held, struct page_info, list);

        list_del(&h->list);
        free_pages(h, order);
    }
    return pg;
}

/*
 * Gives the 2^order zeroed frames at pg (count 0) to d, charging them to
 * its reservation if `charge`.  They go on the page list before they can
 * be referenced, so a racing decrease_reservation finds them there.
 */
static void assign_block(struct domain *d, struct page_info *pg,
                         unsigned int order, bool charge)
{
    unsigned long i, n = 1UL << order;

    spin_lock(&d->page_lock);
    for (i = 0; i < n; i++)
        list_add_tail(&pg[i].list, &d->page_list);
    if (charge)
        d->tot_pages += n;
    spin_unlock(&d->page_lock);
    for (i = 0; i < n; i++)
        pagetype_assign_page(pg + i, d);
}

static void zero_block(struct page_info *pg, unsigned int order)
{
    unsigned long i;

    for (i = 0; i < (1UL << order); i++)
        memset(page_to_virt(pg + i), 0, PAGE_SIZE);
}

/* A fresh, zeroed 2^order block below 2^bits given to d; INVALID_MFN if
 * none or if it would exceed d's reservation. */
static mfn_t grab_extent(struct domain *d, unsigned int order,
                         unsigned int bits)
{
    struct page_info *pg;

    if (d->tot_pages + (1UL << order) > d->max_pages ||
        !(pg = alloc_below(order, bits)))
        return INVALID_MFN;
    zero_block(pg, order);
    assign_block(d, pg, order, true);
    return page_to_mfn(pg);
}

static bool do_extent(struct domain *d, unsigned long op,
                      const struct xen_memory_reservation *r, xen_pfn_t *slot)
{
    xen_pfn_t val = 0;
    unsigned long j;
    mfn_t mfn;

    if (op != XENMEM_increase_reservation &&
        copy_from_guest(&val, slot, sizeof(val)))
        return false;
    if (op == XENMEM_decrease_reservation)
        return release_extent(d, val, r->extent_order);
    mfn = grab_extent(d, r->extent_order,
                      XENMEMF_get_address_bits(r->mem_flags));
    if (mfn_eq(mfn, INVALID_MFN))
        return false;
    if (op == XENMEM_populate_physmap)
        for (j = 0; j < (1UL << r->extent_order); j++)
            m2p_set(mfn_add(mfn, j), val + j);
    val = mfn_x(mfn);
    return !r->extent_start.p || !copy_to_guest(slot, &val, sizeof(val));
}

/*
 * increase/decrease_reservation and populate_physmap on the caller's own
 * memory: extents of 2^order frames.  As in Xen 4.17 the result is always
 * the count of extents done (starting at the start extent in cmd's upper
 * bits), errors included: a bad argument, domain or order is 0 done.
 * A PV domain names frames by MFN; populate_physmap takes the GPFN of
 * each extent and returns its new MFN in its place.
 */
static long reservation_op(unsigned long cmd, unsigned long arg)
{
    unsigned long op = cmd & MEMOP_CMD_MASK, i = cmd >> 6;
    struct xen_memory_reservation r;
    struct domain *d;

    if (copy_from_guest(&r, (const void *)arg, sizeof(r)) ||
        r.nr_extents > (UINT32_MAX >> 6))
        return i;
    d = domain_lookup(r.domid);
    if (d != current->domain || r.extent_order > max_extent_order(d))
        return i;                   /* other domains: with the toolstack */
    /* The whole list must be addressable before anything is allocated. */
    if (r.extent_start.p && i < r.nr_extents &&
        !guest_range_ok((unsigned long)(r.extent_start.p + i),
                        (r.nr_extents - i) * sizeof(xen_pfn_t)))
        return i;
    for (; i < r.nr_extents; i++)
        if (!do_extent(d, op, &r, r.extent_start.p + i))
            break;
    return i;
}

/*
 * XENMEM_exchange (PV only): the caller gives up frames and gets as many
 * back in extents of another order, machine-contiguous and below an
 * address limit (Linux: swiotlb-xen's bounce buffers, DMA-able memory).
 * The work goes in chunks of 2^(larger order) frames; each chunk is all or
 * nothing, as in Xen 4.17's memory_exchange().
 */

/* What one chunk has taken so far, to be given back or committed. */
struct exchange_chunk {
    struct list_head in;    /* stolen input frames: count 0, off page_list */
    struct list_head out;   /* output blocks (head frames), not yet d's */
};

/*
 * Takes frame mfn from d, as Xen's steal_page(): only a frame on d's page
 * list (not shared_info or a grant frame) with no reference but
 * PGC_allocated, so mapped nowhere, no type, not pinned.  Its count drops
 * to 0: no one can take a reference while it waits on `stolen`, and it is
 * still in d's reservation.  0 or -XEN_EINVAL.
 */
static int steal_frame(struct domain *d, xen_pfn_t mfn,
                       struct list_head *stolen)
{
    const unsigned long want = PGC_allocated | 2;   /* with get_page()'s */
    struct page_info *pg;
    unsigned long x;

    if (mfn >= max_page || !get_page(pg = mfn_to_page(_mfn(mfn)), d))
        return -XEN_EINVAL;
    x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);
    do {
        if ((x & (PGC_count_mask | PGC_allocated)) != want ||
            list_empty(&pg->list)) {
            put_page(pg);
            return -XEN_EINVAL;
        }
    } while (!__atomic_compare_exchange_n(&pg->count_info, &x, x & ~want,
                                          false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    /* Type references come with general ones: there are none left. */
    ASSERT(!(pg->type_info & (PGT_count_mask | PGT_pinned)));
    spin_lock(&d->page_lock);
    list_del(&pg->list);
    spin_unlock(&d->page_lock);
    list_add_tail(&pg->list, stolen);
    return 0;
}

/* Puts back what a failed chunk took: stolen frames are d's again. */
static void exchange_undo(struct domain *d, struct exchange_chunk *c,
                          unsigned int out_order)
{
    unsigned long k;

    while (!list_empty(&c->in)) {
        struct page_info *pg = list_first_entry(&c->in, struct page_info,
                                                list);

        list_del(&pg->list);
        spin_lock(&d->page_lock);
        list_add_tail(&pg->list, &d->page_list);
        spin_unlock(&d->page_lock);
        __atomic_fetch_or(&pg->count_info, PGC_allocated | 1,
                          __ATOMIC_SEQ_CST);
    }
    while (!list_empty(&c->out)) {
        struct page_info *pg = list_first_entry(&c->out, struct page_info,
                                                list);

        list_del(&pg->list);
        for (k = 0; k < (1UL << out_order); k++)
            m2p_set(mfn_add(page_to_mfn(pg), k), INVALID_M2P_ENTRY);
        free_pages(pg, out_order);
    }
}

/* Steals the input extents of chunk i (2^in_co of them). */
static long exchange_take(struct domain *d, const struct xen_memory_exchange *x,
                          unsigned long i, unsigned int in_co,
                          struct list_head *stolen)
{
    unsigned long j, k;
    xen_pfn_t mfn;
    long rc;

    for (j = 0; j < (1UL << in_co); j++) {
        if (copy_from_guest(&mfn, x->in.extent_start.p + (i << in_co) + j,
                            sizeof(mfn)))
            return -XEN_EFAULT;
        for (k = 0; k < (1UL << x->in.extent_order); k++)
            if ((rc = steal_frame(d, mfn + k, stolen)))
                return rc;
    }
    return 0;
}

/*
 * Allocates the output extents of chunk i (2^out_co of them), then, as
 * Xen does after its allocations, reads each one's GPFN from the output
 * list, sets the M2P and writes the MFN back in its place.  All of this
 * is undone if the chunk fails; the output list then holds MFNs the caller
 * does not own (Xen would have kept the chunk and still report failure).
 */
static long exchange_give(const struct xen_memory_exchange *x,
                          unsigned long i, unsigned int out_co,
                          struct list_head *out)
{
    unsigned int order = x->out.extent_order;
    xen_pfn_t *slot = x->out.extent_start.p + (i << out_co);
    struct page_info *pg;
    struct list_head *pos;
    unsigned long j, k;
    xen_pfn_t gpfn, mfn;

    for (j = 0; j < (1UL << out_co); j++) {
        pg = alloc_below(order, XENMEMF_get_address_bits(x->out.mem_flags));
        if (!pg)
            return -XEN_ENOMEM;
        list_add_tail(&pg->list, out);
    }
    j = 0;
    for (pos = out->next; pos != out; pos = pos->next) {
        pg = list_entry(pos, struct page_info, list);
        if (copy_from_guest(&gpfn, slot + j, sizeof(gpfn)))
            return -XEN_EFAULT;
        zero_block(pg, order);
        mfn = mfn_x(page_to_mfn(pg));
        for (k = 0; k < (1UL << order); k++)
            m2p_set(_mfn(mfn + k), gpfn + k);
        if (copy_to_guest(slot + j++, &mfn, sizeof(mfn)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* Chunk i succeeded: the stolen frames go, the new ones become d's. */
static void exchange_commit(struct domain *d, struct exchange_chunk *c,
                            unsigned int out_order)
{
    struct page_info *pg;

    /* Linux clears the old mappings without a flush: flush before the
     * stolen frames can be handed out again. */
    pagetype_flush_tlbs(d);
    while (!list_empty(&c->in)) {
        pg = list_first_entry(&c->in, struct page_info, list);
        list_del(&pg->list);
        /* Off the page list: freed without touching tot_pages. */
        pagetype_free_domheap_page(pg);
    }
    while (!list_empty(&c->out)) {
        pg = list_first_entry(&c->out, struct page_info, list);
        list_del(&pg->list);
        /* As many frames as were stolen: the reservation is unchanged. */
        assign_block(d, pg, out_order, false);
    }
}

static long exchange_chunk(struct domain *d,
                           const struct xen_memory_exchange *x,
                           unsigned long i, unsigned int in_co,
                           unsigned int out_co)
{
    struct exchange_chunk c;
    long rc;

    list_init(&c.in);
    list_init(&c.out);
    rc = exchange_take(d, x, i, in_co, &c.in);
    if (!rc)
        rc = exchange_give(x, i, out_co, &c.out);
    if (rc)
        exchange_undo(d, &c, x->out.extent_order);
    else
        exchange_commit(d, &c, x->out.extent_order);
    return rc;
}

/* Is [first, last] of the xen_pfn_t list at p in guest space?  (Xen:
 * guest_handle_subrange_okay(); first > last wraps and fails.) */
static bool list_range_ok(const xen_pfn_t *p, unsigned long first,
                          unsigned long last)
{
    unsigned long n = last - first + 1;

    return n < ~0UL / sizeof(*p) &&
           guest_range_ok((unsigned long)p + first * sizeof(*p),
                          n * sizeof(*p));
}

/* Xen's NUMA node limit: asking for a node at or above it is -EINVAL. */
#define XEN_MAX_NUMNODES    64
#define NODE_NONE           0xffu   /* XENMEMF_get_node() of no node */

/*
 * Xen's checks in Xen's order, up to the domain: -XEN_EPERM for an order
 * above the caller's limit, -XEN_EINVAL for inconsistent lists or a bad
 * node, -XEN_EFAULT for lists outside guest space.  Sets the chunk
 * shape: 2^in_co input extents for 2^out_co output extents.
 */
static long exchange_check(const struct xen_memory_exchange *x,
                           unsigned int *in_co, unsigned int *out_co)
{
    const struct domain *cd = current->domain;
    unsigned int in_o = x->in.extent_order, out_o = x->out.extent_order;
    unsigned int node = XENMEMF_get_node(x->out.mem_flags);
    unsigned long first_out;

    if (MAX(in_o, out_o) > max_extent_order(cd))
        return -XEN_EPERM;
    if (x->nr_exchanged > x->in.nr_extents || x->in.domid != x->out.domid ||
        (~0UL >> in_o) < x->in.nr_extents ||
        (~0UL >> out_o) < x->out.nr_extents ||
        (x->in.nr_extents << in_o) != (x->out.nr_extents << out_o))
        return -XEN_EINVAL;
    *in_co = in_o <= out_o ? out_o - in_o : 0;
    *out_co = in_o > out_o ? in_o - out_o : 0;
    first_out = in_o <= out_o ? x->nr_exchanged >> *in_co
                              : x->nr_exchanged << *out_co;
    if (x->nr_exchanged == x->in.nr_extents)
        return 0;                   /* nothing left: the lists are not read */
    if (!list_range_ok(x->in.extent_start.p, x->nr_exchanged,
                       x->in.nr_extents - 1) ||
        !list_range_ok(x->out.extent_start.p, first_out,
                       x->out.nr_extents - 1))
        return -XEN_EFAULT;
    /* One node here; Xen refuses a node it cannot have, and an exact node
     * from a domain that may not choose one. */
    if (node != NODE_NONE &&
        (domain_is_privileged(cd) ? node >= XEN_MAX_NUMNODES
                                  : !!(x->out.mem_flags &
                                       XENMEMF_exact_node_request)))
        return -XEN_EINVAL;
    return 0;
}

/*
 * XENMEM_exchange on the caller's own memory.  Returns 0 with nr_exchanged
 * = in.nr_extents, or an error with nr_exchanged counting the input
 * extents of the chunks done (a failed chunk leaves everything as it was).
 * Another domain's memory: -XEN_EPERM, or -XEN_EOPNOTSUPP for dom0 (Xen
 * lets the control domain do it; no Keel tool needs it yet).
 * No preemption (Keel has no continuations): one chunk is bounded by
 * max_extent_order(), the chunk count by the lists the caller can map.
 */
static long memory_exchange(unsigned long arg)
{
    struct xen_memory_exchange x, *ux = (struct xen_memory_exchange *)arg;
    unsigned int in_co = 0, out_co = 0;
    struct domain *d = current->domain;
    unsigned long i;
    long rc;

    if (copy_from_guest(&x, ux, sizeof(x)))
        return -XEN_EFAULT;
    rc = exchange_check(&x, &in_co, &out_co);
    if (!rc && x.nr_exchanged == x.in.nr_extents)
        return 0;
    if (!rc && x.in.domid != DOMID_SELF && x.in.domid != d->domain_id)
        rc = !domain_by_id(x.in.domid) ? -XEN_ESRCH
             : domain_is_privileged(d) ? -XEN_EOPNOTSUPP : -XEN_EPERM;
    if (rc)
        goto out;
    for (i = x.nr_exchanged >> in_co; i < (x.in.nr_extents >> in_co); i++)
        if ((rc = exchange_chunk(d, &x, i, in_co, out_co)))
            break;
    x.nr_exchanged = i << in_co;
 out:
    if (copy_to_guest(&ux->nr_exchanged, &x.nr_exchanged,
                      sizeof(x.nr_exchanged)))
        rc = -XEN_EFAULT;
    return rc;
}

long do_memory_op(unsigned long cmd, unsigned long arg)
{
    switch (cmd & MEMOP_CMD_MASK) {
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(cmd, arg);
    case XENMEM_exchange:
        return memory_exchange(arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation(cmd & MEMOP_CMD_MASK, arg);
    case XENMEM_maximum_ram_page:
        return max_page;
    case XENMEM_machphys_mapping:
        return machphys_mapping(arg);
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_memory_map:
        return memory_map(arg);
    default:
        return -XEN_ENOSYS;
    }
}
