/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU identity and the per-CPU stack block. */
#ifndef HV_SMP_H
#define HV_SMP_H

#include <hv/config.h>
#include <hv/types.h>

/*
 * Each CPU owns one STACK_SIZE-aligned block: pages 0-2 are the IST stacks
 * (#DF, NMI, #MC), the rest the primary stack, with this at the very top.
 * Any stack pointer of a CPU thus finds its cpu_info, whatever the guest
 * did to GS.
 */
struct vcpu;

struct cpu_info {
    unsigned int cpu_id;
    unsigned int apic_id;
    struct vcpu *current_vcpu;      /* NULL while idle */
    unsigned long pad[2];
};

#define IST_STACK_PAGES 3

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ __volatile__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
                               sizeof(struct cpu_info));
}

static inline void *stack_block_of(const struct cpu_info *ci)
{
    return (char *)(ci + 1) - STACK_SIZE;
}

#define smp_processor_id() (get_cpu_info()->cpu_id)
#define current            (get_cpu_info()->current_vcpu)

extern unsigned int nr_cpus_online;
extern unsigned int nr_cpus_possible;
extern unsigned int cpu_apic_id[NR_CPUS];
extern struct cpu_info *cpu_infos[NR_CPUS];
extern bool cpu_online[NR_CPUS];

/* smpboot.c */
void smp_boot_cpus(void);
void __noreturn start_secondary(void);
/* setup.c: what a CPU does when it has nothing to do. */
void __noreturn idle_loop(void);

#endif
