/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What Keel does for a PV guest instead of bouncing an exception: the
 * privileged instructions behind #GP, forced-emulation CPUID behind #UD,
 * and the virtual CR0.TS behind #NM.
 */
#ifndef ASM_PV_EMULATE_H
#define ASM_PV_EMULATE_H

#include <hv/types.h>
#include <asm/processor.h>

struct domain;
struct vcpu;

#define TRAP_invalid_op     6
#define TRAP_no_device      7

/*
 * The exception handlers: each returns true if it dealt with the exception
 * (emulated the instruction, or bounced something to the guest itself),
 * false if the caller should bounce the original vector and error code.
 */
bool pv_emulate_gp(struct vcpu *v, struct cpu_regs *regs);     /* #GP */
bool pv_emulate_ud(struct vcpu *v, struct cpu_regs *regs);     /* #UD */
bool pv_handle_nm(struct vcpu *v, struct cpu_regs *regs);      /* #NM */

/* emul_priv.c: rip moves past an emulated instruction of len bytes. */
void pv_emulate_retire(struct vcpu *v, struct cpu_regs *regs,
                       unsigned int len);

/*
 * ioport.c: port I/O of v.  pv_io_permitted: the virtual IOPL or v's I/O
 * bitmap allows bytes at port; pv_io_in/out do it, minus Keel's ports.
 */
bool pv_iopl_ok(const struct vcpu *v);
bool pv_io_permitted(const struct vcpu *v, unsigned int port,
                     unsigned int bytes);
uint32_t pv_io_in(struct vcpu *v, unsigned int port, unsigned int bytes);
void pv_io_out(struct vcpu *v, unsigned int port, unsigned int bytes,
               uint32_t val);
/* dom0's write to config register reg (< 4096) of bdf, minus MSI's. */
void pv_conf_write(const struct domain *d, unsigned int bdf, unsigned int reg,
                   unsigned int bytes, uint32_t val);
/* PHYSDEVOP_set_iobitmap: the guest kernel's bitmap for ports 0..ports-1. */
int pv_set_iobitmap(struct vcpu *v, unsigned long va, unsigned int ports);

/*
 * cpuid.c: what a PV guest may see of CPUID leaf/subleaf.  r holds the
 * host's values on entry (ignored for the Xen leaves 0x4000xxxx).  The
 * caller returns zeros for a basic or extended leaf above the host's own
 * maximum; this filter caps those maxima further.
 */
void pv_cpuid_policy(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);

/* fpu.c: __HYPERVISOR_fpu_taskswitch (set: an int, non-zero sets TS). */
long do_fpu_taskswitch(unsigned long set);

/* fpu.c: CR0/CR4 bits the guest's FPU/SSE need; every CPU, at boot. */
void pv_fpu_init_cpu(void);
/* fpu.c: a fresh vCPU's FPU image (FNINIT state, MXCSR 0x1f80). */
void pv_fpu_init_vcpu(struct vcpu *v);
/*
 * fpu.c: move the guest's FPU/SSE state between the CPU and v->arch.fpu.
 * Save when a CPU stops running v for another vCPU; restore (which also
 * applies v's virtual CR0.TS) before v runs again after another vCPU used
 * the CPU.  Not needed around Keel's own code: Keel never touches FPU/SSE.
 */
void pv_fpu_save(struct vcpu *v);
void pv_fpu_restore(const struct vcpu *v);

#endif
