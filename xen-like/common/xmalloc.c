/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xzalloc_bytes()/xfree(): power-of-two size classes (16..2048 bytes) carved
 * out of single xenheap pages; larger requests get whole page blocks.
 */
#include <hv/config.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/spinlock.h>
#include <hv/xmalloc.h>

#define XMALLOC_MIN_SHIFT   4                   /* 16 bytes */
#define XMALLOC_MAX_SHIFT   11                  /* 2048 bytes */
#define XMALLOC_NR_CLASSES  (XMALLOC_MAX_SHIFT - XMALLOC_MIN_SHIFT + 1)
#define XMALLOC_MAX_SMALL   (1UL << XMALLOC_MAX_SHIFT)

/*
 * Per-page state lives in the page_info of the pages xmalloc owns (the
 * buddy allocator ignores the fields of allocated frames), so a slab page
 * is all objects, and xfree() finds everything from the pointer's frame:
 *   order  XMALLOC_TAG_SLAB | size class, or XMALLOC_TAG_BIG | block order
 *   pad    slab: objects in use (low 16 bits), first free object (high 16)
 *   list   slab: on partial[class] while it has a free object
 * A free object holds the index of the next free one in its first 16 bits.
 */
#define XMALLOC_TAG_MASK    0xffff0000U
#define XMALLOC_TAG_SLAB    0x5ab00000U
#define XMALLOC_TAG_BIG     0xb1600000U
#define XMALLOC_NO_OBJ      0xffffU

BUILD_BUG_ON(PAGE_SIZE >> XMALLOC_MIN_SHIFT >= XMALLOC_NO_OBJ);

/* Protects partial[] and the slab state of every slab page. */
static DEFINE_SPINLOCK(xmalloc_lock);
static struct list_head partial[XMALLOC_NR_CLASSES] = {
    LIST_HEAD_INIT(partial[0]), LIST_HEAD_INIT(partial[1]),
    LIST_HEAD_INIT(partial[2]), LIST_HEAD_INIT(partial[3]),
    LIST_HEAD_INIT(partial[4]), LIST_HEAD_INIT(partial[5]),
    LIST_HEAD_INIT(partial[6]), LIST_HEAD_INIT(partial[7]),
};
BUILD_BUG_ON(XMALLOC_NR_CLASSES != 8);

static unsigned int xmalloc_obj_size(unsigned int cls)
{
    return 1U << (cls + XMALLOC_MIN_SHIFT);
}

/* The smallest class holding size (1..XMALLOC_MAX_SMALL) bytes. */
static unsigned int xmalloc_class(size_t size)
{
    unsigned int cls = 0;

    while (xmalloc_obj_size(cls) < size)
        cls++;
    return cls;
}

static unsigned int slab_inuse(const struct page_info *pg)
{
    return pg->pad & 0xffffU;
}

static unsigned int slab_first_free(const struct page_info *pg)
{
    return pg->pad >> 16;
}

static void slab_set(struct page_info *pg, unsigned int inuse,
                     unsigned int first_free)
{
    pg->pad = (first_free << 16) | inuse;
}

static uint16_t *slab_obj(struct page_info *pg, unsigned int idx)
{
    unsigned int cls = pg->order & ~XMALLOC_TAG_MASK;

    return (uint16_t *)((char *)page_to_virt(pg) +
                        idx * xmalloc_obj_size(cls));
}

/* Makes a new slab page of class cls with every object free, or NULL. */
static struct page_info *slab_new(unsigned int cls)
{
    void *va = alloc_xenheap_pages(0);
    struct page_info *pg;
    unsigned int i, nr = PAGE_SIZE >> (cls + XMALLOC_MIN_SHIFT);

    if (!va)
        return NULL;
    pg = mfn_to_page(virt_to_mfn(va));
    pg->order = XMALLOC_TAG_SLAB | cls;
    slab_set(pg, 0, 0);
    for (i = 0; i < nr; i++)
        *slab_obj(pg, i) = i + 1 < nr ? i + 1 : XMALLOC_NO_OBJ;
    return pg;
}

/* Takes a free object of class cls from a partial slab, or NULL. */
static void *slab_take(unsigned int cls)
{
    struct page_info *pg;
    unsigned int idx;
    uint16_t *obj;

    ASSERT(spin_is_locked(&xmalloc_lock));
    if (list_empty(&partial[cls]))
        return NULL;
    pg = list_first_entry(&partial[cls], struct page_info, list);
    idx = slab_first_free(pg);
    ASSERT(idx != XMALLOC_NO_OBJ);
    obj = slab_obj(pg, idx);
    slab_set(pg, slab_inuse(pg) + 1, *obj);
    if (*obj == XMALLOC_NO_OBJ)
        list_del(&pg->list);
    return obj;
}

static void *xmalloc_small(size_t size)
{
    unsigned int cls = xmalloc_class(size);
    struct page_info *pg;
    unsigned long flags;
    void *p;

    flags = spin_lock_irqsave(&xmalloc_lock);
    p = slab_take(cls);
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    if (!p) {
        /* Allocated unlocked: the heap has its own lock. */
        pg = slab_new(cls);
        if (!pg)
            return NULL;
        flags = spin_lock_irqsave(&xmalloc_lock);
        list_add(&pg->list, &partial[cls]);
        p = slab_take(cls);
        spin_unlock_irqrestore(&xmalloc_lock, flags);
    }
    memset(p, 0, xmalloc_obj_size(cls));
    return p;
}

static void *xmalloc_big(size_t size)
{
    unsigned int order = 0;
    void *va;

    if (size > (PAGE_SIZE << MAX_ORDER))
        return NULL;
    while ((PAGE_SIZE << order) < size)
        order++;
    va = alloc_xenheap_pages(order);
    if (va)
        mfn_to_page(virt_to_mfn(va))->order = XMALLOC_TAG_BIG | order;
    return va;
}

void *xzalloc_bytes(size_t size)
{
    if (size == 0)
        return NULL;
    if (size <= XMALLOC_MAX_SMALL)
        return xmalloc_small(size);
    return xmalloc_big(size);
}

/* Whether object idx of slab pg is on its free list (debug checks). */
static bool slab_is_free(struct page_info *pg, unsigned int idx)
{
    unsigned int i;

    for (i = slab_first_free(pg); i != XMALLOC_NO_OBJ; i = *slab_obj(pg, i))
        if (i == idx)
            return true;
    return false;
}

/* Puts obj back in its slab; returns true if the slab page is now unused. */
static bool slab_put(struct page_info *pg, void *obj)
{
    unsigned int cls = pg->order & ~XMALLOC_TAG_MASK;
    unsigned long off = (unsigned long)obj & (PAGE_SIZE - 1);
    unsigned int idx = off >> (cls + XMALLOC_MIN_SHIFT);

    ASSERT(spin_is_locked(&xmalloc_lock));
    BUG_ON(cls >= XMALLOC_NR_CLASSES);
    BUG_ON(!IS_ALIGNED(off, xmalloc_obj_size(cls)) || slab_inuse(pg) == 0);
    ASSERT(!slab_is_free(pg, idx));     /* double free */
    if (slab_first_free(pg) == XMALLOC_NO_OBJ)
        list_add(&pg->list, &partial[cls]);
    *(uint16_t *)obj = slab_first_free(pg);
    slab_set(pg, slab_inuse(pg) - 1, idx);
    if (slab_inuse(pg) != 0)
        return false;
    list_del(&pg->list);
    pg->order = 0;
    return true;
}

void xfree(void *p)
{
    struct page_info *pg;
    unsigned long flags;
    bool empty;

    if (!p)
        return;
    pg = mfn_to_page(virt_to_mfn(p));
    if ((pg->order & XMALLOC_TAG_MASK) == XMALLOC_TAG_BIG) {
        unsigned int order = pg->order & ~XMALLOC_TAG_MASK;

        BUG_ON(!IS_ALIGNED((unsigned long)p, PAGE_SIZE));
        pg->order = 0;
        free_xenheap_pages(p, order);
        return;
    }
    /* Anything else is not from xzalloc_bytes(): a bug in the caller. */
    BUG_ON((pg->order & XMALLOC_TAG_MASK) != XMALLOC_TAG_SLAB);
    flags = spin_lock_irqsave(&xmalloc_lock);
    empty = slab_put(pg, p);
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    if (empty)
        free_xenheap_pages(page_to_virt(pg), 0);
}
