/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall dispatch: number in rax, arguments in rdi rsi rdx r10 r8. */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <asm/pv/entry.h>
#include <asm/pv/hypercall.h>

/* A value no handler returns: the hypercall does not exist (yet). */
#define NO_SUCH_HYPERCALL   (-0x7fffffffL)

static long dispatch(unsigned long nr, const struct cpu_regs *r)
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:
        return do_set_trap_table(r->rdi);
    case __HYPERVISOR_stack_switch:
        return do_stack_switch(r->rdi, r->rsi);
    case __HYPERVISOR_update_va_mapping:
        return do_update_va_mapping(r->rdi, r->rsi, r->rdx);
    case __HYPERVISOR_xen_version:
        return do_xen_version(r->rdi, r->rsi);
    case __HYPERVISOR_console_io:
        return do_console_io(r->rdi, r->rsi, r->rdx);
    case __HYPERVISOR_memory_op:
        return do_memory_op(r->rdi, r->rsi);
    case __HYPERVISOR_vm_assist:
        return do_vm_assist(r->rdi, r->rsi);
    case __HYPERVISOR_sched_op:
        return do_sched_op(r->rdi, r->rsi);
    case __HYPERVISOR_callback_op:
        return do_callback_op(r->rdi, r->rsi);
    default:
        return NO_SUCH_HYPERCALL;
    }
}

/* Which unknown hypercalls were already reported (one line each). */
static uint64_t reported_unknown;

static void report_unknown(const struct vcpu *v, unsigned long nr)
{
    uint64_t bit = 1ULL << (nr < 64 ? nr : 63);

    if (reported_unknown & bit)
        return;
    reported_unknown |= bit;
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
    regs->rax = dispatch(nr, regs);
    if ((long)regs->rax == NO_SUCH_HYPERCALL) {
        report_unknown(v, nr);
        regs->rax = -XEN_ENOSYS;
    }
}
