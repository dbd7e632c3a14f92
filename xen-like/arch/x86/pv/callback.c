/* SPDX-License-Identifier: GPL-2.0-only */
/* Where a PV guest wants to be entered: callbacks, kernel stack, assists. */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/smp.h>
#include <asm/pv/hypercall.h>

#define VMASST_VALID    ((1UL << VMASST_TYPE_4gb_segments) | \
                         (1UL << VMASST_TYPE_4gb_segments_notify) | \
                         (1UL << VMASST_TYPE_writable_pagetables) | \
                         (1UL << VMASST_TYPE_pae_extended_cr3) | \
                         (1UL << VMASST_TYPE_architectural_iopl) | \
                         (1UL << VMASST_TYPE_runstate_update_flag) | \
                         (1UL << VMASST_TYPE_m2p_strict))

static uint64_t reported_32bit;

static long register_callback(struct vcpu *v, const struct callback_register *cb)
{
    if (!is_canonical(cb->address))
        return -XEN_EINVAL;
    switch (cb->type) {
    case CALLBACKTYPE_event:
        v->arch.event_callback = cb->address;
        return 0;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_callback = cb->address;
        return 0;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_callback = cb->address;
        v->arch.syscall_masks_events = cb->flags & CALLBACKF_mask_events;
        return 0;
    case CALLBACKTYPE_nmi:
        v->arch.trap_ctxt[2].address = cb->address;
        return 0;
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        /* 32-bit user space is not supported; Linux then just clears
         * the CPU capability. */
        if (log_once(&reported_32bit, cb->type))
            pr_warn("d%u: 32-bit syscall/sysenter callbacks: -EOPNOTSUPP\n",
                    v->domain->domain_id);
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}

long do_callback_op(unsigned long cmd, unsigned long arg)
{
    struct callback_register cb;
    struct callback_unregister ucb;

    switch (cmd) {
    case CALLBACKOP_register:
        if (copy_from_guest(&cb, (const void *)arg, sizeof(cb)))
            return -XEN_EFAULT;
        return register_callback(current, &cb);
    case CALLBACKOP_unregister:
        if (copy_from_guest(&ucb, (const void *)arg, sizeof(ucb)))
            return -XEN_EFAULT;
        if (ucb.type != CALLBACKTYPE_nmi)
            return -XEN_EINVAL;
        current->arch.trap_ctxt[2].address = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/*
 * The older interface (hypercall 4): three callbacks at once, no flags.
 * As in Xen 4.17 it never fails: a non-canonical address is ignored and
 * leaves that callback as it was.
 */
long do_set_callbacks(unsigned long event, unsigned long failsafe,
                      unsigned long syscall)
{
    struct vcpu *v = current;

    if (is_canonical(event))
        v->arch.event_callback = event;
    if (is_canonical(failsafe))
        v->arch.failsafe_callback = failsafe;
    if (is_canonical(syscall)) {
        v->arch.syscall_callback = syscall;
        v->arch.syscall_masks_events = false;
    }
    return 0;
}

long do_stack_switch(unsigned long ss, unsigned long sp)
{
    current->arch.kernel_ss = ss;
    current->arch.kernel_sp = sp;
    return 0;
}

long do_vm_assist(unsigned long cmd, unsigned long type)
{
    struct domain *d = current->domain;

    if (type >= 64 || !(VMASST_VALID & (1UL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        d->vm_assist |= 1UL << type;
        return 0;
    case VMASST_CMD_disable:
        d->vm_assist &= ~(1UL << type);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
