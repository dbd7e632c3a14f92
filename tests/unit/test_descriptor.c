/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for the guest descriptor check (arch/x86/pv/descriptor.c,
 * descriptor_check()): what a 64-bit PV guest may put in its GDT/LDT.
 */
#include <hv/abi.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/mm.h>

#define DPL(n)          ((uint64_t)(n) << 45)
#define DPL_MASK        DPL(3)
#define DATA(dpl)       (0x00cf92000000ffffUL | DPL(dpl))   /* flat data */
#define CODE64(dpl)     (0x00af9a000000ffffUL | DPL(dpl))   /* 64-bit code */
#define SYS(type)       (0x0000800000000067UL | ((uint64_t)(type) << 40))
#define GATE(sel, dpl)  (0xffff8c0000001234UL | ((uint64_t)(sel) << 16) | \
                         DPL(dpl))                        /* 64-bit call gate */

unsigned long directmap_base;
struct page_info *frame_table;
unsigned long max_page;

/* The rest of descriptor.c needs these; descriptor_check() must not. */
size_t raw_copy(void *dst, const void *src, size_t n)
{
    (void)dst, (void)src;
    fail_msg("raw_copy called");
    return n;
}

void desc_map_guest_gdt(const mfn_t *frames, unsigned int nr)
{
    (void)frames, (void)nr;
    fail_msg("desc_map_guest_gdt called");
}

void desc_load_ldt(unsigned int ents)
{
    (void)ents;
    fail_msg("desc_load_ldt called");
}

void desc_map_ldt_page(unsigned int page, mfn_t mfn)
{
    (void)page, (void)mfn;
    fail_msg("desc_map_ldt_page called");
}

struct page_info *pv_find_l1(unsigned long va)
{
    (void)va;
    fail_msg("pv_find_l1 called");
    return NULL;
}

bool get_page(struct page_info *pg, const struct domain *d)
{
    (void)pg, (void)d;
    fail_msg("get_page called");
    return false;
}

void put_page(struct page_info *pg)
{
    (void)pg;
    fail_msg("put_page called");
}

int get_page_type(struct page_info *pg, unsigned long type)
{
    (void)pg, (void)type;
    fail_msg("get_page_type called");
    return -XEN_EINVAL;
}

void put_page_type(struct page_info *pg)
{
    (void)pg;
    fail_msg("put_page_type called");
}

int get_page_and_type(struct page_info *pg, const struct domain *d,
                      unsigned long type)
{
    (void)pg, (void)d, (void)type;
    fail_msg("get_page_and_type called");
    return -XEN_EINVAL;
}

void put_page_and_type(struct page_info *pg)
{
    (void)pg;
    fail_msg("put_page_and_type called");
}

static void expect_ok(uint64_t in, uint64_t out)
{
    uint64_t d = in;

    assert_int_equal(descriptor_check(&d), 0);
    assert_int_equal(d, out);
}

static void expect_refused(uint64_t in)
{
    uint64_t d = in;

    assert_int_equal(descriptor_check(&d), -XEN_EINVAL);
    assert_int_equal(d, in);                /* left as it was */
}

/* Not present: loading it faults, so anything goes, unchanged. */
static void test_not_present(void **state)
{
    (void)state;
    expect_ok(0, 0);
    expect_ok(DATA(0) & ~(1UL << 47), DATA(0) & ~(1UL << 47));
    expect_ok(SYS(9) & ~(1UL << 47), SYS(9) & ~(1UL << 47));
    expect_ok(~(1UL << 47), ~(1UL << 47));
}

/* Code and data: accepted with DPL 3, nothing else changed. */
static void test_code_data_dpl3(void **state)
{
    unsigned int dpl;

    (void)state;
    for (dpl = 0; dpl < 4; dpl++) {
        expect_ok(DATA(dpl), DATA(3));
        expect_ok(CODE64(dpl), CODE64(3));
        /* 32-bit, conforming, expand-down, odd base/limit: no matter */
        expect_ok(0x12cf9e345678abcdUL | DPL(dpl),
                  0x12cf9e345678abcdUL | DPL(3));
        expect_ok(0x0040960000000000UL | DPL(dpl),
                  0x0040960000000000UL | DPL(3));
    }
}

/* System descriptors other than call gates are refused. */
static void test_system_refused(void **state)
{
    static const unsigned int types[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                          11, 13, 14, 15 };
    unsigned int i, dpl;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(types); i++)
        for (dpl = 0; dpl < 4; dpl++)
            expect_refused(SYS(types[i]) | DPL(dpl));
    expect_refused(0x0000890000000067UL);       /* an available TSS */
    expect_refused(0x00008e0000000000UL);       /* an interrupt gate */
}

/* Present type 0 (a 16-byte descriptor's upper half) faults: kept. */
static void test_type0_kept(void **state)
{
    (void)state;
    expect_ok(SYS(0), SYS(0));
    expect_ok(SYS(0) | DPL(1), SYS(0) | DPL(1));
}

/* Call gates: to guest code only; DPL 0, the target's RPL 3. */
static void test_call_gates(void **state)
{
    static const unsigned int good[] = {
        0x0008, 0x0010, 0x0012, 0xdff8, 0x0004, 0xfffc, FLAT_KERNEL_CS,
    };
    static const unsigned int bad[] = {
        0xe000, 0xe008, 0xe010, 0xe030, 0xe02b, 0xe040, 0xfff8,
    };
    unsigned int i, dpl;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(good); i++)
        for (dpl = 0; dpl < 4; dpl++)
            expect_ok(GATE(good[i], dpl), GATE(good[i] | 3, 0));
    for (i = 0; i < ARRAY_SIZE(bad); i++)
        expect_refused(GATE(bad[i], 3));
    /* bits 32-39 are reserved in a 64-bit gate */
    for (i = 32; i < 40; i++)
        expect_refused(GATE(0x0010, 3) | (1UL << i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_present),
        cmocka_unit_test(test_code_data_dpl3),
        cmocka_unit_test(test_system_refused),
        cmocka_unit_test(test_type0_kept),
        cmocka_unit_test(test_call_gates),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
