/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * traps: exceptions bounced through set_trap_table with Xen's frame (rcx,
 * r11, [error code], rip, cs + saved upcall mask, rflags, rsp, ss), int n
 * and gate DPLs, interrupt-gate masking, and set_trap_table errors.
 */
#include <guest.h>

#define MAGIC_RCX 0x1c1c1c1c2c2c2c2cUL
#define MAGIC_R11 0x5b5b5b5b6b6b6b6bUL
#define NO_ERR (~0UL)

struct probe {
    unsigned long rip, rsp, rcx, r11;
};

/*
 * Run `insn` at label 1 with known rcx/r11; `at` is "1" for faults (the
 * frame's rip is the instruction) or "2" for traps (the one after).  No
 * call may come between the register variables and the asm.
 */
#define PROBE(pr, at, insn, di)                                             \
    do {                                                                    \
        trap_reset();                                                       \
        register unsigned long p_rcx asm("rcx") = MAGIC_RCX;                \
        register unsigned long p_r11 asm("r11") = MAGIC_R11;                \
        register unsigned long p_rdi asm("rdi") = (unsigned long)(di);      \
        asm volatile("lea " at "f(%%rip), %[rip]\n\t"                       \
                     "mov %%rsp, %[sp]\n\t"                                 \
                     "1: " insn "\n\t"                                      \
                     "2:\n\t" EXTABLE_S(at "b", "2b")                     \
                     : [rip] "=&r"((pr)->rip), [sp] "=&r"((pr)->rsp),       \
                       "+r"(p_rcx), "+r"(p_r11), "+r"(p_rdi)                \
                     :                                                      \
                     : "rax", "rdx", "memory");                             \
        (pr)->rcx = p_rcx;                                                  \
        (pr)->r11 = p_r11;                                                  \
    } while (0)

static void expect(const char *what, const struct probe *pr,
                   unsigned int vec, unsigned long err)
{
    const struct trap_record *t = &trap_last;

    if (t->count != 1) {
        report_fail("%s: %u exceptions taken, expected 1", what, t->count);
        return;
    }
    CHECK(t->vector == vec, "%s: vector %u, expected %u", what, t->vector,
          vec);
    CHECK(t->error_code == err, "%s: error code %#lx, expected %#lx", what,
          t->error_code, err);
    CHECK(t->rip == pr->rip, "%s: rip %#lx, expected %#lx", what, t->rip,
          pr->rip);
    CHECK(t->rsp == pr->rsp, "%s: rsp %#lx, expected %#lx", what, t->rsp,
          pr->rsp);
    CHECK(t->rcx == MAGIC_RCX && t->r11 == MAGIC_R11,
          "%s: frame rcx %#lx r11 %#lx", what, t->rcx, t->r11);
    CHECK(pr->rcx == MAGIC_RCX && pr->r11 == MAGIC_R11,
          "%s: after iret rcx %#lx r11 %#lx", what, pr->rcx, pr->r11);
    CHECK((t->cs & 0xffff) == (FLAT_KERNEL_CS & ~3u),
          "%s: cs %#lx, expected %#x", what, t->cs & 0xffff,
          FLAT_KERNEL_CS & ~3u);
    CHECK((t->ss & 0xffff) == FLAT_KERNEL_SS,
          "%s: ss %#lx, expected %#x", what, t->ss, FLAT_KERNEL_SS);
}

static void check_exceptions(void)
{
    struct probe pr;

    PROBE(&pr, "1", "divq %%rdi", 0);
    expect("#DE (div by 0)", &pr, X86_EXC_DE, NO_ERR);

    PROBE(&pr, "2", "int3", 0);
    expect("#BP (int3)", &pr, X86_EXC_BP, NO_ERR);

    PROBE(&pr, "2", ".byte 0xcd, 0x03", 0);
    expect("#BP (int $3, DPL 3 gate)", &pr, X86_EXC_BP, NO_ERR);

    PROBE(&pr, "1", "ud2", 0);
    expect("#UD (ud2)", &pr, X86_EXC_UD, NO_ERR);

    PROBE(&pr, "1", "movq (%%rdi), %%rax", BAD_PTR_NONCANON);
    expect("#GP (non-canonical load)", &pr, X86_EXC_GP, 0);

    PROBE(&pr, "1", "int $14", 0);
    expect("#GP (int $14, DPL 0 gate)", &pr, X86_EXC_GP, (14 << 3) | 2);

    PROBE(&pr, "1", "int $0x40", 0);
    expect("#GP (int $0x40, no gate)", &pr, X86_EXC_GP, (0x40 << 3) | 2);

    PROBE(&pr, "1", "movq (%%rdi), %%rax", BAD_PTR_UNMAPPED);
    expect("#PF (unmapped load)", &pr, X86_EXC_PF, 0);

    PROBE(&pr, "2", "pushf; orq $0x100, (%%rsp); popf; 1: nop", 0);
    expect("#DB (single step)", &pr, X86_EXC_DB, NO_ERR);
}

/* The frame's rflags.IF and cs[39:32] mirror the upcall mask at the fault. */
static void check_masking(void)
{
    static struct trap_info ud_gate[2];
    extern const unsigned long trap_stubs[32];
    struct vcpu_info *vi = vcpu0_info();
    struct probe pr;

    vi->evtchn_upcall_mask = 1;
    PROBE(&pr, "1", "ud2", 0);
    CHECK(((trap_last.cs >> 32) & 0xff) == 1, "masked: cs %#lx", trap_last.cs);
    CHECK(!(trap_last.rflags & X86_EFLAGS_IF), "masked: rflags %#lx has IF",
          trap_last.rflags);

    vi->evtchn_upcall_mask = 0;
    PROBE(&pr, "1", "ud2", 0);
    CHECK(((trap_last.cs >> 32) & 0xff) == 0, "unmasked: cs %#lx",
          trap_last.cs);
    CHECK(trap_last.rflags & X86_EFLAGS_IF, "unmasked: rflags %#lx lacks IF",
          trap_last.rflags);
    CHECK(trap_last.upcall_mask == 0, "trap gate masked events");
    CHECK(vi->evtchn_upcall_mask == 0, "mask not restored by iret (trap)");

    /* An interrupt gate (flags bit 2) masks events for the handler. */
    ud_gate[0] = (struct trap_info){ .vector = X86_EXC_UD, .flags = 4,
                                     .cs = FLAT_KERNEL_CS,
                                     .address = trap_stubs[X86_EXC_UD] };
    CHECK_RC("set_trap_table(#UD interrupt gate)",
             hypercall_set_trap_table(ud_gate), 0);
    PROBE(&pr, "1", "ud2", 0);
    expect("#UD (interrupt gate)", &pr, X86_EXC_UD, NO_ERR);
    CHECK(trap_last.upcall_mask == 1, "interrupt gate did not mask events");
    CHECK(vi->evtchn_upcall_mask == 0, "mask not restored by iret (intr)");
    vi->evtchn_upcall_mask = 1;
    traps_init();
}

static void check_table_errors(void)
{
    static struct trap_info bad[2];
    struct probe pr;

    CHECK_RC("set_trap_table(bad ptr)",
             hypercall_set_trap_table(BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("set_trap_table(hole ptr)",
             hypercall_set_trap_table(BAD_PTR_HOLE), -XEN_EFAULT);
    bad[0] = (struct trap_info){ .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS,
                                 .address = 0x8000000000000000UL };
    CHECK_RC("set_trap_table(non-canonical handler)",
             hypercall_set_trap_table(bad), -XEN_EINVAL);
    /* The table installed before is still in force. */
    PROBE(&pr, "1", "ud2", 0);
    expect("#UD after failed set_trap_table", &pr, X86_EXC_UD, NO_ERR);
}

void test_main(void)
{
    check_exceptions();
    check_masking();
    check_table_errors();
}
