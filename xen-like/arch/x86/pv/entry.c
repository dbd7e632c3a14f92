/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV run loop: entering a vCPU, hypercalls and exceptions from it, and
 * the checks made on every way back (shutdown, pending events).
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>
#include <asm/pv/time.h>

static struct cpu_regs *guest_frame(void)
{
    return (struct cpu_regs *)get_cpu_info() - 1;
}

void pv_run_vcpu(struct vcpu *v)
{
    local_irq_disable();
    pv_vcpu_time_start(v);
    pv_update_wallclock(v->domain);
    descriptor_load_gdt(v);
    desc_load_ldt(v->arch.ldt_ents);
    pv_fpu_restore(v);
    get_cpu_info()->current_vcpu = v;
    write_cr3(mfn_x(v->arch.guest_table) << PAGE_SHIFT);
    wrmsr(MSR_FS_BASE, v->arch.fs_base);
    wrmsr(MSR_GS_BASE, v->arch.gs_base_kernel);
    wrmsr(MSR_SHADOW_GS_BASE, v->arch.gs_base_user);
    v->arch.regs.cs |= 3;
    v->arch.regs.ss |= 3;
    pv_enter_guest(&v->arch.regs, guest_frame());
}

/* The vCPU stops (its domain is gone, or it went down): this CPU idles. */
void pv_vcpu_stop(void)
{
    get_cpu_info()->current_vcpu = NULL;
    write_cr3(idle_pg_table_pa());
    idle_loop();
}

void pv_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    if (!v->arch.kernel_mode) {
        if (!pv_bounce_syscall(v, regs)) {
            pv_show_guest_state(v, regs, "user syscall, no way to deliver");
            domain_crash(v->domain);
        }
        return;
    }
    local_irq_enable();
    pv_hypercall(v, regs);
    local_irq_disable();
}

void pv_exception(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    bool ec = regs->vector == 8 || (regs->vector >= 10 && regs->vector <= 14)
              || regs->vector == 17;

    uint64_t error = regs->error_code;

    if (regs->vector == TRAP_no_device && pv_handle_nm(v, regs))
        return;
    if (regs->vector == TRAP_invalid_op && pv_emulate_ud(v, regs))
        return;
    if (regs->vector == TRAP_gp_fault && pv_emulate_gp(v, regs))
        return;

    if (regs->vector == TRAP_page_fault) {
        unsigned long cr2 = read_cr2();

        if (pv_ldt_fault(v, cr2) || pv_ptwr_fault(v, regs, cr2))
            return;
        v->vcpu_info->arch.cr2 = cr2;
        /* The CPU always says "user" (CPL 3); the guest's kernel is not. */
        if (v->arch.kernel_mode)
            error &= ~PFEC_user;
    }
    if (pv_inject_trap(v, regs, regs->vector, ec, error))
        return;
    pv_show_guest_state(v, regs, "unhandled exception");
    domain_crash(v->domain);
}

/* Last stop before iretq: a dead domain never runs again; pending
 * events are delivered if the guest's virtual IF (upcall mask) allows. */
void pv_exit_to_guest(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    const struct vcpu_info *vi;

    if (!v || v->domain->is_shutting_down)
        pv_vcpu_stop();
    vi = v->vcpu_info;
    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask)
        pv_inject_event(v, regs);
}
