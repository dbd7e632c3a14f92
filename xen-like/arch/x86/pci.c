/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration mechanism #1 (ports 0xcf8/0xcfc) for Keel's own use:
 * the MSI and MSI-X capabilities it programs for dom0 (pv/msi.c), and the
 * config accesses it performs on dom0's behalf (pv/ioport.c, pv/ptwr.c);
 * MMCONFIG (ACPI MCFG) only for dom0's writes to extended registers.
 */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/spinlock.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/pci.h>

#define CONF_ENABLE         0x80000000u
#define CAP_WALK_MAX        48          /* a cycle in the list ends here */
#define BAR_IO              0x1u
#define BAR_MEM_TYPE_MASK   0x6u
#define BAR_MEM_64          0x4u
#define BAR_MEM_ADDR_MASK   (~0xfULL)
#define NR_BARS             6
#define CONF_LEGACY_SIZE    256         /* beyond: MMCONFIG only */

/* Protects the 0xcf8 selection and the MMCONFIG window. */
static DEFINE_SPINLOCK(pci_lock);
/* One uncached page, moved onto the function an extended write is for. */
static uint8_t *mmcfg_window;

void pci_init(void)
{
    if (acpi_info.mmcfg_base &&
        !(mmcfg_window = ioremap(acpi_info.mmcfg_base, PAGE_SIZE)))
        pr_warn("PCI: no room to map MMCONFIG\n");
}

/* Each function has a 4 KiB page there: frame base + bus << 8 | devfn. */
bool pci_mmcfg_frame(mfn_t mfn, unsigned int *bdf)
{
    unsigned long base = acpi_info.mmcfg_base >> PAGE_SHIFT;
    unsigned long f = mfn_x(mfn) - base;

    if (!acpi_info.mmcfg_base || mfn_x(mfn) < base ||
        f >> 8 < acpi_info.mmcfg_bus_start || f >> 8 > acpi_info.mmcfg_bus_end)
        return false;
    if (bdf)
        *bdf = f;
    return true;
}

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
    val = port_in(port, bytes);
    spin_unlock_irqrestore(&pci_lock, flags);
    return val;
}

/* Without MMCONFIG (or for a bus it lacks) the write is lost. */
static void mmcfg_write(unsigned int bdf, unsigned int reg,
                        unsigned int bytes, uint32_t val)
{
    paddr_t pa = acpi_info.mmcfg_base + ((paddr_t)bdf << PAGE_SHIFT);
    volatile uint8_t *p;

    ASSERT(spin_is_locked(&pci_lock));
    if (!mmcfg_window || !pci_mmcfg_frame(_mfn(pa >> PAGE_SHIFT), NULL))
        return;
    map_pages((unsigned long)mmcfg_window, pa, 1, PAGE_HYPERVISOR_UC);
    p = mmcfg_window + (reg & (PAGE_SIZE - 1));
    if (bytes == 1)
        *p = val;
    else if (bytes == 2)
        *(volatile uint16_t *)p = val;
    else
        *(volatile uint32_t *)p = val;
}

void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int bytes,
                    uint32_t val)
{
    uint16_t port = PCI_CONF_DATA + (reg & 3);
    unsigned long flags = spin_lock_irqsave(&pci_lock);

    if (reg >= CONF_LEGACY_SIZE) {
        mmcfg_write(bdf, reg, bytes, val);
    } else {
        select_reg(bdf, reg);
        port_out(port, bytes, val);
    }
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
