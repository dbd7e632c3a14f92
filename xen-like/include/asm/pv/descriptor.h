/* SPDX-License-Identifier: GPL-2.0-only */
/* PV segments: GDT frames, single descriptors, segment bases. */
#ifndef ASM_PV_DESCRIPTOR_H
#define ASM_PV_DESCRIPTOR_H

#include <hv/types.h>
#include <hv/abi.h>

struct vcpu;

/*
 * set_gdt(frame_list, entries): entries <= FIRST_RESERVED_GDT_ENTRY, the
 * ceil(entries / 512) frames each owned and free of other types.
 * update_descriptor(maddr, desc): one checked descriptor into an owned
 * frame that is a GDT/LDT frame or no page table.  set_segment_base(which,
 * base): SEGBASE_*.  0, or -XEN_EINVAL (-XEN_EFAULT for a bad frame list).
 */
long do_set_gdt(unsigned long frame_list, unsigned long entries);
long do_update_descriptor(unsigned long maddr, unsigned long desc);
long do_set_segment_base(unsigned long which, unsigned long base);

/*
 * The rule every guest descriptor passes (64-bit PV, Xen's): not present,
 * code/data (DPL forced to 3), or a call gate to a guest code selector
 * (DPL forced to 0, so using it traps).  Fixes *desc up; 0 or -XEN_EINVAL.
 */
int descriptor_check(uint64_t *desc);

/* Maps v's GDT frames into this CPU's GDT: v is about to run here. */
void descriptor_load_gdt(const struct vcpu *v);

/* set_gdt for any vCPU of the caller (load: it runs on this CPU). */
int pv_set_gdt(struct vcpu *v, const xen_pfn_t *list, unsigned int entries,
               bool load);

/* MMUEXT_SET_LDT, and the fault that maps an LDT page on first use. */
long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents);
bool pv_ldt_fault(struct vcpu *v, unsigned long cr2);

#endif
