/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for arch/x86/pv/cpuid.c: the Xen leaves, and what survives of
 * made-up host values (all ones, all zeros) in the filtered native leaves.
 */
#include <hv/types.h>
#include <asm/pv/emulate.h>

#define BIT(n)  (1u << (n))
#define ONES    ((struct cpuid_regs){ ~0u, ~0u, ~0u, ~0u })
#define ZEROS   ((struct cpuid_regs){ 0, 0, 0, 0 })

static struct cpuid_regs policy(uint32_t leaf, uint32_t subleaf,
                                struct cpuid_regs host)
{
    pv_cpuid_policy(leaf, subleaf, &host);
    return host;
}

static void assert_zero(struct cpuid_regs r)
{
    assert_int_equal(r.eax, 0);
    assert_int_equal(r.ebx, 0);
    assert_int_equal(r.ecx, 0);
    assert_int_equal(r.edx, 0);
}

/* Linux's xen_cpuid_base(): signature, and at least two more leaves. */
static void test_xen_leaves(void **state)
{
    struct cpuid_regs r = policy(0x40000000, 0, ONES);
    char sig[13] = { 0 };

    (void)state;
    for (unsigned int i = 0; i < 4; i++) {
        sig[i] = (char)(r.ebx >> (8 * i));
        sig[4 + i] = (char)(r.ecx >> (8 * i));
        sig[8 + i] = (char)(r.edx >> (8 * i));
    }
    assert_string_equal(sig, "XenVMMXenVMM");
    assert_true(r.eax >= 0x40000002);

    r = policy(0x40000001, 0, ONES);
    assert_int_equal(r.eax, 0x00040011);        /* 4.17 */
    assert_int_equal(r.ebx | r.ecx | r.edx, 0);

    r = policy(0x40000002, 0, ZEROS);
    assert_int_equal(r.eax, 1);                 /* one hypercall page */
    assert_int_equal(r.ebx, 0x40000000);        /* its MSR */
    assert_int_equal(r.ecx, 1);                 /* PT_UPDATE_PRESERVE_AD */
    assert_int_equal(r.edx, 0);
}

/* Beyond the advertised Xen leaves, and other hypervisors' bases: empty,
 * whatever the host (KVM under nested QEMU, say) reports. */
static void test_other_hypervisor_leaves(void **state)
{
    static const uint32_t leaves[] = {
        0x40000003, 0x40000005, 0x400000ff, 0x40000100, 0x40000101,
        0x40000200, 0x4000ff00, 0x4fffffff,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
        assert_zero(policy(leaves[i], 0, ONES));
}

static void test_max_leaves(void **state)
{
    struct cpuid_regs r = { 0x20, 0x756e6547, 0x6c65746e, 0x49656e69 };

    (void)state;
    pv_cpuid_policy(0, 0, &r);
    assert_int_equal(r.eax, 0xd);
    /* The vendor string passes. */
    assert_int_equal(r.ebx, 0x756e6547);
    assert_int_equal(r.ecx, 0x6c65746e);
    assert_int_equal(r.edx, 0x49656e69);
    r = policy(0, 0, (struct cpuid_regs){ 7, 0, 0, 0 });
    assert_int_equal(r.eax, 7);                 /* a lower host max stays */

    r = policy(0x80000000, 0, (struct cpuid_regs){ 0x80000021, 1, 2, 3 });
    assert_int_equal(r.eax, 0x80000008);
    assert_int_equal(r.ebx, 1);
    r = policy(0x80000000, 0, (struct cpuid_regs){ 0x80000004, 0, 0, 0 });
    assert_int_equal(r.eax, 0x80000004);
}

static void test_leaf1(void **state)
{
    struct cpuid_regs r = policy(1, 0, ONES);

    (void)state;
    assert_int_equal(r.eax, 0x0fff0fff);        /* no processor type */
    assert_int_equal(r.ebx, 0x00ffffff);        /* APIC id 0 */
    assert_true(r.ecx & BIT(31));               /* hypervisor */
    /* MONITOR, VMX, SMX; PCID, x2APIC, TSC-deadline */
    assert_int_equal(r.ecx & (BIT(3) | BIT(5) | BIT(6)), 0);
    assert_int_equal(r.ecx & (BIT(17) | BIT(21) | BIT(24)), 0);
    /* XSAVE, OSXSAVE, AVX, FMA, F16C; EIST, PDCM, DCA */
    assert_int_equal(r.ecx & (BIT(26) | BIT(27) | BIT(28)), 0);
    assert_int_equal(r.ecx & (BIT(12) | BIT(29)), 0);
    assert_int_equal(r.ecx & (BIT(7) | BIT(15) | BIT(18)), 0);
    assert_int_equal(r.ecx & (BIT(0) | BIT(9) | BIT(19) | BIT(20)),
                     BIT(0) | BIT(9) | BIT(19) | BIT(20));      /* SSE3..4.2 */
    /* MCE, MTRR, MCA; PSE, PGE, PSE36 */
    assert_int_equal(r.edx & (BIT(7) | BIT(12) | BIT(14)), 0);
    assert_int_equal(r.edx & (BIT(3) | BIT(13) | BIT(17)), 0);
    assert_int_equal(r.edx & (BIT(21) | BIT(29) | BIT(31)), 0); /* DS TM PBE */
    assert_int_equal(r.edx & (BIT(0) | BIT(16) | BIT(24) | BIT(25) | BIT(26)),
                     BIT(0) | BIT(16) | BIT(24) | BIT(25) | BIT(26));
    /* The exact lists, so that nothing slips in unnoticed. */
    assert_int_equal(r.ecx, 0xc2d82203);
    assert_int_equal(r.edx, 0x1fc98b75);

    /* The hypervisor bit is set even if the host has none of it. */
    r = policy(1, 0, ZEROS);
    assert_int_equal(r.ecx, BIT(31));
    assert_int_equal(r.edx, 0);
}

static void test_leaf7(void **state)
{
    struct cpuid_regs r = policy(7, 0, ONES);

    (void)state;
    assert_int_equal(r.eax, 0);                 /* no further subleaves */
    assert_int_equal(r.ebx & (BIT(0) | BIT(5) | BIT(7) | BIT(10)), 0);
    assert_int_equal(r.ebx & (BIT(16) | BIT(20) | BIT(31)), 0);
    assert_int_equal(r.ecx & (BIT(2) | BIT(3) | BIT(4) | BIT(16)), 0);
    assert_int_equal(r.edx & (BIT(26) | BIT(27) | BIT(29) | BIT(31)), 0);
    assert_int_equal(r.ebx, 0x218c2b58);
    assert_int_equal(r.ecx, 0x02400101);
    assert_int_equal(r.edx, 0x00004c10);
    assert_zero(policy(7, 1, ONES));
    assert_zero(policy(7, 2, ONES));
}

static void test_hidden_basic_leaves(void **state)
{
    static const uint32_t leaves[] = { 3, 5, 6, 8, 9, 0xa, 0xb, 0xc, 0xd };

    (void)state;
    for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
        assert_zero(policy(leaves[i], 0, ONES));
        assert_zero(policy(leaves[i], 1, ONES));
    }
    /* Cache leaves pass as they are. */
    struct cpuid_regs r = policy(4, 1, (struct cpuid_regs){ 1, 2, 3, 4 });
    assert_int_equal(r.eax, 1);
    assert_int_equal(r.edx, 4);
    r = policy(2, 0, (struct cpuid_regs){ 5, 6, 7, 8 });
    assert_int_equal(r.ebx, 6);
}

static void test_extended(void **state)
{
    struct cpuid_regs r = policy(0x80000001, 0, ONES);

    (void)state;
    /* SVM, XOP, FMA4; 1 GiB pages; MCE, MTRR, MCA hidden */
    assert_int_equal(r.ecx & (BIT(2) | BIT(11) | BIT(16)), 0);
    assert_int_equal(r.edx & BIT(26), 0);
    assert_int_equal(r.edx & (BIT(7) | BIT(12) | BIT(14)), 0);
    /* SYSCALL, NX, RDTSCP, LM kept */
    assert_int_equal(r.edx & (BIT(11) | BIT(20) | BIT(27) | BIT(29)),
                     BIT(11) | BIT(20) | BIT(27) | BIT(29));
    assert_int_equal(r.eax, ~0u);

    r = policy(0x80000008, 0, ONES);
    assert_int_equal(r.eax, 0xffff);
    assert_int_equal(r.ebx, BIT(0) | BIT(2) | BIT(26) | BIT(29));
    assert_int_equal(r.ecx, 0x0003f0ff);
    assert_int_equal(r.edx, 0);

    /* Brand string and caches pass; power/RAS and what lies beyond do not. */
    r = policy(0x80000003, 0, (struct cpuid_regs){ 0x41, 0x42, 0x43, 0x44 });
    assert_int_equal(r.eax, 0x41);
    assert_int_equal(r.edx, 0x44);
    assert_zero(policy(0x80000007, 0, ONES));
    assert_zero(policy(0x8000000a, 0, ONES));
    assert_zero(policy(0x8000001f, 0, ONES));
    assert_zero(policy(0x80000021, 0, ONES));
}

static void test_other_ranges(void **state)
{
    (void)state;
    assert_zero(policy(0xe, 0, ONES));
    assert_zero(policy(0x1f, 0, ONES));
    assert_zero(policy(0x20000000, 0, ONES));
    assert_zero(policy(0x7fffffff, 0, ONES));
    assert_zero(policy(0xc0000000, 0, ONES));
    assert_zero(policy(0xffffffff, 0, ONES));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xen_leaves),
        cmocka_unit_test(test_other_hypervisor_leaves),
        cmocka_unit_test(test_max_leaves),
        cmocka_unit_test(test_leaf1),
        cmocka_unit_test(test_leaf7),
        cmocka_unit_test(test_hidden_basic_leaves),
        cmocka_unit_test(test_extended),
        cmocka_unit_test(test_other_ranges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
