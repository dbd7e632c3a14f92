/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for the IO-APIC (arch/x86/ioapic.c) and the vector table
 * (traps.c) as arch/x86/pv/pirq.c uses them: 24 pins whose RTEs are
 * recorded, and the handlers installed per vector.
 */
#include <hv/abi.h>
#include <hv/acpi.h>
#include <hv/traps.h>
#include <asm/apic.h>
#include "stub_ioapic.h"

struct acpi_info acpi_info;
unsigned int ioapic_nr_gsis = STUB_NR_GSIS;
struct stub_rte stub_rtes[STUB_NR_GSIS];
irq_handler_t stub_irq_handlers[256];

int ioapic_program(unsigned int gsi, uint8_t vector, bool level,
                   bool active_low, uint32_t dest_apic_id)
{
    if (gsi >= STUB_NR_GSIS)
        return -XEN_EINVAL;
    stub_rtes[gsi] = (struct stub_rte){ true, true, level, active_low,
                                        vector, dest_apic_id };
    return 0;
}

void ioapic_set_masked(unsigned int gsi, bool masked)
{
    assert_true(gsi < STUB_NR_GSIS);
    stub_rtes[gsi].masked = masked;
}

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
    stub_irq_handlers[vector & 0xff] = fn;
}
