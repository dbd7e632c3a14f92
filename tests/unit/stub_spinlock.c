/* SPDX-License-Identifier: GPL-2.0-only */
/* Single-threaded stand-ins for hv/spinlock.h: catch re-locking and
 * unlocking a free lock, which would deadlock or corrupt on real CPUs. */
#include <hv/spinlock.h>

void spin_lock(struct spinlock *l)
{
    if (spin_is_locked(l))
        fail_msg("spin_lock: lock %p already held", (void *)l);
    l->tail++;
    l->owner_cpu = 0;
}

void spin_unlock(struct spinlock *l)
{
    if (!spin_is_locked(l))
        fail_msg("spin_unlock: lock %p not held", (void *)l);
    l->owner_cpu = -1;
    l->head++;
}

bool spin_trylock(struct spinlock *l)
{
    if (spin_is_locked(l))
        return false;
    spin_lock(l);
    return true;
}

bool spin_is_locked(const struct spinlock *l)
{
    return l->head != l->tail;
}

unsigned long spin_lock_irqsave(struct spinlock *l)
{
    spin_lock(l);
    return 0;
}

void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
    (void)flags;
    spin_unlock(l);
}
