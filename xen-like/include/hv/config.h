/* SPDX-License-Identifier: GPL-2.0-only */
/* Build configuration (make variables) and the virtual memory layout. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <hv/compiler.h>

#ifdef KEEL_HV
#include <generated/config.h>
#else /* host unit tests */
#define NR_CPUS 64
#define KEEL_DEBUG 1
#endif

#define PAGE_SHIFT      12
#define PAGE_SIZE       (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))

/*
 * Keel owns L4 slots 256-271 of every address space, like Xen: the guest
 * owns the rest, including the top 2 GiB where Linux lives.
 *   0xffff800000000000  M2P, read-only to guests (MACH2PHYS_VIRT_START)
 *   0xffff82c000000000  ioremap area: device MMIO, uncached, 4 KiB pages
 *   0xffff82d040000000  KEEL_VIRT_BASE: physical 0..1 GiB, holds the image
 *   0xffff830000000000  direct map of all RAM (to the end of slot 271)
 */
#define KEEL_VIRT_BASE          _AC(0xffff82d040000000, UL)
#define KEEL_VIRT_SIZE          (_AC(1, UL) << 30)
#define KEEL_PHYS_START         _AC(0x200000, UL)
#define IOREMAP_VIRT_START      _AC(0xffff82c000000000, UL)
#define IOREMAP_VIRT_SIZE       (_AC(1, UL) << 30)
#define DIRECTMAP_VIRT_START    _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_END      _AC(0xffff880000000000, UL)

/* AP start-up code is copied here (below 1 MiB; SIPI vector 0x08). */
#define TRAMPOLINE_PHYS         _AC(0x8000, UL)

#define STACK_ORDER     3
#define STACK_SIZE      (PAGE_SIZE << STACK_ORDER)

#endif
