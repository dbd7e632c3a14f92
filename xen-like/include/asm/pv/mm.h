/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV page types and reference counts (arch/x86/pv/pagetype.c): the rules
 * that keep a PV guest's page tables from mapping what it may not map.
 */
#ifndef ASM_PV_MM_H
#define ASM_PV_MM_H

#include <hv/types.h>
#include <hv/mm.h>

struct domain;

/*
 * count_info: PGC_free and PGC_reserved (hv/mm.h, the allocator's), then
 * PGC_allocated: the frame is assigned to its owner, and that assignment
 * holds one of the references counted in the low bits.  A frame's owner
 * only changes while its count is 0.
 */
#define PGC_allocated       (1UL << 61)
#define PGC_count_mask      ((1UL << 48) - 1)

/*
 * type_info: one type at a time (bits 61-63), PGT_pinned, PGT_validated,
 * and the count of references of that type in the low bits.  With a count
 * of 0 the frame has no type: any type may be taken.  The type bits then
 * still name the last type, only to decide whether stale TLB entries must
 * be flushed before the frame takes a different one.
 */
#define PGT_none            (0UL << 61)
#define PGT_l1_page_table   (1UL << 61)
#define PGT_l2_page_table   (2UL << 61)
#define PGT_l3_page_table   (3UL << 61)
#define PGT_l4_page_table   (4UL << 61)
#define PGT_seg_desc_page   (5UL << 61)   /* GDT/LDT frame */
#define PGT_writable_page   (7UL << 61)   /* has writable mappings */
#define PGT_type_mask       (7UL << 61)
#define PGT_pinned          (1UL << 60)   /* the pin holds one type ref */
#define PGT_validated       (1UL << 59)   /* contents checked for the type */
#define PGT_count_mask      ((1UL << 48) - 1)

/* The page-table type of a level (1..4). */
#define PGT_level(l)        ((unsigned long)(l) << 61)

/* Xen's hypervisor slots in every guest L4 (is_guest_l4_slot()). */
#define PAGETYPE_XEN_L4_FIRST   256
#define PAGETYPE_XEN_L4_LAST    271

/*
 * General references.  get_page() fails (false) unless pg is an in-use
 * frame owned by d whose count can grow.  put_page() of the last
 * reference calls pagetype_free_domheap_page().
 */
bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);

/*
 * Type references; the caller holds a general reference.  The first
 * reference of a page-table or seg_desc type validates the frame.
 * Returns 0, or -XEN_EINVAL (another type in use, bad contents, count
 * overflow), or what validating an entry returned (-XEN_EBUSY, -XEN_EPERM).
 */
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
/* Both; -XEN_EINVAL if get_page() fails. */
int get_page_and_type(struct page_info *pg, const struct domain *d,
                      unsigned long type);
void put_page_and_type(struct page_info *pg);

/*
 * Replace entry `slot` of the validated page table pg (its level given by
 * the name) with val: the new entry is checked and its references taken
 * first, then it is written atomically, then the old entry's references
 * are dropped.  preserve_ad keeps the old entry's Accessed/Dirty bits.
 * d owns the frames val may map (for L1: the caller, or the foreign domain
 * it may map for).  The caller holds a type reference of that level on pg
 * (see pagetype_get_validated()).  Returns 0 or -XEN_EINVAL/-XEN_EBUSY/
 * -XEN_EPERM.
 */
int mod_l1_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad);
int mod_l2_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad);
int mod_l3_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad);
int mod_l4_entry(struct domain *d, struct page_info *pg, unsigned int slot,
                 uint64_t val, bool preserve_ad);

/*
 * If pg has a validated type (count > 0), takes one more reference of it
 * and returns the type; otherwise takes nothing and returns PGT_none.
 * For mmu_update: a page table gets mod_lN_entry(), anything else an
 * ordinary write under a PGT_writable_page reference.
 */
unsigned long pagetype_get_validated(struct page_info *pg);

/* MMUEXT_PIN_Ln_TABLE / MMUEXT_UNPIN_TABLE: 0 or -XEN_EINVAL (bad frame,
 * already pinned / not pinned) or the error of validating the table. */
int pagetype_pin(struct domain *d, mfn_t mfn, unsigned int level);
int pagetype_unpin(struct domain *d, mfn_t mfn);

/* Assigns a freshly allocated frame (count 0) to d with the PGC_allocated
 * reference; release drops that reference (false if already released). */
void pagetype_assign_page(struct page_info *pg, struct domain *d);
bool pagetype_release_page(struct page_info *pg);

/*
 * Hooks the rest of Keel provides (host tests provide their own):
 * free_domheap_page: pg's last reference is gone (count 0, no type); give
 *   it back to the heap.  Stale TLB entries for it may exist: no one may
 *   reuse it before they are flushed.
 * iomem_allowed: may privileged d map the non-RAM frame mfn?  Must say no
 *   for the hypervisor's own frames and devices (image, LAPIC, IO-APIC,
 *   IOMMU, its UART).  No reference is taken on such frames.
 * iomem_ro: must mappings of the allowed I/O frame mfn be read-only?  A
 *   writable entry is then installed without _PAGE_RW (as Xen does), and
 *   the writes that fault are the fault handler's to emulate.
 * init_xen_l4_slots: write the hypervisor's entries 256-271 into an L4
 *   that has just been validated.
 * flush_tlbs: flush every CPU that may hold d's stale mappings (called
 *   when a frame changes type from a non-none type).
 * check_seg_desc_page: check (and fix up, e.g. force DPL 3) the 512
 *   descriptors of a frame becoming PGT_seg_desc_page; 0 or -XEN_EINVAL.
 */
/* pv/mm.c: the L1 frame mapping va in the loaded page tables, or NULL. */
struct page_info *pv_find_l1(unsigned long va);

void pagetype_free_domheap_page(struct page_info *pg);
bool pagetype_iomem_allowed(struct domain *d, mfn_t mfn);
bool pagetype_iomem_ro(mfn_t mfn);
void pagetype_init_xen_l4_slots(uint64_t *l4);
void pagetype_flush_tlbs(struct domain *d);
int pagetype_check_seg_desc_page(struct domain *d, uint64_t *descs);

#endif
