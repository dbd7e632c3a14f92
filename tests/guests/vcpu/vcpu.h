/* SPDX-License-Identifier: GPL-2.0-only */
/* The vcpu kernel's parts: vcpu_op and callbacks (main.c), reservations. */
#ifndef VCPU_TEST_H
#define VCPU_TEST_H

#include <guest.h>

#define MS 1000000UL
#define NO_SUCH_VCPU 1        /* the runner boots dom0 with one vCPU */
#define NO_SUCH_DOMID 0x3ff   /* a plausible domid that does not exist */

/* XENMEM_increase/decrease_reservation, populate_physmap (reservation.c). */
void reservation_checks(void);

#endif /* VCPU_TEST_H */
