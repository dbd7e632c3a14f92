/* SPDX-License-Identifier: GPL-2.0-only */
/* Exception and interrupt dispatch. */
#ifndef HV_TRAPS_H
#define HV_TRAPS_H

#include <asm/processor.h>

typedef void (*irq_handler_t)(struct cpu_regs *regs);

/* Installs the handler of a local-APIC vector (timer, IPIs). */
void set_irq_handler(unsigned int vector, irq_handler_t fn);
void do_trap(struct cpu_regs *regs);
void show_registers(const struct cpu_regs *regs);
void show_backtrace(unsigned long rip, unsigned long rbp);
/* extable.c: resumes a faulting instruction at its fixup, if it has one. */
bool extable_fixup(struct cpu_regs *regs);

#endif
