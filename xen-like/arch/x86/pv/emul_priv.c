/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * #GP from a PV guest: `int n` through the guest's own gate DPLs, and the
 * privileged instructions a PV kernel still executes at CPL 3 (MSRs,
 * control registers, port I/O (ioport.c says which), clts, wbinvd, cli/sti).
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <asm/msr.h>
#include <asm/pv/emulate.h>
#include <asm/pv/entry.h>
#include <asm/pv/insn.h>

#define REP_CHUNK           1024    /* string I/O per exit; then re-executed */

#define GP_ERR_EXT          (1UL << 0)  /* an external event, not the insn */
#define GP_ERR_IDT          (1UL << 1)  /* the selector is an IDT vector */

#define MSR_UCODE_REV       0x0000008b
#define MSR_TSC_AUX         0xc0000103
#define EFER_LMA            (1UL << 10)
#define EFER_FFXSR          (1UL << 14)
#define APIC_DEFAULT_BASE   0xfee00000UL
#define X86_CR4_MCE         (1UL << 6)
/* What a guest reads of CR4: Keel's settings that concern it (as Xen). */
#define GUEST_CR4_VISIBLE   (X86_CR4_PAE | X86_CR4_MCE | X86_CR4_OSFXSR | \
                             X86_CR4_OSXMMEXCPT)

void pv_emulate_retire(struct vcpu *v, struct cpu_regs *regs,
                       unsigned int len)
{
    regs->rip += len;
    regs->rflags &= ~X86_EFLAGS_RF;
    /* Single-stepping: the CPU would trap after the instruction.  With no
     * #DB handler there is nobody to tell; the guest then just goes on. */
    if (regs->rflags & X86_EFLAGS_TF)
        pv_inject_trap(v, regs, TRAP_debug, false, 0);
}

/* ---- int n ---------------------------------------------------------- */

/*
 * Keel's IDT gates are DPL 0 (but #BP, #OF), so `int n` at CPL 3 is a #GP
 * naming vector n.  The guest's own trap_info DPL decides, with the guest
 * kernel counting as ring 1: allowed, n is bounced with rip past the
 * instruction; refused, the guest gets that #GP.
 */
static bool soft_interrupt(struct vcpu *v, struct cpu_regs *regs)
{
    unsigned int vector = (regs->error_code >> 3) & 0xff;
    unsigned int dpl = v->arch.trap_ctxt[vector].flags & 3;
    struct insn in = { 0 };

    if (regs->error_code & GP_ERR_EXT)
        return false;
    if (dpl < (v->arch.kernel_mode ? 1u : 3u))
        return false;
    if (!insn_decode(&in, regs->rip) || in.lock || in.opcode != 0xcd ||
        insn_byte(&in) != vector || in.overrun)
        return false;
    regs->rip += in.len;
    if (pv_inject_trap(v, regs, vector, false, 0))
        return true;
    regs->rip -= in.len;
    return false;
}

/* ---- MSRs ----------------------------------------------------------- */

static bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo, hi;
    int rc = -1;

    /* A #GP skips the xor: rc stays -1. */
    __asm__ __volatile__("1: rdmsr\n\t"
                         "xor %[rc], %[rc]\n"
                         "2:\n\t"
                         ".pushsection .ex_table, \"a\"\n\t"
                         ".balign 8\n\t"
                         ".quad 1b, 2b\n\t"
                         ".popsection"
                         : [rc] "+r"(rc), "=a"(lo), "=d"(hi)
                         : "c"(msr)
                         : "cc");
    *val = ((uint64_t)hi << 32) | lo;
    return rc == 0;
}

/* TSC_AUX exists if the CPU has RDTSCP or RDPID. */
static bool host_has_tsc_aux(void)
{
    struct cpuid_regs r;

    cpuid(0x80000000, &r);
    if (r.eax >= 0x80000001) {
        cpuid(0x80000001, &r);
        if (r.edx & (1u << 27))
            return true;
    }
    cpuid(0, &r);
    if (r.eax < 7)
        return false;
    cpuid_count(7, 0, &r);
    return r.ecx & (1u << 22);
}

static uint64_t guest_efer(void)
{
    return rdmsr(MSR_EFER) &
           (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSR);
}

/*
 * An MSR Keel does not know: #GP, except (as Xen 4.17) a readable one is
 * read as 0 while the guest has no #GP handler to take the fault.
 */
static bool rdmsr_unknown(const struct vcpu *v, uint32_t msr, uint64_t *val)
{
    static uint64_t logged;
    uint64_t tmp;

    if (!v->arch.trap_ctxt[TRAP_gp_fault].address &&
        (msr >> 16) != 0x4000 && rdmsr_safe(msr, &tmp)) {
        *val = 0;
        if (log_once(&logged, msr % 63))
            pr_warn("d%u: rdmsr %#x before a #GP handler: reads 0\n",
                    v->domain->domain_id, msr);
        return true;
    }
    if (log_once(&logged, msr % 63))
        pr_warn("d%u: rdmsr %#x: #GP\n", v->domain->domain_id, msr);
    return false;
}

static bool read_msr(const struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:           /* the active (kernel) base */
        *val = rdmsr(msr);
        return true;
    case MSR_SHADOW_GS_BASE:
        *val = v->arch.gs_base_user;
        return true;
    case MSR_APIC_BASE:
        *val = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
               (v->vcpu_id ? 0 : APIC_BASE_BSP);
        return true;
    case MSR_UCODE_REV:
        return rdmsr_safe(msr, val);
    case MSR_PAT:               /* Keel's own PAT, which the guest adopts */
        *val = rdmsr(msr);
        return true;
    case MSR_TSC_AUX:
        if (!host_has_tsc_aux())
            return false;
        *val = rdmsr(msr);
        return true;
    case MSR_EFER:
        *val = guest_efer();
        return true;
    default:
        return rdmsr_unknown(v, msr, val);
    }
}

static bool write_segment_base(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if (!is_canonical(val))
        return false;
    if (msr == MSR_FS_BASE)
        v->arch.fs_base = val;
    else if (msr == MSR_GS_BASE)
        v->arch.gs_base_kernel = val;
    else
        v->arch.gs_base_user = val;
    wrmsr(msr, val);
    return true;
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    static uint64_t logged;

    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:           /* Linux's startup_xen writes this first */
    case MSR_SHADOW_GS_BASE:
        return write_segment_base(v, msr, val);
    case MSR_UCODE_REV:         /* Intel's "write 0, cpuid, read" */
        return val == 0;
    case MSR_TSC_AUX:
        if (!host_has_tsc_aux() || val != (uint32_t)val)
            return false;
        wrmsr(msr, val);        /* Keel never uses it: it is the guest's */
        return true;
    case MSR_EFER:              /* Linux writes back what it read */
        return val == guest_efer();
    default:
        if (log_once(&logged, msr % 63))
            pr_warn("d%u: wrmsr %#x <- %#lx: #GP\n", v->domain->domain_id,
                    msr, (unsigned long)val);
        return false;
    }
}

static bool emul_msr(struct vcpu *v, struct cpu_regs *regs,
                     const struct insn *in)
{
    uint32_t msr = (uint32_t)regs->rcx;
    uint64_t val;

    if (in->opcode == 0x0f30) {
        val = (regs->rdx << 32) | (uint32_t)regs->rax;
        if (!write_msr(v, msr, val))
            return false;
    } else {
        if (!read_msr(v, msr, &val))
            return false;
        regs->rax = (uint32_t)val;
        regs->rdx = val >> 32;
    }
    pv_emulate_retire(v, regs, in->len);
    return true;
}

/* ---- control registers, clts, wbinvd -------------------------------- */

static bool read_cr(const struct vcpu *v, unsigned int cr, uint64_t *val)
{
    switch (cr) {
    case 0:
        *val = (read_cr0() & ~X86_CR0_TS) |
               (v->arch.fpu_ts ? X86_CR0_TS : 0);
        return true;
    case 2:
        *val = v->vcpu_info->arch.cr2;
        return true;
    case 3:                     /* PV: a frame number is a machine frame */
        *val = mfn_x(v->arch.guest_table) << PAGE_SHIFT;
        return true;
    case 4:
        *val = read_cr4() & GUEST_CR4_VISIBLE;
        return true;
    default:
        return false;
    }
}

/* CR3 changes go through MMUEXT_NEW_BASEPTR; CR4 writes are accepted and
 * ignored (Linux masks PGE/PSE/PCE itself; nothing else is the guest's). */
static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:
        if ((val ^ read_cr0()) & ~X86_CR0_TS)
            return false;       /* only TS is the guest's to change */
        do_fpu_taskswitch(val & X86_CR0_TS);
        return true;
    case 2:
        v->vcpu_info->arch.cr2 = val;
        return true;
    case 4:
        return true;
    default:
        return false;
    }
}

static bool emul_mov_cr(struct vcpu *v, struct cpu_regs *regs,
                        struct insn *in)
{
    unsigned int cr;
    uint64_t *reg;
    uint8_t modrm;

    modrm = insn_byte(in);
    if (in->overrun)
        return false;
    /* The operand is always a register (mod is ignored) and 64-bit. */
    cr = ((modrm >> 3) & 7) | ((in->rex & 4) << 1);
    reg = insn_gpr(regs, (modrm & 7) | ((in->rex & 1) << 3));
    if (in->opcode == 0x0f20 ? !read_cr(v, cr, reg)
                             : !write_cr(v, cr, *reg))
        return false;
    pv_emulate_retire(v, regs, in->len);
    return true;
}

/* Only a privileged domain's wbinvd reaches the caches (as Xen). */
static void emul_wbinvd(const struct vcpu *v)
{
    if (domain_is_privileged(v->domain))
        __asm__ __volatile__("wbinvd" : : : "memory");
}

/* ---- port I/O --------------------------------------------------------- */

static unsigned int io_size(const struct insn *in)
{
    if (!(in->opcode & 1))
        return 1;
    return in->opsize16 ? 2 : 4;
}

/* in/out with an immediate port (e4-e7) or %dx (ec-ef). */
static bool emul_io(struct vcpu *v, struct cpu_regs *regs, struct insn *in)
{
    unsigned int bytes = io_size(in), port = regs->rdx & 0xffff;
    uint64_t mask = bytes == 4 ? ~0UL : (1UL << (bytes * 8)) - 1;

    if (in->opcode <= 0xe7) {
        port = insn_byte(in);
        if (in->overrun)
            return false;
    }
    if (!pv_io_permitted(v, port, bytes))
        return false;
    if (in->opcode & 2)
        pv_io_out(v, port, bytes, (uint32_t)regs->rax);
    else    /* 8/16-bit results merge; a 32-bit one zero-extends */
        regs->rax = (regs->rax & ~mask) | (pv_io_in(v, port, bytes) & mask);
    pv_emulate_retire(v, regs, in->len);
    return true;
}

static void inject_page_fault(struct vcpu *v, struct cpu_regs *regs,
                              unsigned long addr, bool write)
{
    uint64_t ec = (write ? PFEC_write : 0) |
                  (v->arch.kernel_mode ? 0 : PFEC_user);

    v->vcpu_info->arch.cr2 = addr;
    if (!pv_inject_trap(v, regs, TRAP_page_fault, true, ec))
        domain_crash(v->domain);
}

/* One ins/outs element; false (with the address) if its memory faults. */
static bool string_io_one(struct vcpu *v, struct cpu_regs *regs,
                          const struct insn *in, unsigned long *fault)
{
    bool out = in->opcode >= 0x6e;
    unsigned int bytes = io_size(in), port = regs->rdx & 0xffff;
    uint64_t *reg = out ? &regs->rsi : &regs->rdi;
    unsigned long addr = in->addr32 ? (uint32_t)*reg : *reg;
    long step = regs->rflags & X86_EFLAGS_DF ? -(long)bytes : (long)bytes;
    uint32_t data = 0;

    if (out && in->seg != SEG_DEFAULT)      /* ins always uses %es */
        addr += rdmsr(in->seg == SEG_FS ? MSR_FS_BASE : MSR_GS_BASE);
    *fault = addr;
    if (out) {
        if (copy_from_guest(&data, (const void *)addr, bytes))
            return false;
        pv_io_out(v, port, bytes, data);
    } else {
        data = pv_io_in(v, port, bytes);
        if (copy_to_guest((void *)addr, &data, bytes))
            return false;
    }
    *reg = in->addr32 ? (uint32_t)(*reg + step) : *reg + step;
    return true;
}

/*
 * ins/outs (6c-6f), with rep: at most REP_CHUNK elements per #GP, leaving
 * rip on the instruction so that the guest comes back for the rest.  Only
 * the guest kernel's (always 64-bit code) are decoded.
 */
static bool emul_string_io(struct vcpu *v, struct cpu_regs *regs,
                           const struct insn *in)
{
    uint64_t count = 1, done;
    unsigned long fault;
    bool ok = true;

    if (!v->arch.kernel_mode ||
        !pv_io_permitted(v, regs->rdx & 0xffff, io_size(in)))
        return false;
    if (in->rep)
        count = in->addr32 ? (uint32_t)regs->rcx : regs->rcx;
    for (done = 0; done < count && done < REP_CHUNK && ok; done++)
        ok = string_io_one(v, regs, in, &fault);
    if (!ok)
        done--;                     /* the faulting element is not done */
    /* Before any bounce: its frame must carry the remaining count. */
    if (in->rep)
        regs->rcx = in->addr32 ? (uint32_t)(count - done) : count - done;
    if (!ok)
        inject_page_fault(v, regs, fault, in->opcode < 0x6e);
    else if (done == count)
        pv_emulate_retire(v, regs, in->len);
    return true;
}

/* ---- dispatch --------------------------------------------------------- */

static bool emulate(struct vcpu *v, struct cpu_regs *regs, struct insn *in)
{
    bool kernel = v->arch.kernel_mode;

    switch (in->opcode) {
    case 0x0f30:                            /* wrmsr */
    case 0x0f32:                            /* rdmsr */
        return kernel && emul_msr(v, regs, in);
    case 0x0f20:                            /* mov from cr */
    case 0x0f22:                            /* mov to cr */
        return kernel && emul_mov_cr(v, regs, in);
    case 0x0f06:                            /* clts */
        if (!kernel)
            return false;
        do_fpu_taskswitch(0);
        break;
    case 0x0f09:                            /* wbinvd */
        if (!kernel)
            return false;
        emul_wbinvd(v);
        break;
    case 0xe4 ... 0xe7:
    case 0xec ... 0xef:
        return emul_io(v, regs, in);
    case 0x6c ... 0x6f:
        return emul_string_io(v, regs, in);
    case 0xfa:                              /* cli */
    case 0xfb:                              /* sti */
        /* Allowed by the virtual IOPL, a no-op (as Xen): the real IF is
         * not the guest's, and its flag is the upcall mask. */
        if (!pv_iopl_ok(v))
            return false;
        break;
    default:                                /* hlt included, as Xen 4.17 */
        return false;
    }
    pv_emulate_retire(v, regs, in->len);
    return true;
}

bool pv_emulate_gp(struct vcpu *v, struct cpu_regs *regs)
{
    struct insn in = { 0 };

    if (regs->error_code & GP_ERR_IDT)
        return soft_interrupt(v, regs);
    if (regs->error_code)
        return false;
    /* LOCK on any of ours is a #UD. */
    if (!insn_decode(&in, regs->rip) || in.lock)
        return false;
    return emulate(v, regs, &in);
}
