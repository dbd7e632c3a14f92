/* SPDX-License-Identifier: GPL-2.0-only */
/* Compiler helpers; force-included into every hypervisor translation unit. */
#ifndef HV_COMPILER_H
#define HV_COMPILER_H

#if defined(KEEL_HV) && !defined(__ASSEMBLY__)
/* Every symbol is local to the image: keeps -fpie references direct. */
#pragma GCC visibility push(hidden)
#endif

#ifdef __ASSEMBLY__
#define _AC(x, s)        x
#else
#define _AC(x, s)        x##s
#endif

#ifndef __ASSEMBLY__
#define likely(x)        __builtin_expect(!!(x), 1)
#define unlikely(x)      __builtin_expect(!!(x), 0)
#define __packed         __attribute__((packed))
#define __aligned(n)     __attribute__((aligned(n)))
#define __used           __attribute__((used))
#define __section(s)     __attribute__((section(s)))
#define __noreturn       __attribute__((noreturn))
#define __printf(a, b)   __attribute__((format(printf, a, b)))
#define __unused         __attribute__((unused))
#define barrier()        __asm__ __volatile__("" ::: "memory")
#define ACCESS_ONCE(x)   (*(volatile __typeof__(x) *)&(x))

#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define container_of(p, type, member) \
    ((type *)((char *)(p) - __builtin_offsetof(type, member)))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)    (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ROUNDDOWN(x, a)  ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif

#endif
