/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The M2P: one unsigned long per machine frame, the guest frame number its
 * owner uses (INVALID_M2P_ENTRY otherwise).  Keel writes it through the
 * direct map; guests read it at MACH2PHYS_VIRT_START (read-only, user).
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/m2p.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/paging.h>

static unsigned long *m2p;
static unsigned long m2p_entries;

int m2p_init(void)
{
    size_t bytes = ROUNDUP(max_page * sizeof(*m2p), PAGE_SIZE);
    uint64_t nx = (rdmsr(MSR_EFER) & EFER_NXE) ? _PAGE_NX : 0;
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    if (bytes > MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START ||
        !(m2p = alloc_xenheap_pages(order)))
        return -XEN_ENOMEM;
    memset(m2p, 0xff, bytes);
    m2p_entries = max_page;
    map_pages(MACH2PHYS_VIRT_START, virt_to_maddr(m2p), bytes >> PAGE_SHIFT,
              _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | nx);
    pr_info("M2P: %lu entries at %#lx\n", m2p_entries,
            (unsigned long)MACH2PHYS_VIRT_START);
    return 0;
}

void m2p_set(mfn_t mfn, unsigned long pfn)
{
    if (mfn_x(mfn) < m2p_entries)
        m2p[mfn_x(mfn)] = pfn;
}

unsigned long m2p_get(mfn_t mfn)
{
    return mfn_x(mfn) < m2p_entries ? m2p[mfn_x(mfn)] : INVALID_M2P_ENTRY;
}

/* The machine frame behind byte offset of the table (contiguous heap). */
bool m2p_frame_at(unsigned long offset, mfn_t *mfn)
{
    if (!m2p || offset >= m2p_entries * sizeof(*m2p))
        return false;
    *mfn = _mfn((virt_to_maddr(m2p) + offset) >> PAGE_SHIFT);
    return true;
}
