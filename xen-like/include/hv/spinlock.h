/* SPDX-License-Identifier: GPL-2.0-only */
/* Ticket spinlocks, fair between CPUs.  Usable in host tests too. */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>

struct spinlock {
    uint16_t head;     /* ticket being served */
    uint16_t tail;     /* next ticket to hand out */
    int owner_cpu;     /* for diagnostics; -1 when free */
};

#define SPINLOCK_INIT { 0, 0, -1 }
#define DEFINE_SPINLOCK(l) struct spinlock l = SPINLOCK_INIT

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_trylock(struct spinlock *l);
bool spin_is_locked(const struct spinlock *l);

/* Same, with local interrupts disabled; returns the saved flags. */
unsigned long spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags);

#endif
