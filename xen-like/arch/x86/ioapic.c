/* SPDX-License-Identifier: GPL-2.0-only */
/* The legacy 8259 PICs (remapped, masked) and the IO-APICs (all masked). */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/paging.h>

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xa0
#define PIC2_DATA   0xa1

#define IOAPIC_REGSEL   0x00
#define IOAPIC_WINDOW   0x10
#define IOAPIC_VER      0x01
#define IOAPIC_RTE(n)   (0x10 + 2 * (n))
#define RTE_MASKED      (1u << 16)

/* Remaps the PICs away from the exception vectors, then masks them. */
void pic_disable(void)
{
    outb(0x11, PIC1_CMD);       /* ICW1: init, ICW4 follows */
    outb(0x11, PIC2_CMD);
    outb(0x20, PIC1_DATA);      /* ICW2: vectors 0x20.. and 0x28.. */
    outb(0x28, PIC2_DATA);
    outb(0x04, PIC1_DATA);      /* ICW3: cascade on IRQ2 */
    outb(0x02, PIC2_DATA);
    outb(0x01, PIC1_DATA);      /* ICW4: 8086 mode */
    outb(0x01, PIC2_DATA);
    outb(0xff, PIC1_DATA);
    outb(0xff, PIC2_DATA);
}

static uint32_t ioapic_read(volatile uint8_t *io, unsigned int reg)
{
    mmio_write32(io + IOAPIC_REGSEL, reg);
    return mmio_read32(io + IOAPIC_WINDOW);
}

static void ioapic_write(volatile uint8_t *io, unsigned int reg, uint32_t v)
{
    mmio_write32(io + IOAPIC_REGSEL, reg);
    mmio_write32(io + IOAPIC_WINDOW, v);
}

void ioapic_init(void)
{
    unsigned int i, pin;

    for (i = 0; i < acpi_info.nr_ioapics; i++) {
        const struct acpi_ioapic *a = &acpi_info.ioapics[i];
        volatile uint8_t *io = ioremap(a->addr, 0x20);
        unsigned int pins;

        if (!io)
            panic("cannot map IO-APIC %u", a->id);
        pins = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
        for (pin = 0; pin < pins; pin++) {
            ioapic_write(io, IOAPIC_RTE(pin) + 1, 0);
            ioapic_write(io, IOAPIC_RTE(pin), RTE_MASKED);
        }
        pr_info("IO-APIC %u: %u pins (GSI %u-%u), all masked\n", a->id,
                pins, a->gsi_base, a->gsi_base + pins - 1);
    }
}
