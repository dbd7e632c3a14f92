/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * usermode: guest user mode entered by HYPERVISOR_iret with a user CS on
 * a user L4 (MMUEXT_NEW_USER_BASEPTR), and every way back: syscall to
 * CALLBACKTYPE_syscall (rcx/r11 = user rip/rflags), user #PF (U bit,
 * cr2), int $0x80 through a DPL 3 gate, DPL 0 gates and privileged
 * instructions (#GP).  Xen crashes a domain that irets to user mode with
 * no user L4, so that is not tested.
 */
#include <guest.h>

#define PFEC_P 0x01UL
#define PFEC_W 0x02UL
#define PFEC_U 0x04UL
#define NO_ERR (~0UL)

/* User layout: L4[0] -> L3[0] -> L2[2] -> L1, i.e. from 4 MiB up. */
#define U_CODE 0x400000UL
#define U_RO 0x401000UL
#define U_STACK 0x402000UL
#define U_STACK_TOP (U_STACK + PAGE_SIZE)
#define U_UNMAPPED 0x7000000UL
#define USER_PTE (PTE_P | PTE_US | PTE_A)

/*
 * User routines, copied to U_CODE: each does its one thing, then
 * `syscall` back; ud2 marks places it must never reach.
 */
extern const char user_code[], user_code_end[], u_syscall[],
    u_syscall_ret[], u_load[], u_store[], u_int80[], u_int80_ret[],
    u_int81[], u_int14[], u_int3_ret[], u_hlt[], u_cli[], u_load_done[];
asm(".pushsection .text\n"
    "user_code:\n"
    "u_syscall: push %rax; pop %rax; syscall\n"
    "u_syscall_ret: ud2\n"
    "u_load: movq (%rdi), %rax\n"
    "u_load_done: syscall\n"
    "u_store: movb $1, (%rdi); syscall\n"
    "u_int80: int $0x80\n"
    "u_int80_ret: ud2\n"
    "u_int81: int $0x81; ud2\n"
    "u_int14: int $14; ud2\n"
    "int3\n"
    "u_int3_ret: ud2\n"
    "u_hlt: hlt; ud2\n"
    "u_cli: cli; ud2\n"
    "user_code_end:\n"
    ".popsection");

static char kstack[4 * PAGE_SIZE] __aligned(16);

static unsigned long uva(const char *sym)
{
    return U_CODE + (unsigned long)(sym - user_code);
}

static uint64_t pte_to(const void *va, uint64_t flags)
{
    return (mm_va_to_mfn((unsigned long)va) << PAGE_SHIFT) | flags;
}

static void make_table(uint64_t *t)
{
    CHECK_RC("table read-only", mm_set_flags((unsigned long)t, PTE_P | PTE_A),
             0);
}

/* Builds and pins the user L4; returns its MFN. */
static unsigned long build_user_pt(void)
{
    uint64_t *l4 = mm_alloc_page(), *l3 = mm_alloc_page();
    uint64_t *l2 = mm_alloc_page(), *l1 = mm_alloc_page();
    char *code = mm_alloc_page(), *ro = mm_alloc_page();
    char *stack = mm_alloc_page();
    unsigned long mfn = mm_va_to_mfn((unsigned long)l4);

    memcpy(code, user_code, (size_t)(user_code_end - user_code));
    ro[0] = 'r';
    l1[0] = pte_to(code, USER_PTE);
    l1[1] = pte_to(ro, USER_PTE | PTE_NX);
    l1[2] = pte_to(stack, USER_PTE | PTE_RW | PTE_D | PTE_NX);
    l2[2] = pte_to(l1, USER_PTE | PTE_RW);
    l3[0] = pte_to(l2, USER_PTE | PTE_RW);
    l4[0] = pte_to(l3, USER_PTE | PTE_RW);
    make_table(l1);
    make_table(l2);
    make_table(l3);
    make_table(l4);
    CHECK_RC("pin user L4", mm_mmuext(MMUEXT_PIN_L4_TABLE, mfn, 0), 0);
    return mfn;
}

#define MAGIC(n) (0x0101010101010101UL * (n))

/* Run user code at rip with rdi = arg; returns after the first bounce. */
static void run_user(unsigned long rip, unsigned long arg, uint64_t rflags)
{
    struct cpu_regs r = {
        .r15 = MAGIC(0xf), .r14 = MAGIC(0xe), .r13 = MAGIC(0xd),
        .r12 = MAGIC(0xc), .rbp = MAGIC(0xb), .rbx = MAGIC(0xa),
        .r11 = MAGIC(0x11), .r10 = MAGIC(0x10), .r9 = MAGIC(9),
        .r8 = MAGIC(8), .rax = MAGIC(7), .rcx = MAGIC(6), .rdx = MAGIC(5),
        .rsi = MAGIC(4), .rdi = arg,
        .rip = rip, .rflags = rflags, .rsp = U_STACK_TOP - 64,
    };
    struct vcpu_info *vi = vcpu0_info();
    uint8_t mask = vi->evtchn_upcall_mask;

    trap_reset();
    memset(&user_exit_regs, 0, sizeof(user_exit_regs));
    user_enter(&r);
    WRITE_ONCE(vi->evtchn_upcall_mask, mask);
}

static void expect_bounce(const char *what, unsigned int vec,
                          unsigned long err, unsigned long rip)
{
    const struct trap_record *t = &trap_last;

    if (t->count != 1) {
        report_fail("%s: %u bounces, expected 1", what, t->count);
        return;
    }
    CHECK(t->vector == vec, "%s: vector %#x, expected %#x", what, t->vector,
          vec);
    CHECK(t->error_code == err, "%s: error code %#lx, expected %#lx", what,
          t->error_code, err);
    CHECK(t->rip == rip, "%s: rip %#lx, expected %#lx", what, t->rip, rip);
    CHECK((t->cs & 0xffff) == FLAT_USER_CS, "%s: cs %#lx", what, t->cs);
    CHECK((t->ss & 0xffff) == FLAT_USER_SS, "%s: ss %#lx", what, t->ss);
    CHECK(t->rsp == U_STACK_TOP - 64, "%s: rsp %#lx", what, t->rsp);
}

static void check_syscall(void)
{
    const struct cpu_regs *x = &user_exit_regs;
    uint64_t rflags = X86_EFLAGS_IF | 0x2 | 0x1 | 0x80;   /* IF, CF, SF */

    run_user(uva(u_syscall), MAGIC(3), rflags);
    expect_bounce("syscall", TRAP_SYSCALL, NO_ERR, uva(u_syscall_ret));
    CHECK(x->rcx == uva(u_syscall_ret), "syscall: rcx %#lx, expected %#lx",
          x->rcx, uva(u_syscall_ret));
    CHECK(x->r11 == rflags, "syscall: r11 %#lx, expected %#lx", x->r11,
          rflags);
    CHECK(x->rflags == rflags, "syscall: frame rflags %#lx", x->rflags);
    CHECK(((x->cs >> 32) & 0xff) == 0, "syscall: saved upcall mask %#lx",
          x->cs);
    CHECK(trap_last.upcall_mask == 1,
          "syscall: CALLBACKF_mask_events did not mask events");
    CHECK(x->rax == MAGIC(7) && x->rdx == MAGIC(5) && x->rsi == MAGIC(4) &&
          x->rdi == MAGIC(3) && x->r8 == MAGIC(8) && x->r9 == MAGIC(9) &&
          x->r10 == MAGIC(0x10) && x->rbx == MAGIC(0xa) &&
          x->rbp == MAGIC(0xb) && x->r12 == MAGIC(0xc) &&
          x->r13 == MAGIC(0xd) && x->r14 == MAGIC(0xe) &&
          x->r15 == MAGIC(0xf),
          "syscall: user registers not preserved (rax %#lx rdi %#lx r15 "
          "%#lx)", x->rax, x->rdi, x->r15);

    /*
     * iret with IF clear masks events for user mode; the real IF stays
     * set (r11 from the syscall instruction), the frame shows IF clear.
     */
    run_user(uva(u_syscall), 0, 0x2);
    expect_bounce("syscall, IF clear", TRAP_SYSCALL, NO_ERR,
                  uva(u_syscall_ret));
    CHECK(((x->cs >> 32) & 0xff) == 1, "syscall, IF clear: saved mask %#lx",
          x->cs);
    CHECK(x->r11 == 0x202, "syscall, IF clear: r11 %#lx", x->r11);
    CHECK(x->rflags == 0x2, "syscall, IF clear: frame rflags %#lx",
          x->rflags);
}

static void check_page_faults(void)
{
    struct { const char *what; unsigned long addr; bool store;
             unsigned long err; } pf[] = {
        { "user read, unmapped", U_UNMAPPED, false, PFEC_U },
        { "user write, unmapped", U_UNMAPPED + 8, true, PFEC_U | PFEC_W },
        { "user write, read-only page", U_RO + 16, true,
          PFEC_U | PFEC_W | PFEC_P },
        { "user read of the kernel image", (unsigned long)_image_start,
          false, PFEC_U },
        { "user write to user code", U_CODE + 0x800, true,
          PFEC_U | PFEC_W | PFEC_P },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(pf); i++) {
        run_user(uva(pf[i].store ? u_store : u_load), pf[i].addr, 0x202);
        expect_bounce(pf[i].what, X86_EXC_PF, pf[i].err,
                      uva(pf[i].store ? u_store : u_load));
        CHECK(trap_last.cr2 == pf[i].addr, "%s: cr2 %#lx", pf[i].what,
              trap_last.cr2);
    }

    /*
     * User mode may read its own pages.  (Whether it sees Xen's read-only
     * M2P depends on m2p_strict and XPTI, so that is not checked.)
     */
    run_user(uva(u_load), U_RO, 0x202);
    expect_bounce("user read of a user page", TRAP_SYSCALL, NO_ERR,
                  uva(u_load_done) + 2);
    CHECK((user_exit_regs.rax & 0xff) == 'r', "user read returned %#lx",
          user_exit_regs.rax);
}

static void check_gates(void)
{
    static struct trap_info gates[3];

    gates[0] = (struct trap_info){ .vector = 0x80, .flags = 3,
                                   .cs = FLAT_KERNEL_CS,
                                   .address = (unsigned long)trap_stub_0x80 };
    gates[1] = (struct trap_info){ .vector = 0x81, .flags = 0,
                                   .cs = FLAT_KERNEL_CS,
                                   .address = (unsigned long)trap_stub_0x81 };
    CHECK_RC("set_trap_table(0x80 DPL 3, 0x81 DPL 0)",
             hypercall_set_trap_table(gates), 0);

    run_user(uva(u_int80), 0, 0x202);
    expect_bounce("int $0x80 (DPL 3)", 0x80, NO_ERR, uva(u_int80_ret));
    CHECK(user_exit_regs.rcx == MAGIC(6) && user_exit_regs.r11 == MAGIC(0x11),
          "int $0x80: rcx %#lx r11 %#lx", user_exit_regs.rcx,
          user_exit_regs.r11);
    run_user(uva(u_int81), 0, 0x202);
    expect_bounce("int $0x81 (DPL 0)", X86_EXC_GP, (0x81 << 3) | 2,
                  uva(u_int81));
    run_user(uva(u_int14), 0, 0x202);
    expect_bounce("int $14 (DPL 0)", X86_EXC_GP, (14 << 3) | 2,
                  uva(u_int14));
    run_user(uva(u_int3_ret) - 1, 0, 0x202);
    expect_bounce("int3 (DPL 3)", X86_EXC_BP, NO_ERR, uva(u_int3_ret));
    run_user(uva(u_hlt), 0, 0x202);
    expect_bounce("hlt", X86_EXC_GP, 0, uva(u_hlt));
    run_user(uva(u_cli), 0, 0x202);
    expect_bounce("cli", X86_EXC_GP, 0, uva(u_cli));
}

/* No syscall callback: Xen makes the syscall a #UD at the instruction. */
static void check_callbacks(void)
{
    struct callback_register cb = { .type = CALLBACKTYPE_syscall,
                                    .address = 0 };
    struct callback_unregister un = { .type = CALLBACKTYPE_syscall };

    CHECK_RC("register syscall callback 0",
             hypercall_callback_op(CALLBACKOP_register, &cb), 0);
    run_user(uva(u_syscall), 0, 0x202);
    expect_bounce("syscall without a callback", X86_EXC_UD, NO_ERR,
                  uva(u_syscall_ret) - 2);
    cb.address = 0x8000000000000000UL;
    CHECK_RC("register non-canonical syscall callback",
             hypercall_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL);
    cb.type = 77;
    cb.address = (unsigned long)syscall_entry;
    /* Xen: an unknown type is -ENOSYS, unregistering syscall -EINVAL. */
    CHECK_RC("register callback type 77",
             hypercall_callback_op(CALLBACKOP_register, &cb), -XEN_ENOSYS);
    CHECK_RC("unregister the syscall callback",
             hypercall_callback_op(CALLBACKOP_unregister, &un), -XEN_EINVAL);
    CHECK_RC("callback_op(bad ptr)",
             hypercall_callback_op(CALLBACKOP_register, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
    CHECK_RC("callback_op(bad cmd)", hypercall_callback_op(9, &cb),
             -XEN_ENOSYS);
}

static void check_baseptr_errors(unsigned long user_l4)
{
    unsigned long data = mm_va_to_mfn((unsigned long)kstack);

    CHECK_RC("NEW_USER_BASEPTR(writable data frame)",
             mm_mmuext(MMUEXT_NEW_USER_BASEPTR, data, 0), -XEN_EINVAL);
    CHECK_RC("NEW_USER_BASEPTR(frame we do not own)",
             mm_mmuext(MMUEXT_NEW_USER_BASEPTR, mm_foreign_ram_mfn(), 0),
             -XEN_EINVAL);
    CHECK_RC("NEW_USER_BASEPTR(0)", mm_mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0),
             0);
    CHECK_RC("unpin user L4", mm_mmuext(MMUEXT_UNPIN_TABLE, user_l4, 0), 0);
}

void test_main(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall, .flags = CALLBACKF_mask_events,
        .address = (unsigned long)syscall_entry,
    };
    unsigned long l4 = build_user_pt();

    CHECK_RC("NEW_USER_BASEPTR", mm_mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0),
             0);
    CHECK_RC("stack_switch", hypercall_stack_switch(FLAT_KERNEL_SS,
             (unsigned long)kstack + sizeof(kstack)), 0);
    CHECK_RC("register syscall callback",
             hypercall_callback_op(CALLBACKOP_register, &cb), 0);
    if (report_failed())
        return;
    check_syscall();
    check_page_faults();
    check_gates();
    check_callbacks();
    check_baseptr_errors(l4);
}
