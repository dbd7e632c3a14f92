/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypercalls Keel implements, one do_<name>() per subsystem file. */
#ifndef ASM_PV_HYPERCALL_H
#define ASM_PV_HYPERCALL_H

#include <asm/processor.h>

struct vcpu;

/* Arguments arrive as the guest's registers; each handler casts them. */
long do_set_trap_table(unsigned long list);
long do_xen_version(unsigned long cmd, unsigned long arg);
long do_console_io(unsigned long cmd, unsigned long count,
                   unsigned long buf);
long do_sched_op(unsigned long cmd, unsigned long arg);
long do_callback_op(unsigned long cmd, unsigned long arg);
long do_stack_switch(unsigned long ss, unsigned long sp);
long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall);
long do_update_va_mapping(unsigned long va, unsigned long val,
                          unsigned long flags);
long do_vm_assist(unsigned long cmd, unsigned long type);
long do_memory_op(unsigned long cmd, unsigned long arg);
long do_platform_op(unsigned long op);
long do_mmu_update(unsigned long reqs, unsigned long count,
                   unsigned long done_out, unsigned long foreigndom);
long do_mmuext_op(unsigned long ops, unsigned long count,
                  unsigned long done_out, unsigned long foreigndom);
long do_multicall(unsigned long list, unsigned long nr);
long do_domctl(unsigned long arg);
long do_mca(unsigned long arg);
long do_physdev_op(unsigned long cmd, unsigned long arg);
long do_set_debugreg(unsigned long reg, unsigned long value);
long do_get_debugreg(unsigned long reg);
long do_set_timer_op(unsigned long timeout);
long do_vcpu_op(unsigned long cmd, unsigned long vcpuid, unsigned long arg);

/* hypercall.c: runs hypercall nr with args (multicall entries too). */
long hypercall_dispatch(unsigned long nr, const unsigned long args[5]);
#define NO_SUCH_HYPERCALL   (-0x7fffffffL)

/* traps.c: the iret hypercall works on the frame itself. */
void pv_do_iret(struct vcpu *v, struct cpu_regs *regs);

#endif
