/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fpu: fpu_taskswitch(1) makes the next x87/SSE instruction a #NM bounced
 * to the guest (and Xen clears the virtual TS as it delivers it);
 * fpu_taskswitch(0) and clts let it run; CR0.TS reads back; x87, SSE and
 * MXCSR state survive hypercalls, a #NM restart and a block/wake.
 * The one test built without -mgeneral-regs-only.
 */
#include <guest.h>

#define CR0_TS 0x8UL
#define MS 1000000UL

/* fxsave layout: the parts that must survive (not FIP/FDP/FOP). */
struct fxsave {
    uint16_t fcw, fsw;
    uint8_t ftw, rsvd1;
    uint16_t fop;
    uint64_t fip, fdp;
    uint32_t mxcsr, mxcsr_mask;
    uint8_t st[8][16];
    uint8_t xmm[16][16];
    uint8_t rest[96];
} __aligned(16);
_Static_assert(sizeof(struct fxsave) == 512, "fxsave area");

struct fpu_pattern {
    uint8_t xmm[16][16];
    uint32_t mxcsr;
    uint16_t fcw;
};

struct fxsave fpu_ref, fpu_out;
static struct fpu_pattern pattern;

/*
 * fpu_probe(pattern, fn): load xmm0-15, MXCSR, FCW and three x87 values,
 * fxsave to fpu_ref, call fn, fxsave to fpu_out.  A #NM on that second
 * fxsave restarts it (Xen has cleared the virtual TS by then).
 */
void fpu_probe(const struct fpu_pattern *p, void (*fn)(void));
asm(".pushsection .text\n"
    ".globl fpu_probe\n"
    "fpu_probe:\n"
    "  push %rbx\n"
    "  push %r12\n"
    "  sub $8, %rsp\n"
    "  mov %rsi, %r12\n"
    "  movdqu 0(%rdi), %xmm0\n  movdqu 16(%rdi), %xmm1\n"
    "  movdqu 32(%rdi), %xmm2\n  movdqu 48(%rdi), %xmm3\n"
    "  movdqu 64(%rdi), %xmm4\n  movdqu 80(%rdi), %xmm5\n"
    "  movdqu 96(%rdi), %xmm6\n  movdqu 112(%rdi), %xmm7\n"
    "  movdqu 128(%rdi), %xmm8\n  movdqu 144(%rdi), %xmm9\n"
    "  movdqu 160(%rdi), %xmm10\n  movdqu 176(%rdi), %xmm11\n"
    "  movdqu 192(%rdi), %xmm12\n  movdqu 208(%rdi), %xmm13\n"
    "  movdqu 224(%rdi), %xmm14\n  movdqu 240(%rdi), %xmm15\n"
    "  ldmxcsr 256(%rdi)\n"
    "  fninit\n"
    "  fldcw 260(%rdi)\n"
    "  fld1\n  fldpi\n  fldl2t\n"
    "  fxsave64 fpu_ref(%rip)\n"
    "  call *%r12\n"
    "fpu_probe_save:\n"
    "  fxsave64 fpu_out(%rip)\n"
    "  fninit\n"
    "  add $8, %rsp\n"
    "  pop %r12\n"
    "  pop %rbx\n"
    "  ret\n"
    EXTABLE(fpu_probe_save, fpu_probe_save)
    ".popsection");

static evtchn_port_t timer_port;

static void fn_nothing(void)
{
}

static void fn_hypercalls(void)
{
    static const char msg[] = "fpu: hypercalls with live FPU state\n";

    hypercall_xen_version(XENVER_version, NULL);
    hypercall_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
    hypercall_sched_op(SCHEDOP_yield, NULL);
    mm_flush_tlb();
    hypercall_fpu_taskswitch(0);
}

static void fn_taskswitch(void)
{
    hypercall_fpu_taskswitch(1);
    hypercall_xen_version(XENVER_version, NULL);
}

static void fn_block(void)
{
    unsigned int n = event_count[timer_port], loops = 0;

    hypercall_set_timer_op(time_now_ns() + 2 * MS);
    while (event_count[timer_port] == n && loops++ < 1000)
        hypercall_sched_op(SCHEDOP_block, NULL);
    events_mask_all();
}

static void fn_nm(void)
{
    hypercall_fpu_taskswitch(1);
    /* The bounce and iret in between must not lose the state. */
    asm volatile("1: ud2\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
}

static void compare(const char *what)
{
    const struct fxsave *a = &fpu_ref, *b = &fpu_out;
    unsigned int i;

    CHECK(a->fcw == pattern.fcw, "%s: FCW %#x not loaded", what, a->fcw);
    CHECK(b->fcw == a->fcw, "%s: FCW %#x, expected %#x", what, b->fcw,
          a->fcw);
    CHECK(b->fsw == a->fsw && b->ftw == a->ftw,
          "%s: FSW/FTW %#x/%#x, expected %#x/%#x", what, b->fsw, b->ftw,
          a->fsw, a->ftw);
    CHECK(b->mxcsr == pattern.mxcsr, "%s: MXCSR %#x, expected %#x", what,
          b->mxcsr, pattern.mxcsr);
    for (i = 0; i < 8; i++)
        CHECK(!memcmp(a->st[i], b->st[i], 10), "%s: st(%u) changed", what,
              i);
    for (i = 0; i < 16; i++)
        CHECK(!memcmp(b->xmm[i], pattern.xmm[i], 16), "%s: xmm%u changed",
              what, i);
}

static void probe(const char *what, void (*fn)(void), unsigned int nm)
{
    unsigned int i, j;

    /* A different pattern each time, so stale state cannot pass. */
    for (i = 0; i < 16; i++)
        for (j = 0; j < 16; j++)
            pattern.xmm[i][j] = (uint8_t)(i * 16 + j + pattern.mxcsr);
    pattern.mxcsr = pattern.mxcsr == 0x7f80 ? 0x3f80 : 0x7f80;
    pattern.fcw = pattern.fcw == 0x27f ? 0x37f : 0x27f;
    trap_reset();
    fpu_probe(&pattern, fn);
    /* The last exception is the #NM on the second fxsave, if any. */
    CHECK(trap_last.count == nm, "%s: %u exceptions (vector %u), expected "
          "%u", what, trap_last.count, trap_last.vector, nm);
    if (nm)
        CHECK(trap_last.vector == X86_EXC_NM &&
              trap_last.error_code == ~0UL, "%s: vector %u err %#lx", what,
              trap_last.vector, trap_last.error_code);
    compare(what);
}

static unsigned long read_cr0(void)
{
    unsigned long cr0;

    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    return cr0;
}

/* One SSE and one x87 instruction, each expected to trap or not. */
static unsigned int try_sse(void)
{
    trap_reset();
    asm volatile("1: movaps %%xmm0, %%xmm1\n\t2:\n\t" EXTABLE(1b, 2b)
                 ::: "memory");
    return trap_last.count;
}

static unsigned int try_x87(void)
{
    uint16_t cw;

    trap_reset();
    asm volatile("1: fnstcw %0\n\t2:\n\t" EXTABLE(1b, 2b) : "=m"(cw)
                 :: "memory");
    return trap_last.count;
}

static void check_nm(void)
{
    CHECK_RC("fpu_taskswitch(1)", hypercall_fpu_taskswitch(1), 0);
    CHECK(read_cr0() & CR0_TS, "CR0.TS clear after fpu_taskswitch(1)");
    CHECK(try_sse() == 1 && trap_last.vector == X86_EXC_NM &&
          trap_last.error_code == ~0UL,
          "SSE with TS set: %u exceptions, vector %u", trap_last.count,
          trap_last.vector);
    /* Xen clears the virtual TS when it delivers #NM. */
    CHECK(!(read_cr0() & CR0_TS), "CR0.TS still set after #NM");
    CHECK(try_sse() == 0, "SSE after the #NM trapped again");

    CHECK_RC("fpu_taskswitch(1)", hypercall_fpu_taskswitch(1), 0);
    CHECK(try_x87() == 1 && trap_last.vector == X86_EXC_NM,
          "x87 with TS set: %u exceptions, vector %u", trap_last.count,
          trap_last.vector);

    CHECK_RC("fpu_taskswitch(1)", hypercall_fpu_taskswitch(1), 0);
    CHECK_RC("fpu_taskswitch(0)", hypercall_fpu_taskswitch(0), 0);
    CHECK(!(read_cr0() & CR0_TS), "CR0.TS set after fpu_taskswitch(0)");
    CHECK(try_sse() == 0 && try_x87() == 0, "FPU trapped with TS clear");

    /* clts is emulated as fpu_taskswitch(0). */
    CHECK_RC("fpu_taskswitch(1)", hypercall_fpu_taskswitch(1), 0);
    trap_reset();
    asm volatile("clts" ::: "memory");
    CHECK(trap_last.count == 0, "clts raised vector %u", trap_last.vector);
    CHECK(try_sse() == 0, "SSE after clts trapped");

    /* Any non-zero argument sets TS. */
    CHECK_RC("fpu_taskswitch(2)", hypercall_fpu_taskswitch(2), 0);
    CHECK(read_cr0() & CR0_TS, "CR0.TS clear after fpu_taskswitch(2)");
    CHECK_RC("fpu_taskswitch(0)", hypercall_fpu_taskswitch(0), 0);
}

/* Compiler-generated SSE code works once TS is clear. */
static void check_compiled(void)
{
    volatile double x = 1.5, y = 2.25;
    volatile float f = 3.0f;

    trap_reset();
    CHECK(x * y == 3.375 && f / 2.0f == 1.5f, "floating point maths wrong");
    CHECK(trap_last.count == 0, "compiled SSE code trapped");
}

void test_main(void)
{
    long port = evtchn_bind_virq(VIRQ_TIMER, 0);

    CHECK(port > 0, "bind VIRQ_TIMER: %ld", port);
    timer_port = (evtchn_port_t)port;
    check_nm();
    check_compiled();
    probe("no hypercall", fn_nothing, 0);
    probe("hypercalls", fn_hypercalls, 0);
    probe("fpu_taskswitch(1) then #NM", fn_taskswitch, 1);
    probe("#UD bounce with TS set, then #NM", fn_nm, 2);
    probe("block and wake by VIRQ_TIMER", fn_block, 0);
    CHECK(event_count[timer_port] >= 1, "no timer event while blocked");
}
