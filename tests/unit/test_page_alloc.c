/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for the buddy allocator (common/page_alloc.c), over a malloc'd
 * arena that stands for physical memory. */
#include <stdlib.h>
#include <hv/mm.h>
#include <hv/lib.h>

#define NR_FRAMES   2048UL

unsigned long directmap_base;

static struct page_info *table;
static unsigned char *arena;
/* Which frames the test holds (allocated and not yet freed). */
static unsigned char owned[NR_FRAMES];

static int group_setup(void **state)
{
    (void)state;
    table = calloc(NR_FRAMES, sizeof(*table));
    arena = aligned_alloc(PAGE_SIZE, NR_FRAMES * PAGE_SIZE);
    if (!table || !arena)
        return -1;
    directmap_base = (unsigned long)arena;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(table);
    free(arena);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    memset(owned, 0, sizeof(owned));
    page_alloc_init(table, NR_FRAMES);
    return 0;
}

static unsigned long mfn_of(const struct page_info *pg)
{
    return mfn_x(page_to_mfn(pg));
}

/* Allocates a block, checks it and marks it owned. */
static struct page_info *take(unsigned int order)
{
    struct page_info *pg = alloc_pages(order);
    unsigned long mfn, i;

    if (!pg)
        return NULL;
    mfn = mfn_of(pg);
    assert_true(mfn < NR_FRAMES);
    assert_int_equal(mfn & ((1UL << order) - 1), 0);
    for (i = 0; i < (1UL << order); i++) {
        assert_false(owned[mfn + i]);
        assert_int_equal(pg[i].count_info, 0);
        owned[mfn + i] = 1;
    }
    return pg;
}

static void give(struct page_info *pg, unsigned int order)
{
    unsigned long mfn = mfn_of(pg), i;

    for (i = 0; i < (1UL << order); i++) {
        assert_true(owned[mfn + i]);
        owned[mfn + i] = 0;
    }
    free_pages(pg, order);
}

/* Every frame in the heap is either owned by the test or free. */
static void check_frames(unsigned long heap_frames)
{
    unsigned long i, nr_owned = 0;

    for (i = 0; i < NR_FRAMES; i++) {
        unsigned long ci = table[i].count_info;

        if (ci & PGC_reserved) {
            assert_false(owned[i]);
            continue;
        }
        nr_owned += owned[i];
        assert_int_equal(!!(ci & PGC_free), !owned[i]);
    }
    assert_int_equal(page_alloc_free_frames(), heap_frames - nr_owned);
}

static void test_init_reserves_all(void **state)
{
    unsigned long i;

    (void)state;
    assert_int_equal(page_alloc_free_frames(), 0);
    for (i = 0; i < NR_FRAMES; i++)
        assert_int_equal(table[i].count_info, PGC_reserved);
    assert_null(alloc_pages(0));
}

static void test_odd_ranges(void **state)
{
    unsigned long n = 0, i;

    (void)state;
    page_alloc_add_range(_mfn(3), 1000);
    page_alloc_add_range(_mfn(1500), 547);      /* up to the last frame */
    page_alloc_add_range(_mfn(1003), 1);
    assert_int_equal(page_alloc_free_frames(), 1548);
    check_frames(1548);
    assert_true(table[0].count_info & PGC_reserved);
    assert_true(table[1004].count_info & PGC_reserved);
    assert_true(table[1499].count_info & PGC_reserved);
    assert_true(table[NR_FRAMES - 1].count_info & PGC_reserved);

    while (take(0))
        n++;
    assert_int_equal(n, 1548);
    assert_int_equal(page_alloc_free_frames(), 0);
    for (i = 0; i < NR_FRAMES; i++)
        assert_int_equal(owned[i], (i >= 3 && i < 1004) ||
                                   (i >= 1500 && i < 2047));
}

static void test_adjacent_ranges_merge(void **state)
{
    struct page_info *pg;

    (void)state;
    page_alloc_add_range(_mfn(5), 2);
    page_alloc_add_range(_mfn(7), 1);
    page_alloc_add_range(_mfn(4), 1);
    pg = take(2);
    assert_non_null(pg);
    assert_int_equal(mfn_of(pg), 4);
    assert_null(alloc_pages(0));
    give(pg, 2);
    assert_int_equal(page_alloc_free_frames(), 4);
}

static void test_each_order_aligned(void **state)
{
    struct page_info *blk[11];
    unsigned int order;

    (void)state;
    page_alloc_add_range(_mfn(0), NR_FRAMES);
    for (order = 0; order <= 10; order++) {
        blk[order] = take(order);
        assert_non_null(blk[order]);
        check_frames(NR_FRAMES);
    }
    /* 2047 frames taken; only one frame is left. */
    assert_int_equal(page_alloc_free_frames(), 1);
    assert_null(alloc_pages(1));
    for (order = 0; order <= 10; order++)
        give(blk[order], order);
    assert_int_equal(page_alloc_free_frames(), NR_FRAMES);
    /* Everything merged back: the whole arena is one order-11 block. */
    blk[0] = take(11);
    assert_non_null(blk[0]);
    assert_int_equal(mfn_of(blk[0]), 0);
    give(blk[0], 11);
}

static void test_exhaustion_and_remerge(void **state)
{
    struct page_info *pg[64];
    unsigned int i;

    (void)state;
    page_alloc_add_range(_mfn(64), 64);
    pg[0] = take(6);
    assert_non_null(pg[0]);
    assert_null(alloc_pages(0));
    give(pg[0], 6);
    for (i = 0; i < 64; i++)
        assert_non_null(pg[i] = take(0));
    assert_null(alloc_pages(0));
    assert_null(alloc_pages(7));
    /* Free in an order that merges late. */
    for (i = 0; i < 64; i += 2)
        give(pg[i], 0);
    assert_null(alloc_pages(1));
    for (i = 1; i < 64; i += 2)
        give(pg[i], 0);
    assert_int_equal(page_alloc_free_frames(), 64);
    pg[0] = take(6);
    assert_non_null(pg[0]);
    assert_int_equal(mfn_of(pg[0]), 64);
    give(pg[0], 6);
}

static void test_order_limits(void **state)
{
    (void)state;
    page_alloc_add_range(_mfn(0), NR_FRAMES);
    assert_null(alloc_pages(MAX_ORDER + 1));
    assert_null(alloc_pages(~0U));
    assert_null(alloc_pages(12));
    assert_int_equal(page_alloc_free_frames(), NR_FRAMES);
}

/* A frame table big enough for MAX_ORDER blocks; the arena is not used. */
static void test_max_order(void **state)
{
    unsigned long nr = (2UL << MAX_ORDER) + 3;
    struct page_info *big = calloc(nr, sizeof(*big));
    struct page_info *a, *b;

    (void)state;
    assert_non_null(big);
    page_alloc_init(big, nr);
    page_alloc_add_range(_mfn(0), nr);
    assert_int_equal(page_alloc_free_frames(), nr);
    assert_null(alloc_pages(MAX_ORDER + 1));
    a = alloc_pages(MAX_ORDER);
    b = alloc_pages(MAX_ORDER);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(mfn_x(page_to_mfn(a)) | mfn_x(page_to_mfn(b)),
                     1UL << MAX_ORDER);
    assert_null(alloc_pages(MAX_ORDER));
    assert_null(alloc_pages(2));
    assert_int_equal(page_alloc_free_frames(), 3);
    free_pages(a, MAX_ORDER);
    free_pages(b, MAX_ORDER);
    assert_int_equal(page_alloc_free_frames(), nr);
    /* Two buddies of MAX_ORDER do not merge beyond it. */
    assert_null(alloc_pages(MAX_ORDER + 1));
    free(big);
    page_alloc_init(table, NR_FRAMES);
}

static void test_xenheap(void **state)
{
    unsigned char *va;
    unsigned long i;

    (void)state;
    page_alloc_add_range(_mfn(16), 16);
    va = alloc_xenheap_pages(2);
    assert_non_null(va);
    assert_true(va >= arena && va < arena + NR_FRAMES * PAGE_SIZE);
    assert_int_equal((unsigned long)(va - arena) % (4 * PAGE_SIZE), 0);
    assert_int_equal(mfn_x(virt_to_mfn(va)), 16);
    memset(va, 0xa5, 4 * PAGE_SIZE);
    free_xenheap_pages(va, 2);
    assert_int_equal(page_alloc_free_frames(), 16);
    va = alloc_xenheap_pages(2);
    assert_non_null(va);
    for (i = 0; i < 4 * PAGE_SIZE; i++)
        assert_int_equal(va[i], 0);
    free_xenheap_pages(va, 2);
    free_xenheap_pages(NULL, 0);
    assert_null(alloc_xenheap_pages(5));
    assert_int_equal(page_alloc_free_frames(), 16);
}

/* A small fixed-seed generator, so that runs are reproducible. */
static unsigned long rng_state;

static unsigned long rng(void)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return rng_state >> 33;
}

struct live {
    struct page_info *pg;
    unsigned int order;
};

static void test_stress(void **state)
{
    static struct live live[NR_FRAMES];
    unsigned long heap = 0, nlive = 0, iter, i;
    struct page_info *pg;

    (void)state;
    rng_state = 12345;
    page_alloc_add_range(_mfn(1), 700);        heap += 700;
    page_alloc_add_range(_mfn(777), 1000);     heap += 1000;
    page_alloc_add_range(_mfn(1800), 200);     heap += 200;
    for (iter = 0; iter < 40000; iter++) {
        if (nlive > 0 && rng() % 2) {
            i = rng() % nlive;
            give(live[i].pg, live[i].order);
            live[i] = live[--nlive];
        } else {
            unsigned int order = rng() % 100 < 80 ? rng() % 3 : rng() % 9;

            pg = take(order);
            if (pg) {
                live[nlive].pg = pg;
                live[nlive++].order = order;
            }
        }
        if (iter % 512 == 0)
            check_frames(heap);
    }
    check_frames(heap);
    while (nlive > 0) {
        nlive--;
        give(live[nlive].pg, live[nlive].order);
    }
    assert_int_equal(page_alloc_free_frames(), heap);
    /* Fully merged again: [1024, 1536) is the only order-9 block. */
    assert_non_null(pg = take(9));
    assert_int_equal(mfn_of(pg), 1024);
    assert_null(alloc_pages(9));
    give(pg, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_reserves_all, test_setup),
        cmocka_unit_test_setup(test_odd_ranges, test_setup),
        cmocka_unit_test_setup(test_adjacent_ranges_merge, test_setup),
        cmocka_unit_test_setup(test_each_order_aligned, test_setup),
        cmocka_unit_test_setup(test_exhaustion_and_remerge, test_setup),
        cmocka_unit_test_setup(test_order_limits, test_setup),
        cmocka_unit_test_setup(test_max_order, test_setup),
        cmocka_unit_test_setup(test_xenheap, test_setup),
        cmocka_unit_test_setup(test_stress, test_setup),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
