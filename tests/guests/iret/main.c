/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iret: HYPERVISOR_iret back to guest-kernel context from a hand-made
 * frame (rax, r11, rcx, flags, rip, cs, rflags, rsp, ss): registers and
 * stack restored, arithmetic flags kept, IOPL cleared, IF mapped onto the
 * upcall mask, and VGCF_in_syscall (rcx/r11 = rip/rflags as after
 * sysret).  Xen crashes the domain for an unreadable frame or a user CS
 * without a user L4, so those are not tested.
 */
#include <guest.h>

#define FL_CF 0x001UL
#define FL_PF 0x004UL
#define FL_ZF 0x040UL
#define FL_SF 0x080UL
#define FL_DF 0x400UL
#define FL_OF 0x800UL
#define FL_IOPL 0x3000UL
#define FL_ARITH (FL_CF | FL_PF | FL_ZF | FL_SF | FL_DF | FL_OF)

struct landing {
    uint64_t rax, rcx, r11, rsp, rflags;
};

/* Written by iret_landing, read by the test. */
struct landing landed;
uint64_t iret_kernel_rsp;

void iret_probe(struct iret_context *frame);
extern const char iret_landing[];

/*
 * iret_probe points rsp at the frame and issues the raw iret hypercall;
 * iret_landing records what came back, restores the C stack and returns
 * from iret_probe.
 */
asm(".pushsection .text\n"
    ".globl iret_probe, iret_landing\n"
    "iret_probe:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rsp, iret_kernel_rsp(%rip)\n"
    "  mov %rdi, %rsp\n"
    "  mov $" "23" ", %eax\n"
    "  syscall\n"
    "  ud2\n"
    "iret_landing:\n"
    "  mov %rax, landed+0(%rip)\n"
    "  mov %rcx, landed+8(%rip)\n"
    "  mov %r11, landed+16(%rip)\n"
    "  mov %rsp, landed+24(%rip)\n"
    "  pushfq\n"
    "  popq landed+32(%rip)\n"
    "  cld\n"
    "  mov iret_kernel_rsp(%rip), %rsp\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".popsection");
_Static_assert(__HYPERVISOR_iret == 23, "iret hypercall number");

static char alt_stack[2 * PAGE_SIZE] __aligned(16);
/* The frame sits on its own stack, as it would below a handler's. */
static struct iret_context frame_area[2] __aligned(16);

#define RAX 0x1111222233334444UL
#define RCX 0x5555666677778888UL
#define R11 0x9999aaaabbbbccccUL
#define ALT_RSP ((uint64_t)alt_stack + sizeof(alt_stack) - 64)

static void probe(uint64_t flags, uint64_t rflags)
{
    struct iret_context *f = &frame_area[0];

    *f = (struct iret_context){
        .rax = RAX, .r11 = R11, .rcx = RCX, .flags = flags,
        .rip = (uint64_t)iret_landing, .cs = FLAT_KERNEL_CS & ~3u,
        .rflags = rflags, .rsp = ALT_RSP, .ss = FLAT_KERNEL_SS,
    };
    memset(&landed, 0, sizeof(landed));
    iret_probe(f);
}

static void check_plain(void)
{
    struct vcpu_info *vi = vcpu0_info();
    uint64_t rf = X86_EFLAGS_IF | 0x2 | FL_ARITH;

    probe(0, rf);
    CHECK(landed.rax == RAX, "rax %#lx", (unsigned long)landed.rax);
    CHECK(landed.rcx == RCX && landed.r11 == R11,
          "rcx %#lx r11 %#lx not restored from the frame",
          (unsigned long)landed.rcx, (unsigned long)landed.r11);
    CHECK(landed.rsp == ALT_RSP, "rsp %#lx, expected %#lx",
          (unsigned long)landed.rsp, (unsigned long)ALT_RSP);
    CHECK((landed.rflags & FL_ARITH) == FL_ARITH,
          "arithmetic flags lost: %#lx", (unsigned long)landed.rflags);
    CHECK(vi->evtchn_upcall_mask == 0, "IF set but events masked");

    /* Nothing but CF set, IF clear: events masked, the real IF stays. */
    probe(0, 0x2 | FL_CF);
    CHECK((landed.rflags & FL_ARITH) == FL_CF, "rflags %#lx, expected CF",
          (unsigned long)landed.rflags);
    CHECK(landed.rflags & X86_EFLAGS_IF, "real IF cleared: %#lx",
          (unsigned long)landed.rflags);
    CHECK(vi->evtchn_upcall_mask == 1, "IF clear but events unmasked");

    /* IOPL is never taken from the frame. */
    probe(0, X86_EFLAGS_IF | 0x2 | FL_IOPL);
    CHECK(!(landed.rflags & FL_IOPL), "IOPL %lu after iret",
          (unsigned long)(landed.rflags & FL_IOPL) >> 12);
    CHECK(vi->evtchn_upcall_mask == 0, "IF set but events masked (IOPL)");

    /* Unknown flag bits are ignored. */
    probe(~(uint64_t)VGCF_in_syscall, X86_EFLAGS_IF | 0x2);
    CHECK(landed.rax == RAX && landed.rcx == RCX && landed.r11 == R11,
          "other flags: rax %#lx rcx %#lx r11 %#lx",
          (unsigned long)landed.rax, (unsigned long)landed.rcx,
          (unsigned long)landed.r11);
    vi->evtchn_upcall_mask = 1;
}

/* VGCF_in_syscall: return like sysret, rcx = rip and r11 = rflags. */
static void check_in_syscall(void)
{
    uint64_t rf = X86_EFLAGS_IF | 0x2 | FL_CF | FL_ZF;

    probe(VGCF_in_syscall, rf);
    CHECK(landed.rax == RAX, "in_syscall: rax %#lx",
          (unsigned long)landed.rax);
    CHECK(landed.rcx == (uint64_t)iret_landing,
          "in_syscall: rcx %#lx, expected the rip %p",
          (unsigned long)landed.rcx, iret_landing);
    CHECK(landed.r11 == rf, "in_syscall: r11 %#lx, expected %#lx",
          (unsigned long)landed.r11, (unsigned long)rf);
    CHECK(landed.rsp == ALT_RSP, "in_syscall: rsp %#lx",
          (unsigned long)landed.rsp);
    CHECK((landed.rflags & FL_ARITH) == (FL_CF | FL_ZF),
          "in_syscall: rflags %#lx", (unsigned long)landed.rflags);
    probe(VGCF_in_syscall, 0x2 | FL_IOPL);
    CHECK(landed.r11 == (0x2 | X86_EFLAGS_IF),
          "in_syscall, IF clear + IOPL: r11 %#lx",
          (unsigned long)landed.r11);
    CHECK(vcpu0_info()->evtchn_upcall_mask == 1,
          "in_syscall, IF clear: events unmasked");
}

/* The frame returns into an exception handler's context too. */
static void check_from_handler(void)
{
    unsigned long r;

    trap_reset();
    asm volatile("1: ud2\n\t2: mov $7, %[r]\n\t" EXTABLE(1b, 2b)
                 : [r] "=r"(r));
    CHECK(trap_last.count == 1 && r == 7, "return from #UD via iret");
}

void test_main(void)
{
    check_plain();
    check_in_syscall();
    check_from_handler();
}
