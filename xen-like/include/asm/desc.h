/* SPDX-License-Identifier: GPL-2.0-only */
/* Segment selectors and descriptor tables (GDT, IDT, TSS). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <hv/config.h>

/*
 * Each CPU's GDT is a 64 KiB window of GDT_PAGES pages in Keel's slot 261,
 * at a fixed address, so GDTR never changes (desc.c):
 *   pages 0-13  the running vCPU's GDT frames (FIRST_RESERVED_GDT_PAGE),
 *               a shared zeroed page where it has none
 *   page 14     Keel's descriptors: Xen's selectors from 0xe000
 *   page 15     the zeroed page
 */
#define GDT_PAGES               16
#define GDT_GUEST_PAGES         14
#define GDT_VIRT_START          (KEEL_VIRT_BASE + 2 * KEEL_VIRT_SIZE)
#define LDT_PAGES               16      /* 8192 descriptors */
/* Per CPU: the GDT's 16 pages, then the LDT's 16 (mapped on demand). */
#define DESC_WINDOW_PAGES       (GDT_PAGES + LDT_PAGES)
#define GDT_VIRT(cpu)           (GDT_VIRT_START + (unsigned long)(cpu) * \
                                 DESC_WINDOW_PAGES * PAGE_SIZE)
#define LDT_VIRT(cpu)           (GDT_VIRT(cpu) + GDT_PAGES * PAGE_SIZE)

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
/*
 * desc.c: per-CPU GDT window and TSS, the shared IDT.  desc_init_cpu(0)
 * runs first of all, on the boot page tables; the others before their CPU
 * starts.  0, or -1 without memory.
 */
int desc_init_cpu(unsigned int cpu, struct cpu_info *ci);
void desc_load_cpu(unsigned int cpu);
void idt_init(void);

/*
 * Maps frames[0..nr) (nr <= GDT_GUEST_PAGES) as the guest pages of this
 * CPU's GDT, the zeroed page in the others, and flushes what changed.
 * The caller holds a PGT_seg_desc_page reference on each frame until it
 * is unmapped again (the next call on this CPU).
 */
void desc_map_guest_gdt(const mfn_t *frames, unsigned int nr);

/* Loads this CPU's LDT window with ents descriptors (0: no LDT), all its
 * pages unmapped; desc_map_ldt_page() maps one on a fault. */
void desc_load_ldt(unsigned int ents);
void desc_map_ldt_page(unsigned int page, mfn_t mfn);
#endif

#endif
