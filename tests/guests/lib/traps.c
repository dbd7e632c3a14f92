/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The default trap table, the expected-fault table (EXTABLE) and the C side
 * of every bounce: record it, resume at the fixup, or end the test.
 */
#include <guest.h>

struct extable_entry {
    unsigned long from, to;
};

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];
extern const unsigned long trap_stubs[32];
extern const char trap_call_resume[];

struct trap_record trap_last;
struct cpu_regs user_exit_regs;
static struct extable_entry dynamic_fixup;

/* entry.S loads and saves struct cpu_regs by these offsets. */
_Static_assert(offsetof(struct cpu_regs, r15) == 0, "CR_R15");
_Static_assert(offsetof(struct cpu_regs, r11) == 48, "CR_R11");
_Static_assert(offsetof(struct cpu_regs, r8) == 72, "CR_R8");
_Static_assert(offsetof(struct cpu_regs, rdi) == 112, "CR_RDI");
_Static_assert(offsetof(struct cpu_regs, rip) == 136, "CR_RIP");
_Static_assert(offsetof(struct cpu_regs, rflags) == 152, "CR_RFLAGS");
_Static_assert(offsetof(struct cpu_regs, rsp) == 160, "CR_RSP");

void trap_handle(struct cpu_regs *regs);
void failsafe_handle(const uint64_t *frame);
void event_handle(void);

void trap_reset(void)
{
    memset(&trap_last, 0, sizeof(trap_last));
}

void trap_set_fixup(unsigned long from, unsigned long to)
{
    dynamic_fixup.from = from;
    dynamic_fixup.to = to;
}

void traps_init(void)
{
    static struct trap_info table[33];
    unsigned int i;
    long rc;

    for (i = 0; i < 32; i++) {
        table[i].vector = (uint8_t)i;
        table[i].cs = FLAT_KERNEL_CS;
        table[i].address = trap_stubs[i];
        /* int3 and into may be raised from the guest kernel (DPL 3). */
        table[i].flags = (i == X86_EXC_BP || i == X86_EXC_OF) ? 3 : 0;
    }
    /* table[32] is the all-zero terminator. */
    rc = hypercall_set_trap_table(table);
    if (rc) {
        report_error("set_trap_table: %ld", rc);
        report_finish();
    }
}

static unsigned long extable_find(unsigned long rip)
{
    const struct extable_entry *e;

    if (dynamic_fixup.from && dynamic_fixup.from == rip)
        return dynamic_fixup.to;
    for (e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->from == rip)
            return e->to;
    return 0;
}

static void record(const struct cpu_regs *regs)
{
    trap_last.count++;
    trap_last.vector = (unsigned int)regs->vector;
    trap_last.error_code = regs->error_code;
    trap_last.rip = regs->rip;
    trap_last.cs = regs->cs;
    trap_last.rflags = regs->rflags;
    trap_last.rsp = regs->rsp;
    trap_last.ss = regs->ss;
    trap_last.rcx = regs->rcx;
    trap_last.r11 = regs->r11;
    if (shared_info)
        trap_last.upcall_mask = READ_ONCE(vcpu0_info()->evtchn_upcall_mask);
    if (regs->vector == X86_EXC_PF && shared_info)
        trap_last.cr2 = READ_ONCE(vcpu0_info()->arch.cr2);
}

static void __noreturn unexpected(const struct cpu_regs *regs)
{
    printk("unexpected exception %lu err %lx at rip %lx cs %lx rflags %lx "
           "rsp %lx ss %lx\n", regs->vector, regs->error_code, regs->rip,
           regs->cs, regs->rflags, regs->rsp, regs->ss);
    if (regs->vector == X86_EXC_PF && shared_info)
        printk("cr2 %lx\n", (unsigned long)vcpu0_info()->arch.cr2);
    report_error("unexpected exception %lu at %lx", regs->vector, regs->rip);
    report_finish();
}

void trap_handle(struct cpu_regs *regs)
{
    unsigned long fixup;

    if (regs->vector == TRAP_EVENT) {
        event_handle();
        return;
    }
    record(regs);
    /* A bounce out of guest user mode ends user_enter(). */
    if ((regs->cs & 3) == 3 || regs->vector == TRAP_SYSCALL) {
        user_exit_regs = *regs;
        user_leave();
    }
    /* A single-step trap must not follow us back through iret. */
    if (regs->vector == X86_EXC_DB)
        regs->rflags &= ~X86_EFLAGS_TF;
    fixup = extable_find(regs->rip);
    /* trap_call_at() pushed its return address just before the fault. */
    if (!fixup && regs->rsp >= 8 &&
        *(const unsigned long *)regs->rsp == (unsigned long)trap_call_resume)
        fixup = (unsigned long)trap_call_resume;
    if (!fixup)
        unexpected(regs);
    regs->rip = fixup;
}

void failsafe_handle(const uint64_t *frame)
{
    printk("failsafe callback: rip %lx cs %lx ds %lx es %lx fs %lx gs %lx\n",
           (unsigned long)frame[6], (unsigned long)frame[7],
           (unsigned long)frame[2], (unsigned long)frame[3],
           (unsigned long)frame[4], (unsigned long)frame[5]);
    report_error("failsafe callback");
    report_finish();
}
