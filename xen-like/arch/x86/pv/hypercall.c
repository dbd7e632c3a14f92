/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall dispatch: number in rax, arguments in rdi rsi rdx r10 r8. */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/lib.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>
#include <asm/pv/hypercall.h>

/* NO_SUCH_HYPERCALL: a value no handler returns. */
long hypercall_dispatch(unsigned long nr, const unsigned long a[5])
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:
        return do_set_trap_table(a[0]);
    case __HYPERVISOR_set_callbacks:
        return do_set_callbacks(a[0], a[1], a[2]);
    case __HYPERVISOR_stack_switch:
        return do_stack_switch(a[0], a[1]);
    case __HYPERVISOR_update_va_mapping:
        return do_update_va_mapping(a[0], a[1], a[2]);
    case __HYPERVISOR_xen_version:
        return do_xen_version(a[0], a[1]);
    case __HYPERVISOR_console_io:
        return do_console_io(a[0], a[1], a[2]);
    case __HYPERVISOR_mmu_update:
        return do_mmu_update(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_mmuext_op:
        return do_mmuext_op(a[0], a[1], a[2], a[3]);
    case __HYPERVISOR_multicall:
        return do_multicall(a[0], a[1]);
    case __HYPERVISOR_fpu_taskswitch:
        return do_fpu_taskswitch(a[0]);
    case __HYPERVISOR_set_timer_op:
        return do_set_timer_op(a[0]);
    case __HYPERVISOR_vcpu_op:
        return do_vcpu_op(a[0], a[1], a[2]);
    case __HYPERVISOR_grant_table_op:
        return do_grant_table_op(a[0], a[1], a[2]);
    case __HYPERVISOR_event_channel_op:
        return do_event_channel_op(a[0], a[1]);
    case __HYPERVISOR_physdev_op:
        return do_physdev_op(a[0], a[1]);
    case __HYPERVISOR_set_debugreg:
        return do_set_debugreg(a[0], a[1]);
    case __HYPERVISOR_get_debugreg:
        return do_get_debugreg(a[0]);
    case __HYPERVISOR_mca:
        return do_mca(a[0]);
    case __HYPERVISOR_domctl:
        return do_domctl(a[0]);
    case __HYPERVISOR_memory_op:
        return do_memory_op(a[0], a[1]);
    case __HYPERVISOR_platform_op:
        return do_platform_op(a[0]);
    case __HYPERVISOR_vm_assist:
        return do_vm_assist(a[0], a[1]);
    case __HYPERVISOR_sched_op:
        return do_sched_op(a[0], a[1]);
    case __HYPERVISOR_callback_op:
        return do_callback_op(a[0], a[1]);
    case __HYPERVISOR_set_gdt:
        return do_set_gdt(a[0], a[1]);
    case __HYPERVISOR_update_descriptor:
        return do_update_descriptor(a[0], a[1]);
    case __HYPERVISOR_set_segment_base:
        return do_set_segment_base(a[0], a[1]);
    default:
        return NO_SUCH_HYPERCALL;
    }
}

static void report_unknown(const struct vcpu *v, unsigned long nr)
{
    static uint64_t reported;

    if (!log_once(&reported, nr))
        return;
    pr_warn("d%uv%u: hypercall %lu is not implemented: -ENOSYS\n",
            v->domain->domain_id, v->vcpu_id, nr);
}

void pv_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
    unsigned long nr = regs->rax;

    if (nr == __HYPERVISOR_iret) {
        pv_do_iret(v, regs);
        return;
    }
    const unsigned long args[5] = { regs->rdi, regs->rsi, regs->rdx,
                                    regs->r10, regs->r8 };

    regs->rax = hypercall_dispatch(nr, args);
    if ((long)regs->rax == NO_SUCH_HYPERCALL) {
        report_unknown(v, nr);
        regs->rax = -XEN_ENOSYS;
    }
}
