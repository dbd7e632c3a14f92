/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot-time memory allocator, until the buddy allocator takes over. */
#ifndef HV_BOOTMEM_H
#define HV_BOOTMEM_H

#include <hv/types.h>

/* Adds a RAM range (trimmed to whole pages). */
void bootmem_add(paddr_t start, paddr_t end);
/* Removes [start, end) from what can be handed out. */
void bootmem_reserve(paddr_t start, paddr_t end);
/* Takes nr pages from the highest free range below limit; 0 if none. */
paddr_t bootmem_alloc(unsigned long nr, paddr_t limit);
/* Gives every remaining range to the buddy allocator; returns frames. */
unsigned long bootmem_handover(void);
bool bootmem_done(void);
/* Frames in the free ranges now. */
unsigned long bootmem_free_frames(void);

#endif
