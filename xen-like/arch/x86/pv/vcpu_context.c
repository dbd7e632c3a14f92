/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VCPUOP_initialise: a vCPU's starting state from a struct
 * vcpu_guest_context (public/arch-x86/xen.h), checked before any of it is
 * taken.  Linux brings up its secondary CPUs this way (cpu_initialize_context).
 */
#include <hv/abi.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/mm.h>
#include <asm/pv/vcpu.h>

static int check_context(const struct vcpu_guest_context *c)
{
    unsigned int i;

    /* Only guest-kernel starts: a vCPU always begins in its kernel. */
    if (!(c->flags & VGCF_in_kernel) || !is_canonical(c->user_regs.rip) ||
        !is_canonical(c->event_callback_eip) ||
        !is_canonical(c->failsafe_callback_eip) ||
        !is_canonical(c->syscall_callback_eip) ||
        c->ldt_ents > 8192 || (c->ldt_base & (PAGE_SIZE - 1)) ||
        !guest_range_ok(c->ldt_base, c->ldt_ents * 8))
        return -XEN_EINVAL;
    for (i = 0; i < 256; i++)
        if (!is_canonical(c->trap_ctxt[i].address))
            return -XEN_EINVAL;
    return 0;
}

static void load_regs(struct vcpu *v, const struct cpu_user_regs *u)
{
    struct cpu_regs *r = &v->arch.regs;

    memset(r, 0, sizeof(*r));
    r->r15 = u->r15, r->r14 = u->r14, r->r13 = u->r13, r->r12 = u->r12;
    r->rbp = u->rbp, r->rbx = u->rbx, r->r11 = u->r11, r->r10 = u->r10;
    r->r9 = u->r9, r->r8 = u->r8, r->rax = u->rax, r->rcx = u->rcx;
    r->rdx = u->rdx, r->rsi = u->rsi, r->rdi = u->rdi;
    r->rip = u->rip;
    r->rsp = u->rsp;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rflags = (u->rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                X86_EFLAGS_IF | 2;
    /* IOPL in the context is the virtual IOPL (Linux passes ring 1). */
    v->arch.iopl = (u->rflags & X86_EFLAGS_IOPL) >> 12;
}

/* The page tables: kernel L4 in ctrlreg[3], user L4 in ctrlreg[1]. */
static int load_tables(struct vcpu *v, const struct vcpu_guest_context *c)
{
    mfn_t k = _mfn(c->ctrlreg[3] >> PAGE_SHIFT);
    mfn_t u = _mfn(c->ctrlreg[1] >> PAGE_SHIFT);

    if (mfn_x(k) >= max_page ||
        get_page_and_type(mfn_to_page(k), v->domain, PGT_l4_page_table))
        return -XEN_EINVAL;
    if (mfn_x(u) && (mfn_x(u) >= max_page ||
                     get_page_and_type(mfn_to_page(u), v->domain,
                                       PGT_l4_page_table))) {
        put_page_and_type(mfn_to_page(k));
        return -XEN_EINVAL;
    }
    v->arch.guest_table = k;
    v->arch.guest_table_user = mfn_x(u) ? u : INVALID_MFN;
    return 0;
}

int pv_vcpu_load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    int rc = check_context(c);

    if (rc || (rc = load_tables(v, c)))
        return rc;
    if ((rc = pv_set_gdt(v, c->gdt_frames, c->gdt_ents, false))) {
        put_page_and_type(mfn_to_page(v->arch.guest_table));
        if (!mfn_eq(v->arch.guest_table_user, INVALID_MFN))
            put_page_and_type(mfn_to_page(v->arch.guest_table_user));
        v->arch.guest_table = v->arch.guest_table_user = INVALID_MFN;
        return rc;
    }
    load_regs(v, &c->user_regs);
    memcpy(v->arch.trap_ctxt, c->trap_ctxt, sizeof(v->arch.trap_ctxt));
    v->arch.ldt_base = c->ldt_base;
    v->arch.ldt_ents = c->ldt_ents;
    v->arch.kernel_ss = c->kernel_ss;
    v->arch.kernel_sp = c->kernel_sp;
    v->arch.event_callback = c->event_callback_eip;
    v->arch.failsafe_callback = c->failsafe_callback_eip;
    v->arch.syscall_callback = c->syscall_callback_eip;
    v->arch.syscall_masks_events = c->flags & VGCF_syscall_disables_events;
    v->arch.fs_base = c->fs_base;
    v->arch.gs_base_kernel = c->gs_base_kernel;
    v->arch.gs_base_user = c->gs_base_user;
    v->arch.kernel_mode = true;
    if (c->flags & VGCF_I387_VALID)
        memcpy(v->arch.fpu, &c->fpu_ctxt, sizeof(v->arch.fpu));
    return 0;
}
