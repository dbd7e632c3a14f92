/* SPDX-License-Identifier: GPL-2.0-only */
/* A domain's vCPUs across physical CPUs (arch/x86/pv/smp.c). */
#ifndef ASM_PV_SMP_H
#define ASM_PV_SMP_H

struct domain;
struct vcpu;

void pv_smp_init(void);
/* Asks v's (idle) CPU to start running v. */
void pv_vcpu_start_remote(struct vcpu *v);
/* Flushes the TLB of every CPU that runs one of d's vCPUs. */
void flush_tlb_domain(struct domain *d);

#endif
