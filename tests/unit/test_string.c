/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for lib/string.c: memory and string functions, number parsing. */
#include <hv/types.h>
#include <hv/lib.h>

#define BUF 96

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

/* Every alignment of source and destination, every short length. */
static void test_memcpy(void **state)
{
    unsigned char src[BUF], dst[BUF], ref[BUF];

    (void)state;
    fill_pattern(src, BUF, 3);
    for (size_t so = 0; so < 9; so++)
        for (size_t d0 = 0; d0 < 9; d0++)
            for (size_t n = 0; n < 50; n++) {
                fill_pattern(dst, BUF, 100);
                fill_pattern(ref, BUF, 100);
                for (size_t i = 0; i < n; i++)
                    ref[d0 + i] = src[so + i];
                assert_ptr_equal(memcpy(dst + d0, src + so, n), dst + d0);
                assert_memory_equal(dst, ref, BUF);
            }
}

static void test_memmove(void **state)
{
    unsigned char buf[BUF], ref[BUF];

    (void)state;
    for (size_t from = 0; from < 20; from++)
        for (size_t to = 0; to < 20; to++)
            for (size_t n = 0; n < 40; n++) {
                fill_pattern(buf, BUF, 1);
                fill_pattern(ref, BUF, 1);
                for (size_t i = 0; i < n; i++)
                    ref[to + i] = (unsigned char)(1 + (from + i) * 7);
                assert_ptr_equal(memmove(buf + to, buf + from, n), buf + to);
                assert_memory_equal(buf, ref, BUF);
            }
}

static void test_memset(void **state)
{
    unsigned char buf[BUF];

    (void)state;
    for (size_t off = 0; off < 9; off++)
        for (size_t n = 0; n < 60; n++) {
            fill_pattern(buf, BUF, 5);
            /* Only the low byte of c counts. */
            assert_ptr_equal(memset(buf + off, 0x1a5, n), buf + off);
            for (size_t i = 0; i < BUF; i++) {
                if (i >= off && i < off + n)
                    assert_int_equal(buf[i], 0xa5);
                else
                    assert_int_equal(buf[i], (unsigned char)(5 + i * 7));
            }
        }
}

static void test_memcmp(void **state)
{
    (void)state;
    assert_int_equal(memcmp("abc", "abd", 0), 0);
    assert_int_equal(memcmp("abc", "abc", 3), 0);
    assert_true(memcmp("abc", "abd", 3) < 0);
    assert_true(memcmp("abd", "abc", 3) > 0);
    assert_int_equal(memcmp("abX", "abY", 2), 0);
    /* Bytes compare as unsigned char. */
    assert_true(memcmp("\x80", "\x01", 1) > 0);
    /* NULs do not stop it. */
    assert_true(memcmp("a\0b", "a\0c", 3) < 0);
}

static void test_strlen(void **state)
{
    (void)state;
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("hello"), 5);
    assert_int_equal(strnlen("hello", 0), 0);
    assert_int_equal(strnlen("hello", 3), 3);
    assert_int_equal(strnlen("hello", 5), 5);
    assert_int_equal(strnlen("hello", 100), 5);
    /* Must not read past max: "ab" without a terminator. */
    assert_int_equal(strnlen((const char[2]){ 'a', 'b' }, 2), 2);
}

static void test_strcmp(void **state)
{
    (void)state;
    assert_int_equal(strcmp("", ""), 0);
    assert_int_equal(strcmp("abc", "abc"), 0);
    assert_true(strcmp("abc", "abd") < 0);
    assert_true(strcmp("abd", "abc") > 0);
    assert_true(strcmp("ab", "abc") < 0);
    assert_true(strcmp("abc", "ab") > 0);
    assert_true(strcmp("\xff", "a") > 0);
    assert_int_equal(strncmp("abc", "abd", 2), 0);
    assert_int_equal(strncmp("abc", "xyz", 0), 0);
    assert_true(strncmp("abc", "abd", 3) < 0);
    assert_int_equal(strncmp("ab", "ab", 10), 0);
    assert_true(strncmp("ab", "abc", 10) < 0);
    assert_true(strncmp("\x80", "\x7f", 1) > 0);
}

static void test_strchr(void **state)
{
    const char *s = "hello world";

    (void)state;
    assert_ptr_equal(strchr(s, 'o'), s + 4);
    assert_ptr_equal(strrchr(s, 'o'), s + 7);
    assert_ptr_equal(strchr(s, 'h'), s);
    assert_ptr_equal(strrchr(s, 'd'), s + 10);
    assert_null(strchr(s, 'z'));
    assert_null(strrchr(s, 'z'));
    assert_ptr_equal(strchr(s, '\0'), s + 11);
    assert_ptr_equal(strrchr(s, '\0'), s + 11);
    assert_null(strchr("", 'a'));
    /* c is converted to char. */
    assert_ptr_equal(strchr(s, 'o' + 256), s + 4);
}

static void test_strlcpy(void **state)
{
    char buf[8];

    (void)state;
    assert_int_equal(strlcpy(buf, "abc", sizeof(buf)), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(strlcpy(buf, "abcdefgh", sizeof(buf)), 8);
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(strlcpy(buf, "", sizeof(buf)), 0);
    assert_string_equal(buf, "");
    assert_int_equal(strlcpy(buf, "xyz", 1), 3);
    assert_string_equal(buf, "");
    buf[0] = 'Q';
    assert_int_equal(strlcpy(buf, "xyz", 0), 3);
    assert_int_equal(buf[0], 'Q');
}

static void test_strlcat(void **state)
{
    char buf[8];

    (void)state;
    strlcpy(buf, "ab", sizeof(buf));
    assert_int_equal(strlcat(buf, "cd", sizeof(buf)), 4);
    assert_string_equal(buf, "abcd");
    assert_int_equal(strlcat(buf, "efghij", sizeof(buf)), 10);
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(strlcat(buf, "x", sizeof(buf)), 8);
    assert_string_equal(buf, "abcdefg");
    /* dst not terminated within size: nothing written. */
    memset(buf, 'z', sizeof(buf));
    assert_int_equal(strlcat(buf, "abc", 4), 7);
    assert_int_equal(buf[3], 'z');
    assert_int_equal(strlcat(buf, "abc", 0), 3);
}

static void check_strtoull(const char *s, unsigned int base,
                           unsigned long long want, size_t used)
{
    const char *end = NULL;

    assert_true(simple_strtoull(s, &end, base) == want);
    assert_ptr_equal(end, s + used);
}

static void test_strtoull(void **state)
{
    (void)state;
    check_strtoull("0", 0, 0, 1);
    check_strtoull("1234", 0, 1234, 4);
    check_strtoull("1234x", 10, 1234, 4);
    check_strtoull("0x1F", 0, 0x1f, 4);
    check_strtoull("0XaBc", 0, 0xabc, 5);
    check_strtoull("0x1f", 16, 0x1f, 4);
    check_strtoull("1f", 16, 0x1f, 2);
    check_strtoull("0755", 0, 0755, 4);
    check_strtoull("0755", 10, 755, 4);
    check_strtoull("089", 0, 0, 1);
    check_strtoull("0x", 0, 0, 1);
    check_strtoull("0xg", 16, 0, 1);
    check_strtoull("101102", 2, 22, 5);
    check_strtoull("zZ", 36, 35 * 36 + 35, 2);
    check_strtoull("18446744073709551615", 0, ~0ULL, 20);
    check_strtoull("0xffffffffffffffff", 0, ~0ULL, 18);
    /* Overflow saturates, and the digits are still consumed. */
    check_strtoull("18446744073709551616", 0, ~0ULL, 20);
    check_strtoull("0x123456789abcdef01234", 0, ~0ULL, 22);
    /* No digits at all. */
    check_strtoull("", 0, 0, 0);
    check_strtoull("x1", 0, 0, 0);
    check_strtoull("-1", 0, 0, 0);
    check_strtoull(" 1", 0, 0, 0);
    assert_true(simple_strtoull("42", NULL, 0) == 42);
}

static void check_size(const char *s, unsigned long long want, size_t used)
{
    const char *end = NULL;

    assert_true(parse_size(s, &end) == want);
    assert_ptr_equal(end, s + used);
}

static void test_parse_size(void **state)
{
    (void)state;
    check_size("4096", 4096, 4);
    check_size("1k", 1024, 2);
    check_size("1K", 1024, 2);
    check_size("512M", 512ULL << 20, 4);
    check_size("512m", 512ULL << 20, 4);
    check_size("2G", 2ULL << 30, 2);
    check_size("2g", 2ULL << 30, 2);
    check_size("3T", 3ULL << 40, 2);
    check_size("0x10M", 16ULL << 20, 5);
    check_size("0", 0, 1);
    check_size("0G", 0, 2);
    /* Anything after the suffix is the caller's. */
    check_size("16MB", 16ULL << 20, 3);
    check_size("16X", 16, 2);
    check_size("", 0, 0);
    check_size("M", 0, 0);
    /* Overflow saturates. */
    check_size("16777216T", ~0ULL, 9);
    check_size("16777215T", 16777215ULL << 40, 9);
    assert_true(parse_size("1G", NULL) == 1ULL << 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy),
        cmocka_unit_test(test_memmove),
        cmocka_unit_test(test_memset),
        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_strlen),
        cmocka_unit_test(test_strcmp),
        cmocka_unit_test(test_strchr),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_strlcat),
        cmocka_unit_test(test_strtoull),
        cmocka_unit_test(test_parse_size),
    };

    return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
