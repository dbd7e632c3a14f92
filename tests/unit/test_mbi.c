/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for arch/x86/boot/mbi.c: Multiboot 1 and 2 information built
 * in a buffer that a fake map() presents as physical memory at MEM_PA.
 */
#include <hv/types.h>
#include <public/errno.h>
#include <hv/lib.h>
#include <hv/boot.h>

#define MEM_PA      0x100000UL
#define MEM_SIZE    0x10000UL

static uint8_t mem[MEM_SIZE] __attribute__((aligned(4096)));
static struct boot_info bi;

static const void *fake_map(paddr_t pa, size_t len)
{
    if (pa < MEM_PA || pa - MEM_PA > MEM_SIZE ||
        len > MEM_SIZE - (pa - MEM_PA))
        return NULL;
    return mem + (pa - MEM_PA);
}

static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof(mem));
    memset(&bi, 0x5a, sizeof(bi));
    return 0;
}

static void put32(size_t off, uint32_t v)
{
    memcpy(mem + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
    memcpy(mem + off, &v, 8);
}

static void put_str(size_t off, const char *s)
{
    memcpy(mem + off, s, strlen(s) + 1);
}

static void assert_range(unsigned int i, uint64_t start, uint64_t len,
                         uint32_t type)
{
    assert_true(i < bi.nr_mmap);
    assert_true(bi.mmap[i].start == start);
    assert_true(bi.mmap[i].len == len);
    assert_int_equal(bi.mmap[i].type, type);
}

/* A failed parse leaves nothing half-filled behind. */
static void assert_einval(uint32_t magic, paddr_t pa)
{
    static const struct boot_info zero;

    assert_int_equal(mbi_parse(magic, pa, fake_map, &bi), -XEN_EINVAL);
    assert_memory_equal(&bi, &zero, sizeof(bi));
}

/* ---- Multiboot 1: info at 0, mmap at 0x1000, modules at 0x3000 ---- */

#define MB1_INFO        0x0
#define MB1_MMAP        0x1000
#define MB1_MODS        0x3000
#define MB1_STR         0x4000

#define MB1_MEM         (1u << 0)
#define MB1_CMDLINE     (1u << 2)
#define MB1_MODS_F      (1u << 3)
#define MB1_MMAP_F      (1u << 6)
#define MB1_LOADER      (1u << 9)

static void mb1_info(uint32_t flags)
{
    put32(MB1_INFO + 0, flags);
}

/* Appends a memory map entry whose size field says size; returns its end. */
static size_t mb1_mmap_entry(size_t off, uint32_t size, uint64_t base,
                             uint64_t len, uint32_t type)
{
    put32(off, size);
    put64(off + 4, base);
    put64(off + 12, len);
    put32(off + 20, type);
    return off + 4 + size;
}

static void mb1_mmap(size_t len)
{
    put32(MB1_INFO + 44, (uint32_t)len);
    put32(MB1_INFO + 48, MEM_PA + MB1_MMAP);
}

static void mb1_module(unsigned int i, uint32_t start, uint32_t end,
                       uint32_t str_pa)
{
    size_t off = MB1_MODS + i * 16;

    put32(off, start);
    put32(off + 4, end);
    put32(off + 8, str_pa);
}

static void test_mb1_full(void **state)
{
    size_t end;

    (void)state;
    mb1_info(MB1_MEM | MB1_CMDLINE | MB1_MODS_F | MB1_MMAP_F | MB1_LOADER);
    put32(MB1_INFO + 4, 639);
    put32(MB1_INFO + 8, 0x7fc00);
    put32(MB1_INFO + 16, MEM_PA + MB1_STR);
    put_str(MB1_STR, "/boot/keel.elf loglvl=all");
    put32(MB1_INFO + 64, MEM_PA + MB1_STR + 0x100);
    put_str(MB1_STR + 0x100, "GRUB 2.06");
    end = mb1_mmap_entry(MB1_MMAP, 20, 0, 0x9fc00, 1);
    end = mb1_mmap_entry(end, 20, 0x9fc00, 0x400, 2);
    /* A larger entry: the extra bytes are skipped. */
    end = mb1_mmap_entry(end, 28, 0x100000, 0x7ff00000, 1);
    end = mb1_mmap_entry(end, 20, 0xfee00000, 0x1000, 99);
    /* Zero-length ranges are left out. */
    end = mb1_mmap_entry(end, 20, 0x200000000ULL, 0, 1);
    mb1_mmap(end - MB1_MMAP);
    put32(MB1_INFO + 20, 2);
    put32(MB1_INFO + 24, MEM_PA + MB1_MODS);
    mb1_module(0, 0x800000, 0x900000, MEM_PA + MB1_STR + 0x200);
    mb1_module(1, 0x900000, 0x900000, 0);
    put_str(MB1_STR + 0x200, "vmlinuz root=/dev/xvda");

    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.proto, 1);
    assert_string_equal(bi.cmdline, "/boot/keel.elf loglvl=all");
    assert_string_equal(bi.loader, "GRUB 2.06");
    assert_int_equal(bi.mem_lower_kb, 639);
    assert_int_equal(bi.mem_upper_kb, 0x7fc00);
    assert_int_equal(bi.nr_mmap, 4);
    assert_range(0, 0, 0x9fc00, E820_RAM);
    assert_range(1, 0x9fc00, 0x400, E820_RESERVED);
    assert_range(2, 0x100000, 0x7ff00000, E820_RAM);
    assert_range(3, 0xfee00000, 0x1000, 99);
    assert_int_equal(bi.nr_mods, 2);
    assert_true(bi.mods[0].start == 0x800000 && bi.mods[0].end == 0x900000);
    assert_string_equal(bi.mods[0].cmdline, "vmlinuz root=/dev/xvda");
    assert_true(bi.mods[1].start == 0x900000 && bi.mods[1].end == 0x900000);
    assert_string_equal(bi.mods[1].cmdline, "");
    assert_false(bi.has_rsdp);
}

static void test_mb1_meminfo_only(void **state)
{
    (void)state;
    mb1_info(MB1_MEM);
    put32(MB1_INFO + 4, 640);
    put32(MB1_INFO + 8, 1024);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.nr_mmap, 2);
    assert_range(0, 0, 640 * 1024, E820_RAM);
    assert_range(1, 0x100000, 1024 * 1024, E820_RAM);
}

static void test_mb1_no_flags(void **state)
{
    (void)state;
    /* Fields not flagged are ignored, however wild. */
    put32(MB1_INFO + 16, 0xdeadbeef);
    put32(MB1_INFO + 44, 0xffffffff);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.proto, 1);
    assert_int_equal(bi.nr_mmap, 0);
    assert_int_equal(bi.nr_mods, 0);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
}

static void test_mb1_bad_mmap(void **state)
{
    size_t end;

    (void)state;
    mb1_info(MB1_MMAP_F);
    /* An entry size below 20. */
    end = mb1_mmap_entry(MB1_MMAP, 16, 0, 0x1000, 1);
    mb1_mmap(24);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* An entry running past mmap_length. */
    end = mb1_mmap_entry(MB1_MMAP, 20, 0, 0x1000, 1);
    mb1_mmap(end - MB1_MMAP - 1);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* Trailing bytes too short for an entry. */
    mb1_mmap(end - MB1_MMAP + 6);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* A size that would wrap the offset. */
    mb1_mmap_entry(MB1_MMAP, 0xfffffffc, 0, 0x1000, 1);
    mb1_mmap(48);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* A map outside memory. */
    mb1_mmap_entry(MB1_MMAP, 20, 0, 0x1000, 1);
    put32(MB1_INFO + 44, 24);
    put32(MB1_INFO + 48, 0x1000);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* And a good one, for contrast. */
    mb1_mmap(24);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.nr_mmap, 1);
}

static void test_mb1_too_many(void **state)
{
    size_t end = MB1_MMAP;
    unsigned int i;

    (void)state;
    mb1_info(MB1_MMAP_F | MB1_MODS_F);
    for (i = 0; i < BOOT_MAX_MMAP + 50; i++)
        end = mb1_mmap_entry(end, 20, i * 0x1000ULL, 0x1000, 1);
    mb1_mmap(end - MB1_MMAP);
    for (i = 0; i < BOOT_MAX_MODS + 4; i++)
        mb1_module(i, i * 0x1000, i * 0x1000 + 1, 0);
    /* The dropped modules' descriptors need not even be readable. */
    put32(MB1_INFO + 20, 100000);
    put32(MB1_INFO + 24, MEM_PA + MB1_MODS);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.nr_mmap, BOOT_MAX_MMAP);
    assert_range(BOOT_MAX_MMAP - 1, (BOOT_MAX_MMAP - 1) * 0x1000ULL, 0x1000,
                 E820_RAM);
    assert_int_equal(bi.nr_mods, BOOT_MAX_MODS);
    assert_true(bi.mods[BOOT_MAX_MODS - 1].start ==
                (BOOT_MAX_MODS - 1) * 0x1000);
}

static void test_mb1_bad_modules(void **state)
{
    (void)state;
    mb1_info(MB1_MODS_F);
    put32(MB1_INFO + 20, 1);
    put32(MB1_INFO + 24, MEM_PA + MB1_MODS);
    mb1_module(0, 0x2000, 0x1000, 0);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    mb1_module(0, 0x1000, 0x2000, 0x10);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    put32(MB1_INFO + 24, MEM_PA + MEM_SIZE - 8);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
}

static void test_mb1_strings(void **state)
{
    char want[1024];
    size_t off = 0x5ff0;        /* crosses a page boundary */

    (void)state;
    mb1_info(MB1_CMDLINE | MB1_LOADER);
    memset(mem + off, 'c', 3000);
    mem[off + 3000] = '\0';
    put32(MB1_INFO + 16, MEM_PA + off);
    memset(mem + 0x8000, 'l', 200);
    put32(MB1_INFO + 64, MEM_PA + 0x8000);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    memset(want, 'c', sizeof(want) - 1);
    want[sizeof(want) - 1] = '\0';
    assert_string_equal(bi.cmdline, want);
    assert_int_equal(strlen(bi.loader), sizeof(bi.loader) - 1);

    /* Exactly as long as the buffer allows. */
    mem[off + 1023] = '\0';
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_string_equal(bi.cmdline, want);

    /* Short, across the page boundary. */
    mem[off + 40] = '\0';
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(strlen(bi.cmdline), 40);
}

static void test_mb1_bad_strings(void **state)
{
    (void)state;
    mb1_info(MB1_CMDLINE);
    put32(MB1_INFO + 16, 0x2000);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* Runs off the end of memory without a NUL. */
    memset(mem + MEM_SIZE - 10, 'x', 10);
    put32(MB1_INFO + 16, MEM_PA + MEM_SIZE - 10);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
    /* But a NUL just in time is fine. */
    mem[MEM_SIZE - 1] = '\0';
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_string_equal(bi.cmdline, "xxxxxxxxx");
    /* Address 0 is an empty string. */
    put32(MB1_INFO + 16, 0);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_string_equal(bi.cmdline, "");
    /* The loader name too. */
    mb1_info(MB1_LOADER);
    put32(MB1_INFO + 64, 0x10);
    assert_einval(MBI_MAGIC_MB1, MEM_PA);
}

static void test_mb1_bad_info(void **state)
{
    (void)state;
    assert_einval(MBI_MAGIC_MB1, 0x1000);
    assert_einval(MBI_MAGIC_MB1, MEM_PA + MEM_SIZE - 60);
    assert_einval(0x2BADB003, MEM_PA);
    assert_einval(0, MEM_PA);
}

/* ---- Multiboot 2: tags appended from offset 8, info at MEM_PA ---- */

static size_t mb2_off;

static void mb2_begin(void)
{
    mb2_off = 8;
}

/* Writes a tag header; returns the offset of its payload. */
static size_t mb2_tag(uint32_t type, uint32_t size)
{
    size_t off = mb2_off;

    put32(off, type);
    put32(off + 4, size);
    mb2_off += ROUNDUP(size, 8);
    return off + 8;
}

static void mb2_finish(void)
{
    mb2_tag(0, 8);
    put32(0, (uint32_t)mb2_off);
}

static void mb2_string(uint32_t type, const char *s)
{
    size_t p = mb2_tag(type, 8 + strlen(s) + 1);

    put_str(p, s);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
    size_t p = mb2_tag(3, 16 + strlen(s) + 1);

    put32(p, start);
    put32(p + 4, end);
    put_str(p + 8, s);
}

static void mb2_meminfo(uint32_t lower, uint32_t upper)
{
    size_t p = mb2_tag(4, 16);

    put32(p, lower);
    put32(p + 4, upper);
}

/* n entries of entry_size bytes; entry i is [i MiB, +64 KiB), type 1+i%5. */
static void mb2_mmap(unsigned int n, uint32_t entry_size, uint32_t extra)
{
    size_t p = mb2_tag(6, 16 + n * entry_size + extra);

    put32(p, entry_size);
    put32(p + 4, 0);
    for (unsigned int i = 0; i < n; i++) {
        size_t e = p + 8 + i * entry_size;

        put64(e, (uint64_t)i << 20);
        put64(e + 8, 0x10000);
        put32(e + 16, 1 + i % 5);
    }
}

static void mb2_acpi(uint32_t type, uint32_t len, uint8_t fill)
{
    size_t p = mb2_tag(type, 8 + len);

    memset(mem + p, fill, len);
}

static int parse2(void)
{
    return mbi_parse(MBI_MAGIC_MB2, MEM_PA, fake_map, &bi);
}

static void test_mb2_full(void **state)
{
    (void)state;
    mb2_begin();
    mb2_string(1, "keel.elf console=com1");
    mb2_string(2, "GRUB 2.06-13");
    mb2_tag(5, 20);                     /* boot device: skipped */
    mb2_module(0x1000000, 0x1400000, "vmlinuz console=hvc0");
    mb2_module(0x1400000, 0x1800000, "initrd.img");
    mb2_meminfo(639, 523264);
    mb2_mmap(3, 24, 0);
    mb2_acpi(14, 20, 0x11);
    mb2_acpi(15, 36, 0x22);
    mb2_tag(21, 12);                    /* load base: skipped */
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.proto, 2);
    assert_string_equal(bi.cmdline, "keel.elf console=com1");
    assert_string_equal(bi.loader, "GRUB 2.06-13");
    assert_int_equal(bi.nr_mods, 2);
    assert_true(bi.mods[0].start == 0x1000000 && bi.mods[0].end == 0x1400000);
    assert_string_equal(bi.mods[0].cmdline, "vmlinuz console=hvc0");
    assert_true(bi.mods[1].start == 0x1400000 && bi.mods[1].end == 0x1800000);
    assert_string_equal(bi.mods[1].cmdline, "initrd.img");
    assert_int_equal(bi.mem_lower_kb, 639);
    assert_int_equal(bi.mem_upper_kb, 523264);
    assert_int_equal(bi.nr_mmap, 3);
    assert_range(0, 0, 0x10000, 1);
    assert_range(1, 1 << 20, 0x10000, 2);
    assert_range(2, 2 << 20, 0x10000, 3);
    assert_true(bi.has_rsdp);
    for (unsigned int i = 0; i < sizeof(bi.rsdp); i++)
        assert_int_equal(bi.rsdp[i], 0x22);
}

static void test_mb2_minimal(void **state)
{
    (void)state;
    mb2_begin();
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.proto, 2);
    assert_int_equal(bi.nr_mmap, 0);
    assert_int_equal(bi.nr_mods, 0);
    assert_string_equal(bi.cmdline, "");
    assert_false(bi.has_rsdp);
}

static void test_mb2_rsdp(void **state)
{
    (void)state;
    /* New before old: new wins. */
    mb2_begin();
    mb2_acpi(15, 36, 0x22);
    mb2_acpi(14, 20, 0x11);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_true(bi.has_rsdp);
    assert_int_equal(bi.rsdp[0], 0x22);
    assert_int_equal(bi.rsdp[35], 0x22);

    /* Old only: 20 bytes, the rest zero. */
    setup(NULL);
    mb2_begin();
    mb2_acpi(14, 20, 0x11);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_true(bi.has_rsdp);
    assert_int_equal(bi.rsdp[19], 0x11);
    assert_int_equal(bi.rsdp[20], 0);
    assert_int_equal(bi.rsdp[35], 0);

    /* A longer copy (a bigger table) is cut to 36 bytes. */
    setup(NULL);
    mb2_begin();
    mb2_acpi(15, 48, 0x33);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.rsdp[35], 0x33);

    /* Too short to be an RSDP. */
    setup(NULL);
    mb2_begin();
    mb2_acpi(14, 19, 0x11);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
    setup(NULL);
    mb2_begin();
    mb2_acpi(15, 35, 0x11);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
}

static void test_mb2_mmap_layouts(void **state)
{
    (void)state;
    /* Bigger entries (a newer loader): only the known part is read. */
    mb2_begin();
    mb2_mmap(4, 32, 0);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.nr_mmap, 4);
    assert_range(3, 3 << 20, 0x10000, 4);

    /* Unaligned entries, and a partial entry at the end is ignored. */
    setup(NULL);
    mb2_begin();
    mb2_mmap(3, 28, 20);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.nr_mmap, 3);
    assert_range(2, 2 << 20, 0x10000, 3);

    /* Entries too small to hold one. */
    setup(NULL);
    mb2_begin();
    mb2_mmap(2, 16, 0);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    /* A tag too small for its header. */
    setup(NULL);
    mb2_begin();
    mb2_tag(6, 12);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
}

static void test_mb2_meminfo(void **state)
{
    (void)state;
    /* Without a memory map, the basic figures make one. */
    mb2_begin();
    mb2_meminfo(640, 2048);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.nr_mmap, 2);
    assert_range(0, 0, 640 << 10, E820_RAM);
    assert_range(1, 1 << 20, 2048 << 10, E820_RAM);

    /* With one, they do not. */
    setup(NULL);
    mb2_begin();
    mb2_meminfo(640, 2048);
    mb2_mmap(1, 24, 0);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.nr_mmap, 1);

    setup(NULL);
    mb2_begin();
    mb2_tag(4, 12);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
}

static void test_mb2_too_many(void **state)
{
    unsigned int i;

    (void)state;
    mb2_begin();
    mb2_mmap(BOOT_MAX_MMAP + 30, 24, 0);
    for (i = 0; i < BOOT_MAX_MODS + 3; i++)
        mb2_module(i << 12, (i + 1) << 12, "m");
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_int_equal(bi.nr_mmap, BOOT_MAX_MMAP);
    assert_range(BOOT_MAX_MMAP - 1, (uint64_t)(BOOT_MAX_MMAP - 1) << 20,
                 0x10000, 1 + (BOOT_MAX_MMAP - 1) % 5);
    assert_int_equal(bi.nr_mods, BOOT_MAX_MODS);
    assert_true(bi.mods[BOOT_MAX_MODS - 1].start ==
                (paddr_t)(BOOT_MAX_MODS - 1) << 12);
}

static void test_mb2_strings(void **state)
{
    char want[1024];
    size_t p;

    (void)state;
    mb2_begin();
    p = mb2_tag(1, 8 + 2000);
    memset(mem + p, 'a', 1999);
    p = mb2_tag(2, 8 + 100);
    memset(mem + p, 'b', 100);          /* no NUL: bounded by the tag */
    p = mb2_tag(3, 16 + 5);
    memcpy(mem + p + 8, "hello", 5);    /* no NUL either */
    mb2_finish();
    assert_int_equal(parse2(), 0);
    memset(want, 'a', sizeof(want) - 1);
    want[sizeof(want) - 1] = '\0';
    assert_string_equal(bi.cmdline, want);
    assert_int_equal(strlen(bi.loader), sizeof(bi.loader) - 1);
    assert_string_equal(bi.mods[0].cmdline, "hello");

    /* An empty string tag, and a module tag with no string at all. */
    setup(NULL);
    mb2_begin();
    mb2_tag(1, 8);
    mb2_tag(3, 16);
    mb2_finish();
    assert_int_equal(parse2(), 0);
    assert_string_equal(bi.cmdline, "");
    assert_int_equal(bi.nr_mods, 1);
    assert_string_equal(bi.mods[0].cmdline, "");
}

static void test_mb2_bad_modules(void **state)
{
    (void)state;
    mb2_begin();
    mb2_module(0x2000, 0x1000, "backwards");
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    setup(NULL);
    mb2_begin();
    mb2_tag(3, 12);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
}

static void test_mb2_bad_structure(void **state)
{
    size_t p;

    (void)state;
    /* No end tag. */
    mb2_begin();
    mb2_string(1, "x");
    put32(0, (uint32_t)mb2_off);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    /* A tag smaller than its header. */
    setup(NULL);
    mb2_begin();
    mb2_tag(1, 4);
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    /* A tag running past total_size. */
    setup(NULL);
    mb2_begin();
    p = mb2_tag(1, 64);
    put_str(p, "abc");
    mb2_finish();
    put32(0, 8 + 32);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    /* A size so large it would wrap. */
    setup(NULL);
    mb2_begin();
    mb2_tag(1, 0xfffffff9);
    mb2_off = 16;
    mb2_finish();
    assert_einval(MBI_MAGIC_MB2, MEM_PA);

    /* Padding before the end tag cut off by total_size. */
    setup(NULL);
    mb2_begin();
    mb2_tag(1, 9);
    mb2_finish();
    put32(0, 8 + 9);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
}

static void test_mb2_bad_header(void **state)
{
    (void)state;
    /* total_size below header + end tag, beyond memory, absurdly large. */
    mb2_begin();
    mb2_finish();
    put32(0, 15);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
    put32(0, MEM_SIZE + 8);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
    put32(0, 0xfffffff8);
    assert_einval(MBI_MAGIC_MB2, MEM_PA);
    put32(0, 16);
    assert_int_equal(parse2(), 0);
    /* Misaligned, or not mappable at all. */
    assert_einval(MBI_MAGIC_MB2, MEM_PA + 4);
    assert_einval(MBI_MAGIC_MB2, 0x8000);
    assert_einval(MBI_MAGIC_MB2, MEM_PA + MEM_SIZE);
    /* Multiboot 2 data with the Multiboot 1 magic and vice versa. */
    assert_int_equal(mbi_parse(MBI_MAGIC_MB1, MEM_PA, fake_map, &bi), 0);
    assert_int_equal(bi.proto, 1);
    assert_einval(0x36d76288, MEM_PA);
}

/* Sizes near the end: the end tag may be the last bytes of memory. */
static void test_mb2_at_end(void **state)
{
    paddr_t pa = MEM_PA + MEM_SIZE - 24;

    (void)state;
    put32(MEM_SIZE - 24, 24);
    put32(MEM_SIZE - 16, 1);
    put32(MEM_SIZE - 12, 8);
    put32(MEM_SIZE - 8, 0);
    put32(MEM_SIZE - 4, 8);
    assert_int_equal(mbi_parse(MBI_MAGIC_MB2, pa, fake_map, &bi), 0);
    assert_string_equal(bi.cmdline, "");
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(mbi_mem_type_name(E820_RAM), "usable");
    assert_string_equal(mbi_mem_type_name(E820_RESERVED), "reserved");
    assert_string_equal(mbi_mem_type_name(E820_ACPI), "ACPI data");
    assert_string_equal(mbi_mem_type_name(E820_NVS), "ACPI NVS");
    assert_string_equal(mbi_mem_type_name(E820_UNUSABLE), "unusable");
    assert_string_equal(mbi_mem_type_name(0), "unknown");
    assert_string_equal(mbi_mem_type_name(6), "unknown");
    assert_string_equal(mbi_mem_type_name(0xffffffff), "unknown");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mb1_full),
        T(test_mb1_meminfo_only),
        T(test_mb1_no_flags),
        T(test_mb1_bad_mmap),
        T(test_mb1_too_many),
        T(test_mb1_bad_modules),
        T(test_mb1_strings),
        T(test_mb1_bad_strings),
        T(test_mb1_bad_info),
        T(test_mb2_full),
        T(test_mb2_minimal),
        T(test_mb2_rsdp),
        T(test_mb2_mmap_layouts),
        T(test_mb2_meminfo),
        T(test_mb2_too_many),
        T(test_mb2_strings),
        T(test_mb2_bad_modules),
        T(test_mb2_bad_structure),
        T(test_mb2_bad_header),
        T(test_mb2_at_end),
        T(test_type_names),
    };

    return cmocka_run_group_tests_name("mbi", tests, NULL, NULL);
}
