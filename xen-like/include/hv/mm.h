/* SPDX-License-Identifier: GPL-2.0-only */
/* Frames: the frame table, the buddy allocator, address conversions. */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/config.h>
#include <hv/types.h>
#include <hv/list.h>

struct domain;

/* One per machine frame, indexed by MFN. */
struct page_info {
    struct list_head list;     /* free list of the buddy allocator */
    unsigned long count_info;  /* PGC_* flags (and later a reference count) */
    unsigned long type_info;   /* PV page type and type count (M2) */
    unsigned int order;        /* for a free block's first page: its order */
    unsigned int pad;
    struct domain *owner;      /* the domain a guest frame is assigned to */
};

#define PGC_free        (1UL << 63)   /* in the buddy allocator */
#define PGC_reserved    (1UL << 62)   /* never handed to the allocator */

#define MAX_ORDER       20            /* largest block: 4 GiB */

extern struct page_info *frame_table;
extern unsigned long max_page;        /* frames covered by frame_table */

#ifdef KEEL_HV
#define directmap_base  DIRECTMAP_VIRT_START
#else
extern unsigned long directmap_base;  /* host tests: a malloc'd arena */
#endif

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return frame_table + mfn_x(mfn);
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn((unsigned long)(pg - frame_table));
}

static inline void *maddr_to_virt(paddr_t ma)
{
    return (void *)(directmap_base + ma);
}

static inline paddr_t virt_to_maddr(const void *va)
{
    return (paddr_t)((unsigned long)va - directmap_base);
}

static inline void *mfn_to_virt(mfn_t mfn)
{
    return maddr_to_virt((paddr_t)mfn_x(mfn) << PAGE_SHIFT);
}

static inline mfn_t virt_to_mfn(const void *va)
{
    return _mfn(virt_to_maddr(va) >> PAGE_SHIFT);
}

static inline void *page_to_virt(const struct page_info *pg)
{
    return mfn_to_virt(page_to_mfn(pg));
}

/* page_alloc.c: the buddy allocator over frame_table. */
void page_alloc_init(struct page_info *table, unsigned long nr_frames);
void page_alloc_add_range(mfn_t start, unsigned long nr);
struct page_info *alloc_pages(unsigned int order);
void free_pages(struct page_info *pg, unsigned int order);
unsigned long page_alloc_free_frames(void);
/* Same, returning direct-map addresses; zeroed memory. */
void *alloc_xenheap_pages(unsigned int order);
void free_xenheap_pages(void *va, unsigned int order);

#endif
