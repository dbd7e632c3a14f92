/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU software timers, driven by the local APIC one-shot timer. */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/list.h>
#include <hv/time.h>

struct timer {
    struct list_head link;      /* in its CPU's queue, sorted by expiry */
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    bool active;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
/* (Re)arms t at absolute time `expires`; t's CPU must be this CPU. */
void timer_set(struct timer *t, s_time_t expires);
void timer_stop(struct timer *t);

void timer_cpu_init(void);
/* Called from the LAPIC timer interrupt. */
void timer_interrupt(void);
unsigned long timer_irq_count(unsigned int cpu);

#endif
