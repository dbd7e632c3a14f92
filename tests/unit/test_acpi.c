/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for MMCONFIG: the ACPI MCFG table (arch/x86/acpi.c) and what
 * arch/x86/pci.c makes of it: which frames are a function's config page,
 * and extended-register writes through Keel's window.  The tables live in
 * an arena standing for the first MiB of physical memory.
 */
#include <string.h>
#include <hv/acpi.h>
#include <hv/boot.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/pci.h>

#define XSDT_PA     0x1000
#define MADT_PA     0x2000
#define MCFG_PA     0x3000
#define Q35_BASE    0xb0000000UL

unsigned long directmap_base;
struct page_info *frame_table;
unsigned long max_page;

static uint8_t arena[1 << 20] __attribute__((aligned(4096)));
static struct boot_info bi;

/* Keel's MMCONFIG window, and where map_pages() last pointed it. */
static uint8_t window[PAGE_SIZE] __attribute__((aligned(4096)));
static paddr_t window_pa;
static unsigned int nr_remaps;

void *ioremap(paddr_t pa, size_t size)
{
    assert_int_equal(pa, acpi_info.mmcfg_base);
    assert_int_equal(size, PAGE_SIZE);
    return window;
}

int map_pages(unsigned long va, paddr_t pa, unsigned long nr, uint64_t flags)
{
    assert_int_equal(va, (unsigned long)window);
    assert_int_equal(nr, 1);
    assert_int_equal(flags, PAGE_HYPERVISOR_UC);
    window_pa = pa;
    nr_remaps++;
    return 0;
}

/* ---- building tables ---- */

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--)
        s += *p++;
    return s;
}

/* A table at pa: the 36-byte header, then body; a valid checksum. */
static void put_table(paddr_t pa, const char *sig, const void *body,
                      uint32_t len)
{
    uint8_t *t = arena + pa;
    uint32_t total = 36 + len;

    memset(t, 0, total);
    memcpy(t, sig, 4);
    memcpy(t + 4, &total, 4);
    t[8] = 1;
    memcpy(t + 36, body, len);
    t[9] = -sum(t, total);
}

/* An MCFG entry: base, segment, first and last bus. */
static void mcfg_entry(uint8_t *e, uint64_t base, uint16_t seg, uint8_t first,
                       uint8_t last)
{
    memset(e, 0, 16);
    memcpy(e, &base, 8);
    memcpy(e + 8, &seg, 2);
    e[10] = first;
    e[11] = last;
}

/* RSDP -> XSDT -> MADT (one CPU) and, if nr, an MCFG of nr entries. */
static void build(const uint8_t *entries, unsigned int nr)
{
    static const uint8_t madt[] = { 0, 0, 0xe0, 0xfe, 0, 0, 0, 0,
                                    0, 8, 0, 0, 1, 0, 0, 0 };
    uint64_t xsdt[2] = { MADT_PA, MCFG_PA };
    uint8_t mcfg[8 + 4 * 16] = { 0 };
    uint32_t len = 36;

    memset(arena, 0, sizeof(arena));
    memset(&acpi_info, 0, sizeof(acpi_info));
    put_table(MADT_PA, "APIC", madt, sizeof(madt));
    if (nr)
        memcpy(mcfg + 8, entries, 16 * nr);
    put_table(MCFG_PA, "MCFG", mcfg, 8 + 16 * nr);
    put_table(XSDT_PA, "XSDT", xsdt, nr ? 16 : 8);
    memset(&bi, 0, sizeof(bi));
    bi.has_rsdp = true;
    memcpy(bi.rsdp, "RSD PTR ", 8);
    bi.rsdp[15] = 2;
    memcpy(bi.rsdp + 20, &len, 4);
    len = XSDT_PA;
    memcpy(bi.rsdp + 24, &len, 4);
    bi.rsdp[8] = -sum(bi.rsdp, 20);
    bi.rsdp[32] = -sum(bi.rsdp, 36);
}

static int setup(void **state)
{
    (void)state;
    directmap_base = (unsigned long)arena;
    nr_remaps = 0;
    return 0;
}

static bool frame(unsigned long mfn, unsigned int *bdf)
{
    return pci_mmcfg_frame(_mfn(mfn), bdf);
}

/* ---- tests ---- */

/* QEMU q35: one entry, segment 0, buses 0-255 at 0xb0000000. */
static void test_q35(void **state)
{
    uint8_t e[16];
    unsigned int bdf = 0;

    (void)state;
    mcfg_entry(e, Q35_BASE, 0, 0, 0xff);
    build(e, 1);
    assert_int_equal(acpi_init(&bi), 0);
    assert_int_equal(acpi_info.mmcfg_base, Q35_BASE);
    assert_int_equal(acpi_info.mmcfg_bus_start, 0);
    assert_int_equal(acpi_info.mmcfg_bus_end, 0xff);
    assert_true(frame(0xb0000, &bdf));
    assert_int_equal(bdf, 0);
    assert_true(frame(0xb0020, &bdf));
    assert_int_equal(bdf, 0x20);                /* 00:04.0 */
    assert_true(frame(0xbffff, &bdf));
    assert_int_equal(bdf, 0xffff);
    assert_true(frame(0xb0001, NULL));
    assert_false(frame(0xaffff, &bdf));
    assert_false(frame(0xc0000, &bdf));
    assert_false(frame(0, &bdf));
}

/* Only a sane segment-0 entry counts; its bus range bounds the frames. */
static void test_entry_choice(void **state)
{
    uint8_t e[4 * 16];

    (void)state;
    mcfg_entry(e, 0xc0000000UL, 1, 0, 0xff);        /* segment 1 */
    mcfg_entry(e + 16, 0xd0080000UL, 0, 0, 0xff);   /* not 1 MiB aligned */
    mcfg_entry(e + 32, 0xd0000000UL, 0, 9, 8);      /* no buses */
    mcfg_entry(e + 48, 0xe0000000UL, 0, 0x10, 0x1f);
    build(e, 4);
    assert_int_equal(acpi_init(&bi), 0);
    assert_int_equal(acpi_info.mmcfg_base, 0xe0000000UL);
    assert_int_equal(acpi_info.mmcfg_bus_start, 0x10);
    assert_int_equal(acpi_info.mmcfg_bus_end, 0x1f);
    assert_false(frame(0xe0fff, NULL));             /* bus 0x0f */
    assert_true(frame(0xe1000, NULL));              /* bus 0x10 */
    assert_true(frame(0xe1fff, NULL));              /* bus 0x1f fn 7 */
    assert_false(frame(0xe2000, NULL));             /* bus 0x20 */
    assert_false(frame(0xc0000, NULL));
}

static void test_no_mcfg(void **state)
{
    uint8_t e[16];

    (void)state;
    build(NULL, 0);
    assert_int_equal(acpi_init(&bi), 0);
    assert_int_equal(acpi_info.mmcfg_base, 0);
    assert_false(frame(0, NULL));
    assert_false(frame(0xb0000, NULL));
    /* A table with a bad checksum is ignored. */
    mcfg_entry(e, Q35_BASE, 0, 0, 0xff);
    build(e, 1);
    arena[MCFG_PA + 9]++;
    assert_int_equal(acpi_init(&bi), 0);
    assert_int_equal(acpi_info.mmcfg_base, 0);
}

/* Extended registers: the window moves onto the function's page. */
static void test_extended_write(void **state)
{
    uint8_t e[16];
    uint32_t v;
    uint16_t w;

    (void)state;
    mcfg_entry(e, Q35_BASE, 0, 0, 0x7f);
    build(e, 1);
    assert_int_equal(acpi_init(&bi), 0);
    pci_init();
    pci_conf_write(0x20, 0x104, 4, 0xdeadbeef);
    assert_int_equal(nr_remaps, 1);
    assert_int_equal(window_pa, Q35_BASE + (0x20UL << PAGE_SHIFT));
    memcpy(&v, window + 0x104, 4);
    assert_int_equal(v, 0xdeadbeef);
    pci_conf_write(0x7f08, 0x14e, 2, 0x1d);         /* 7f:01.0 */
    assert_int_equal(window_pa, Q35_BASE + (0x7f08UL << PAGE_SHIFT));
    memcpy(&w, window + 0x14e, 2);
    assert_int_equal(w, 0x1d);
    pci_conf_write(0x20, 0xfff, 1, 0x5a);
    assert_int_equal(window[0xfff], 0x5a);
    /* A bus MMCONFIG does not cover: the write is lost. */
    pci_conf_write(0x8000, 0x104, 4, 1);
    assert_int_equal(nr_remaps, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_q35, setup),
        cmocka_unit_test_setup(test_entry_choice, setup),
        cmocka_unit_test_setup(test_no_mcfg, setup),
        cmocka_unit_test_setup(test_extended_write, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
