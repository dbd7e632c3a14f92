/* SPDX-License-Identifier: GPL-2.0-only */
/* Running PV vCPUs: entering the guest, and what brings Keel back. */
#ifndef ASM_PV_ENTRY_H
#define ASM_PV_ENTRY_H

#include <asm/processor.h>

struct vcpu;

static inline bool guest_mode(const struct cpu_regs *regs)
{
    return (regs->cs & 3) == 3;
}

/* entry.S */
void __noreturn pv_enter_guest(const struct cpu_regs *regs,
                               struct cpu_regs *frame);

/* entry.c */
void __noreturn pv_run_vcpu(struct vcpu *v);
void __noreturn pv_vcpu_stop(void);
void pv_syscall(struct cpu_regs *regs);
void pv_exception(struct cpu_regs *regs);
void pv_exit_to_guest(struct cpu_regs *regs);

/* traps.c: bounce to the guest's handler (false: it has none). */
bool pv_inject_trap(struct vcpu *v, struct cpu_regs *regs,
                    unsigned int vector, bool has_error, uint64_t error);
bool pv_inject_event(struct vcpu *v, struct cpu_regs *regs);
bool pv_bounce_syscall(struct vcpu *v, struct cpu_regs *regs);
void pv_toggle_guest_mode(struct vcpu *v);
void pv_show_guest_state(const struct vcpu *v, const struct cpu_regs *r,
                         const char *why);

/* ptwr.c: emulates a write to an L1 page table, or dom0's to a read-only
 * I/O frame (MMCONFIG, MSI-X tables); false if it is neither. */
bool pv_ptwr_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long cr2);

/* hypercall.c */
void pv_hypercall(struct vcpu *v, struct cpu_regs *regs);

#endif
