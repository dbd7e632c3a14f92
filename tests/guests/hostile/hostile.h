/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hostile: shared state between the driver (main.c) and the argument
 * generators (gen.c).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <guest.h>

#define NR_SCRATCH 8          /* scratch pages, then one unmapped guard */
#define NR_TABLES 4           /* zeroed read-only pages: pinnable L1-L4 */
#define NR_SLOTS 9            /* arena slots: 8 multicall entries + 1 */
#define SLOT_SIZE 512

/*
 * Scratch memory holds garbage and is the only writable memory a
 * generated pointer may reach; the arena holds structures whose fields
 * the generators chose and no generated pointer can reach.
 */
extern char scratch[NR_SCRATCH + 1][PAGE_SIZE];
extern uint64_t scratch_tables[NR_TABLES][PAGE_SIZE / 8];
extern uint64_t *scratch_l1;
extern unsigned long max_ram_page;

struct hcall {
    unsigned int nr;
    unsigned long a[5];
    bool restore;             /* may have replaced traps or callbacks */
};

uint64_t rnd(void);
unsigned long rnd_below(unsigned long n);
/* Records our frames (from the p2m) before the storm; then mfn_is_ours. */
void mfn_ownership_init(void);
bool mfn_is_ours(unsigned long mfn);
unsigned long scratch_mfn(unsigned int i);
/* Unmaps the arena's guard pages (gen.c); 0 or the hypercall's error. */
long arena_init(void);
/* Fill `call` with a generated hypercall; arena slot `slot` for structs. */
void gen_call(struct hcall *call, unsigned int slot, bool in_multicall);

#endif /* HOSTILE_H */
