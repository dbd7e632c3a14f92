/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for arch/x86/pci.c and ioremap() as pv/msi.c uses them: one
 * PCI function (STUB_PCI_BDF) with an MSI-X capability (4 entries, table in
 * BAR 1) and a 64-bit maskable MSI capability; every other bdf is absent.
 */
#include <string.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/pv/mm.h>
#include "stub_pci.h"

uint8_t stub_pci_cfg[256];
uint32_t stub_msix_table[1024] __attribute__((aligned(4096)));

static void put(unsigned int reg, unsigned int bytes, uint32_t v)
{
    memcpy(&stub_pci_cfg[reg], &v, bytes);
}

uint32_t stub_cfg32(unsigned int reg)
{
    uint32_t v;

    memcpy(&v, &stub_pci_cfg[reg], 4);
    return v;
}

void stub_pci_reset(void)
{
    unsigned int i;

    memset(stub_pci_cfg, 0, sizeof(stub_pci_cfg));
    memset(stub_msix_table, 0, sizeof(stub_msix_table));
    put(PCI_VENDOR_ID, 2, 0x1af4);
    put(PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
    put(PCI_CAP_PTR, 1, STUB_MSIX_CAP);
    put(PCI_BAR0 + 4, 4, STUB_MSIX_BAR);
    put(STUB_MSIX_CAP, 1, PCI_CAP_ID_MSIX);
    put(STUB_MSIX_CAP + 1, 1, STUB_MSI_CAP);
    put(STUB_MSIX_CAP + 2, 2, STUB_MSIX_ENTRIES - 1);
    put(STUB_MSIX_CAP + 4, 4, 1);                       /* BIR 1, offset 0 */
    put(STUB_MSI_CAP, 1, PCI_CAP_ID_MSI);
    put(STUB_MSI_CAP + 2, 2, 0x0180);                   /* 64-bit, maskable */
    for (i = 0; i < STUB_MSIX_ENTRIES; i++)
        stub_msix_table[4 * i + 3] = 1;                 /* masked at reset */
}

uint32_t pci_conf_read(unsigned int bdf, unsigned int reg, unsigned int bytes)
{
    uint32_t v = 0;

    assert_true(reg + bytes <= 256);
    if (bdf != STUB_PCI_BDF)
        return ~0u >> (32 - 8 * bytes);
    memcpy(&v, &stub_pci_cfg[reg], bytes);
    return v;
}

void pci_conf_write(unsigned int bdf, unsigned int reg, unsigned int bytes,
                    uint32_t val)
{
    assert_true(reg + bytes <= 256);
    if (bdf == STUB_PCI_BDF)
        put(reg, bytes, val);
}

bool pci_device_present(unsigned int bdf)
{
    return bdf == STUB_PCI_BDF;
}

unsigned int pci_find_cap(unsigned int bdf, uint8_t id)
{
    unsigned int pos;

    if (bdf != STUB_PCI_BDF)
        return 0;
    for (pos = stub_pci_cfg[PCI_CAP_PTR]; pos; pos = stub_pci_cfg[pos + 1])
        if (stub_pci_cfg[pos] == id)
            return pos;
    return 0;
}

uint64_t pci_mem_bar(unsigned int bdf, unsigned int bir)
{
    return bdf == STUB_PCI_BDF && bir == 1 ? STUB_MSIX_BAR : 0;
}

void *ioremap(paddr_t pa, size_t size)
{
    assert_true(pa == STUB_MSIX_BAR && size == PAGE_SIZE);
    return stub_msix_table;
}

bool pagetype_iomem_allowed(struct domain *d, mfn_t mfn)
{
    return domain_is_privileged(d) && mfn_x(mfn) == STUB_MSIX_BAR >> 12;
}
