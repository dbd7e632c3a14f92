/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine-to-phys table, read-only to every PV guest. */
#ifndef ASM_M2P_H
#define ASM_M2P_H

#include <hv/types.h>

#define INVALID_M2P_ENTRY   (~0UL)

int m2p_init(void);
void m2p_set(mfn_t mfn, unsigned long pfn);
unsigned long m2p_get(mfn_t mfn);
/* The frame holding byte offset of the table; false past its end. */
bool m2p_frame_at(unsigned long offset, mfn_t *mfn);

#endif
