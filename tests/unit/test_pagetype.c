/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for the PV page-type rules (arch/x86/pv/pagetype.c), over a
 * fake frame table and an arena standing for physical memory. */
#include <stdlib.h>
#include <pthread.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <asm/page.h>
#include <asm/pv/mm.h>

#define NR_FRAMES   256UL

/* Who owns which frames. */
#define DOM_FIRST   0UL         /* 0..199: dom (unprivileged) */
#define DOM_END     200UL
#define OTHER_FIRST 200UL       /* 200..219: other */
#define FREE_FIRST  220UL       /* 220..229: assigned to no one */
#define DOM0_FIRST  230UL       /* 230..239: dom0 (privileged) */
#define MMIO_FIRST  240UL       /* 240..249: reserved, I/O dom0 may map */
#define MMIO_RO     248UL       /* 248..249: ... only read-only */
#define HYP_FIRST   250UL       /* 250..255: reserved, the hypervisor's */
#define FAR_MMIO    0x1000UL    /* beyond max_page: dom0 may map 16 */
#define FAR_HYP     0x2000UL    /* beyond max_page: never */

#define P   _PAGE_PRESENT
#define RW  _PAGE_RW
#define US  _PAGE_USER
#define AD  (_PAGE_ACCESSED | _PAGE_DIRTY)
#define PSE _PAGE_PSE
#define PAT _PAGE_PSE
#define G   _PAGE_GLOBAL
#define XEN_L4_MARK (((uint64_t)HYP_FIRST << PAGE_SHIFT) | P)

unsigned long directmap_base;
struct page_info *frame_table;
unsigned long max_page;

static unsigned char *arena;
static struct domain dom = { .domain_id = 1 };
static struct domain other = { .domain_id = 2 };
static struct domain dom0 = { .domain_id = 0, .is_privileged = true };
static unsigned int nr_flushes, nr_l4_inits, nr_freed;

/* ---- the hooks ---- */

void pagetype_free_domheap_page(struct page_info *pg)
{
    assert_int_equal(pg->count_info & PGC_count_mask, 0);
    assert_int_equal(pg->type_info & PGT_count_mask, 0);
    nr_freed++;
}

bool pagetype_iomem_allowed(struct domain *d, mfn_t mfn)
{
    unsigned long m = mfn_x(mfn);

    assert_true(d->is_privileged);
    return (m >= MMIO_FIRST && m < HYP_FIRST) ||
           (m >= FAR_MMIO && m < FAR_MMIO + 16);
}

bool pagetype_iomem_ro(mfn_t mfn)
{
    return mfn_x(mfn) >= MMIO_RO && mfn_x(mfn) < HYP_FIRST;
}

void pagetype_init_xen_l4_slots(uint64_t *l4)
{
    unsigned int i;

    for (i = PAGETYPE_XEN_L4_FIRST; i <= PAGETYPE_XEN_L4_LAST; i++)
        l4[i] = XEN_L4_MARK;
    nr_l4_inits++;
}

void pagetype_flush_tlbs(struct domain *d)
{
    if (!d)
        abort();
    __atomic_add_fetch(&nr_flushes, 1, __ATOMIC_RELAXED);
}

int pagetype_check_seg_desc_page(struct domain *d, uint64_t *descs)
{
    (void)d;
    return descs[0] == 0xbad ? -XEN_EINVAL : 0;
}

/* ---- helpers ---- */

static struct page_info *pg(unsigned long mfn)
{
    return mfn_to_page(_mfn(mfn));
}

static uint64_t *tab(unsigned long mfn)
{
    return mfn_to_virt(_mfn(mfn));
}

static uint64_t pte(unsigned long mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

static unsigned long cnt(unsigned long mfn)
{
    return pg(mfn)->count_info & PGC_count_mask;
}

static unsigned long tcnt(unsigned long mfn)
{
    return pg(mfn)->type_info & PGT_count_mask;
}

/* The type in use: none when the type count is 0. */
static unsigned long ttype(unsigned long mfn)
{
    return tcnt(mfn) ? pg(mfn)->type_info & PGT_type_mask : PGT_none;
}

static bool pinned(unsigned long mfn)
{
    return pg(mfn)->type_info & PGT_pinned;
}

static struct domain *owner_of(unsigned long mfn)
{
    if (mfn < DOM_END)
        return &dom;
    if (mfn < FREE_FIRST)
        return &other;
    if (mfn >= DOM0_FIRST && mfn < MMIO_FIRST)
        return &dom0;
    return NULL;
}

static int group_setup(void **state)
{
    (void)state;
    frame_table = calloc(NR_FRAMES, sizeof(*frame_table));
    arena = aligned_alloc(PAGE_SIZE, NR_FRAMES * PAGE_SIZE);
    if (!frame_table || !arena)
        return -1;
    directmap_base = (unsigned long)arena;
    max_page = NR_FRAMES;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(frame_table);
    free(arena);
    return 0;
}

static int test_setup(void **state)
{
    unsigned long i;

    (void)state;
    memset(frame_table, 0, NR_FRAMES * sizeof(*frame_table));
    memset(arena, 0, NR_FRAMES * PAGE_SIZE);
    for (i = 0; i < NR_FRAMES; i++) {
        if (i >= MMIO_FIRST)
            frame_table[i].count_info = PGC_reserved;
        else if (owner_of(i))
            pagetype_assign_page(pg(i), owner_of(i));
    }
    nr_flushes = nr_l4_inits = nr_freed = 0;
    return 0;
}

/* Every frame is back to how test_setup() left it (types may be left as
 * last types with count 0). */
static void check_baseline(void)
{
    unsigned long i;

    for (i = 0; i < NR_FRAMES; i++) {
        assert_int_equal(cnt(i), owner_of(i) ? 1 : 0);
        assert_int_equal(tcnt(i), 0);
        assert_false(pinned(i));
        assert_false(pg(i)->type_info & PGT_validated);
    }
    assert_int_equal(nr_freed, 0);
}

/*
 * Recomputes every reference from the validated tables and the pins, and
 * compares with the counts: the invariants of PV-ABI section 4.1.
 */
static unsigned long exp_gen[NR_FRAMES], exp_type[NR_FRAMES];

static void count_entry(unsigned int level, uint64_t e)
{
    unsigned long t = (e & PADDR_MASK) >> PAGE_SHIFT;

    if (!(e & P))
        return;
    assert_true(e & US);
    if (level == 1) {
        assert_false(e & G);
        if (t >= NR_FRAMES || (pg(t)->count_info & PGC_reserved))
            return;                 /* I/O memory: no reference */
        exp_gen[t]++;
        if (e & RW) {
            assert_int_equal(ttype(t), PGT_writable_page);
            exp_type[t]++;
        }
        return;
    }
    assert_true(t < NR_FRAMES);
    assert_int_equal(ttype(t), PGT_level(level - 1));
    exp_gen[t]++;
    exp_type[t]++;
}

static void check_refs(void)
{
    unsigned long i, x;
    unsigned int s, level;

    for (i = 0; i < NR_FRAMES; i++) {
        exp_gen[i] = owner_of(i) ? 1 : 0;
        exp_type[i] = 0;
    }
    for (i = 0; i < NR_FRAMES; i++) {
        x = pg(i)->type_info;
        if (x & PGT_pinned) {
            exp_gen[i]++;
            exp_type[i]++;
        }
        if (!tcnt(i) || !(x & PGT_validated))
            continue;
        level = (x & PGT_type_mask) >> 61;
        if (level < 1 || level > 4)
            continue;
        for (s = 0; s < 512; s++)
            if (level != 4 || s < 256 || s > 271)
                count_entry(level, tab(i)[s]);
    }
    for (i = 0; i < NR_FRAMES; i++) {
        assert_int_equal(cnt(i), exp_gen[i]);
        assert_int_equal(tcnt(i), exp_type[i]);
        if (tcnt(i))
            assert_true(pg(i)->type_info & PGT_validated);
    }
}

/* ---- validation ---- */

static void test_l1_validate_devalidate(void **state)
{
    (void)state;
    tab(10)[0] = pte(20, P | RW);
    tab(10)[1] = pte(21, P);
    tab(10)[2] = pte(20, P);
    tab(10)[3] = 0x7ff0;                        /* not present: ignored */
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(ttype(10), PGT_l1_page_table);
    assert_true(pinned(10));
    assert_int_equal(cnt(10), 2);
    assert_int_equal(cnt(20), 3);
    assert_int_equal(ttype(20), PGT_writable_page);
    assert_int_equal(tcnt(20), 1);
    assert_int_equal(cnt(21), 2);
    assert_int_equal(tcnt(21), 0);
    assert_true(tab(10)[0] & US);
    assert_int_equal(tab(10)[3], 0x7ff0);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    assert_int_equal(ttype(10), PGT_none);
    check_baseline();
}

/* L4(1) -> L3(2) -> L2(3) -> L1(4) -> data; two L2 entries share L1(4). */
static void build_tree(void)
{
    tab(1)[0] = pte(2, P | RW);
    tab(1)[260] = pte(200, P | RW | PSE);       /* hypervisor slot */
    tab(2)[5] = pte(3, P | RW);
    tab(3)[7] = pte(4, P | RW);
    tab(3)[8] = pte(4, P);
    tab(4)[0] = pte(5, P | RW);
    tab(4)[1] = pte(1, P);                      /* the L4, read-only */
}

static void test_tree_validate(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), 0);
    assert_int_equal(nr_l4_inits, 1);
    assert_int_equal(tab(1)[260], XEN_L4_MARK);
    assert_int_equal(ttype(2), PGT_l3_page_table);
    assert_int_equal(ttype(3), PGT_l2_page_table);
    assert_int_equal(ttype(4), PGT_l1_page_table);
    assert_int_equal(tcnt(4), 2);
    assert_int_equal(cnt(4), 3);
    assert_int_equal(ttype(5), PGT_writable_page);
    assert_int_equal(cnt(1), 3);                /* alloc, pin, RO map */
    assert_true(tab(1)[0] & US);
    assert_true(tab(2)[5] & US);
    assert_true(tab(3)[8] & US);
    assert_int_equal(nr_flushes, 0);            /* all frames were fresh */
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(1)), 0);
    check_baseline();
}

static void test_validation_failure_rolls_back(void **state)
{
    (void)state;
    build_tree();
    tab(3)[9] = pte(6, P | PSE);                /* a 2 MiB superpage */
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), -XEN_EINVAL);
    assert_int_equal(nr_l4_inits, 0);
    check_baseline();
    tab(3)[9] = 0;
    tab(4)[511] = pte(200, P);                  /* another domain's */
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), -XEN_EBUSY);
    check_baseline();
}

static void test_rw_map_of_pagetable_refused(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    tab(11)[0] = pte(10, P | RW);
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 1), -XEN_EBUSY);
    tab(11)[0] = pte(10, P);                    /* read-only is fine */
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(11), 1, pte(10, P | RW), false),
                     -XEN_EBUSY);
    assert_int_equal(tab(11)[1], 0);
    /* Nor may an L1 map itself writable. */
    assert_int_equal(mod_l1_entry(&dom, pg(11), 1, pte(11, P | RW), false),
                     -XEN_EBUSY);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(11)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

static void test_typing_writable_frame_refused(void **state)
{
    (void)state;
    tab(11)[0] = pte(12, P | RW);
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 1), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(12), 1), -XEN_EINVAL);
    assert_int_equal(get_page_type(pg(12), PGT_seg_desc_page), -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(20), 2), 0);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(12, P | RW), false),
                     -XEN_EINVAL);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(20)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(11)), 0);
    check_baseline();
}

static void test_foreign_and_free_frames_refused(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(200, P), false),
                     -XEN_EBUSY);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(220, P), false),
                     -XEN_EBUSY);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(231, P | RW), false),
                     -XEN_EBUSY);
    assert_int_equal(pagetype_pin(&dom, _mfn(20), 2), 0);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(201, P), false),
                     -XEN_EINVAL);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(245, P), false),
                     -XEN_EINVAL);
    /* Pinning or unpinning another domain's frame. */
    assert_int_equal(pagetype_pin(&dom, _mfn(201), 1), -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(250), 1), -XEN_EINVAL);
    assert_int_equal(pagetype_unpin(&other, _mfn(10)), -XEN_EINVAL);
    assert_true(pinned(10));
    assert_int_equal(cnt(200), 1);
    assert_int_equal(cnt(220), 0);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(20)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

static void test_iomem(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(240, P), false),
                     -XEN_EPERM);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(FAR_MMIO, P), false),
                     -XEN_EPERM);
    assert_int_equal(pagetype_pin(&dom0, _mfn(230), 1), 0);
    /* Allowed with the cache attributes asked for, no reference taken. */
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 0, pte(240, P | RW), false),
                     0);
    assert_int_equal(tab(230)[0], pte(240, P | RW | US));
    assert_int_equal(cnt(240), 0);
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 1,
                                  pte(FAR_MMIO + 3, P | _PAGE_PCD), false), 0);
    assert_int_equal(tab(230)[1], pte(FAR_MMIO + 3, P | US | _PAGE_PCD));
    /* The hypervisor's frames, never. */
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 2, pte(250, P), false),
                     -XEN_EPERM);
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 2, pte(FAR_HYP, P), false),
                     -XEN_EPERM);
    /* A privileged domain's L1 with I/O entries devalidates cleanly. */
    check_refs();
    assert_int_equal(pagetype_unpin(&dom0, _mfn(230)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

/* As Xen's mmio_ro_ranges: a writable request is installed read-only. */
static void test_iomem_ro(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom0, _mfn(230), 1), 0);
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 0,
                                  pte(MMIO_RO, P | RW | _PAGE_PCD), false), 0);
    assert_int_equal(tab(230)[0], pte(MMIO_RO, P | US | _PAGE_PCD));
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 1, pte(MMIO_RO + 1, P),
                                  false), 0);
    assert_int_equal(tab(230)[1], pte(MMIO_RO + 1, P | US));
    /* Asking again (with A/D) does not bring RW back. */
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 0,
                                  pte(MMIO_RO, P | RW | AD), false), 0);
    assert_int_equal(tab(230)[0], pte(MMIO_RO, P | US | AD));
    /* Other I/O frames keep RW. */
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 2, pte(241, P | RW), false),
                     0);
    assert_int_equal(tab(230)[2], pte(241, P | RW | US));
    /* Validating a whole table drops RW the same way. */
    tab(231)[5] = pte(MMIO_RO, P | RW);
    assert_int_equal(pagetype_pin(&dom0, _mfn(231), 1), 0);
    assert_int_equal(tab(231)[5], pte(MMIO_RO, P | US));
    assert_int_equal(cnt(MMIO_RO), 0);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom0, _mfn(231)), 0);
    assert_int_equal(pagetype_unpin(&dom0, _mfn(230)), 0);
    check_baseline();
}

static void test_superpages_refused(void **state)
{
    (void)state;
    tab(20)[0] = pte(10, P | RW | PSE);
    assert_int_equal(pagetype_pin(&dom, _mfn(20), 2), -XEN_EINVAL);
    tab(30)[0] = pte(20, P | RW | PSE);
    assert_int_equal(pagetype_pin(&dom, _mfn(30), 3), -XEN_EINVAL);
    tab(40)[0] = pte(30, P | RW | PSE);
    assert_int_equal(pagetype_pin(&dom, _mfn(40), 4), -XEN_EINVAL);
    tab(20)[0] = tab(30)[0] = tab(40)[0] = 0;
    assert_int_equal(pagetype_pin(&dom, _mfn(20), 2), 0);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(10, P | PSE), false),
                     -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(30), 3), 0);
    assert_int_equal(mod_l3_entry(&dom, pg(30), 0, pte(20, P | PSE), false),
                     -XEN_EINVAL);
    assert_int_equal(pagetype_unpin(&dom, _mfn(30)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(20)), 0);
    check_baseline();
}

static void test_reserved_bits(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(20), 2), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(21, P | 1UL << 62),
                                  false), -XEN_EINVAL);
    /* Caching attributes (PAT is bit 7 in an L1) only for dom0. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(21, P | PAT), false),
                     -XEN_EINVAL);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(21, P | _PAGE_PCD),
                                  false), -XEN_EINVAL);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(11, P | G), false),
                     -XEN_EINVAL);
    assert_int_equal(mod_l2_entry(&dom, pg(20), 0, pte(11, P | _PAGE_PWT),
                                  false), -XEN_EINVAL);
    /* Software bits, NX and G (dropped) are fine. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0,
                                  pte(21, P | G | 0xe00 | _PAGE_NX |
                                          (1UL << 61)), false), 0);
    assert_int_equal(tab(10)[0], pte(21, P | US | 0xe00 | _PAGE_NX |
                                         (1UL << 61)));
    assert_int_equal(pagetype_pin(&dom0, _mfn(230), 1), 0);
    assert_int_equal(mod_l1_entry(&dom0, pg(230), 0, pte(231, P | PAT | RW),
                                  false), 0);
    assert_int_equal(tab(230)[0], pte(231, P | PAT | RW | US));
    check_refs();
    assert_int_equal(pagetype_unpin(&dom0, _mfn(230)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(20)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

static void test_l4_hypervisor_slots(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 256; i <= 271; i++)
        tab(1)[i] = pte(200 + (i & 7), P | RW | PSE | G);
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), 0);
    for (i = 256; i <= 271; i++)
        assert_int_equal(tab(1)[i], XEN_L4_MARK);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 256, pte(2, P), false),
                     -XEN_EINVAL);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 271, 0, false), -XEN_EINVAL);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 255, pte(2, P | RW), false), 0);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 272, pte(2, P), false), 0);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 512, pte(3, P), false),
                     -XEN_EINVAL);
    assert_int_equal(ttype(2), PGT_l3_page_table);
    assert_int_equal(tcnt(2), 2);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(1)), 0);
    check_baseline();
}

static void test_recursive_refused(void **state)
{
    (void)state;
    tab(1)[0] = pte(1, P | RW);                 /* L4 -> itself */
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), -XEN_EINVAL);
    tab(1)[0] = 0;
    tab(2)[0] = pte(2, P);                      /* L3 -> itself */
    assert_int_equal(pagetype_pin(&dom, _mfn(2), 3), -XEN_EINVAL);
    tab(2)[0] = 0;
    check_baseline();
    /* Linear: an L2 entry to a validated L2, an L4 entry to an L4. */
    assert_int_equal(pagetype_pin(&dom, _mfn(3), 2), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(4), 2), 0);
    assert_int_equal(mod_l2_entry(&dom, pg(4), 0, pte(3, P), false),
                     -XEN_EINVAL);
    assert_int_equal(mod_l2_entry(&dom, pg(4), 0, pte(4, P), false),
                     -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), 0);
    assert_int_equal(mod_l4_entry(&dom, pg(1), 0, pte(1, P), false),
                     -XEN_EINVAL);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(1)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(4)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(3)), 0);
    check_baseline();
}

/* ---- updates ---- */

static void test_mod_l1_refs(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(30, P | RW), false), 0);
    assert_int_equal(cnt(30), 2);
    assert_int_equal(ttype(30), PGT_writable_page);
    /* RW -> RO of the same frame drops the writable type. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(30, P), false), 0);
    assert_int_equal(cnt(30), 2);
    assert_int_equal(tcnt(30), 0);
    /* Another frame. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(31, P | RW), false), 0);
    assert_int_equal(cnt(30), 1);
    assert_int_equal(cnt(31), 2);
    assert_int_equal(tcnt(31), 1);
    /* Only A/D (and NX) differ: no references move. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5,
                                  pte(31, P | RW | AD | _PAGE_NX), false), 0);
    assert_int_equal(cnt(31), 2);
    assert_int_equal(tcnt(31), 1);
    assert_int_equal(tab(10)[5], pte(31, P | RW | US | AD | _PAGE_NX));
    /* preserve_ad keeps the A/D bits the CPU set. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(31, P | RW), true), 0);
    assert_int_equal(tab(10)[5], pte(31, P | RW | US | AD));
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(32, P), true), 0);
    assert_int_equal(tab(10)[5], pte(32, P | US | AD));
    assert_int_equal(tcnt(31), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, pte(32, P), false), 0);
    assert_int_equal(tab(10)[5], pte(32, P | US));
    check_refs();
    /* Not present: the old references go. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 5, 0x1234000, false), 0);
    assert_int_equal(tab(10)[5], 0x1234000);
    assert_int_equal(cnt(32), 1);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

static void test_mod_upper_refs(void **state)
{
    (void)state;
    build_tree();
    tab(6)[0] = pte(7, P | RW);                 /* a second L1 */
    assert_int_equal(pagetype_pin(&dom, _mfn(1), 4), 0);
    /* Replace both users of L1(4) by L1(6): L1(4) loses its type. */
    assert_int_equal(mod_l2_entry(&dom, pg(3), 7, pte(6, P | RW), false), 0);
    assert_int_equal(tcnt(4), 1);
    assert_int_equal(mod_l2_entry(&dom, pg(3), 8, pte(6, P), false), 0);
    assert_int_equal(tcnt(4), 0);
    assert_int_equal(cnt(5), 1);                /* its mapping dropped */
    assert_int_equal(tcnt(6), 2);
    assert_int_equal(tcnt(7), 1);
    /* RW on an upper entry moves no references. */
    assert_int_equal(mod_l2_entry(&dom, pg(3), 8, pte(6, P | RW | AD), false),
                     0);
    assert_int_equal(tcnt(6), 2);
    check_refs();
    /* An L3 entry to a new L2 (validated on the way), then removed. */
    assert_int_equal(mod_l3_entry(&dom, pg(2), 6, pte(8, P | RW), false), 0);
    assert_int_equal(ttype(8), PGT_l2_page_table);
    assert_int_equal(mod_l3_entry(&dom, pg(2), 6, 0, false), 0);
    assert_int_equal(tcnt(8), 0);
    /* Cut the tree at the L4: everything below is devalidated. */
    assert_int_equal(mod_l4_entry(&dom, pg(1), 0, 0, false), 0);
    assert_int_equal(tcnt(2) + tcnt(3) + tcnt(6) + tcnt(7), 0);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(1)), 0);
    check_baseline();
}

static void test_mod_checks_table(void **state)
{
    (void)state;
    /* Not a validated table of that level. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(11, P), false),
                     -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(mod_l2_entry(&dom, pg(10), 0, 0, false), -XEN_EINVAL);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 512, 0, false), -XEN_EINVAL);
    /* A refused update leaves the entry and all counts alone. */
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(11, P), false), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(200, P), false),
                     -XEN_EBUSY);
    assert_int_equal(tab(10)[0], pte(11, P | US));
    assert_int_equal(cnt(11), 2);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

/* ---- pinning, types, references ---- */

static void test_pin_unpin(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 2), -XEN_EINVAL);
    assert_int_equal(tcnt(10), 1);
    assert_int_equal(cnt(10), 2);
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 0), -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 5), -XEN_EINVAL);
    assert_int_equal(pagetype_pin(&dom, _mfn(NR_FRAMES + 1), 1), -XEN_EINVAL);
    assert_int_equal(pagetype_unpin(&dom, _mfn(11)), -XEN_EINVAL);
    assert_int_equal(pagetype_unpin(&dom, _mfn(NR_FRAMES + 1)), -XEN_EINVAL);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), -XEN_EINVAL);
    check_baseline();
}

/* Linux unpins a table, then maps it writable again (PV-ABI 4.6). */
static void test_unpin_then_writable(void **state)
{
    (void)state;
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(11), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(11), 0, pte(10, P | RW), false),
                     -XEN_EBUSY);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    assert_int_equal(ttype(10), PGT_none);
    assert_int_equal(nr_flushes, 0);
    assert_int_equal(mod_l1_entry(&dom, pg(11), 0, pte(10, P | RW), false), 0);
    assert_int_equal(ttype(10), PGT_writable_page);
    assert_int_equal(nr_flushes, 1);            /* was an L1 */
    /* Unmapped again, it may become a table again: stale RW TLB entries
     * are flushed first. */
    assert_int_equal(mod_l1_entry(&dom, pg(11), 0, 0, false), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(nr_flushes, 2);
    /* Same type again: no flush needed. */
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(nr_flushes, 2);
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(11)), 0);
    check_baseline();
}

static void test_seg_desc(void **state)
{
    (void)state;
    assert_int_equal(get_page_and_type(pg(40), &dom, PGT_seg_desc_page), 0);
    assert_int_equal(ttype(40), PGT_seg_desc_page);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(40, P | RW), false),
                     -XEN_EBUSY);
    assert_int_equal(mod_l1_entry(&dom, pg(10), 0, pte(40, P), false), 0);
    put_page_and_type(pg(40));
    tab(41)[0] = 0xbad;                         /* the hook refuses it */
    assert_int_equal(get_page_and_type(pg(41), &dom, PGT_seg_desc_page),
                     -XEN_EINVAL);
    assert_int_equal(get_page_and_type(pg(41), &other, PGT_seg_desc_page),
                     -XEN_EINVAL);
    check_refs();
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

static void test_page_refs(void **state)
{
    (void)state;
    assert_true(get_page(pg(10), &dom));
    assert_false(get_page(pg(10), &other));
    assert_false(get_page(pg(220), NULL));      /* count 0: not in use */
    assert_false(get_page(pg(245), NULL));      /* reserved */
    assert_int_equal(cnt(10), 2);
    put_page(pg(10));
    /* Count overflow. */
    pg(12)->count_info = PGC_allocated | (PGC_count_mask - 1);
    assert_true(get_page(pg(12), &dom));
    assert_false(get_page(pg(12), &dom));
    pg(12)->count_info = PGC_allocated | 1;
    /* Type count overflow. */
    pg(13)->type_info = PGT_writable_page | PGT_validated | PGT_count_mask;
    assert_int_equal(get_page_type(pg(13), PGT_writable_page), -XEN_EINVAL);
    pg(13)->type_info = 0;
    /* The last reference goes with the release of the assignment. */
    assert_true(get_page(pg(14), &dom));
    assert_true(pagetype_release_page(pg(14)));
    assert_false(pagetype_release_page(pg(14)));
    assert_int_equal(nr_freed, 0);
    put_page(pg(14));
    assert_int_equal(nr_freed, 1);
    assert_false(get_page(pg(14), &dom));
    pagetype_assign_page(pg(14), &dom);
    nr_freed = 0;
    check_baseline();
}

static void test_get_validated(void **state)
{
    (void)state;
    assert_int_equal(pagetype_get_validated(pg(10)), PGT_none);
    assert_int_equal(pagetype_pin(&dom, _mfn(10), 1), 0);
    assert_int_equal(pagetype_get_validated(pg(10)), PGT_l1_page_table);
    assert_int_equal(tcnt(10), 2);
    put_page_type(pg(10));
    assert_int_equal(get_page_type(pg(11), PGT_writable_page), 0);
    assert_int_equal(pagetype_get_validated(pg(11)), PGT_writable_page);
    put_page_type(pg(11));
    put_page_type(pg(11));
    assert_int_equal(pagetype_unpin(&dom, _mfn(10)), 0);
    check_baseline();
}

/* ---- random stress ---- */

/* The pool, frames 0..47 of dom, in groups meant for one level each (so
 * that deep trees get built), though any frame may be used as anything. */
#define POOL        48
#define STRESS_OPS  200000

static const unsigned long group_first[6] = { 32, 20, 12, 6, 0, 0 };
static const unsigned long group_size[6] = { 16, 12, 8, 6, 6, 0 };

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned int group_of(unsigned long f)
{
    unsigned int l;

    for (l = 4; l > 0; l--)
        if (f >= group_first[l] && f < group_first[l] + group_size[l])
            return l;
    return 0;                                   /* data */
}

static unsigned long rnd_in_group(unsigned int l)
{
    return group_first[l] + rnd() % group_size[l];
}

/* Mostly a frame of the level below f's group, sometimes anything. */
static unsigned long rnd_frame(unsigned long f)
{
    unsigned int l = group_of(f);

    switch (rnd() % 100) {
    case 0:
        return OTHER_FIRST + rnd() % 4;
    case 1:
        return FREE_FIRST;
    case 2:
        return MMIO_FIRST;
    case 3:
        return FAR_MMIO;
    case 4 ... 7:
        return rnd() % POOL;
    default:
        return rnd_in_group(l ? l - 1 : 0);
    }
}

static uint64_t rnd_entry(unsigned long f)
{
    uint64_t r = rnd(), fl = P;

    if (r % 2 == 0)
        return rnd() & ~P;
    fl |= (r >> 8) & 1 ? RW : 0;
    fl |= (r >> 9) & 1 ? AD : 0;
    fl |= (r >> 10) % 256 == 0 ? PSE : 0;
    fl |= (r >> 16) % 64 == 0 ? G : 0;
    fl |= (r >> 22) % 256 == 0 ? 1UL << 62 : 0;
    return pte(rnd_frame(f), fl);
}

static unsigned int rnd_slot(void)
{
    static const unsigned int slots[] = { 0, 1, 2, 3, 4, 5, 255, 256, 271,
                                          272, 511 };

    return slots[rnd() % ARRAY_SIZE(slots)];
}

static int stress_mod(unsigned long f)
{
    unsigned long t = pagetype_get_validated(pg(f));
    int rc = -1;

    if (t == PGT_none)
        return rc;
    switch (t) {
    case PGT_l1_page_table:
        rc = mod_l1_entry(&dom, pg(f), rnd_slot(), rnd_entry(f), rnd() & 1);
        break;
    case PGT_l2_page_table:
        rc = mod_l2_entry(&dom, pg(f), rnd_slot(), rnd_entry(f), rnd() & 1);
        break;
    case PGT_l3_page_table:
        rc = mod_l3_entry(&dom, pg(f), rnd_slot(), rnd_entry(f), rnd() & 1);
        break;
    case PGT_l4_page_table:
        rc = mod_l4_entry(&dom, pg(f), rnd_slot(), rnd_entry(f), rnd() & 1);
        break;
    }
    put_page_type(pg(f));
    return rc;
}

static void test_stress(void **state)
{
    unsigned int i, ok_pins[5] = { 0 }, ok_mods = 0;
    unsigned long f;

    (void)state;
    for (i = 0; i < STRESS_OPS; i++) {
        f = rnd() % POOL;
        switch (rnd() % 8) {
        case 0: {
            unsigned int level = group_of(f);

            if (rnd() % 8 == 0)
                level = 1 + rnd() % 4;
            if (level == 0)
                break;

            if (pagetype_pin(&dom, _mfn(f), level) == 0)
                ok_pins[level]++;
            break;
        }
        case 1:
            pagetype_unpin(&dom, _mfn(f));
            break;
        case 2:
        case 3:
            ok_mods += stress_mod(f) == 0;
            break;
        default:
            /* The guest writing a frame it may map writable. */
            if (tcnt(f) == 0 || ttype(f) == PGT_writable_page)
                tab(f)[rnd_slot()] = rnd_entry(f);
            break;
        }
        if (i % 8 == 0)
            check_refs();
    }
    check_refs();
    for (i = 1; i <= 4; i++)
        assert_true(ok_pins[i] > 500);     /* not vacuous */
    assert_true(ok_mods > 10000);
    for (f = 0; f < POOL; f++)
        if (pinned(f))
            assert_int_equal(pagetype_unpin(&dom, _mfn(f)), 0);
    check_baseline();
}

/* ---- concurrency: the compare-and-swap paths, on real threads ---- */

#define CONC_L1A    100         /* pinned L1s the mod threads update */
#define CONC_L1B    101
#define CONC_L2     102         /* 102, 103: L2s sharing the L1 104 */
#define CONC_L1C    104
#define CONC_DATA   110         /* 110..117 */
#define CONC_OPS    300000

static bool conc_stop;
static unsigned int conc_bad;   /* results no interleaving may give */

static uint64_t conc_rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void conc_expect(bool ok)
{
    if (!ok)
        __atomic_add_fetch(&conc_bad, 1, __ATOMIC_RELAXED);
}

/* Remaps slots 0..3 of the two L1s; RW maps of frame 112 race with its
 * pinning, so they fail while it is a table. */
static void *conc_mod(void *arg)
{
    uint64_t s = 0x1234567 + (uintptr_t)arg;
    unsigned int i;

    for (i = 0; i < CONC_OPS; i++) {
        uint64_t r = conc_rnd(&s);
        unsigned long t = r & 1 ? CONC_L1A : CONC_L1B;
        uint64_t val = (r >> 1) % 4 ? pte(CONC_DATA + (r >> 3) % 8,
                                          P | ((r >> 6) & 1 ? RW : 0)) : 0;
        int rc;

        conc_expect(pagetype_get_validated(pg(t)) == PGT_l1_page_table);
        rc = mod_l1_entry(&dom, pg(t), (r >> 7) % 4, val, (r >> 9) & 1);
        conc_expect(rc == 0 || (rc == -XEN_EBUSY && (val & RW)));
        put_page_type(pg(t));
    }
    __atomic_store_n(&conc_stop, true, __ATOMIC_RELEASE);
    return NULL;
}

/* Pins and unpins one of two L2s that share an L1: racing validations
 * and devalidations of that L1. */
static void *conc_l2pin(void *arg)
{
    unsigned long f = CONC_L2 + (uintptr_t)arg;
    int rc;

    while (!__atomic_load_n(&conc_stop, __ATOMIC_ACQUIRE)) {
        rc = pagetype_pin(&dom, _mfn(f), 2);
        conc_expect(rc == 0 || rc == -XEN_EBUSY);
        conc_expect(pagetype_unpin(&dom, _mfn(f)) == (rc ? -XEN_EINVAL : 0));
    }
    return NULL;
}

/* Makes data frame 112 an L1 now and then. */
static void *conc_pin112(void *arg)
{
    int rc;

    (void)arg;
    while (!__atomic_load_n(&conc_stop, __ATOMIC_ACQUIRE)) {
        rc = pagetype_pin(&dom, _mfn(CONC_DATA + 2), 1);
        conc_expect(rc == 0 || rc == -XEN_EINVAL);
        conc_expect(pagetype_unpin(&dom, _mfn(CONC_DATA + 2)) ==
                    (rc ? -XEN_EINVAL : 0));
    }
    return NULL;
}

/* Sets A/D bits in present entries, as the CPU's page walker does. */
static void *conc_hw(void *arg)
{
    uint64_t s = 0xabcdef, e;

    (void)arg;
    while (!__atomic_load_n(&conc_stop, __ATOMIC_ACQUIRE)) {
        uint64_t r = conc_rnd(&s);
        uint64_t *p = &tab(r & 1 ? CONC_L1A : CONC_L1B)[(r >> 1) % 4];

        e = __atomic_load_n(p, __ATOMIC_RELAXED);
        if (e & P)
            __atomic_compare_exchange_n(p, &e, e | ((r >> 3) & AD), false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    void *(*fn[6])(void *) = { conc_mod, conc_mod, conc_l2pin, conc_l2pin,
                               conc_pin112, conc_hw };
    pthread_t th[6];
    unsigned int i;

    (void)state;
    for (i = 0; i < 4; i++)
        tab(CONC_L1C)[i] = pte(CONC_DATA + i, P | RW);
    tab(CONC_L2)[0] = tab(CONC_L2 + 1)[5] = pte(CONC_L1C, P | RW);
    assert_int_equal(pagetype_pin(&dom, _mfn(CONC_L1A), 1), 0);
    assert_int_equal(pagetype_pin(&dom, _mfn(CONC_L1B), 1), 0);
    conc_stop = false;
    conc_bad = 0;
    for (i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fn[i],
                                        (void *)(uintptr_t)(i & 1)), 0);
    for (i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(conc_bad, 0);
    check_refs();
    for (i = 0; i < 4; i++) {
        assert_int_equal(mod_l1_entry(&dom, pg(CONC_L1A), i, 0, false), 0);
        assert_int_equal(mod_l1_entry(&dom, pg(CONC_L1B), i, 0, false), 0);
    }
    assert_int_equal(pagetype_unpin(&dom, _mfn(CONC_L1A)), 0);
    assert_int_equal(pagetype_unpin(&dom, _mfn(CONC_L1B)), 0);
    check_baseline();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_l1_validate_devalidate, test_setup),
        cmocka_unit_test_setup(test_tree_validate, test_setup),
        cmocka_unit_test_setup(test_validation_failure_rolls_back,
                               test_setup),
        cmocka_unit_test_setup(test_rw_map_of_pagetable_refused, test_setup),
        cmocka_unit_test_setup(test_typing_writable_frame_refused,
                               test_setup),
        cmocka_unit_test_setup(test_foreign_and_free_frames_refused,
                               test_setup),
        cmocka_unit_test_setup(test_iomem, test_setup),
        cmocka_unit_test_setup(test_iomem_ro, test_setup),
        cmocka_unit_test_setup(test_superpages_refused, test_setup),
        cmocka_unit_test_setup(test_reserved_bits, test_setup),
        cmocka_unit_test_setup(test_l4_hypervisor_slots, test_setup),
        cmocka_unit_test_setup(test_recursive_refused, test_setup),
        cmocka_unit_test_setup(test_mod_l1_refs, test_setup),
        cmocka_unit_test_setup(test_mod_upper_refs, test_setup),
        cmocka_unit_test_setup(test_mod_checks_table, test_setup),
        cmocka_unit_test_setup(test_pin_unpin, test_setup),
        cmocka_unit_test_setup(test_unpin_then_writable, test_setup),
        cmocka_unit_test_setup(test_seg_desc, test_setup),
        cmocka_unit_test_setup(test_page_refs, test_setup),
        cmocka_unit_test_setup(test_get_validated, test_setup),
        cmocka_unit_test_setup(test_stress, test_setup),
        cmocka_unit_test_setup(test_concurrent, test_setup),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
