/* SPDX-License-Identifier: GPL-2.0-only */
/* What Keel learns from the ACPI tables. */
#ifndef HV_ACPI_H
#define HV_ACPI_H

#include <hv/config.h>
#include <hv/types.h>

#define MAX_IOAPICS 8
#define MAX_OVERRIDES 16

/* MADT flags of an interrupt source override (MPS INTI flags). */
#define ACPI_POLARITY(f)    ((f) & 3)           /* 0 bus, 1 high, 3 low */
#define ACPI_TRIGGER(f)     (((f) >> 2) & 3)    /* 0 bus, 1 edge, 3 level */

struct acpi_ioapic {
    uint8_t id;
    paddr_t addr;
    uint32_t gsi_base;
};

/* ISA IRQ isa_irq arrives on gsi (bus 0 = ISA). */
struct acpi_override {
    uint8_t isa_irq;
    uint32_t gsi;
    uint16_t flags;
};

struct acpi_info {
    paddr_t rsdp;
    paddr_t lapic_addr;
    unsigned int nr_cpus;            /* enabled CPUs in the MADT */
    uint32_t apic_ids[NR_CPUS];
    unsigned int nr_ioapics;
    struct acpi_ioapic ioapics[MAX_IOAPICS];
    unsigned int nr_overrides;       /* ISA IRQ -> GSI overrides */
    struct acpi_override overrides[MAX_OVERRIDES];
    paddr_t hpet_addr;               /* 0 if none */
    paddr_t mmcfg_base;              /* MCFG, segment 0: bus 0's ECAM */
    uint8_t mmcfg_bus_start, mmcfg_bus_end;  /* base 0: no MMCONFIG */
    uint16_t pm1a_cnt, pm1b_cnt;     /* ports, 0 if none */
    bool have_s5;
    uint8_t slp_typa_s5, slp_typb_s5;
    bool have_reset_reg;
    uint8_t reset_space;             /* 0 memory, 1 I/O */
    uint64_t reset_addr;
    uint8_t reset_value;
};

extern struct acpi_info acpi_info;

struct boot_info;
/* Reads the tables; returns 0 or -XEN_ENODEV with no usable RSDP/MADT. */
int acpi_init(const struct boot_info *bi);

#endif
