/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercalls whose number is only known at run time. */
#include <guest.h>

long hypercall_any(unsigned int nr, unsigned long a1, unsigned long a2,
                   unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r_a1 asm("rdi") = a1;
    register unsigned long r_a2 asm("rsi") = a2;
    register unsigned long r_a3 asm("rdx") = a3;
    register unsigned long r_a4 asm("r10") = a4;
    register unsigned long r_a5 asm("r8") = a5;
    long ret;

    /* Stubs are 32 bytes apart; numbers beyond the page are not callable. */
    if (nr >= PAGE_SIZE / 32)
        return -XEN_ENOSYS;
    asm volatile("call *%[fn]"
                 : "=a"(ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4),
                   "+r"(r_a5)
                 : [fn] "r"(hypercall_page + nr * 32)
                 : "memory", "r9", "rcx", "r11");
    return ret;
}
