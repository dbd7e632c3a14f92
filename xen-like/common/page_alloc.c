/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buddy allocator: free machine frames in naturally aligned blocks of
 * 2^order frames, one free list per order, over frame_table.
 */
#include <hv/config.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/spinlock.h>

struct page_info *frame_table;
unsigned long max_page;

/*
 * A free block has PGC_free on every one of its frames; its first frame
 * holds the block's order and sits on free_lists[order].  The other frames
 * hold ORDER_NONE, so that only a block's head can ever look like a buddy.
 */
#define ORDER_NONE      (~0U)

/* Protects free_lists, free_frames and the PGC_free/order of every frame. */
static DEFINE_SPINLOCK(heap_lock);
static struct list_head free_lists[MAX_ORDER + 1];
static unsigned long free_frames;

/* The largest order a block starting at mfn may have, from its alignment. */
static unsigned int page_alloc_align_order(unsigned long mfn)
{
    if (mfn == 0)
        return MAX_ORDER;
    return MIN((unsigned int)__builtin_ctzl(mfn), MAX_ORDER);
}

/* The largest order whose block fits in nr (> 0) frames. */
static unsigned int page_alloc_fit_order(unsigned long nr)
{
    unsigned int order = 63 - (unsigned int)__builtin_clzl(nr);

    return MIN(order, MAX_ORDER);
}

/*
 * Puts the free block at mfn (all frames already marked PGC_free and
 * ORDER_NONE) on the free lists, merging it with its free buddies first.
 */
static void page_alloc_merge(unsigned long mfn, unsigned int order)
{
    struct page_info *pg;

    ASSERT(spin_is_locked(&heap_lock));
    while (order < MAX_ORDER) {
        unsigned long buddy = mfn ^ (1UL << order);
        struct page_info *bpg = frame_table + buddy;

        if (buddy >= max_page || !(bpg->count_info & PGC_free) ||
            bpg->order != order)
            break;
        list_del(&bpg->list);
        bpg->order = ORDER_NONE;
        frame_table[mfn].order = ORDER_NONE;
        mfn &= ~(1UL << order);
        order++;
    }
    pg = frame_table + mfn;
    pg->order = order;
    list_add(&pg->list, &free_lists[order]);
}

/* Marks the 2^order frames at pg free; they must all be allocated. */
static void page_alloc_mark_free(struct page_info *pg, unsigned int order)
{
    unsigned long i;

    ASSERT(spin_is_locked(&heap_lock));
    for (i = 0; i < (1UL << order); i++) {
        /* A double free or a reserved frame would corrupt the lists. */
        BUG_ON(pg[i].count_info & (PGC_free | PGC_reserved));
        pg[i].count_info = PGC_free;
        pg[i].type_info = 0;
        pg[i].order = ORDER_NONE;
    }
    free_frames += 1UL << order;
}

void page_alloc_init(struct page_info *table, unsigned long nr_frames)
{
    unsigned long i;
    unsigned int order;

    frame_table = table;
    max_page = nr_frames;
    for (i = 0; i < nr_frames; i++) {
        list_init(&table[i].list);
        table[i].count_info = PGC_reserved;
        table[i].type_info = 0;
        table[i].order = 0;
        table[i].pad = 0;
    }
    for (order = 0; order <= MAX_ORDER; order++)
        list_init(&free_lists[order]);
    free_frames = 0;
}

/* Hands the frames [start, start + nr) to the heap; they must be reserved. */
void page_alloc_add_range(mfn_t start, unsigned long nr)
{
    unsigned long mfn = mfn_x(start);
    unsigned long end = mfn + nr;
    unsigned long flags;

    BUG_ON(end < mfn || end > max_page);
    flags = spin_lock_irqsave(&heap_lock);
    while (mfn < end) {
        unsigned int order = MIN(page_alloc_align_order(mfn),
                                 page_alloc_fit_order(end - mfn));
        struct page_info *pg = frame_table + mfn;
        unsigned long i;

        for (i = 0; i < (1UL << order); i++) {
            BUG_ON(!(pg[i].count_info & PGC_reserved));
            pg[i].count_info = 0;
        }
        page_alloc_mark_free(pg, order);
        page_alloc_merge(mfn, order);
        mfn += 1UL << order;
    }
    spin_unlock_irqrestore(&heap_lock, flags);
}

/* Takes a block of at least the given order off the free lists, or NULL. */
static struct page_info *page_alloc_take(unsigned int order)
{
    unsigned int j;
    struct page_info *pg;

    ASSERT(spin_is_locked(&heap_lock));
    for (j = order; j <= MAX_ORDER; j++)
        if (!list_empty(&free_lists[j]))
            break;
    if (j > MAX_ORDER)
        return NULL;
    pg = list_first_entry(&free_lists[j], struct page_info, list);
    list_del(&pg->list);

    /* Give back the upper halves until the block has the order asked for. */
    while (j > order) {
        struct page_info *upper;

        j--;
        upper = pg + (1UL << j);
        upper->order = j;
        list_add(&upper->list, &free_lists[j]);
    }
    return pg;
}

struct page_info *alloc_pages(unsigned int order)
{
    struct page_info *pg;
    unsigned long flags, i;

    if (order > MAX_ORDER)
        return NULL;
    flags = spin_lock_irqsave(&heap_lock);
    pg = page_alloc_take(order);
    if (pg) {
        /* Under the lock: a concurrent free looks at these flags. */
        for (i = 0; i < (1UL << order); i++) {
            ASSERT(pg[i].count_info == PGC_free);
            pg[i].count_info = 0;
            pg[i].type_info = 0;
        }
        pg->order = order;
        free_frames -= 1UL << order;
    }
    spin_unlock_irqrestore(&heap_lock, flags);
    return pg;
}

void free_pages(struct page_info *pg, unsigned int order)
{
    unsigned long mfn = mfn_x(page_to_mfn(pg));
    unsigned long flags;

    BUG_ON(order > MAX_ORDER);
    BUG_ON(!IS_ALIGNED(mfn, 1UL << order));
    BUG_ON(mfn >= max_page || max_page - mfn < (1UL << order));
    flags = spin_lock_irqsave(&heap_lock);
    page_alloc_mark_free(pg, order);
    page_alloc_merge(mfn, order);
    spin_unlock_irqrestore(&heap_lock, flags);
}

unsigned long page_alloc_free_frames(void)
{
    return ACCESS_ONCE(free_frames);
}

void *alloc_xenheap_pages(unsigned int order)
{
    struct page_info *pg = alloc_pages(order);
    void *va;

    if (!pg)
        return NULL;
    va = page_to_virt(pg);
    memset(va, 0, PAGE_SIZE << order);
    return va;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    if (!va)
        return;
    BUG_ON(!IS_ALIGNED((unsigned long)va, PAGE_SIZE));
    free_pages(mfn_to_page(virt_to_mfn(va)), order);
}
