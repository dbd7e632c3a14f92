/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The legacy 8259 PICs (remapped, masked) and the IO-APICs: all pins start
 * masked; pv/pirq.c programs and (un)masks the pins dom0 binds.
 */
#include <hv/acpi.h>
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/spinlock.h>
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
#define RTE_LEVEL       (1u << 15)
#define RTE_ACTIVE_LOW  (1u << 13)

struct ioapic {
    volatile uint8_t *io;
    paddr_t addr;
    uint32_t gsi_base;
    unsigned int pins;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics;
unsigned int ioapic_nr_gsis;            /* GSIs 0..nr-1 have a pin */
/* Protects the REGSEL/WINDOW pairs of every IO-APIC; taken irqsave. */
static DEFINE_SPINLOCK(ioapic_lock);

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
        struct ioapic *ia = &ioapics[nr_ioapics++];

        ia->io = ioremap(a->addr, 0x20);
        if (!ia->io)
            panic("cannot map IO-APIC %u", a->id);
        ia->addr = a->addr;
        ia->gsi_base = a->gsi_base;
        ia->pins = ((ioapic_read(ia->io, IOAPIC_VER) >> 16) & 0xff) + 1;
        for (pin = 0; pin < ia->pins; pin++) {
            ioapic_write(ia->io, IOAPIC_RTE(pin) + 1, 0);
            ioapic_write(ia->io, IOAPIC_RTE(pin), RTE_MASKED);
        }
        ioapic_nr_gsis = MAX(ioapic_nr_gsis, ia->gsi_base + ia->pins);
        pr_info("IO-APIC %u: %u pins (GSI %u-%u), all masked\n", a->id,
                ia->pins, a->gsi_base, a->gsi_base + ia->pins - 1);
    }
}

/* The IO-APIC with gsi's pin, and the pin; NULL if no IO-APIC has it. */
static struct ioapic *gsi_pin(unsigned int gsi, unsigned int *pin)
{
    unsigned int i;

    for (i = 0; i < nr_ioapics; i++) {
        if (gsi >= ioapics[i].gsi_base &&
            gsi - ioapics[i].gsi_base < ioapics[i].pins) {
            *pin = gsi - ioapics[i].gsi_base;
            return &ioapics[i];
        }
    }
    return NULL;
}

/* Fixed delivery, physical destination dest; the pin is left masked. */
int ioapic_program(unsigned int gsi, uint8_t vector, bool level,
                   bool active_low, uint32_t dest)
{
    uint32_t lo = vector | RTE_MASKED | (level ? RTE_LEVEL : 0) |
                  (active_low ? RTE_ACTIVE_LOW : 0);
    unsigned long flags;
    unsigned int pin;
    struct ioapic *ia = gsi_pin(gsi, &pin);

    if (!ia)
        return -XEN_EINVAL;
    flags = spin_lock_irqsave(&ioapic_lock);
    ioapic_write(ia->io, IOAPIC_RTE(pin), RTE_MASKED);
    ioapic_write(ia->io, IOAPIC_RTE(pin) + 1, dest << 24);
    ioapic_write(ia->io, IOAPIC_RTE(pin), lo);
    spin_unlock_irqrestore(&ioapic_lock, flags);
    return 0;
}

void ioapic_set_masked(unsigned int gsi, bool masked)
{
    unsigned long flags;
    unsigned int pin;
    struct ioapic *ia = gsi_pin(gsi, &pin);
    uint32_t lo;

    if (!ia)
        return;
    flags = spin_lock_irqsave(&ioapic_lock);
    lo = ioapic_read(ia->io, IOAPIC_RTE(pin));
    lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
    ioapic_write(ia->io, IOAPIC_RTE(pin), lo);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

/* PHYSDEVOP_apic_read: any register of the IO-APIC at physbase. */
int ioapic_guest_read(paddr_t physbase, unsigned int reg, uint32_t *val)
{
    unsigned long flags;
    unsigned int i;

    for (i = 0; i < nr_ioapics; i++) {
        if (ioapics[i].addr != physbase)
            continue;
        flags = spin_lock_irqsave(&ioapic_lock);
        *val = ioapic_read(ioapics[i].io, reg & 0xff);
        spin_unlock_irqrestore(&ioapic_lock, flags);
        return 0;
    }
    return -XEN_EINVAL;
}
