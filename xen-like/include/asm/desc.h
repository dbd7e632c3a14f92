/* SPDX-License-Identifier: GPL-2.0-only */
/* Segment selectors and descriptor tables (GDT, IDT, TSS). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

/*
 * Xen's selector layout (public/arch-x86/xen-x86_64.h): guest descriptors
 * below entry 0x1c00, the hypervisor's from 0x1c00 (selector 0xe000) on.
 */
#define GDT_ENTRIES              (0x1c00 + 16)  /* FIRST_RESERVED_GDT_ENTRY + 16 */
#define HV_CS           0xe008  /* 64-bit ring 0 code */
#define HV_DS           0xe010  /* ring 0 data */
#define HV_CS32         0xe018  /* 32-bit ring 0 code */
#define GUEST_CS32      0xe023  /* FLAT_RING3_CS32 */
#define GUEST_DS        0xe02b  /* FLAT_RING3_DS32 / SS64 */
#define GUEST_CS64      0xe033  /* FLAT_RING3_CS64 */
#define TSS_SEL         0xe040
#define LDT_SEL         0xe050

#define IST_DF          1
#define IST_NMI         2
#define IST_MC          3

#ifndef __ASSEMBLY__
#include <hv/types.h>

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

struct cpu_info;
/* desc.c: per-CPU GDT and TSS, the shared IDT. */
int desc_init_cpu(unsigned int cpu, struct cpu_info *ci);
void desc_load_cpu(unsigned int cpu);
void idt_init(void);
#endif

#endif
