/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC, IO-APIC and legacy PIC. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <hv/types.h>

#define LAPIC_TIMER_VECTOR      0xf0
#define CALL_FUNCTION_VECTOR    0xf1    /* run a vCPU here (pv/smp.c) */
#define FLUSH_TLB_VECTOR        0xf2    /* flush this CPU's TLB */
#define ERROR_APIC_VECTOR       0xfe
#define SPURIOUS_APIC_VECTOR    0xff

void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi_allbutself(void);
/* Arms the one-shot timer; 0 stops it. */
void lapic_timer_arm(uint32_t count);
void lapic_timer_calibrate(void);
/* Converts a delay in ns to LAPIC timer counts (clamped to 32 bits). */
uint32_t lapic_timer_ns_to_count(uint64_t ns);

/* Device interrupts: GSI n arrives on vector PIRQ_VECTOR_BASE + n; the
 * vectors above belong to MSIs (pv/msi.c), one each. */
#define PIRQ_VECTOR_BASE        0x40
#define PIRQ_MAX_GSIS           48
#define MSI_VECTOR_BASE         (PIRQ_VECTOR_BASE + PIRQ_MAX_GSIS)
#define NR_MSI_VECTORS          (LAPIC_TIMER_VECTOR - MSI_VECTOR_BASE)

void pic_disable(void);
void ioapic_init(void);
extern unsigned int ioapic_nr_gsis;
/* Programs gsi's pin (masked); -XEN_EINVAL if no IO-APIC has it. */
int ioapic_program(unsigned int gsi, uint8_t vector, bool level,
                   bool active_low, uint32_t dest_apic_id);
void ioapic_set_masked(unsigned int gsi, bool masked);
int ioapic_guest_read(paddr_t physbase, unsigned int reg, uint32_t *val);

#endif
