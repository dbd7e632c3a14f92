/* SPDX-License-Identifier: GPL-2.0-only */
/* Structure offsets for assembly; compiled to asm and scraped by make. */
#include <hv/smp.h>
#include <asm/processor.h>

#define DEFINE(sym, val) \
    __asm__ __volatile__("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(str, mem))

void asm_offsets(void);

void asm_offsets(void)
{
    DEFINE(CPUINFO_sizeof, sizeof(struct cpu_info));
    OFFSET(CPUINFO_cpu_id, struct cpu_info, cpu_id);
    DEFINE(CPUREGS_sizeof, sizeof(struct cpu_regs));
}
