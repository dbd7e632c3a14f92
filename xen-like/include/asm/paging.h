/* SPDX-License-Identifier: GPL-2.0-only */
/* Keel's own page tables: boot tables, the idle tables, ioremap. */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <hv/types.h>

/* head.S: identity + high mapping of physical 0..1 GiB. */
extern uint64_t boot_l4[];

/* Builds the idle page tables (direct map of [0, top)) and switches. */
void paging_init(paddr_t top);
paddr_t idle_pg_table_pa(void);
/* Loads Xen's PAT layout on this CPU. */
void cpu_init_pat(void);
uint64_t idle_l4_entry(unsigned int slot);
/* Maps device memory uncached; returns its address or NULL. */
void *ioremap(paddr_t pa, size_t size);
/* Maps 4 KiB pages into the idle tables (allocating tables as needed). */
int map_pages(unsigned long va, paddr_t pa, unsigned long nr, uint64_t flags);

#endif
