/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for xzalloc_bytes()/xfree() (common/xmalloc.c) on top of the
 * real buddy allocator over a malloc'd arena. */
#include <stdlib.h>
#include <hv/mm.h>
#include <hv/lib.h>
#include <hv/xmalloc.h>

#define NR_FRAMES   4096UL

unsigned long directmap_base;

static struct page_info *table;
static unsigned char *arena;

static int group_setup(void **state)
{
    (void)state;
    table = calloc(NR_FRAMES, sizeof(*table));
    arena = aligned_alloc(PAGE_SIZE, NR_FRAMES * PAGE_SIZE);
    if (!table || !arena)
        return -1;
    directmap_base = (unsigned long)arena;
    page_alloc_init(table, NR_FRAMES);
    page_alloc_add_range(_mfn(0), NR_FRAMES);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(table);
    free(arena);
    return 0;
}

/* Every test gives back all it took: no page may stay with xmalloc. */
static int test_teardown(void **state)
{
    (void)state;
    assert_int_equal(page_alloc_free_frames(), NR_FRAMES);
    return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static bool in_arena(const void *p, size_t n)
{
    const unsigned char *c = p;

    return c >= arena && c + n <= arena + NR_FRAMES * PAGE_SIZE;
}

static void test_sizes(void **state)
{
    static const size_t sizes[] = {
        1, 15, 16, 17, 31, 32, 33, 100, 255, 256, 257, 1000, 1024, 1025,
        2047, 2048, 2049, 4095, 4096, 4097, 10000, 65536, 1 << 20,
    };
    unsigned char *p[ARRAY_SIZE(sizes)];
    size_t i, j;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        p[i] = xzalloc_bytes(sizes[i]);
        assert_non_null(p[i]);
        assert_true(in_arena(p[i], sizes[i]));
        assert_int_equal((unsigned long)p[i] % 16, 0);
        assert_true(all_zero(p[i], sizes[i]));
        memset(p[i], (int)i + 1, sizes[i]);
    }
    /* No two objects overlap: each still holds its own pattern. */
    for (i = 0; i < ARRAY_SIZE(sizes); i++)
        for (j = 0; j < sizes[i]; j++)
            assert_int_equal(p[i][j], i + 1);
    for (i = 0; i < ARRAY_SIZE(sizes); i++)
        xfree(p[i]);
}

static void test_edge_sizes(void **state)
{
    (void)state;
    assert_null(xzalloc_bytes(0));
    assert_null(xzalloc_bytes(SIZE_MAX));
    assert_null(xzalloc_bytes(SIZE_MAX / 2 + 2));
    assert_null(xzalloc_bytes((PAGE_SIZE << MAX_ORDER) + 1));
    /* Larger than the arena: the buddy allocator says no. */
    assert_null(xzalloc_bytes(NR_FRAMES * PAGE_SIZE + 1));
    assert_null(xzalloc_array(uint64_t, SIZE_MAX / 4));
    xfree(NULL);
}

static void test_reuse_zeroed(void **state)
{
    unsigned char *a, *b, *c;

    (void)state;
    a = xzalloc_bytes(64);
    b = xzalloc_bytes(64);
    assert_non_null(a);
    assert_non_null(b);
    memset(b, 0xff, 64);
    xfree(b);
    c = xzalloc_bytes(50);
    assert_ptr_equal(c, b);             /* same class, last freed first */
    assert_true(all_zero(c, 64));
    xfree(c);
    xfree(a);
}

/* Objects of a class share pages; empty pages go back to the heap. */
static void check_class_pages(size_t size)
{
    unsigned long base = page_alloc_free_frames();
    unsigned long per_page = PAGE_SIZE / size, i;
    void *p[2 * PAGE_SIZE / 16 + 1];

    for (i = 0; i < per_page; i++)
        assert_non_null(p[i] = xzalloc_bytes(size));
    assert_int_equal(page_alloc_free_frames(), base - 1);
    for (i = per_page; i < 2 * per_page + 1; i++)
        assert_non_null(p[i] = xzalloc_bytes(size));
    assert_int_equal(page_alloc_free_frames(), base - 3);
    /* Emptying the middle page gives exactly that page back. */
    for (i = per_page; i < 2 * per_page; i++)
        xfree(p[i]);
    assert_int_equal(page_alloc_free_frames(), base - 2);
    xfree(p[2 * per_page]);
    assert_int_equal(page_alloc_free_frames(), base - 1);
    for (i = 0; i < per_page; i++)
        xfree(p[i]);
    assert_int_equal(page_alloc_free_frames(), base);
}

static void test_page_return(void **state)
{
    size_t size;

    (void)state;
    for (size = 16; size <= 2048; size *= 2)
        check_class_pages(size);
}

static void test_big_blocks(void **state)
{
    unsigned char *p, *q;

    (void)state;
    p = xzalloc_bytes(3 * PAGE_SIZE);           /* an order-2 block */
    assert_non_null(p);
    assert_int_equal((unsigned long)p % PAGE_SIZE, 0);
    assert_int_equal(page_alloc_free_frames(), NR_FRAMES - 4);
    q = xzalloc_bytes(PAGE_SIZE);               /* order 0 */
    assert_non_null(q);
    assert_int_equal(page_alloc_free_frames(), NR_FRAMES - 5);
    memset(p, 0x5a, 3 * PAGE_SIZE);
    xfree(p);
    xfree(q);
    p = xzalloc_bytes(4 * PAGE_SIZE);
    assert_true(all_zero(p, 4 * PAGE_SIZE));
    xfree(p);
}

/* A small fixed-seed generator, so that runs are reproducible. */
static unsigned long rng_state;

static unsigned long rng(void)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return rng_state >> 33;
}

#define NR_LIVE     3000

struct live {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static size_t random_size(void)
{
    unsigned long r = rng() % 100;

    if (r < 70)
        return 1 + rng() % 256;
    if (r < 95)
        return 1 + rng() % 2048;
    return 2049 + rng() % (5 * PAGE_SIZE);
}

static void live_check_free(struct live *l)
{
    size_t i;

    for (i = 0; i < l->size; i++)
        assert_int_equal(l->p[i], l->tag);
    xfree(l->p);
}

static void test_stress(void **state)
{
    static struct live live[NR_LIVE];
    unsigned long nlive = 0, iter, i;

    (void)state;
    rng_state = 42;
    for (iter = 0; iter < 60000; iter++) {
        if (nlive == NR_LIVE || (nlive > 0 && rng() % 100 < 45)) {
            i = rng() % nlive;
            live_check_free(&live[i]);
            live[i] = live[--nlive];
            continue;
        }
        live[nlive].size = random_size();
        live[nlive].p = xzalloc_bytes(live[nlive].size);
        if (!live[nlive].p)
            continue;                   /* the arena may run out */
        assert_int_equal((unsigned long)live[nlive].p % 16, 0);
        assert_true(all_zero(live[nlive].p, live[nlive].size));
        live[nlive].tag = (unsigned char)(iter | 1);
        memset(live[nlive].p, live[nlive].tag, live[nlive].size);
        nlive++;
    }
    while (nlive > 0)
        live_check_free(&live[--nlive]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_sizes, test_teardown),
        cmocka_unit_test_teardown(test_edge_sizes, test_teardown),
        cmocka_unit_test_teardown(test_reuse_zeroed, test_teardown),
        cmocka_unit_test_teardown(test_page_return, test_teardown),
        cmocka_unit_test_teardown(test_big_blocks, test_teardown),
        cmocka_unit_test_teardown(test_stress, test_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
