/* SPDX-License-Identifier: GPL-2.0-only */
/* The x86 PV state of a vCPU: what the guest set up, and its mode. */
#ifndef ASM_PV_VCPU_H
#define ASM_PV_VCPU_H

#include <hv/types.h>
#include <hv/abi.h>
#include <asm/processor.h>

/* The vector do_trap() sees for a guest `syscall` (not a real vector). */
#define VEC_SYSCALL     0x100
#define VEC_SYSCALL32   0x101     /* from compatibility mode */

struct arch_vcpu {
    struct cpu_regs regs;           /* guest registers while not running */
    bool kernel_mode;               /* guest kernel (vs user) mode */
    mfn_t guest_table;              /* kernel L4 */
    mfn_t guest_table_user;         /* user L4, INVALID_MFN if none */

    struct trap_info trap_ctxt[256];
    unsigned long event_callback;
    unsigned long failsafe_callback;
    unsigned long syscall_callback;
    bool syscall_masks_events;

    unsigned long kernel_ss, kernel_sp;   /* stack_switch */
    unsigned long ldt_base, ldt_ents;     /* MMUEXT_SET_LDT */
    mfn_t ldt_frames[16];           /* LDT pages mapped so far ... */
    uint16_t ldt_mapped;            /* ... the bits of those valid */
    /* set_gdt: the first ceil(gdt_ents / 512) gdt_frames each hold a
     * PGT_seg_desc_page reference (pv/descriptor.c). */
    mfn_t gdt_frames[FIRST_RESERVED_GDT_PAGE];
    unsigned int gdt_ents;
    unsigned long fs_base, gs_base_kernel, gs_base_user;
    bool fpu_ts;                    /* the guest's virtual CR0.TS */
    unsigned int iopl;              /* virtual IOPL (dom0) */
    unsigned long iobmp;            /* PHYSDEVOP_set_iobitmap: guest VA */
    unsigned int iobmp_ports;       /* ... and the ports it covers */
    unsigned long debugreg[8];      /* set_debugreg (not in hardware) */
    uint8_t fpu[512] __aligned(16); /* FXSAVE area */
};

struct vcpu;
/* vcpu_context.c: VCPUOP_initialise's checks and loading. */
int pv_vcpu_load_context(struct vcpu *v, const struct vcpu_guest_context *c);

/* syscall.c: the syscall entry stubs and MSRs of this CPU. */
int pv_syscall_init_cpu(void);

#endif
