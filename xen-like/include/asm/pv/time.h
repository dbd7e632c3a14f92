/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest time and timers (arch/x86/pv/time.c). */
#ifndef ASM_PV_TIME_H
#define ASM_PV_TIME_H

#include <hv/types.h>

struct domain;
struct vcpu;

void pv_time_init(void);
void pv_update_vcpu_time(struct vcpu *v);
void pv_update_wallclock(struct domain *d);
void pv_vcpu_timer_init(struct vcpu *v);
void pv_set_singleshot(struct vcpu *v, uint64_t deadline);
/* Starts the per-second vcpu_time_info refresh (v runs here). */
void pv_vcpu_time_start(struct vcpu *v);
/* The periodic timer stops while v is blocked (see time.c). */
void pv_periodic_pause(struct vcpu *v);
void pv_periodic_resume(struct vcpu *v);

#endif
