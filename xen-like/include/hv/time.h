/* SPDX-License-Identifier: GPL-2.0-only */
/* System time: nanoseconds since boot, from the calibrated TSC. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

typedef int64_t s_time_t;

#define MILLISECS(ms)   ((s_time_t)(ms) * 1000000LL)
#define MICROSECS(us)   ((s_time_t)(us) * 1000LL)
#define SECONDS(s)      ((s_time_t)(s) * 1000000000LL)

extern uint64_t tsc_khz;

void time_init(void);
s_time_t NOW(void);
void udelay(unsigned long us);
void time_pvclock_scale(uint32_t *mul, int8_t *shift);
s_time_t tsc_to_system_time(uint64_t tsc);
/* rtc.c: the CMOS clock as Unix time (seconds), read at boot. */
uint64_t rtc_unix_time(void);
void mdelay(unsigned long ms);

#endif
