/* SPDX-License-Identifier: GPL-2.0-only */
/* x86-64 page-table entry bits and indices. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/config.h>

#define _PAGE_PRESENT   _AC(0x001, UL)
#define _PAGE_RW        _AC(0x002, UL)
#define _PAGE_USER      _AC(0x004, UL)
#define _PAGE_PWT       _AC(0x008, UL)
#define _PAGE_PCD       _AC(0x010, UL)
#define _PAGE_ACCESSED  _AC(0x020, UL)
#define _PAGE_DIRTY     _AC(0x040, UL)
#define _PAGE_PSE       _AC(0x080, UL)
#define _PAGE_GLOBAL    _AC(0x100, UL)
#define _PAGE_NX        (_AC(1, UL) << 63)

#define PADDR_MASK      _AC(0x000ffffffffff000, UL)

#define PAGE_HYPERVISOR     (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
                             _PAGE_DIRTY)
#define PAGE_HYPERVISOR_UC  (PAGE_HYPERVISOR | _PAGE_PCD | _PAGE_PWT | \
                             _PAGE_NX)
#define PAGE_TABLE_FLAGS    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
                             _PAGE_DIRTY)

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_ENTRIES 512

#define l1_index(va) (((va) >> L1_SHIFT) & 511)
#define l2_index(va) (((va) >> L2_SHIFT) & 511)
#define l3_index(va) (((va) >> L3_SHIFT) & 511)
#define l4_index(va) (((va) >> L4_SHIFT) & 511)

#define L2_PAGE_SIZE    (_AC(1, UL) << L2_SHIFT)
#define L3_PAGE_SIZE    (_AC(1, UL) << L3_SHIFT)

#endif
