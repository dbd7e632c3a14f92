/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot memory: the RAM ranges of the memory map minus what is in use
 * (image, modules, low 1 MiB), handed out page-wise from the top until
 * the buddy allocator exists, then handed over to it whole.
 */
#include <hv/bootmem.h>
#include <hv/config.h>
#include <hv/lib.h>
#include <hv/mm.h>

#define MAX_RANGES 256

struct range {
    paddr_t start, end;
};

static struct range ranges[MAX_RANGES];
static unsigned int nr_ranges;
static bool handed_over;

static void insert_range(paddr_t start, paddr_t end)
{
    unsigned int i;

    if (start >= end)
        return;
    if (nr_ranges == MAX_RANGES)
        panic("bootmem: more than %u memory ranges", MAX_RANGES);
    for (i = nr_ranges; i > 0 && ranges[i - 1].start > start; i--)
        ranges[i] = ranges[i - 1];
    ranges[i].start = start;
    ranges[i].end = end;
    nr_ranges++;
}

void bootmem_add(paddr_t start, paddr_t end)
{
    BUG_ON(handed_over);
    insert_range(ROUNDUP(start, PAGE_SIZE), ROUNDDOWN(end, PAGE_SIZE));
}

static void remove_at(unsigned int i)
{
    for (; i + 1 < nr_ranges; i++)
        ranges[i] = ranges[i + 1];
    nr_ranges--;
}

void bootmem_reserve(paddr_t start, paddr_t end)
{
    unsigned int i;

    start = ROUNDDOWN(start, PAGE_SIZE);
    end = ROUNDUP(end, PAGE_SIZE);
    for (i = 0; i < nr_ranges; i++) {
        struct range r = ranges[i];

        if (end <= r.start || start >= r.end)
            continue;
        remove_at(i);
        insert_range(r.start, MIN(start, r.end));
        insert_range(MAX(end, r.start), r.end);
        i = (unsigned int)-1;   /* the list changed: start over */
    }
}

paddr_t bootmem_alloc(unsigned long nr, paddr_t limit)
{
    paddr_t size = (paddr_t)nr << PAGE_SHIFT;
    unsigned int i;

    BUG_ON(handed_over);
    for (i = nr_ranges; i-- > 0;) {
        paddr_t top = MIN(ranges[i].end, limit);

        if (top < ranges[i].start || top - ranges[i].start < size)
            continue;
        bootmem_reserve(top - size, top);
        return top - size;
    }
    return 0;
}

unsigned long bootmem_free_frames(void)
{
    unsigned long frames = 0;
    unsigned int i;

    for (i = 0; i < nr_ranges; i++)
        frames += (ranges[i].end - ranges[i].start) >> PAGE_SHIFT;
    return frames;
}

unsigned long bootmem_handover(void)
{
    unsigned long frames = bootmem_free_frames();
    unsigned int i;

    for (i = 0; i < nr_ranges; i++)
        page_alloc_add_range(_mfn(ranges[i].start >> PAGE_SHIFT),
                             (ranges[i].end - ranges[i].start) >> PAGE_SHIFT);
    nr_ranges = 0;
    handed_over = true;
    return frames;
}

bool bootmem_done(void)
{
    return handed_over;
}
