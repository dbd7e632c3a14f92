/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU registers, the saved-register frame, and small CPU helpers. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <hv/types.h>

#define X86_CR0_PE      (1UL << 0)
#define X86_CR0_MP      (1UL << 1)
#define X86_CR0_EM      (1UL << 2)
#define X86_CR0_TS      (1UL << 3)
#define X86_CR0_NE      (1UL << 5)
#define X86_CR0_WP      (1UL << 16)
#define X86_CR0_PG      (1UL << 31)
#define X86_CR4_PSE     (1UL << 4)
#define X86_CR4_PAE     (1UL << 5)
#define X86_CR4_PGE     (1UL << 7)
#define X86_CR4_OSFXSR  (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define X86_EFLAGS_CF   (1UL << 0)
#define X86_EFLAGS_PF   (1UL << 2)
#define X86_EFLAGS_ZF   (1UL << 6)
#define X86_EFLAGS_SF   (1UL << 7)
#define X86_EFLAGS_TF   (1UL << 8)
#define X86_EFLAGS_IF   (1UL << 9)
#define X86_EFLAGS_DF   (1UL << 10)
#define X86_EFLAGS_OF   (1UL << 11)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT   (1UL << 14)
#define X86_EFLAGS_RF   (1UL << 16)
#define X86_EFLAGS_VM   (1UL << 17)
#define X86_EFLAGS_AC   (1UL << 18)

/* Page-fault error code bits. */
#define PFEC_present    (1UL << 0)
#define PFEC_write      (1UL << 1)
#define PFEC_user       (1UL << 2)

/* Exception vectors. */
#define TRAP_divide_error       0
#define TRAP_debug              1
#define TRAP_nmi                2
#define TRAP_int3               3
#define TRAP_double_fault       8
#define TRAP_gp_fault           13
#define TRAP_page_fault         14
#define TRAP_machine_check      18
#define FIRST_IRQ_VECTOR        32

/*
 * What entry.S saves on every exception and interrupt, lowest address
 * first; the last five words are the CPU's own interrupt frame.
 */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline void cpuid_count(uint32_t leaf, uint32_t sub,
                               struct cpuid_regs *r)
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx),
                           "=d"(r->edx)
                         : "a"(leaf), "c"(sub));
}

static inline void cpuid(uint32_t leaf, struct cpuid_regs *r)
{
    cpuid_count(leaf, 0, r);
}

#define DEFINE_CR_ACCESSORS(n)                                        \
    static inline unsigned long read_cr##n(void)                      \
    {                                                                 \
        unsigned long v;                                              \
        __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));         \
        return v;                                                     \
    }                                                                 \
    static inline void write_cr##n(unsigned long v)                   \
    {                                                                 \
        __asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
    }
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)

static inline unsigned long local_save_flags(void)
{
    unsigned long f;

    __asm__ __volatile__("pushf; pop %0" : "=r"(f) : : "memory");
    return f;
}

static inline void local_irq_disable(void)
{
    __asm__ __volatile__("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
    __asm__ __volatile__("sti" : : : "memory");
}

static inline unsigned long local_irq_save(void)
{
    unsigned long f = local_save_flags();

    local_irq_disable();
    return f;
}

static inline void local_irq_restore(unsigned long f)
{
    if (f & X86_EFLAGS_IF)
        local_irq_enable();
}

static inline bool local_irq_is_enabled(void)
{
    return local_save_flags() & X86_EFLAGS_IF;
}

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" : : : "memory");
}

static inline void halt(void)
{
    __asm__ __volatile__("hlt" : : : "memory");
}

/* Enables interrupts and halts, with no window for a lost wake-up. */
static inline void safe_halt(void)
{
    __asm__ __volatile__("sti; hlt" : : : "memory");
}

static inline void invlpg(unsigned long va)
{
    __asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline unsigned long read_rbp(void)
{
    unsigned long v;

    __asm__ __volatile__("mov %%rbp, %0" : "=r"(v));
    return v;
}

#endif
