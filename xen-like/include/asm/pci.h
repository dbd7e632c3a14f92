/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI configuration space of segment 0: 0xcf8/0xcfc, MMCONFIG beyond. */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <hv/types.h>

#define PCI_CONF_ADDR       0xcf8
#define PCI_CONF_DATA       0xcfc
#define PCI_BDF(bus, devfn) ((unsigned int)(bus) << 8 | (devfn))

#define PCI_VENDOR_ID       0x00
#define PCI_STATUS          0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_BAR0            0x10
#define PCI_CAP_PTR         0x34
#define PCI_CAP_ID_MSI      0x05
#define PCI_CAP_ID_MSIX     0x11

/*
 * A config register of bus:devfn (bdf), 1, 2 or 4 bytes at reg (naturally
 * aligned, below 256; writes below 4096: from 256 on through MMCONFIG, and
 * lost without it).  Keel's accesses and dom0's emulated ones share one
 * lock, so that an address/data pair is never split.
 */
uint32_t pci_conf_read(unsigned int bdf, unsigned int reg, unsigned int bytes);
void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int bytes,
                    uint32_t val);
/* The offset of bdf's capability id, 0 if it has none. */
unsigned int pci_find_cap(unsigned int bdf, uint8_t id);
/* The address memory BAR bir decodes, 0 if it is not a memory BAR. */
uint64_t pci_mem_bar(unsigned int bdf, unsigned int bir);
/* bdf answers config reads (a function is there). */
bool pci_device_present(unsigned int bdf);
/* After acpi_init(): maps Keel's window onto MMCONFIG, if there is one. */
void pci_init(void);
/* Is mfn in segment 0's MMCONFIG area?  Then *bdf (if given) is its
 * function's. */
bool pci_mmcfg_frame(mfn_t mfn, unsigned int *bdf);

#endif
