/* SPDX-License-Identifier: GPL-2.0-only */
/* What stub_ioapic.c records, for the tests to check. */
#ifndef TESTS_UNIT_STUB_IOAPIC_H
#define TESTS_UNIT_STUB_IOAPIC_H

#include <hv/traps.h>

#define STUB_NR_GSIS    24

struct stub_rte {
    bool programmed, masked, level, active_low;
    uint8_t vector;
    uint32_t dest;
};

extern struct stub_rte stub_rtes[STUB_NR_GSIS];
extern irq_handler_t stub_irq_handlers[256];

#endif
