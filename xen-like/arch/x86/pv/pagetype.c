/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV page types and reference counts: what a PV guest's page tables may
 * map, validated whole on first use and entry by entry on every update.
 */
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv/mm.h>

/*
 * Locking: none.  count_info and type_info change only by compare-and-swap,
 * and page-table entries are replaced by compare-and-swap, so concurrent
 * updates of one frame serialise on its words, and the reference counts
 * stay exact.  A type count going 0 -> 1 (or 1 -> 0) holds the count at 1
 * without PGT_validated while the frame is validated (or its entries'
 * references dropped): meanwhile other takers of the same type wait, and
 * takers of another type fail.
 *
 * Invariants (PV-ABI section 4.1): a frame with a page-table or seg_desc
 * type has no writable mapping; a frame with writable mappings is never a
 * page table; every present entry of a validated table holds references on
 * its target: L1 -> a general ref (plus a PGT_writable_page type ref if
 * RW), L2/L3/L4 -> a general ref plus a type ref of the next lower level.
 */

BUILD_BUG_ON(PGC_allocated & (PGC_free | PGC_reserved));
BUILD_BUG_ON(PGC_count_mask & (PGC_allocated | PGC_free | PGC_reserved));
BUILD_BUG_ON(PGT_count_mask & (PGT_type_mask | PGT_pinned | PGT_validated));

/* PTE bits Keel's asm/page.h does not name. */
#define PTE_PAT         _PAGE_PSE           /* bit 7 of an L1 entry */
#define PTE_CACHE_ATTRS (_PAGE_PWT | _PAGE_PCD | PTE_PAT)
#define PTE_AVAIL       (7UL << 9)
#define PTE_AVAIL_HIGH  (0x7ffUL << 52)     /* bits 52-62 */
#define PTE_GNTTAB      (1UL << 62)         /* Xen's grant-mapping marker */
#define PTE_AD          (_PAGE_ACCESSED | _PAGE_DIRTY)

/* What any present entry may carry (Xen's base_disallow_mask inverted). */
#define PTE_BASE_OK     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | PTE_AD | \
                         PTE_AVAIL | PTE_AVAIL_HIGH | _PAGE_NX | PADDR_MASK)

/* Bits an update may change without changing the references it holds
 * (Xen's FASTPATH_FLAG_WHITELIST); RW too above L1, as linear page tables
 * are refused. */
#define PTE_REF_NEUTRAL (PTE_AD | _PAGE_NX | PTE_AVAIL | PTE_AVAIL_HIGH | \
                         _PAGE_GLOBAL | _PAGE_USER)

static bool cas(unsigned long *p, unsigned long *old, unsigned long new)
{
    return __atomic_compare_exchange_n(p, old, new, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

static unsigned long read_type(const struct page_info *pg)
{
    return __atomic_load_n(&pg->type_info, __ATOMIC_ACQUIRE);
}

static unsigned long pte_mfn(uint64_t e)
{
    return (e & PADDR_MASK) >> PAGE_SHIFT;
}

static unsigned int type_level(unsigned long type)
{
    return type >> 61;
}

static bool type_is_table(unsigned long type)
{
    return type >= PGT_l1_page_table && type <= PGT_l4_page_table;
}

/* Slots 256-271 of an L4 are the hypervisor's: never the guest's entries. */
static bool guest_slot(unsigned int level, unsigned int slot)
{
    return level != 4 || slot < PAGETYPE_XEN_L4_FIRST ||
           slot > PAGETYPE_XEN_L4_LAST;
}

/* RAM that may be assigned to domains.  Anything else (beyond the frame
 * table, or reserved: firmware, MMIO holes, the hypervisor image) is I/O
 * memory; neither property changes after boot. */
static bool frame_is_ram(unsigned long mfn)
{
    return mfn < max_page && !(frame_table[mfn].count_info & PGC_reserved);
}

/* ---- general references ---- */

bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);
    unsigned long count;

    do {
        count = x & PGC_count_mask;
        /* 0: free, reserved or being freed; the owner may change. */
        if ((x & (PGC_free | PGC_reserved)) || count == 0 ||
            count == PGC_count_mask)
            return false;
    } while (!cas(&pg->count_info, &x, x + 1));

    /* Our reference keeps the owner stable from here on. */
    if (likely(ACCESS_ONCE(pg->owner) == d))
        return true;
    put_page(pg);
    return false;
}

void put_page(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

    do {
        BUG_ON((x & PGC_count_mask) == 0);
    } while (!cas(&pg->count_info, &x, x - 1));

    if ((x & PGC_count_mask) == 1) {
        /* PGC_allocated holds a reference, so it must be gone already. */
        BUG_ON(x & PGC_allocated);
        ASSERT((read_type(pg) & PGT_count_mask) == 0);
        pagetype_free_domheap_page(pg);
    }
}

void pagetype_assign_page(struct page_info *pg, struct domain *d)
{
    BUG_ON(pg->count_info != 0);
    pg->owner = d;
    pg->type_info = PGT_none;
    __atomic_store_n(&pg->count_info, PGC_allocated | 1, __ATOMIC_RELEASE);
}

bool pagetype_release_page(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

    do {
        if (!(x & PGC_allocated))
            return false;
    } while (!cas(&pg->count_info, &x, x & ~PGC_allocated));
    put_page(pg);
    return true;
}

/* ---- entries ---- */

/* The bits a present entry of this level may have in d's tables. */
static uint64_t entry_allowed(const struct domain *d, unsigned int level)
{
    if (level > 1)
        return PTE_BASE_OK;                 /* no PSE, G, PWT/PCD */
    /* G is accepted (and dropped by entry_adjust()); caching attributes
     * only for a domain that drives devices (Xen: l1_disallow_mask()). */
    return (PTE_BASE_OK & ~PTE_GNTTAB) | _PAGE_GLOBAL |
           (domain_is_privileged(d) ? PTE_CACHE_ATTRS : 0);
}

/*
 * The guest kernel runs in ring 3, so every present entry gets _PAGE_USER
 * (Xen: adjust_guest_l*e()).  That makes kernel pages user pages, so an L1
 * entry must not be global either: it would survive the switch to the
 * guest's user page table.
 */
static uint64_t entry_adjust(unsigned int level, uint64_t e)
{
    if (!(e & _PAGE_PRESENT))
        return e;
    e |= _PAGE_USER;
    if (level == 1)
        e &= ~_PAGE_GLOBAL;
    return e;
}

/* A present L1 entry: RAM of d (writable only if it may take the writable
 * type), or I/O memory a privileged d may map, with no reference (made
 * read-only where Keel must see the writes). */
static int l1e_get(struct domain *d, uint64_t e, uint64_t *out)
{
    unsigned long mfn = pte_mfn(e);
    bool ok;

    if (!frame_is_ram(mfn)) {
        if (!domain_is_privileged(d) ||
            !pagetype_iomem_allowed(d, _mfn(mfn))) {
            pr_debug("d%u: may not map I/O frame %#lx\n", d->domain_id, mfn);
            return -XEN_EPERM;
        }
        if (pagetype_iomem_ro(_mfn(mfn)))
            e &= ~_PAGE_RW;
        *out = e;       /* the cache attributes dom0 asks for, as Xen */
        return 0;
    }
    if (e & _PAGE_RW)
        ok = get_page_and_type(frame_table + mfn, d, PGT_writable_page) == 0;
    else
        ok = get_page(frame_table + mfn, d);
    if (!ok) {
        /* Not d's, or (RW) a page table or descriptor frame. */
        pr_debug("d%u: may not map frame %#lx (%s)\n", d->domain_id, mfn,
                 e & _PAGE_RW ? "rw" : "ro");
        return -XEN_EBUSY;
    }
    *out = e;
    return 0;
}

/* Reserved or unknown bits in a present entry: -XEN_EINVAL. */
static int entry_check_flags(const struct domain *d, unsigned int level,
                             uint64_t e)
{
    uint64_t bad = e & ~entry_allowed(d, level);

    if (!(e & _PAGE_PRESENT) || !bad)
        return 0;
    pr_debug("d%u: bad L%u flags %#lx\n", d->domain_id, level,
             (unsigned long)bad);
    return -XEN_EINVAL;
}

/*
 * Checks entry e of a level-`level` table of d and takes the references
 * it needs; *out is the value to store.  Returns 0 or a negative errno.
 */
static int entry_get(struct domain *d, unsigned int level, uint64_t e,
                     uint64_t *out)
{
    unsigned long mfn = pte_mfn(e);
    int rc;

    *out = e;
    if (!(e & _PAGE_PRESENT))
        return 0;
    rc = entry_check_flags(d, level, e);
    if (rc)
        return rc;
    e = entry_adjust(level, e);
    if (level == 1)
        return l1e_get(d, e, out);
    *out = e;
    if (!frame_is_ram(mfn))
        return -XEN_EINVAL;
    /* A table of the same level (a linear page table, or the table itself)
     * has another type in use, so this fails with -XEN_EINVAL. */
    return get_page_and_type(frame_table + mfn, d, PGT_level(level - 1));
}

/* Drops what entry_get() took for e. */
static void entry_put(unsigned int level, uint64_t e)
{
    unsigned long mfn = pte_mfn(e);

    if (!(e & _PAGE_PRESENT))
        return;
    if (level == 1 && !frame_is_ram(mfn))
        return;                             /* I/O memory: no reference */
    if (level > 1 || (e & _PAGE_RW))
        put_page_and_type(frame_table + mfn);
    else
        put_page(frame_table + mfn);
}

/* Would replacing old by new (both already adjusted) keep the references
 * the same?  Then the update needs no references taken or dropped. */
static bool entry_same_refs(unsigned int level, uint64_t old, uint64_t new)
{
    uint64_t neutral = PTE_REF_NEUTRAL | (level > 1 ? _PAGE_RW : 0);

    if (!((old | new) & _PAGE_PRESENT))
        return true;
    return ((old ^ new) & ~neutral) == 0;
}

/* ---- whole tables ---- */

static uint64_t *table_entries(struct page_info *pg)
{
    return page_to_virt(pg);
}

static uint64_t entry_read(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/*
 * Validates every guest entry of a level-`level` table (the frame is held
 * at type count 1, unvalidated: no one else writes it).  On failure the
 * references taken so far are dropped again.
 */
static int validate_table(struct page_info *pg, unsigned int level)
{
    struct domain *d = pg->owner;
    uint64_t *t = table_entries(pg);
    unsigned int i;
    uint64_t e;
    int rc = 0;

    for (i = 0; i < PT_ENTRIES; i++) {
        if (!guest_slot(level, i))
            continue;
        rc = entry_get(d, level, entry_read(&t[i]), &e);
        if (rc)
            break;
        __atomic_store_n(&t[i], e, __ATOMIC_RELAXED);
    }
    if (!rc) {
        if (level == 4)
            pagetype_init_xen_l4_slots(t);
        return 0;
    }
    pr_debug("d%u: L%u table %#lx slot %u refused (%d)\n", d->domain_id,
             level, mfn_x(page_to_mfn(pg)), i, rc);
    while (i-- > 0)
        if (guest_slot(level, i))
            entry_put(level, entry_read(&t[i]));
    return rc;
}

/* Drops the references every guest entry of a validated table holds. */
static void devalidate_table(struct page_info *pg, unsigned int level)
{
    uint64_t *t = table_entries(pg);
    unsigned int i;

    for (i = 0; i < PT_ENTRIES; i++)
        if (guest_slot(level, i))
            entry_put(level, entry_read(&t[i]));
}

/* ---- type references ---- */

/*
 * The caller took the first reference of `type`; prev is type_info before
 * that.  A frame that last had another type may still be in some CPU's
 * TLB that way (writable mappings, or cached page-walk entries of an old
 * page table): flush before the frame is checked and used as the new type.
 */
static int type_first_ref(struct page_info *pg, unsigned long prev,
                          unsigned long type)
{
    unsigned long last = prev & PGT_type_mask;
    int rc = 0;

    if (last != type && last != PGT_none)
        pagetype_flush_tlbs(pg->owner);
    if (type_is_table(type))
        rc = validate_table(pg, type_level(type));
    else if (type == PGT_seg_desc_page)
        rc = pagetype_check_seg_desc_page(pg->owner, table_entries(pg));
    if (rc) {
        /* Back to count 0, no type. */
        __atomic_store_n(&pg->type_info, type, __ATOMIC_RELEASE);
        return rc;
    }
    __atomic_fetch_or(&pg->type_info, PGT_validated, __ATOMIC_RELEASE);
    return 0;
}

static bool type_valid(unsigned long type)
{
    return type_is_table(type) || type == PGT_seg_desc_page ||
           type == PGT_writable_page;
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    unsigned long x = read_type(pg);

    BUG_ON(!type_valid(type));
    for (;;) {
        unsigned long count = x & PGT_count_mask;

        if (count == 0) {
            /* Any type may be taken; hold it unvalidated until checked. */
            if (cas(&pg->type_info, &x, type | 1))
                return type_first_ref(pg, x, type);
            continue;
        }
        if ((x & PGT_type_mask) != type || count == PGT_count_mask)
            return -XEN_EINVAL;
        if (!(x & PGT_validated)) {
            /* Another CPU is validating or devalidating it: wait. */
            cpu_relax();
            x = read_type(pg);
            continue;
        }
        if (cas(&pg->type_info, &x, x + 1))
            return 0;
    }
}

/*
 * Dropping the last reference of a page-table type devalidates the table
 * (drops the references its entries hold) and leaves the frame with no
 * type (count 0): the simplest correct choice, at the price of validating
 * it again on its next use.  Linux relies on it: after UNPIN_TABLE it maps
 * the frame writable again.
 */
void put_page_type(struct page_info *pg)
{
    unsigned long x = read_type(pg);

    for (;;) {
        BUG_ON((x & PGT_count_mask) == 0 || !(x & PGT_validated));
        if ((x & PGT_count_mask) > 1) {
            if (cas(&pg->type_info, &x, x - 1))
                return;
            continue;
        }
        /* The pin holds a reference of its own. */
        BUG_ON(x & PGT_pinned);
        if (cas(&pg->type_info, &x, x & ~PGT_validated))
            break;
    }
    if (type_is_table(x & PGT_type_mask))
        devalidate_table(pg, type_level(x & PGT_type_mask));
    __atomic_store_n(&pg->type_info, x & PGT_type_mask, __ATOMIC_RELEASE);
}

int get_page_and_type(struct page_info *pg, const struct domain *d,
                      unsigned long type)
{
    int rc;

    if (!get_page(pg, d))
        return -XEN_EINVAL;
    rc = get_page_type(pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

unsigned long pagetype_get_validated(struct page_info *pg)
{
    unsigned long x = read_type(pg);

    do {
        if (!(x & PGT_validated) ||
            (x & PGT_count_mask) == PGT_count_mask)
            return PGT_none;
    } while (!cas(&pg->type_info, &x, x + 1));
    return x & PGT_type_mask;
}

/* ---- updates of single entries ---- */

/* pg must be a validated table of this level, and slot the guest's. */
static int mod_entry_check(struct page_info *pg, unsigned int level,
                           unsigned int slot)
{
    unsigned long x = read_type(pg);

    if (slot >= PT_ENTRIES || !guest_slot(level, slot))
        return -XEN_EINVAL;
    /* The caller's type reference keeps this true; checked anyway, as a
     * mistake would let a guest store an unchecked entry. */
    if ((x & (PGT_type_mask | PGT_validated)) !=
        (PGT_level(level) | PGT_validated))
        return -XEN_EINVAL;
    return 0;
}

/*
 * Takes the new entry's references, swaps it in, drops the old entry's.
 * If the slot changed under us (the CPU setting A/D, or another update),
 * the attempt is undone and retried against the value now there: each
 * successful swap hands over exactly the references of what it replaced.
 */
static int mod_entry(struct domain *d, struct page_info *pg,
                     unsigned int level, unsigned int slot, uint64_t val,
                     bool preserve_ad)
{
    uint64_t *p, old, new;
    bool move;
    int rc;

    rc = mod_entry_check(pg, level, slot);
    if (!rc)
        rc = entry_check_flags(d, level, val);
    if (rc)
        return rc;
    val = entry_adjust(level, val);
    p = table_entries(pg) + slot;
    old = entry_read(p);
    for (;;) {
        move = !entry_same_refs(level, old, val);
        new = val;
        if (move) {
            rc = entry_get(d, level, val, &new);
            if (rc)
                return rc;
        }
        if (preserve_ad)
            new |= old & PTE_AD;
        if (cas(p, &old, new))
            break;
        if (move)
            entry_put(level, new);
    }
    if (move)
        entry_put(level, old);
    return 0;
}

int mod_l1_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad)
{
    return mod_entry(d, pg, 1, slot, val, preserve_ad);
}

int mod_l2_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad)
{
    return mod_entry(d, pg, 2, slot, val, preserve_ad);
}

int mod_l3_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad)
{
    return mod_entry(d, pg, 3, slot, val, preserve_ad);
}

int mod_l4_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad)
{
    return mod_entry(d, pg, 4, slot, val, preserve_ad);
}

/* ---- pinning ---- */

int pagetype_pin(struct domain *d, mfn_t mfn, unsigned int level)
{
    struct page_info *pg;
    unsigned long old;
    int rc;

    if (level < 1 || level > 4 || !frame_is_ram(mfn_x(mfn)))
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, d, PGT_level(level));
    if (rc)
        return rc;
    /* The pin keeps the references just taken. */
    old = __atomic_fetch_or(&pg->type_info, PGT_pinned, __ATOMIC_SEQ_CST);
    if (old & PGT_pinned) {
        pr_debug("d%u: frame %#lx already pinned\n", d->domain_id,
                 mfn_x(mfn));
        put_page_and_type(pg);
        return -XEN_EINVAL;
    }
    return 0;
}

int pagetype_unpin(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;
    unsigned long old;

    if (!frame_is_ram(mfn_x(mfn)))
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    if (!get_page(pg, d))
        return -XEN_EINVAL;
    old = __atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_SEQ_CST);
    if (old & PGT_pinned)
        put_page_and_type(pg);              /* the pin's references */
    put_page(pg);
    return old & PGT_pinned ? 0 : -XEN_EINVAL;
}
