/* SPDX-License-Identifier: GPL-2.0-only */
/* The fake PCI function of stub_pci.c, for the tests to look at. */
#ifndef TESTS_UNIT_STUB_PCI_H
#define TESTS_UNIT_STUB_PCI_H

#include <hv/types.h>

#define STUB_PCI_BDF        0x0010      /* 00:02.0 */
#define STUB_MSIX_CAP       0x40
#define STUB_MSI_CAP        0x50        /* 64-bit, per-vector masking */
#define STUB_MSIX_ENTRIES   4
#define STUB_MSIX_BAR       0xfebf0000u /* BAR 1: the MSI-X table at 0 */

extern uint8_t stub_pci_cfg[256];
/* The MSI-X table as the device sees it: address lo/hi, data, control. */
extern uint32_t stub_msix_table[1024];

void stub_pci_reset(void);
uint32_t stub_cfg32(unsigned int reg);

#endif
