/* SPDX-License-Identifier: GPL-2.0-only */
/* Ticket spinlocks. */
#include <hv/spinlock.h>
#include <hv/smp.h>
#include <asm/processor.h>

void spin_lock(struct spinlock *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_ACQUIRE);

    while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
    l->owner_cpu = smp_processor_id();
}

void spin_unlock(struct spinlock *l)
{
    l->owner_cpu = -1;
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

bool spin_trylock(struct spinlock *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_ACQUIRE);
    uint16_t tail = head;

    if (!__atomic_compare_exchange_n(&l->tail, &tail, (uint16_t)(head + 1),
                                     false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false;
    l->owner_cpu = smp_processor_id();
    return true;
}

bool spin_is_locked(const struct spinlock *l)
{
    return __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) !=
           __atomic_load_n(&l->tail, __ATOMIC_ACQUIRE);
}

unsigned long spin_lock_irqsave(struct spinlock *l)
{
    unsigned long flags = local_irq_save();

    spin_lock(l);
    return flags;
}

void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}
