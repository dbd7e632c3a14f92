/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * privop: what the hypervisor emulates for a PV kernel at CPL 3 -- forced
 * CPUID (Xen leaves, hidden features), rdmsr/wrmsr of the segment bases
 * and friends, CR reads/writes, int n through the guest's gate DPLs (the
 * guest kernel counts as ring 1), port I/O and cli/sti under the virtual
 * IOPL, hlt, wbinvd, and a single step over an emulated instruction.
 */
#include <guest.h>

#define MSR_APIC_BASE 0x1b
#define MSR_UCODE_REV 0x8b
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define NO_ERR (~0UL)
#define BIT(n) (1u << (n))

struct regs4 {
    uint32_t a, b, c, d;
};

static void xen_cpuid(uint32_t leaf, uint32_t sub, struct regs4 *r)
{
    asm volatile("ud2; .ascii \"xen\"; cpuid"
                 : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
                 : "a"(leaf), "c"(sub));
}

/* One exception expected (or none: vec 0). */
static void expect(const char *what, unsigned int vec, unsigned long err)
{
    if (!vec) {
        CHECK(trap_last.count == 0, "%s: exception %u (err %#lx)", what,
              trap_last.vector, (unsigned long)trap_last.error_code);
        return;
    }
    CHECK(trap_last.count == 1 && trap_last.vector == vec &&
          trap_last.error_code == err, "%s: %u exceptions, vector %u "
          "err %#lx; expected vector %u err %#lx", what, trap_last.count,
          trap_last.vector, (unsigned long)trap_last.error_code, vec, err);
}

static bool rdmsr_try(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    trap_reset();
    asm volatile("1: rdmsr\n\t2:\n\t" EXTABLE(1b, 2b)
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *val = ((uint64_t)hi << 32) | lo;
    return trap_last.count == 0;
}

static bool wrmsr_try(uint32_t msr, uint64_t val)
{
    trap_reset();
    asm volatile("1: wrmsr\n\t2:\n\t" EXTABLE(1b, 2b)
                 : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                 : "memory");
    return trap_last.count == 0;
}

static void check_cpuid(void)
{
    struct regs4 r;
    char sig[13] = { 0 };

    xen_cpuid(0x40000000, 0, &r);
    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    CHECK(!strcmp(sig, "XenVMMXenVMM"), "cpuid 0x40000000: \"%s\"", sig);
    CHECK(r.a >= 0x40000002, "cpuid 0x40000000: max leaf %#x", r.a);
    xen_cpuid(0x40000001, 0, &r);
    CHECK(r.a == 0x00040011, "cpuid 0x40000001: version %#x", r.a);
    xen_cpuid(0x40000002, 0, &r);
    CHECK(r.a == 1 && r.b == 0x40000000, "cpuid 0x40000002: %#x %#x", r.a,
          r.b);
    xen_cpuid(0x40000100, 0, &r);
    CHECK(!(r.a | r.b | r.c | r.d), "cpuid 0x40000100 not empty");

    xen_cpuid(1, 0, &r);
    CHECK(r.c & BIT(31), "cpuid 1: no hypervisor bit (ecx %#x)", r.c);
    CHECK(!(r.c & (BIT(3) | BIT(5))), "cpuid 1: MONITOR/VMX (ecx %#x)", r.c);
    CHECK(r.d & BIT(24) && r.d & BIT(25), "cpuid 1: no FXSR/SSE (%#x)", r.d);
    CHECK(!(r.b >> 24), "cpuid 1: APIC id %u", r.b >> 24);
    xen_cpuid(7, 0, &r);
    CHECK(!(r.b & (BIT(7) | BIT(10) | BIT(20))),
          "cpuid 7: SMEP/INVPCID/SMAP (ebx %#x)", r.b);
    CHECK(!(r.c & (BIT(2) | BIT(3) | BIT(16))),
          "cpuid 7: UMIP/PKU/LA57 (ecx %#x)", r.c);
    xen_cpuid(0x80000001, 0, &r);
    CHECK(!(r.c & BIT(2)), "cpuid 0x80000001: SVM (ecx %#x)", r.c);
    CHECK(r.d & BIT(29), "cpuid 0x80000001: no LM (edx %#x)", r.d);

    /* ud2 + "xen" in front of anything but cpuid is just a #UD. */
    trap_reset();
    asm volatile("1: ud2; .ascii \"xen\"; nop; nop\n\t2:\n\t"
                 EXTABLE(1b, 2b) ::: "memory");
    expect("ud2 \"xen\" nop", X86_EXC_UD, NO_ERR);
    CHECK(trap_last.count != 1 || trap_last.rip != 0, "no #UD rip");
}

static unsigned long gs_probe = 0x5a5a1234abcdUL;

static void check_segment_msrs(void)
{
    uint64_t old, v;
    unsigned long got;

    CHECK(rdmsr_try(MSR_GS_BASE, &old), "rdmsr GS_BASE faulted");
    CHECK(wrmsr_try(MSR_GS_BASE, (unsigned long)&gs_probe),
          "wrmsr GS_BASE faulted");
    asm volatile("mov %%gs:0, %0" : "=r"(got));
    CHECK(got == gs_probe, "%%gs:0 after wrmsr GS_BASE: %#lx", got);
    CHECK(rdmsr_try(MSR_GS_BASE, &v) && v == (unsigned long)&gs_probe,
          "rdmsr GS_BASE: %#lx", (unsigned long)v);
    CHECK(wrmsr_try(MSR_GS_BASE, old), "wrmsr GS_BASE back faulted");

    CHECK(rdmsr_try(MSR_FS_BASE, &old), "rdmsr FS_BASE faulted");
    CHECK(wrmsr_try(MSR_FS_BASE, (unsigned long)&gs_probe),
          "wrmsr FS_BASE faulted");
    asm volatile("mov %%fs:0, %0" : "=r"(got));
    CHECK(got == gs_probe, "%%fs:0 after wrmsr FS_BASE: %#lx", got);
    CHECK(wrmsr_try(MSR_FS_BASE, old), "wrmsr FS_BASE back faulted");

    CHECK(rdmsr_try(MSR_SHADOW_GS_BASE, &old), "rdmsr SHADOW_GS faulted");
    CHECK(wrmsr_try(MSR_SHADOW_GS_BASE, 0x1234000),
          "wrmsr SHADOW_GS_BASE faulted");
    CHECK(rdmsr_try(MSR_SHADOW_GS_BASE, &v) && v == 0x1234000,
          "rdmsr SHADOW_GS_BASE: %#lx", (unsigned long)v);
    CHECK(wrmsr_try(MSR_SHADOW_GS_BASE, old), "wrmsr SHADOW_GS back");

    CHECK(!wrmsr_try(MSR_GS_BASE, 0x8000000000000000UL),
          "non-canonical GS_BASE accepted");
    expect("wrmsr GS_BASE non-canonical", X86_EXC_GP, 0);
}

static void check_other_msrs(void)
{
    struct regs4 r;
    uint64_t v;
    uint32_t aux;

    CHECK(rdmsr_try(MSR_APIC_BASE, &v) && v == 0xfee00900,
          "rdmsr APIC_BASE: %#lx", (unsigned long)v);
    CHECK(rdmsr_try(MSR_PAT, &v), "rdmsr PAT faulted");
    printk("PAT %#lx\n", (unsigned long)v);
    CHECK(rdmsr_try(MSR_UCODE_REV, &v), "rdmsr UCODE_REV faulted");
    CHECK(rdmsr_try(MSR_EFER, &v) && (v & 0x500) == 0x500 && !(v & 0x1000),
          "rdmsr EFER: %#lx", (unsigned long)v);
    CHECK(wrmsr_try(MSR_EFER, v), "writing EFER back faulted");
    CHECK(!rdmsr_try(0x12345678, &v), "rdmsr 0x12345678 did not fault");
    expect("rdmsr 0x12345678", X86_EXC_GP, 0);
    CHECK(!wrmsr_try(MSR_STAR, 0), "wrmsr STAR did not fault");
    expect("wrmsr STAR", X86_EXC_GP, 0);

    xen_cpuid(0x80000001, 0, &r);
    if (!(r.d & BIT(27)))
        return;
    CHECK(wrmsr_try(MSR_TSC_AUX, 0x5a), "wrmsr TSC_AUX faulted");
    asm volatile("rdtscp" : "=c"(aux) : : "rax", "rdx");
    CHECK(aux == 0x5a, "rdtscp after wrmsr TSC_AUX: %#x", aux);
}

static unsigned long cr0, cr2, cr3, cr4;

static void check_crs(void)
{
    trap_reset();
    asm volatile("mov %%cr0, %0" : "=r"(cr0));
    asm volatile("mov %%cr3, %0" : "=r"(cr3));
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    expect("reading CR0/3/4", 0, 0);
    CHECK((cr0 & 0x80000001) == 0x80000001, "CR0 %#lx lacks PE/PG", cr0);
    CHECK(cr3 && !(cr3 & 0xfff), "CR3 %#lx", cr3);
    CHECK((cr4 & 0x620) == 0x620, "CR4 %#lx lacks PAE/OSFXSR/OSXMMEXCPT",
          cr4);
    CHECK(!(cr4 & 0x3300090), "CR4 %#lx shows PSE/PGE/SMEP/SMAP/PCIDE",
          cr4);
    asm volatile("mov %0, %%cr4" : : "r"(cr4 | 0x80) : "memory");
    asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    expect("writing CR0 (same) and CR4 (+PGE)", 0, 0);
    trap_reset();
    asm volatile("1: mov %0, %%cr0\n\t2:\n\t" EXTABLE(1b, 2b)
                 : : "r"(cr0 & ~0x10000UL) : "memory");
    expect("clearing CR0.WP", X86_EXC_GP, 0);

    trap_reset();
    asm volatile("1: movq (%0), %%rax\n\t2:\n\t" EXTABLE(1b, 2b)
                 : : "r"(BAD_PTR_UNMAPPED) : "rax", "memory");
    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    CHECK(cr2 == (unsigned long)BAD_PTR_UNMAPPED, "CR2 %#lx after #PF",
          cr2);
    trap_reset();
    asm volatile("wbinvd" ::: "memory");
    expect("wbinvd", 0, 0);
    trap_reset();
    asm volatile("1: hlt\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
    expect("hlt in the guest kernel", X86_EXC_GP, 0);
}

static void check_soft_ints(void)
{
    static struct trap_info gates[3];

    gates[0] = (struct trap_info){ .vector = 0x80, .flags = 1,
                                   .cs = FLAT_KERNEL_CS,
                                   .address = (unsigned long)trap_stub_0x80 };
    gates[1] = (struct trap_info){ .vector = 0x81, .flags = 0,
                                   .cs = FLAT_KERNEL_CS,
                                   .address = (unsigned long)trap_stub_0x81 };
    CHECK_RC("set_trap_table(0x80 DPL 1, 0x81 DPL 0)",
             hypercall_set_trap_table(gates), 0);
    trap_reset();
    asm volatile("int $0x80\n\t2:\n\t" EXTABLE(2b, 2b) ::: "memory");
    expect("int $0x80 (DPL 1) from the kernel", 0x80, NO_ERR);
    trap_reset();
    asm volatile("1: int $0x81\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
    expect("int $0x81 (DPL 0) from the kernel", X86_EXC_GP, (0x81 << 3) | 2);
    trap_reset();
    asm volatile("1: int $0x82\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
    expect("int $0x82 (no gate)", X86_EXC_GP, (0x82 << 3) | 2);
}

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl op = { .iopl = iopl };

    return hypercall_physdev_op(PHYSDEVOP_set_iopl, &op);
}

/* in: 8 and 16-bit results merge into rax, a 32-bit one zero-extends. */
static void check_io_widths(void)
{
    unsigned long rax = 0x1122334455667788UL;

    asm volatile("inw %w1, %%ax" : "+a"(rax) : "Nd"(0x3fe) : "memory");
    CHECK(rax == 0x112233445566ffffUL, "inw: rax %#lx", rax);
    rax = 0x1122334455667788UL;
    asm volatile("inl %w1, %%eax" : "+a"(rax) : "Nd"(0x3fc) : "memory");
    CHECK(rax == 0xffffffffUL, "inl: rax %#lx", rax);
}

static void check_string_io(void)
{
    static uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    unsigned long cnt = 4, src = (unsigned long)buf, dst;
    char *page;

    trap_reset();
    asm volatile("rep outsb" : "+c"(cnt), "+S"(src) : "d"(0x80) : "memory");
    CHECK(cnt == 0 && src == (unsigned long)buf + 4,
          "rep outsb: rcx %lu rsi %+ld", cnt, (long)(src - (unsigned long)buf));
    cnt = 3;
    dst = (unsigned long)buf + 1;
    asm volatile("rep insb" : "+c"(cnt), "+D"(dst) : "d"(0x3ff) : "memory");
    CHECK(cnt == 0 && dst == (unsigned long)buf + 4, "rep insb: rcx %lu", cnt);
    CHECK(buf[0] == 1 && buf[1] == 0xff && buf[3] == 0xff && buf[4] == 5,
          "rep insb: %x %x %x %x %x", buf[0], buf[1], buf[2], buf[3], buf[4]);
    cnt = 2;
    dst = (unsigned long)buf + 6;
    asm volatile("std; rep insb; cld" : "+c"(cnt), "+D"(dst) : "d"(0x3ff)
                 : "memory");
    CHECK(dst == (unsigned long)buf + 4 && buf[5] == 0xff && buf[4] == 5,
          "std; rep insb: rdi %+ld", (long)(dst - (unsigned long)buf));
    cnt = 2;
    dst = (unsigned long)BAD_PTR_UNMAPPED;
    trap_reset();
    asm volatile("1: rep insb\n\t2:\n\t" EXTABLE(1b, 2b)
                 : "+c"(cnt), "+D"(dst) : "d"(0x3ff) : "memory");
    expect("rep insb to an unmapped page", X86_EXC_PF, 2);
    CHECK(trap_last.cr2 == (unsigned long)BAD_PTR_UNMAPPED && cnt == 2,
          "rep insb #PF: cr2 %#lx rcx %lu", (unsigned long)trap_last.cr2, cnt);

    /* Two elements fit before the hole: the #PF frame says 2 remain. */
    page = mm_page_before_hole();
    cnt = 4;
    dst = (unsigned long)page + PAGE_SIZE - 2;
    trap_reset();
    asm volatile("1: rep insb\n\t2:\n\t" EXTABLE(1b, 2b)
                 : "+c"(cnt), "+D"(dst) : "d"(0x3ff) : "memory");
    expect("rep insb across into a hole", X86_EXC_PF, 2);
    CHECK(trap_last.cr2 == (unsigned long)page + PAGE_SIZE &&
          trap_last.rcx == 2 && cnt == 2 &&
          dst == (unsigned long)page + PAGE_SIZE,
          "rep insb into a hole: cr2 %#lx frame rcx %lu rcx %lu rdi %+ld",
          (unsigned long)trap_last.cr2, (unsigned long)trap_last.rcx, cnt,
          (long)(dst - (unsigned long)page));
    CHECK(page[PAGE_SIZE - 2] == (char)0xff && page[PAGE_SIZE - 1] == (char)0xff,
          "rep insb into a hole: first two bytes not written");
}

static void check_io(void)
{
    uint8_t val = 0;

    trap_reset();
    asm volatile("1: inb $0x80, %%al\n\t2:\n\t" EXTABLE(1b, 2b)
                 : "+a"(val) : : "memory");
    expect("inb with IOPL 0", X86_EXC_GP, 0);
    trap_reset();
    asm volatile("1: cli\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
    expect("cli with IOPL 0", X86_EXC_GP, 0);
    trap_reset();
    asm volatile("1: sti\n\t2:\n\t" EXTABLE(1b, 2b) ::: "memory");
    expect("sti with IOPL 0", X86_EXC_GP, 0);
    if (set_iopl(1)) {
        printk("PHYSDEVOP_set_iopl not available: I/O with IOPL 1 skipped\n");
        return;
    }
    trap_reset();
    asm volatile("outb %%al, $0x80; inb $0x80, %%al; cli; sti"
                 : "+a"(val) : : "memory");
    expect("outb/inb/cli/sti with IOPL 1", 0, 0);
    /* The hypervisor's UART: reads as all-ones. */
    asm volatile("inb %w1, %%al" : "=a"(val) : "Nd"(0x3ff) : "memory");
    CHECK(val == 0xff, "inb of the hypervisor's COM1: %#x", val);
    check_io_widths();
    check_string_io();
    CHECK_RC("set_iopl(0)", set_iopl(0), 0);
}

/* TF over an emulated instruction: #DB right after it, as on hardware. */
static void check_single_step(void)
{
    uint32_t lo, hi;

    trap_reset();
    asm volatile("pushf; orq $0x100, (%%rsp); popf\n\t"
                 "rdmsr\n\t2:\n\t" EXTABLE(2b, 2b)
                 : "=a"(lo), "=d"(hi) : "c"(MSR_APIC_BASE) : "memory");
    expect("single step over rdmsr", X86_EXC_DB, NO_ERR);
}

void test_main(void)
{
    check_cpuid();
    check_segment_msrs();
    check_other_msrs();
    check_crs();
    check_soft_ints();
    check_io();
    check_single_step();
}
