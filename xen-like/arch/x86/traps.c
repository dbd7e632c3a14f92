/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * do_trap(): every vector lands here.  An exception in the hypervisor is
 * fatal: full register dump, symbolised backtrace, then panic().
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/symbols.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/entry.h>
#include <asm/pv/vcpu.h>

#define MAX_BACKTRACE 32

static irq_handler_t irq_handlers[256];

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode",
    "#NM device not available", "#DF double fault",
    "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualisation", "#CP control protection",
};

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
    irq_handlers[vector & 0xff] = fn;
}

static void print_addr(const char *prefix, unsigned long addr)
{
    char sym[128];

    symbols_snprint(sym, sizeof(sym), addr);
    pr_err("%s[<%016lx>] %s\n", prefix, addr, sym);
}

void show_registers(const struct cpu_regs *r)
{
    char sym[128];

    symbols_snprint(sym, sizeof(sym), r->rip);
    pr_err("RIP:    %04lx:[<%016lx>] %s\n", r->cs, r->rip, sym);
    pr_err("RFLAGS: %016lx   error code: %04lx   vector: %lu\n",
           r->rflags, r->error_code, r->vector);
    pr_err("RAX: %016lx   RBX: %016lx   RCX: %016lx\n", r->rax, r->rbx,
           r->rcx);
    pr_err("RDX: %016lx   RSI: %016lx   RDI: %016lx\n", r->rdx, r->rsi,
           r->rdi);
    pr_err("RBP: %016lx   RSP: %016lx   R8:  %016lx\n", r->rbp, r->rsp,
           r->r8);
    pr_err("R9:  %016lx   R10: %016lx   R11: %016lx\n", r->r9, r->r10,
           r->r11);
    pr_err("R12: %016lx   R13: %016lx   R14: %016lx\n", r->r12, r->r13,
           r->r14);
    pr_err("R15: %016lx   SS:  %04lx\n", r->r15, r->ss);
    pr_err("CR0: %016lx   CR2: %016lx   CR3: %016lx\n", read_cr0(),
           read_cr2(), read_cr3());
    pr_err("CR4: %016lx\n", read_cr4());
}

/* Walks saved frame pointers, staying inside the stack block of rbp. */
void show_backtrace(unsigned long rip, unsigned long rbp)
{
    unsigned long lo = rbp & ~(STACK_SIZE - 1), hi = lo + STACK_SIZE;
    unsigned int depth;

    pr_err("Backtrace:\n");
    print_addr("  ", rip);
    for (depth = 0; depth < MAX_BACKTRACE; depth++) {
        const unsigned long *frame = (const unsigned long *)rbp;

        if (rbp < lo || rbp + 16 > hi || (rbp & 7) || !frame[1])
            break;
        print_addr("  ", frame[1]);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

static void __noreturn fatal_trap(const struct cpu_regs *r)
{
    const char *name = r->vector < 32 && exception_names[r->vector]
                           ? exception_names[r->vector] : "exception";

    local_irq_disable();
    stop_other_cpus();
    console_force_unlock();
    pr_err("----[ Keel hypervisor fault on CPU%u ]----\n", smp_processor_id());
    pr_err("FATAL: %s, error code %04lx%s\n", name, r->error_code,
           r->vector == TRAP_page_fault ? " (see CR2)" : "");
    show_registers(r);
    show_backtrace(r->rip, r->rbp);
    panic("FATAL TRAP: vector %lu (%s) at %016lx", r->vector, name, r->rip);
}

static void do_nmi(const struct cpu_regs *r)
{
    if (cpus_stopping)
        machine_halt();
    pr_warn("NMI on CPU%u at %016lx, ignored\n", smp_processor_id(), r->rip);
}

static void do_exception(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    if (vec == TRAP_nmi) {
        do_nmi(regs);
        return;
    }
    if (guest_mode(regs)) {
        pv_exception(regs);
        return;
    }
    /* The CPU reads the LDT from Keel's context too (e.g. lar): map it. */
    if (vec == TRAP_page_fault && current && pv_ldt_fault(current, read_cr2()))
        return;
    if ((vec == TRAP_page_fault || vec == TRAP_gp_fault) &&
        extable_fixup(regs))
        return;
    fatal_trap(regs);
}

static void do_irq(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    if (vec == SPURIOUS_APIC_VECTOR)
        return;     /* spurious: no EOI */
    if (irq_handlers[vec])
        irq_handlers[vec](regs);
    else
        pr_warn("CPU%u: unexpected interrupt vector %#x\n",
                smp_processor_id(), vec);
    lapic_eoi();
}

/* Every vector, and guest syscalls, land here (entry.S). */
void do_trap(struct cpu_regs *regs)
{
    if (regs->vector == VEC_SYSCALL || regs->vector == VEC_SYSCALL32)
        pv_syscall(regs);
    else if (regs->vector < FIRST_IRQ_VECTOR)
        do_exception(regs);
    else
        do_irq(regs);
    if (guest_mode(regs))
        pv_exit_to_guest(regs);
}
