/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding memory and string functions, and number/size parsing.
 * Also built on the host, renamed to keel_*, for the unit tests.
 */
#include <hv/types.h>
#include <hv/lib.h>

/*
 * GCC turns copy and fill loops into calls to memcpy()/memset() at -O2,
 * which inside memcpy() itself would recurse for ever.
 */
#define NO_LOOP_CALLS \
    __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias anything, for the aligned fast paths. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE    sizeof(word_t)
#define WORD_MASK    (WORD_SIZE - 1)

NO_LOOP_CALLS void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((((uintptr_t)d | (uintptr_t)s) & WORD_MASK) == 0) {
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            *(word_t *)d = *(const word_t *)s;
            d += WORD_SIZE;
            s += WORD_SIZE;
        }
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

NO_LOOP_CALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    /* Forwards is safe unless dst starts inside [src, src + n). */
    if ((uintptr_t)d - (uintptr_t)s >= n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

NO_LOOP_CALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    word_t w = (unsigned char)c * (~0UL / 0xff);

    for (; n && ((uintptr_t)d & WORD_MASK); n--)
        *d++ = (unsigned char)c;
    for (; n >= WORD_SIZE; n -= WORD_SIZE) {
        *(word_t *)d = w;
        d += WORD_SIZE;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    while (*p && *p == *q) {
        p++;
        q++;
    }
    return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for (; n; n--, p++, q++)
        if (*p != *q || !*p)
            return *p - *q;
    return 0;
}

/* Like C's strchr(): the terminating NUL can be searched for too. */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

/* Copies with truncation; returns strlen(src) so callers can detect it. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* Appends with truncation; returns the length it tried to create. */
size_t strlcat(char *dst, const char *src, size_t size)
{
    size_t dlen = strnlen(dst, size);

    if (dlen == size)
        return size + strlen(src);
    return dlen + strlcpy(dst + dlen, src, size - dlen);
}

static int string_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 36;
}

static unsigned int string_base(const char **sp, unsigned int base)
{
    const char *s = *sp;
    bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
                      string_digit(s[2]) < 16;

    if ((base == 0 || base == 16) && hex_prefix) {
        *sp = s + 2;
        return 16;
    }
    if (base == 0)
        return s[0] == '0' ? 8 : 10;
    return base;
}

/*
 * No sign, no leading white space.  A value too large saturates to
 * ULLONG_MAX.  With no digits, returns 0 and *end == s.
 */
unsigned long long simple_strtoull(const char *s, const char **end,
                                   unsigned int base)
{
    const char *p = s;
    unsigned long long v = 0;
    bool any = false;
    int d;

    base = string_base(&p, base);
    if (base < 2 || base > 36)
        base = 10;
    for (; (d = string_digit(*p)) < (int)base; p++) {
        any = true;
        if (v > (~0ULL - d) / base)
            v = ~0ULL;
        else
            v = v * base + d;
    }
    if (end)
        *end = any ? p : s;
    return v;
}

/* K, M, G, T (either case) multiply by 2^10, 2^20, 2^30, 2^40. */
unsigned long long parse_size(const char *s, const char **end)
{
    const char *p;
    unsigned long long v = simple_strtoull(s, &p, 0);
    unsigned int shift;

    switch (*p) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    default: shift = 0; break;
    }
    if (shift && p != s) {
        p++;
        v = v > (~0ULL >> shift) ? ~0ULL : v << shift;
    }
    if (end)
        *end = p;
    return v;
}
