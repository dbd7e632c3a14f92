/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall wrappers for the test kernels: through the hypercall page
 * (call hypercall_page + 32 * nr) or, for hypercall_raw*, a bare `syscall`.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <guest-abi.h>

extern char hypercall_page[4096];

/*
 * Arguments go in rdi, rsi, rdx, r10, r8; the result comes back in rax.
 * All argument registers are treated as clobbered (a debug hypervisor may
 * poison them).  The page's stubs preserve rcx and r11; a bare syscall
 * does not.
 */
#define HYPERCALL_ASM(insn, nr, a1, a2, a3, a4, a5, extra_clobbers...)      \
    ({                                                                      \
        register unsigned long r_a1 asm("rdi") = (unsigned long)(a1);       \
        register unsigned long r_a2 asm("rsi") = (unsigned long)(a2);       \
        register unsigned long r_a3 asm("rdx") = (unsigned long)(a3);       \
        register unsigned long r_a4 asm("r10") = (unsigned long)(a4);       \
        register unsigned long r_a5 asm("r8") = (unsigned long)(a5);        \
        long r_ret;                                                         \
        asm volatile(insn                                                   \
                     : "=a"(r_ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3),     \
                       "+r"(r_a4), "+r"(r_a5)                               \
                     : [off] "i"((nr) * 32), [num] "i"(nr)                  \
                     : "memory", "r9", ##extra_clobbers);                   \
        r_ret;                                                              \
    })

#define HYPERCALL5(nr, a1, a2, a3, a4, a5)                                  \
    HYPERCALL_ASM("call hypercall_page + %c[off]", nr, a1, a2, a3, a4, a5)
#define HYPERCALL4(nr, a1, a2, a3, a4) HYPERCALL5(nr, a1, a2, a3, a4, 0)
#define HYPERCALL3(nr, a1, a2, a3) HYPERCALL5(nr, a1, a2, a3, 0, 0)
#define HYPERCALL2(nr, a1, a2) HYPERCALL5(nr, a1, a2, 0, 0, 0)
#define HYPERCALL1(nr, a1) HYPERCALL5(nr, a1, 0, 0, 0, 0)

/* The Linux way: no hypercall page, `syscall` with the number in rax. */
#define HYPERCALL_RAW5(nr, a1, a2, a3, a4, a5)                              \
    HYPERCALL_ASM("mov %[num], %%eax; syscall", nr, a1, a2, a3, a4, a5,     \
                  "rcx", "r11")
#define HYPERCALL_RAW2(nr, a1, a2) HYPERCALL_RAW5(nr, a1, a2, 0, 0, 0)

/* Any hypercall number at run time (for multicall checks, ENOSYS tests). */
long hypercall_any(unsigned int nr, unsigned long a1, unsigned long a2,
                   unsigned long a3, unsigned long a4, unsigned long a5);

static inline long hypercall_set_trap_table(const struct trap_info *t)
{
    return HYPERCALL1(__HYPERVISOR_set_trap_table, t);
}

static inline long hypercall_mmu_update(const struct mmu_update *req,
                                        unsigned int count,
                                        unsigned int *done, domid_t dom)
{
    return HYPERCALL4(__HYPERVISOR_mmu_update, req, count, done, dom);
}

static inline long hypercall_set_gdt(const xen_pfn_t *frames,
                                     unsigned int entries)
{
    return HYPERCALL2(__HYPERVISOR_set_gdt, frames, entries);
}

static inline long hypercall_stack_switch(unsigned long ss, unsigned long sp)
{
    return HYPERCALL2(__HYPERVISOR_stack_switch, ss, sp);
}

static inline long hypercall_fpu_taskswitch(int set)
{
    return HYPERCALL1(__HYPERVISOR_fpu_taskswitch, set);
}

static inline long hypercall_update_descriptor(uint64_t maddr, uint64_t desc)
{
    return HYPERCALL2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static inline long hypercall_memory_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline long hypercall_multicall(struct multicall_entry *calls,
                                       unsigned int nr)
{
    return HYPERCALL2(__HYPERVISOR_multicall, calls, nr);
}

static inline long hypercall_update_va_mapping(unsigned long va,
                                               uint64_t pte,
                                               unsigned long flags)
{
    return HYPERCALL3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hypercall_set_timer_op(uint64_t timeout_ns)
{
    return HYPERCALL1(__HYPERVISOR_set_timer_op, timeout_ns);
}

static inline long hypercall_xen_version(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long hypercall_console_io(unsigned int cmd, unsigned int count,
                                        const void *buf)
{
    return HYPERCALL3(__HYPERVISOR_console_io, cmd, count, buf);
}

static inline long hypercall_grant_table_op(unsigned int cmd, void *args,
                                            unsigned int count)
{
    return HYPERCALL3(__HYPERVISOR_grant_table_op, cmd, args, count);
}

static inline long hypercall_vm_assist(unsigned int cmd, unsigned int type)
{
    return HYPERCALL2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu,
                                     void *arg)
{
    return HYPERCALL3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long hypercall_set_segment_base(unsigned int which,
                                              unsigned long base)
{
    return HYPERCALL2(__HYPERVISOR_set_segment_base, which, base);
}

static inline long hypercall_mmuext_op(const struct mmuext_op *ops,
                                       unsigned int count,
                                       unsigned int *done, domid_t dom)
{
    return HYPERCALL4(__HYPERVISOR_mmuext_op, ops, count, done, dom);
}

static inline long hypercall_sched_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long hypercall_callback_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long hypercall_event_channel_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long hypercall_physdev_op(unsigned int cmd, void *arg)
{
    return HYPERCALL2(__HYPERVISOR_physdev_op, cmd, arg);
}

static inline long hypercall_platform_op(struct xen_platform_op *op)
{
    return HYPERCALL1(__HYPERVISOR_platform_op, op);
}

#endif /* GUEST_HYPERCALL_H */
