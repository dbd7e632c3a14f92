/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * #UD from a PV guest: the forced-emulation prefix `ud2; .ascii "xen"`
 * in front of `cpuid` (Linux's xen_cpuid) gets Keel's CPUID policy.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <asm/pv/emulate.h>

static const uint8_t forced_cpuid[] = { 0x0f, 0x0b, 'x', 'e', 'n',
                                        0x0f, 0xa2 };

/* The host's leaf, zero above the host's own maximum (as AMD does). */
static void host_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    uint32_t base = leaf & 0x80000000u;
    struct cpuid_regs max;

    if (leaf >= 0x40000000u && leaf < 0x80000000u) {
        *r = (struct cpuid_regs){ 0 };  /* the policy fills in Xen's */
        return;
    }
    cpuid(base, &max);
    if (leaf > max.eax || (base && max.eax < base)) {
        *r = (struct cpuid_regs){ 0 };
        return;
    }
    cpuid_count(leaf, subleaf, r);
}

bool pv_emulate_ud(struct vcpu *v, struct cpu_regs *regs)
{
    uint8_t insn[sizeof(forced_cpuid)];
    struct cpuid_regs r;
    uint32_t leaf = (uint32_t)regs->rax, subleaf = (uint32_t)regs->rcx;

    /* Unreadable bytes cannot be the prefix: a plain #UD then. */
    if (copy_from_guest(insn, (const void *)regs->rip, sizeof(insn)) ||
        memcmp(insn, forced_cpuid, sizeof(insn)))
        return false;
    host_cpuid(leaf, subleaf, &r);
    pv_cpuid_policy(leaf, subleaf, &r);
    /* 32-bit results zero-extend, as the instruction's would. */
    regs->rax = r.eax;
    regs->rbx = r.ebx;
    regs->rcx = r.ecx;
    regs->rdx = r.edx;
    pv_emulate_retire(v, regs, sizeof(forced_cpuid));
    return true;
}
