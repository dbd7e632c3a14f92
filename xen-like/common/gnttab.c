/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1 (public/grant_table.h): a domain grants access
 * to its frames through entries in table frames it maps itself; another
 * domain (or itself) maps or copies those frames by reference.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <hv/xmalloc.h>
#include <asm/page.h>
#include <asm/pv/mm.h>

#define ENTRIES_PER_FRAME   (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GRANT_PTE_FLAGS     (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | \
                             _PAGE_USER)

static long grow_table(struct domain *d, unsigned int nr)
{
    struct grant_table *gt = &d->gnttab;

    ASSERT(spin_is_locked(&gt->lock));
    while (gt->nr_frames < nr) {
        struct page_info *pg = alloc_pages(0);

        if (!pg)
            return -XEN_ENOMEM;
        memset(page_to_virt(pg), 0, PAGE_SIZE);
        list_init(&pg->list);               /* shared, not in the page list */
        pagetype_assign_page(pg, d);        /* the granter maps it itself */
        gt->frames[gt->nr_frames++] = page_to_mfn(pg);
    }
    return 0;
}

int gnttab_init(struct domain *d)
{
    struct grant_table *gt = &d->gnttab;
    long rc;

    gt->lock = (struct spinlock)SPINLOCK_INIT;
    gt->maps = xzalloc_array(struct gnttab_mapping, GNTTAB_MAX_MAPS);
    if (!gt->maps)
        return -XEN_ENOMEM;
    spin_lock(&gt->lock);
    rc = grow_table(d, 1);
    spin_unlock(&gt->lock);
    return rc;
}

static grant_entry_v1_t *entry_of(struct domain *d, uint32_t ref)
{
    grant_entry_v1_t *frame;

    if (ref >= d->gnttab.nr_frames * ENTRIES_PER_FRAME)
        return NULL;
    frame = mfn_to_virt(d->gnttab.frames[ref / ENTRIES_PER_FRAME]);
    return &frame[ref % ENTRIES_PER_FRAME];
}

/*
 * Checks that `ref` of granter lets the current domain use its frame (for
 * writing unless readonly); returns a GNTST_* code and the frame.  The
 * entry is shared with the granter: read once.
 */
static int16_t check_grant(struct domain *granter, uint32_t ref,
                           bool readonly, mfn_t *mfn)
{
    grant_entry_v1_t *e = entry_of(granter, ref), g;

    if (!e)
        return GNTST_bad_gntref;
    g = ACCESS_ONCE(*e);
    if ((g.flags & GTF_type_mask) != GTF_permit_access ||
        g.domid != current->domain->domain_id ||
        (!readonly && (g.flags & GTF_readonly)))
        return GNTST_general_error;
    if (g.frame >= max_page || mfn_to_page(_mfn(g.frame))->owner != granter)
        return GNTST_general_error;
    *mfn = _mfn(g.frame);
    return GNTST_okay;
}

/* GTF_reading/GTF_writing follow the live mappings of an entry. */
static void update_use_flags(struct domain *granter, uint32_t ref)
{
    struct gnttab_mapping *m = current->domain->gnttab.maps;
    grant_entry_v1_t *e = entry_of(granter, ref);
    uint16_t set = 0;
    unsigned int h;

    for (h = 0; h < GNTTAB_MAX_MAPS; h++)
        if (m[h].granter == granter && m[h].ref == ref)
            set |= GTF_reading | (m[h].readonly ? 0 : GTF_writing);
    __atomic_fetch_and(&e->flags, (uint16_t)~(GTF_reading | GTF_writing),
                       __ATOMIC_SEQ_CST);
    __atomic_fetch_or(&e->flags, set, __ATOMIC_SEQ_CST);
}

static int alloc_handle(struct grant_table *gt)
{
    int h;

    for (h = 0; h < GNTTAB_MAX_MAPS; h++)
        if (!gt->maps[h].granter)
            return h;
    return -1;
}

/* The validated L1 that maps va, with a type reference; NULL if none. */
static struct page_info *get_l1_of(unsigned long va)
{
    struct page_info *l1;
    unsigned long type;

    if (!guest_range_ok(va, 1) || !(l1 = pv_find_l1(va)))
        return NULL;
    type = pagetype_get_validated(l1);
    if (type == PGT_l1_page_table)
        return l1;
    if (type != PGT_none)
        put_page_type(l1);
    return NULL;
}

static int16_t map_one(struct gnttab_map_grant_ref *op)
{
    struct domain *d = current->domain, *granter;
    bool ro = op->flags & GNTMAP_readonly;
    struct page_info *l1;
    mfn_t mfn;
    int16_t st;
    int h;

    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_gntref;
    if (op->dom == DOMID_SELF || !(granter = domain_by_id(op->dom)))
        return GNTST_bad_domain;
    if (op->flags & GNTMAP_contains_pte)
        return GNTST_general_error;     /* PTE-address maps: with gntdev */
    if ((st = check_grant(granter, op->ref, ro, &mfn)))
        return st;
    if ((h = alloc_handle(&d->gnttab)) < 0)
        return GNTST_no_device_space;
    if (op->flags & GNTMAP_host_map) {
        uint64_t pte = (mfn_x(mfn) << PAGE_SHIFT) | GRANT_PTE_FLAGS |
                       (ro ? 0 : _PAGE_RW);

        if (!(l1 = get_l1_of(op->host_addr)))
            return GNTST_general_error;
        st = mod_l1_entry(granter, l1, l1_index(op->host_addr), pte, false)
                 ? GNTST_general_error : GNTST_okay;
        put_page_type(l1);
        if (st)
            return st;
    }
    d->gnttab.maps[h] = (struct gnttab_mapping){ granter, op->ref, ro,
                                                 op->host_addr };
    update_use_flags(granter, op->ref);
    op->handle = h;
    op->dev_bus_addr = mfn_x(mfn) << PAGE_SHIFT;
    return GNTST_okay;
}

static int16_t unmap_one(struct gnttab_unmap_grant_ref *op)
{
    struct domain *d = current->domain;
    struct gnttab_mapping *m;
    struct page_info *l1;
    int16_t st = GNTST_okay;

    if (op->handle >= GNTTAB_MAX_MAPS || !d->gnttab.maps[op->handle].granter)
        return GNTST_bad_handle;
    m = &d->gnttab.maps[op->handle];
    if (op->host_addr && op->host_addr != m->host_addr)
        return GNTST_general_error;
    if (op->host_addr) {
        if (!(l1 = get_l1_of(op->host_addr)))
            return GNTST_general_error;
        if (mod_l1_entry(d, l1, l1_index(op->host_addr), 0, false))
            st = GNTST_general_error;
        put_page_type(l1);
    }
    if (!st) {
        struct domain *granter = m->granter;
        uint32_t ref = m->ref;

        m->granter = NULL;
        update_use_flags(granter, ref);
    }
    return st;
}

/* One side of a copy: a granted ref, or (for the caller) its own frame. */
static int16_t copy_side(const struct gnttab_copy_ptr *p, bool is_ref,
                         bool dest, mfn_t *mfn)
{
    struct domain *d = domain_lookup(p->domid);

    if (!d)
        return GNTST_bad_domain;
    if (is_ref)
        return check_grant(d, p->u.ref, !dest, mfn);
    if (d != current->domain)
        return GNTST_permission_denied;
    if (p->u.gmfn >= max_page || mfn_to_page(_mfn(p->u.gmfn))->owner != d)
        return GNTST_bad_page;
    *mfn = _mfn(p->u.gmfn);
    return GNTST_okay;
}

static int16_t copy_one(const struct gnttab_copy *op)
{
    mfn_t src, dst;
    int16_t st;

    if (op->len > PAGE_SIZE || op->source.offset + op->len > PAGE_SIZE ||
        op->dest.offset + op->len > PAGE_SIZE)
        return GNTST_bad_copy_arg;
    if ((st = copy_side(&op->source, op->flags & GNTCOPY_source_gref, false,
                        &src)) ||
        (st = copy_side(&op->dest, op->flags & GNTCOPY_dest_gref, true,
                        &dst)))
        return st;
    memmove((char *)mfn_to_virt(dst) + op->dest.offset,
            (const char *)mfn_to_virt(src) + op->source.offset, op->len);
    return GNTST_okay;
}

static void query_size(struct gnttab_query_size *op)
{
    struct domain *d = domain_lookup(op->dom);

    if (!d) {
        op->status = GNTST_bad_domain;
        return;
    }
    op->nr_frames = d->gnttab.nr_frames;
    op->max_nr_frames = GNTTAB_MAX_FRAMES;
    op->status = GNTST_okay;
}

static long setup_table(struct gnttab_setup_table *op)
{
    struct domain *d = domain_lookup(op->dom);
    unsigned int i;

    op->status = GNTST_okay;
    if (!d)
        op->status = GNTST_bad_domain;
    else if (d != current->domain && !domain_is_privileged(current->domain))
        op->status = GNTST_permission_denied;
    else if (op->nr_frames > GNTTAB_MAX_FRAMES)
        op->status = GNTST_general_error;
    if (op->status)
        return 0;
    if (!guest_range_ok((unsigned long)op->frame_list.p,
                        op->nr_frames * sizeof(xen_pfn_t)))
        return -XEN_EFAULT;
    if (grow_table(d, op->nr_frames)) {
        op->status = GNTST_general_error;
        return 0;
    }
    for (i = 0; i < op->nr_frames; i++) {
        xen_pfn_t f = mfn_x(d->gnttab.frames[i]);

        if (copy_to_guest(op->frame_list.p + i, &f, sizeof(f))) {
            op->status = GNTST_bad_virt_addr;
            break;
        }
    }
    return 0;
}

union gnttab_args {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_copy copy;
    struct gnttab_query_size query;
    struct gnttab_setup_table setup;
    struct gnttab_get_version get_version;
    struct gnttab_set_version set_version;
};

static size_t op_size(unsigned long cmd)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref: return sizeof(struct gnttab_map_grant_ref);
    case GNTTABOP_unmap_grant_ref:
        return sizeof(struct gnttab_unmap_grant_ref);
    case GNTTABOP_copy: return sizeof(struct gnttab_copy);
    case GNTTABOP_query_size: return sizeof(struct gnttab_query_size);
    case GNTTABOP_setup_table: return sizeof(struct gnttab_setup_table);
    case GNTTABOP_get_version: return sizeof(struct gnttab_get_version);
    case GNTTABOP_set_version: return sizeof(struct gnttab_set_version);
    default: return 0;
    }
}

/* One operation; its status goes back into *a; the return value is the
 * hypercall's own error (not a GNTST_* status). */
static long run_op(unsigned long cmd, union gnttab_args *a)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        a->map.status = map_one(&a->map);
        return 0;
    case GNTTABOP_unmap_grant_ref:
        a->unmap.status = unmap_one(&a->unmap);
        return 0;
    case GNTTABOP_copy:
        a->copy.status = copy_one(&a->copy);
        return 0;
    case GNTTABOP_query_size:
        query_size(&a->query);
        return 0;
    case GNTTABOP_setup_table:
        return setup_table(&a->setup);
    case GNTTABOP_get_version:
        a->get_version.version = 1;
        return 0;
    default:                            /* set_version: only v1 */
        return a->set_version.version == 1 ? 0 : -XEN_EINVAL;
    }
}

long do_grant_table_op(unsigned long cmd, unsigned long arg,
                       unsigned long count)
{
    size_t size = op_size(cmd);
    struct grant_table *gt = &current->domain->gnttab;
    union gnttab_args a;
    unsigned int i;
    long rc = 0;

    if (!size)
        return -XEN_ENOSYS;
    if ((int)count < 0 || ((cmd == GNTTABOP_setup_table ||
         cmd == GNTTABOP_query_size || cmd == GNTTABOP_get_version ||
         cmd == GNTTABOP_set_version) && count != 1))
        return -XEN_EINVAL;
    for (i = 0; i < (unsigned int)count && !rc; i++) {
        void *g = (char *)arg + i * size;

        if (copy_from_guest(&a, g, size))
            return -XEN_EFAULT;
        spin_lock(&gt->lock);
        rc = run_op(cmd, &a);
        spin_unlock(&gt->lock);
        if (rc != -XEN_EFAULT && copy_to_guest(g, &a, size))
            return -XEN_EFAULT;
    }
    return rc;
}
