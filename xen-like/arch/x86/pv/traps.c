/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exceptions for a PV guest: its trap table (set_trap_table), the bounce
 * frame that delivers one to its handler, and the iret hypercall.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/symbols.h>
#include <hv/traps.h>
#include <hv/xmalloc.h>
#include <asm/processor.h>
#include <asm/pv/entry.h>
#include <asm/pv/hypercall.h>

#define MAX_TRAP_ENTRIES    4096
#define TI_INTERRUPT_GATE   4

/*
 * Guest kernel <-> guest user: both run at CPL 3, so the mode is Keel's
 * flag, the loaded L4 and which GS base is active (swapgs swaps the
 * active base with MSR_SHADOW_GS_BASE, which holds the other mode's).
 */
void pv_toggle_guest_mode(struct vcpu *v)
{
    v->arch.kernel_mode = !v->arch.kernel_mode;
    __asm__ __volatile__("swapgs" : : : "memory");
    write_cr3(mfn_x(v->arch.kernel_mode ? v->arch.guest_table
                                        : v->arch.guest_table_user)
              << PAGE_SHIFT);
}

/*
 * Builds the frame of public/arch-x86/xen-x86_64.h and jumps to handler.
 * From guest user mode the vCPU first enters guest kernel mode, on the
 * stack given by stack_switch.
 */
static bool bounce(struct vcpu *v, struct cpu_regs *regs,
                   unsigned long handler, bool has_error, uint64_t error,
                   bool mask_events)
{
    uint8_t mask = v->vcpu_info->evtchn_upcall_mask;
    uint64_t f[8];
    unsigned int n = 0;
    unsigned long rsp = regs->rsp;
    uint64_t cs = regs->cs & 0xffff;

    if (v->arch.kernel_mode) {
        cs &= ~3UL;             /* the guest kernel believes it is ring 0 */
    } else {
        pv_toggle_guest_mode(v);
        rsp = v->arch.kernel_sp;
    }
    rsp &= ~0xfUL;
    f[n++] = regs->rcx;
    f[n++] = regs->r11;
    if (has_error)
        f[n++] = error;
    f[n++] = regs->rip;
    f[n++] = cs | ((uint64_t)mask << 32);
    f[n++] = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
             (mask ? 0 : X86_EFLAGS_IF);
    f[n++] = regs->rsp;
    f[n++] = regs->ss & 0xffff;
    rsp -= n * sizeof(uint64_t);
    if (copy_to_guest((void *)rsp, f, n * sizeof(uint64_t)))
        return false;
    regs->rip = handler;
    regs->rsp = rsp;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                      X86_EFLAGS_VM | X86_EFLAGS_AC);
    if (mask_events)
        v->vcpu_info->evtchn_upcall_mask = 1;
    return true;
}

/* A guest user syscall: the syscall callback, or #UD at the syscall. */
bool pv_bounce_syscall(struct vcpu *v, struct cpu_regs *regs)
{
    if (!v->arch.syscall_callback) {
        regs->rip -= 2;         /* the syscall instruction: 0f 05 */
        return pv_inject_trap(v, regs, 6, false, 0);
    }
    return bounce(v, regs, v->arch.syscall_callback, false, 0,
                  v->arch.syscall_masks_events);
}

bool pv_inject_trap(struct vcpu *v, struct cpu_regs *regs,
                    unsigned int vector, bool has_error, uint64_t error)
{
    const struct trap_info *ti = &v->arch.trap_ctxt[vector & 0xff];

    if (!ti->address)
        return false;
    return bounce(v, regs, ti->address, has_error, error,
                  ti->flags & TI_INTERRUPT_GATE);
}

/* Delivers pending events: the event callback, with events masked. */
bool pv_inject_event(struct vcpu *v, struct cpu_regs *regs)
{
    if (!v->arch.event_callback)
        return false;
    return bounce(v, regs, v->arch.event_callback, false, 0, true);
}

void pv_show_guest_state(const struct vcpu *v, const struct cpu_regs *r,
                         const char *why)
{
    pr_err("d%uv%u: %s: vector %lu, error %#lx, rip %04lx:%016lx, "
           "rsp %016lx, rflags %lx\n", v->domain->domain_id, v->vcpu_id,
           why, r->vector, r->error_code, r->cs, r->rip, r->rsp, r->rflags);
    show_registers(r);
}

/* set_trap_table(list): checks the whole list before replacing the old. */
long do_set_trap_table(unsigned long list)
{
    struct vcpu *v = current;
    struct trap_info *table, ti;
    unsigned int i;
    long rc = 0;

    if (!list) {
        memset(v->arch.trap_ctxt, 0, sizeof(v->arch.trap_ctxt));
        return 0;
    }
    if (!(table = xzalloc_array(struct trap_info, 256)))
        return -XEN_ENOMEM;
    memcpy(table, v->arch.trap_ctxt, sizeof(v->arch.trap_ctxt));
    for (i = 0;; i++) {
        if (i == MAX_TRAP_ENTRIES) {
            rc = -XEN_EINVAL;
            goto out;
        }
        if (copy_from_guest(&ti, (const struct trap_info *)list + i,
                            sizeof(ti))) {
            rc = -XEN_EFAULT;
            goto out;
        }
        if (!ti.address)
            break;
        if (!is_canonical(ti.address)) {
            rc = -XEN_EINVAL;
            goto out;
        }
        table[ti.vector] = ti;
    }
    memcpy(v->arch.trap_ctxt, table, sizeof(v->arch.trap_ctxt));
out:
    xfree(table);
    return rc;
}

/*
 * HYPERVISOR_iret: the guest stack holds struct iret_context (rax, r11,
 * rcx, flags, rip, cs, rflags, rsp, ss).  A CS with RPL 3 returns to
 * guest user mode (which needs a user L4).
 */
void pv_do_iret(struct vcpu *v, struct cpu_regs *regs)
{
    struct iret_context ic;

    if (copy_from_guest(&ic, (const void *)regs->rsp, sizeof(ic))) {
        pv_show_guest_state(v, regs, "iret with an unreadable frame");
        domain_crash(v->domain);
        return;
    }
    if ((ic.cs & 3) == 3 && mfn_eq(v->arch.guest_table_user, INVALID_MFN)) {
        pv_show_guest_state(v, regs, "iret to user mode without a user L4");
        domain_crash(v->domain);
        return;
    }
    if ((ic.cs & 3) == 3)
        pv_toggle_guest_mode(v);
    regs->rip = ic.rip;
    regs->cs = ic.cs | 3;
    regs->rflags = (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                   X86_EFLAGS_IF;
    regs->rsp = ic.rsp;
    regs->ss = ic.ss | 3;
    if (ic.flags & VGCF_in_syscall) {
        /* As if returning with sysret: rcx = rip, r11 = rflags. */
        regs->rcx = regs->rip;
        regs->r11 = regs->rflags;
    } else {
        regs->r11 = ic.r11;
        regs->rcx = ic.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    regs->rax = ic.rax;
}
