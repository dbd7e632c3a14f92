/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for lib/vsprintf.c: fixed cases, and a differential sweep
 * against the host C library where C99 defines the result.
 */
#include <limits.h>
#include <hv/types.h>
#include <hv/lib.h>

/*
 * Through a function, not a macro: the format is then not a literal, so
 * the compiler does not object to the odd and undefined cases tested here.
 */
static void check(const char *want, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

#define CHECK check

static int vcall(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_plain(void **state)
{
    (void)state;
    CHECK("", "%s", "");
    CHECK("hello", "hello");
    CHECK("a%b", "a%%b");
    CHECK("x=42 y=-7", "x=%d y=%i", 42, -7);
    CHECK("4294967295", "%u", UINT_MAX);
    CHECK("ff FF 777", "%x %X %o", 255, 255, 0777);
    CHECK("c", "%c", 'c');
    CHECK("[  a][a  ]", "[%3c][%-3c]", 'a', 'a');
}

static void test_ints(void **state)
{
    (void)state;
    CHECK("-2147483648", "%d", INT_MIN);
    CHECK("2147483647", "%d", INT_MAX);
    CHECK("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK("-9223372036854775808", "%ld", LONG_MIN);
    CHECK("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK("1777777777777777777777", "%llo", ULLONG_MAX);
    CHECK("0", "%d", 0);
    CHECK("0", "%x", 0);
}

static void test_length_modifiers(void **state)
{
    (void)state;
    CHECK("44 -1 255", "%hhd %hhd %hhu", 300, 255, -1);
    CHECK("-32768 65535", "%hd %hu", 32768, -1);
    CHECK("18446744073709551615 -1", "%zu %zd", (size_t)-1, (ptrdiff_t)-1);
    CHECK("-5 fffffffffffffffb", "%td %tx", (ptrdiff_t)-5, (ptrdiff_t)-5);
    CHECK("-9 ffffffffffffffff", "%jd %jx", (intmax_t)-9, UINTMAX_MAX);
    /* Without a modifier only the low 32 bits count. */
    CHECK("ffffffff", "%x", (unsigned int)-1);
}

static void test_flags(void **state)
{
    (void)state;
    CHECK("[   42][42   ][00042]", "[%5d][%-5d][%05d]", 42, 42, 42);
    CHECK("[  -42][-42  ][-0042]", "[%5d][%-5d][%05d]", -42, -42, -42);
    CHECK("[+42][ 42][+42][-42]", "[%+d][% d][%+ d][% d]", 42, 42, 42, -42);
    CHECK("[+0]", "[%+d]", 0);
    CHECK("[0x1f][0X1F][017][0][0]", "[%#x][%#X][%#o][%#x][%#o]",
          31, 31, 15, 0, 0);
    CHECK("[0x0001f]", "[%#07x]", 31);
    CHECK("[1f   ]", "[%-05x]", 31);
    /* '+' and ' ' do not apply to unsigned conversions. */
    CHECK("[42][42]", "[%+u][% x]", 42, 0x42);
}

static void test_precision(void **state)
{
    (void)state;
    CHECK("[00042][  00042][-00042]", "[%.5d][%7.5d][%.5d]", 42, 42, -42);
    CHECK("[][ ][0]", "[%.0d][%1.0x][%#.0o]", 0, 0, 0);
    /* A precision turns the '0' flag off. */
    CHECK("[   042]", "[%06.3d]", 42);
    CHECK("[hel][  hel][hel  ]", "[%.3s][%5.3s][%-5.3s]", "hello", "hello",
          "hello");
    CHECK("[hello]", "[%.10s]", "hello");
    CHECK("[]", "[%.0s]", "hello");
    CHECK("[0x00ff]", "[%#.4x]", 255);
}

static void test_star(void **state)
{
    (void)state;
    CHECK("[   42]", "[%*d]", 5, 42);
    CHECK("[42   ]", "[%*d]", -5, 42);
    CHECK("[00042]", "[%.*d]", 5, 42);
    CHECK("[42]", "[%.*d]", -3, 42);
    CHECK("[  abc]", "[%*.*s]", 5, 3, "abcdef");
    CHECK("[ab]", "[%.*s]", 2, "abcdef");
}

static void test_strings(void **state)
{
    (void)state;
    CHECK("(null)", "%s", (char *)NULL);
    CHECK("[  (null)]", "[%8s]", (char *)NULL);
    CHECK("[hi   ]", "[%-5s]", "hi");
    CHECK("[   hi]", "[%5s]", "hi");
    CHECK("[hello]", "[%2s]", "hello");
}

static void test_pointer(void **state)
{
    (void)state;
    CHECK("0x0000000000000000", "%p", NULL);
    CHECK("0xffff82d040001234", "%p", (void *)0xffff82d040001234UL);
    CHECK("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
    CHECK("[0x0000000000000001  ]", "[%-20p]", (void *)1);
    CHECK("[  0x0000000000000001]", "[%20p]", (void *)1);
}

/* Non-literal formats, so the compiler does not reject them. */
static void test_unknown(void **state)
{
    const char *fmts[] = { "%q", "a%", "%5", "%-08.3", "%lq%d" };
    const char *want[] = { "%q", "a%", "%5", "%-08.3", "%lq7" };
    char buf[32];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
        int n = snprintf(buf, sizeof(buf), fmts[i], 7);

        assert_string_equal(buf, want[i]);
        assert_int_equal(n, (int)strlen(want[i]));
    }
}

static void test_truncation(void **state)
{
    char buf[8];

    (void)state;
    memset(buf, 'X', sizeof(buf));
    assert_int_equal(snprintf(buf, sizeof(buf), "%s", "abcdefghij"), 10);
    assert_string_equal(buf, "abcdefg");
    memset(buf, 'X', sizeof(buf));
    assert_int_equal(snprintf(buf, 1, "%d", 12345), 5);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'X');
    memset(buf, 'X', sizeof(buf));
    assert_int_equal(snprintf(buf, 0, "abc%d", 12345), 8);
    assert_int_equal(buf[0], 'X');
    assert_int_equal(snprintf(NULL, 0, "%08x", 1), 8);
    assert_int_equal(snprintf(buf, 4, "%5d", 7), 5);
    assert_string_equal(buf, "   ");
    assert_int_equal(snprintf(buf, sizeof(buf), "%s", ""), 0);
    assert_string_equal(buf, "");
}

static void test_huge_width(void **state)
{
    char buf[8];

    (void)state;
    /* Clamped to 4096, but never overflows or writes past buf. */
    assert_int_equal(vcall(buf, sizeof(buf), "%99999999999d", 1), 4096);
    assert_string_equal(buf, "       ");
    assert_int_equal(vcall(buf, sizeof(buf), "%*d", INT_MIN, 1), 4096);
    assert_string_equal(buf, "1      ");
    assert_int_equal(vcall(buf, sizeof(buf), "%.*d", INT_MAX, 1), 4096);
    assert_string_equal(buf, "0000000");
}

/* vsnprintf() must leave the caller's va_list usable (it copies it). */
static void test_vsnprintf(void **state)
{
    char buf[32];

    (void)state;
    assert_int_equal(vcall(buf, sizeof(buf), "%d-%s-%c", 1, "two", '3'), 7);
    assert_string_equal(buf, "1-two-3");
}

static void diff_one(const char *fmt, int kind, long long v)
{
    char mine[128], ref[128];
    int n, m;

    if (kind == 0) {
        n = snprintf(mine, sizeof(mine), fmt, (int)v);
        m = __builtin_snprintf(ref, sizeof(ref), fmt, (int)v);
    } else if (kind == 1) {
        n = snprintf(mine, sizeof(mine), fmt, v);
        m = __builtin_snprintf(ref, sizeof(ref), fmt, v);
    } else {
        n = snprintf(mine, sizeof(mine), fmt, "str");
        m = __builtin_snprintf(ref, sizeof(ref), fmt, "str");
    }
    if (n != m || strcmp(mine, ref) != 0)
        fail_msg("format '%s' value %lld: got '%s' (%d), want '%s' (%d)",
                 fmt, v, mine, n, ref, m);
}

/* Every flag set, a few widths and precisions, each conversion. */
static void test_differential(void **state)
{
    static const char flagc[] = "-0 +#";
    static const char *convs[] = { "d", "i", "u", "x", "X", "o", "lld",
                                   "llx", "llo", "c", "s" };
    static const char *wp[] = { "", "1", "6", "12", ".0", ".1", ".4",
                                "8.3", "3.8", ".12" };
    static const long long vals[] = { 0, 1, -1, 42, -42, 255, 65535,
                                      INT_MAX, INT_MIN, LLONG_MIN, LLONG_MAX };
    char fmt[32];

    (void)state;
    for (unsigned int fl = 0; fl < 32; fl++)
        for (size_t c = 0; c < ARRAY_SIZE(convs); c++)
            for (size_t w = 0; w < ARRAY_SIZE(wp); w++) {
                size_t k = 0;
                int kind = convs[c][0] == 's' ? 2 : convs[c][0] == 'l';

                fmt[k++] = '[';
                fmt[k++] = '%';
                for (unsigned int b = 0; b < 5; b++)
                    if (fl & (1u << b))
                        fmt[k++] = flagc[b];
                snprintf(fmt + k, sizeof(fmt) - k, "%s%s]", wp[w], convs[c]);
                /* C leaves these undefined; the host and Keel differ. */
                if ((strchr("cs", convs[c][0]) && (fl & 0x1e)) ||
                    (convs[c][0] == 'c' && strchr(wp[w], '.')))
                    continue;
                for (size_t v = 0; v < ARRAY_SIZE(vals); v++)
                    diff_one(fmt, kind, kind == 0 && convs[c][0] == 'c' ?
                                        (long long)('A' + v) : vals[v]);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_length_modifiers),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_star),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_huge_width),
        cmocka_unit_test(test_vsnprintf),
        cmocka_unit_test(test_differential),
    };

    return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}
