/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software timers: one queue per CPU sorted by expiry; the local APIC's
 * one-shot timer is always armed for the head of the local queue.
 */
#include <hv/lib.h>
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <hv/timer.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include <asm/processor.h>

#define MIN_TIMER_NS    MICROSECS(1)

struct timer_queue {
    struct spinlock lock;       /* protects list and its timers' links */
    struct list_head list;
    unsigned long irqs;         /* timer interrupts taken */
};

static struct timer_queue queues[NR_CPUS];

void timer_init(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    list_init(&t->link);
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
}

/* Caller holds q->lock and runs on q's CPU. */
static void reprogram(struct timer_queue *q)
{
    s_time_t delta;

    ASSERT(spin_is_locked(&q->lock));
    if (list_empty(&q->list)) {
        lapic_timer_arm(0);
        return;
    }
    delta = list_first_entry(&q->list, struct timer, link)->expires - NOW();
    lapic_timer_arm(lapic_timer_ns_to_count(MAX(delta, MIN_TIMER_NS)));
}

static void enqueue(struct timer_queue *q, struct timer *t)
{
    struct list_head *pos = q->list.next;

    while (pos != &q->list &&
           list_entry(pos, struct timer, link)->expires <= t->expires)
        pos = pos->next;
    list_add_tail(&t->link, pos);
    t->active = true;
}

void timer_set(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags = spin_lock_irqsave(&q->lock);
    bool first;

    if (t->active)
        list_del(&t->link);
    t->expires = expires;
    enqueue(q, t);
    first = q->list.next == &t->link;
    if (first && t->cpu == smp_processor_id())
        reprogram(q);
    spin_unlock_irqrestore(&q->lock, flags);
    /* A remote queue's head changed: its CPU re-arms in the interrupt. */
    if (first && t->cpu != smp_processor_id())
        lapic_send_ipi(cpu_apic_id[t->cpu], LAPIC_TIMER_VECTOR);
}

void timer_stop(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    unsigned long flags = spin_lock_irqsave(&q->lock);

    if (t->active) {
        list_del(&t->link);
        t->active = false;
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

void timer_interrupt(void)
{
    struct timer_queue *q = &queues[smp_processor_id()];
    struct timer *t;

    q->irqs++;
    spin_lock(&q->lock);
    while (!list_empty(&q->list)) {
        t = list_first_entry(&q->list, struct timer, link);
        if (t->expires > NOW())
            break;
        list_del(&t->link);
        t->active = false;
        spin_unlock(&q->lock);
        t->fn(t->data);             /* may re-arm t */
        spin_lock(&q->lock);
    }
    reprogram(q);
    spin_unlock(&q->lock);
}

static void timer_vector(struct cpu_regs *regs)
{
    (void)regs;
    timer_interrupt();
}

void timer_cpu_init(void)
{
    struct timer_queue *q = &queues[smp_processor_id()];

    q->lock = (struct spinlock)SPINLOCK_INIT;
    list_init(&q->list);
    if (!smp_processor_id())
        set_irq_handler(LAPIC_TIMER_VECTOR, timer_vector);
}

unsigned long timer_irq_count(unsigned int cpu)
{
    return cpu < NR_CPUS ? ACCESS_ONCE(queues[cpu].irqs) : 0;
}
