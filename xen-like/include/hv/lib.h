/* SPDX-License-Identifier: GPL-2.0-only */
/* Freestanding C library pieces (lib/) and assertions. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <hv/config.h>
#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
/* Parses an unsigned number (0x.., 0.., decimal by base 0); *end after it. */
unsigned long long simple_strtoull(const char *s, const char **end,
                                   unsigned int base);
/* Parses a size with an optional K/M/G/T suffix (bytes), e.g. "512M". */
unsigned long long parse_size(const char *s, const char **end);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __noreturn assert_failed(const char *expr, const char *file, int line);

#define BUG_ON(c) \
    do { if (unlikely(c)) assert_failed(#c, __FILE__, __LINE__); } while (0)
#if KEEL_DEBUG
#define ASSERT(c) BUG_ON(!(c))
#else
#define ASSERT(c) do { if (0) (void)(c); } while (0)
#endif
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

#endif
