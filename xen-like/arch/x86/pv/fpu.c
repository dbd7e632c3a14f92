/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's FPU/SSE: its virtual CR0.TS (fpu_taskswitch, clts, #NM) and
 * its FXSAVE image for vCPU switches.  Keel itself never touches FPU/SSE
 * (-mgeneral-regs-only), so while a vCPU runs the registers are its own
 * and the real CR0.TS is its virtual one.
 */
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/smp.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>

#define FXSAVE_FCW          0           /* offsets in the FXSAVE image */
#define FXSAVE_MXCSR        24
#define FCW_DEFAULT         0x037f      /* after FNINIT */
#define MXCSR_DEFAULT       0x1f80      /* after reset */

_Static_assert(sizeof(((struct arch_vcpu *)0)->fpu) == 512, "FXSAVE area");

static void clts(void)
{
    __asm__ __volatile__("clts" : : : "memory");
}

static void stts(void)
{
    write_cr0(read_cr0() | X86_CR0_TS);
}

/*
 * CR4.OSFXSR lets the guest run SSE (else #UD) and FXSAVE the XMM state;
 * OSXMMEXCPT makes SIMD exceptions #XM.  CR0: no EM, MP and NE set, TS
 * clear until a guest asks for it.
 */
void pv_fpu_init_cpu(void)
{
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP |
              X86_CR0_NE);
}

void pv_fpu_init_vcpu(struct vcpu *v)
{
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;

    memset(v->arch.fpu, 0, sizeof(v->arch.fpu));
    memcpy(&v->arch.fpu[FXSAVE_FCW], &fcw, sizeof(fcw));
    memcpy(&v->arch.fpu[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
}

/* Leaves CR0.TS clear: the next vCPU's pv_fpu_restore() sets its own. */
void pv_fpu_save(struct vcpu *v)
{
    clts();
    __asm__ __volatile__("fxsave64 %0" : "=m"(v->arch.fpu));
}

void pv_fpu_restore(const struct vcpu *v)
{
    clts();
    __asm__ __volatile__("fxrstor64 %0" : : "m"(v->arch.fpu));
    if (v->arch.fpu_ts)
        stts();
}

/* fpu_taskswitch(set): Linux's (and clts's) way to write CR0.TS.  The
 * argument is an int in Xen's ABI: only its low 32 bits count. */
long do_fpu_taskswitch(unsigned long set)
{
    struct vcpu *v = current;

    v->arch.fpu_ts = (uint32_t)set != 0;
    if (v->arch.fpu_ts)
        stts();
    else
        clts();
    return 0;
}

/*
 * #NM: the guest set TS, so it gets the #NM, and (as Xen 4.17 does) TS is
 * clear again by the time its handler runs.  A #NM without the virtual TS
 * cannot happen while the real TS mirrors it; should it, the instruction
 * is simply retried with TS clear.
 */
bool pv_handle_nm(struct vcpu *v, struct cpu_regs *regs)
{
    bool was_set = v->arch.fpu_ts;

    v->arch.fpu_ts = false;
    clts();
    if (!was_set)
        return true;
    return pv_inject_trap(v, regs, TRAP_no_device, false, 0);
}
