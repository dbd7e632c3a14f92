/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration mechanism #1 (ports 0xcf8/0xcfc) for Keel's own use:
 * the MSI and MSI-X capabilities it programs for dom0 (pv/msi.c), and the
 * config accesses it performs on dom0's behalf (pv/ioport.c).
 */
#include <hv/spinlock.h>
#include <asm/io.h>
#include <asm/pci.h>

#define CONF_ENABLE         0x80000000u
#define CAP_WALK_MAX        48          /* a cycle in the list ends here */
#define BAR_IO              0x1u
#define BAR_MEM_TYPE_MASK   0x6u
#define BAR_MEM_64          0x4u
#define BAR_MEM_ADDR_MASK   (~0xfULL)
#define NR_BARS             6

static DEFINE_SPINLOCK(pci_lock);

static void select_reg(unsigned int bdf, unsigned int reg)
{
    outl(CONF_ENABLE | (bdf & 0xffff) << 8 | (reg & 0xfc), PCI_CONF_ADDR);
}

uint32_t pci_conf_read(unsigned int bdf, unsigned int reg, unsigned int bytes)
{
    uint16_t port = PCI_CONF_DATA + (reg & 3);
    unsigned long flags = spin_lock_irqsave(&pci_lock);
    uint32_t val;

    select_reg(bdf, reg);
    if (bytes == 1)
        val = inb(port);
    else if (bytes == 2)
        val = inw(port);
    else
        val = inl(port);
    spin_unlock_irqrestore(&pci_lock, flags);
    return val;
}

void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int bytes,
                    uint32_t val)
{
    uint16_t port = PCI_CONF_DATA + (reg & 3);
    unsigned long flags = spin_lock_irqsave(&pci_lock);

    select_reg(bdf, reg);
    if (bytes == 1)
        outb(val, port);
    else if (bytes == 2)
        outw(val, port);
    else
        outl(val, port);
    spin_unlock_irqrestore(&pci_lock, flags);
}

bool pci_device_present(unsigned int bdf)
{
    return (pci_conf_read(bdf, PCI_VENDOR_ID, 2) & 0xffff) != 0xffff;
}

unsigned int pci_find_cap(unsigned int bdf, uint8_t id)
{
    unsigned int pos, n;

    if (!(pci_conf_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
        return 0;
    pos = pci_conf_read(bdf, PCI_CAP_PTR, 1);
    for (n = 0; n < CAP_WALK_MAX && pos >= 0x40; n++) {
        pos &= ~3u;
        if (pci_conf_read(bdf, pos, 1) == id)
            return pos;
        pos = pci_conf_read(bdf, pos + 1, 1);
    }
    return 0;
}

uint64_t pci_mem_bar(unsigned int bdf, unsigned int bir)
{
    unsigned int reg = PCI_BAR0 + 4 * bir;
    uint32_t lo;
    uint64_t addr;

    if (bir >= NR_BARS)
        return 0;
    lo = pci_conf_read(bdf, reg, 4);
    if (lo & BAR_IO)
        return 0;
    addr = lo & BAR_MEM_ADDR_MASK;
    if ((lo & BAR_MEM_TYPE_MASK) == BAR_MEM_64) {
        if (bir + 1 >= NR_BARS)
            return 0;
        addr |= (uint64_t)pci_conf_read(bdf, reg + 4, 4) << 32;
    }
    return addr;
}
