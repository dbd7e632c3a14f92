/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen system time from vcpu0's vcpu_time_info: read under the version
 * protocol (odd = being updated), then scale the TSC delta.
 */
#include <guest.h>

uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t time_now_ns(void)
{
    const volatile struct vcpu_time_info *t = &vcpu0_info()->time;
    uint32_t ver, mul;
    uint64_t tsc_ts, sys, delta;
    int8_t shift;

    do {
        ver = t->version;
        asm volatile("lfence" ::: "memory");
        tsc_ts = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = rdtsc() - tsc_ts;
        asm volatile("lfence" ::: "memory");
    } while ((ver & 1) || ver != t->version);

    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}
