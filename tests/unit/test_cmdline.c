/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for arch/x86/boot/cmdline.c and the *_PARAM() registrations. */
#include <hv/types.h>
#include <hv/lib.h>
#include <hv/param.h>

static bool opt_flag, opt_other;
static uint8_t opt_u8;
static uint16_t opt_u16;
static unsigned int opt_u32;
static unsigned long opt_u64;
static uint64_t opt_mem;
static uint32_t opt_mem32;
static char opt_console[8];

static const struct param table[] = {
    { "flag", PARAM_BOOL, &opt_flag, sizeof(opt_flag) },
    { "other", PARAM_BOOL, &opt_other, sizeof(opt_other) },
    { "u8", PARAM_UINT, &opt_u8, sizeof(opt_u8) },
    { "u16", PARAM_UINT, &opt_u16, sizeof(opt_u16) },
    { "u32", PARAM_UINT, &opt_u32, sizeof(opt_u32) },
    { "u64", PARAM_UINT, &opt_u64, sizeof(opt_u64) },
    { "dom0_mem", PARAM_SIZE, &opt_mem, sizeof(opt_mem) },
    { "mem32", PARAM_SIZE, &opt_mem32, sizeof(opt_mem32) },
    { "console", PARAM_STR, opt_console, sizeof(opt_console) },
};

static char unknown_words[8][160];
static unsigned int nr_unknown;

static void record_unknown(const char *word)
{
    assert_true(nr_unknown < ARRAY_SIZE(unknown_words));
    strlcpy(unknown_words[nr_unknown++], word, sizeof(unknown_words[0]));
}

static int setup(void **state)
{
    (void)state;
    opt_flag = opt_other = false;
    opt_u8 = opt_u16 = 0;
    opt_u32 = 0;
    opt_u64 = 0;
    opt_mem = 0;
    opt_mem32 = 0;
    strlcpy(opt_console, "vga", sizeof(opt_console));
    nr_unknown = 0;
    return 0;
}

static int parse(const char *s)
{
    return cmdline_parse_table(s, table, ARRAY_SIZE(table), record_unknown);
}

static void test_bools(void **state)
{
    (void)state;
    assert_int_equal(parse("flag"), 0);
    assert_true(opt_flag);
    assert_int_equal(parse("no-flag other"), 0);
    assert_false(opt_flag);
    assert_true(opt_other);
    const char *yes[] = { "flag=1", "flag=yes", "flag=on", "flag=true" };
    const char *no[] = { "flag=0", "flag=no", "flag=off", "flag=false" };
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        opt_flag = false;
        assert_int_equal(parse(yes[i]), 0);
        assert_true(opt_flag);
        assert_int_equal(parse(no[i]), 0);
        assert_false(opt_flag);
    }
    assert_int_equal(nr_unknown, 0);
}

static void test_bad_bools(void **state)
{
    (void)state;
    opt_flag = true;
    /* Case matters, and so does the whole word; the value is kept. */
    assert_int_equal(parse("flag=maybe flag= flag=YES flag=2 flag=offf"), 5);
    assert_true(opt_flag);
    /* "no-" with a value is not a thing. */
    assert_int_equal(parse("no-flag=1"), 0);
    assert_int_equal(nr_unknown, 1);
    assert_string_equal(unknown_words[0], "no-flag=1");
    assert_true(opt_flag);
}

static void test_uints(void **state)
{
    (void)state;
    assert_int_equal(parse("u8=255 u16=0xffff u32=4294967295 u64=0x1p"), 1);
    assert_int_equal(opt_u8, 255);
    assert_int_equal(opt_u16, 0xffff);
    assert_int_equal(opt_u32, 4294967295u);
    assert_int_equal(opt_u64, 0);
    assert_int_equal(parse("u64=18446744073709551615 u32=010 u8=0x0"), 0);
    assert_true(opt_u64 == ~0UL);
    assert_int_equal(opt_u32, 8);
    assert_int_equal(opt_u8, 0);
}

static void test_bad_uints(void **state)
{
    (void)state;
    opt_u8 = 7;
    opt_u16 = 7;
    opt_u32 = 7;
    /* Too big, junk, empty, negative, missing value, a size suffix. */
    assert_int_equal(parse("u8=256 u16=65536 u32=4294967296 u8=12x u8= "
                           "u8=-1 u8 u32=1K u32=0x"), 9);
    assert_int_equal(opt_u8, 7);
    assert_int_equal(opt_u16, 7);
    assert_int_equal(opt_u32, 7);
    assert_int_equal(nr_unknown, 0);
}

static void test_sizes(void **state)
{
    (void)state;
    assert_int_equal(parse("dom0_mem=512M mem32=4096"), 0);
    assert_true(opt_mem == 512ULL << 20);
    assert_int_equal(opt_mem32, 4096);
    assert_int_equal(parse("dom0_mem=2g"), 0);
    assert_true(opt_mem == 2ULL << 30);
    assert_int_equal(parse("dom0_mem=1k"), 0);
    assert_true(opt_mem == 1024);
    assert_int_equal(parse("dom0_mem=3T"), 0);
    assert_true(opt_mem == 3ULL << 40);
    assert_int_equal(parse("dom0_mem=0x10M"), 0);
    assert_true(opt_mem == 16ULL << 20);
    /* Does not fit 32 bits; a stray unit; no number. */
    assert_int_equal(parse("mem32=4G mem32=16MB mem32=M dom0_mem"), 4);
    assert_int_equal(opt_mem32, 4096);
    assert_true(opt_mem == 16ULL << 20);
}

static void test_strings(void **state)
{
    (void)state;
    assert_int_equal(parse("console=com1"), 0);
    assert_string_equal(opt_console, "com1");
    /* Up to the buffer size minus one; longer is refused whole. */
    assert_int_equal(parse("console=1234567"), 0);
    assert_string_equal(opt_console, "1234567");
    assert_int_equal(parse("console=12345678"), 1);
    assert_string_equal(opt_console, "1234567");
    /* Empty is a value; a bare name is not. */
    assert_int_equal(parse("console="), 0);
    assert_string_equal(opt_console, "");
    assert_int_equal(parse("console"), 1);
    /* Only the first '=' splits. */
    assert_int_equal(parse("console=a=b"), 0);
    assert_string_equal(opt_console, "a=b");
}

static void test_unknown(void **state)
{
    char longword[300];

    (void)state;
    assert_int_equal(parse("/boot/keel.elf fla flags no-u8 no- =1 Flag"), 0);
    assert_int_equal(nr_unknown, 7);
    assert_string_equal(unknown_words[0], "/boot/keel.elf");
    assert_string_equal(unknown_words[1], "fla");
    assert_string_equal(unknown_words[2], "flags");
    assert_string_equal(unknown_words[3], "no-u8");
    assert_string_equal(unknown_words[4], "no-");
    assert_string_equal(unknown_words[5], "=1");
    assert_string_equal(unknown_words[6], "Flag");
    assert_false(opt_flag);

    /* Long words are reported cut to 127 bytes. */
    nr_unknown = 0;
    memset(longword, 'w', sizeof(longword) - 1);
    longword[sizeof(longword) - 1] = '\0';
    assert_int_equal(parse(longword), 0);
    assert_int_equal(nr_unknown, 1);
    assert_int_equal(strlen(unknown_words[0]), 127);

    /* Without a callback they are just skipped. */
    assert_int_equal(cmdline_parse_table("x y flag", table, ARRAY_SIZE(table),
                                         NULL), 0);
    assert_true(opt_flag);
}

static void test_spacing(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 0);
    assert_int_equal(parse("   \t "), 0);
    assert_int_equal(cmdline_parse_table(NULL, table, ARRAY_SIZE(table),
                                         record_unknown), 0);
    assert_int_equal(parse("  flag\tu8=3\n\nu16=4\r other  "), 0);
    assert_true(opt_flag && opt_other);
    assert_int_equal(opt_u8, 3);
    assert_int_equal(opt_u16, 4);
    assert_int_equal(nr_unknown, 0);
    /* An empty table: everything is unknown. */
    assert_int_equal(cmdline_parse_table("a b", NULL, 0, record_unknown), 0);
    assert_int_equal(nr_unknown, 2);
}

static void test_later_wins(void **state)
{
    (void)state;
    assert_int_equal(parse("u8=1 flag console=a u8=2 no-flag console=b"), 0);
    assert_int_equal(opt_u8, 2);
    assert_false(opt_flag);
    assert_string_equal(opt_console, "b");
    /* A bad later value keeps the earlier good one. */
    assert_int_equal(parse("u8=5 u8=bad"), 1);
    assert_int_equal(opt_u8, 5);
}

/* The same through the keel_params section, as the hypervisor uses it. */
static bool sec_flag = true;
static uint16_t sec_uint;
static unsigned long sec_size;
static char sec_str[16];

BOOL_PARAM("sec_flag", sec_flag);
UINT_PARAM("sec_uint", sec_uint);
SIZE_PARAM("sec_size", sec_size);
STR_PARAM("sec_str", sec_str);
UINT_PARAM("sec_uint_alias", sec_uint);

extern const struct param __start_keel_params[], __stop_keel_params[];

static void test_section(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct param), 32);
    assert_int_equal(__stop_keel_params - __start_keel_params, 5);
    cmdline_parse("no-sec_flag sec_uint=0x1234 sec_size=64M sec_str=hvc0 "
                  "stray sec_uint=70000");
    assert_false(sec_flag);
    assert_int_equal(sec_uint, 0x1234);
    assert_true(sec_size == 64UL << 20);
    assert_string_equal(sec_str, "hvc0");
    cmdline_parse("sec_uint_alias=7");
    assert_int_equal(sec_uint, 7);
    cmdline_parse(NULL);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_bools),
        T(test_bad_bools),
        T(test_uints),
        T(test_bad_uints),
        T(test_sizes),
        T(test_strings),
        T(test_unknown),
        T(test_spacing),
        T(test_later_wins),
        T(test_section),
    };

    return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
