/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The idle page tables: Keel's slots of every address space.  The image
 * mapping (and ioremap area) is shared with the boot tables; the direct map
 * covers all RAM and the first 4 GiB with 2 MiB pages.
 */
#include <hv/bootmem.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>

static uint64_t *idle_l4;
static paddr_t idle_l4_pa;
static bool directmap_ready;
static unsigned long ioremap_next = IOREMAP_VIRT_START;

/* Before the direct map, tables come from the first GiB (boot mapping). */
static void *pt_va(paddr_t pa)
{
    if (directmap_ready)
        return maddr_to_virt(pa);
    BUG_ON(pa >= KEEL_VIRT_SIZE);
    return (void *)(KEEL_VIRT_BASE + pa);
}

static paddr_t pt_alloc(void)
{
    paddr_t pa;

    if (bootmem_done()) {
        void *va = alloc_xenheap_pages(0);

        pa = va ? virt_to_maddr(va) : 0;
    } else {
        pa = bootmem_alloc(1, directmap_ready ? ~0UL : KEEL_VIRT_SIZE);
    }
    if (!pa)
        panic("out of memory for page tables");
    memset(pt_va(pa), 0, PAGE_SIZE);
    return pa;
}

/* user: the leaf is guest-visible (the M2P), so the path must be too. */
static uint64_t *pt_next(uint64_t *table, unsigned int idx, uint64_t user)
{
    if (!(table[idx] & _PAGE_PRESENT))
        table[idx] = pt_alloc() | PAGE_TABLE_FLAGS;
    table[idx] |= user;
    BUG_ON(table[idx] & _PAGE_PSE);
    return pt_va(table[idx] & PADDR_MASK);
}

int map_pages(unsigned long va, paddr_t pa, unsigned long nr, uint64_t flags)
{
    for (; nr--; va += PAGE_SIZE, pa += PAGE_SIZE) {
        uint64_t *l3 = pt_next(idle_l4, l4_index(va), flags & _PAGE_USER);
        uint64_t *l2 = pt_next(l3, l3_index(va), flags & _PAGE_USER);
        uint64_t *l1 = pt_next(l2, l2_index(va), flags & _PAGE_USER);

        l1[l1_index(va)] = pa | flags;
        invlpg(va);
    }
    return 0;
}

static void map_direct(paddr_t top, uint64_t nx)
{
    paddr_t pa;

    for (pa = 0; pa < top; pa += L2_PAGE_SIZE) {
        unsigned long va = DIRECTMAP_VIRT_START + pa;
        uint64_t *l3 = pt_next(idle_l4, l4_index(va), 0);
        uint64_t *l2 = pt_next(l3, l3_index(va), 0);

        l2[l2_index(va)] = pa | PAGE_HYPERVISOR | _PAGE_PSE | nx;
    }
}

void paging_init(paddr_t top)
{
    unsigned int slot = l4_index(KEEL_VIRT_BASE);
    uint64_t nx = (rdmsr(MSR_EFER) & EFER_NXE) ? _PAGE_NX : 0;
    unsigned int i;

    top = ROUNDUP(MAX(top, (paddr_t)4 << 30), L3_PAGE_SIZE);
    if (top > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
        panic("RAM above %#lx cannot be direct-mapped",
              DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START);
    idle_l4_pa = pt_alloc();
    idle_l4 = pt_va(idle_l4_pa);
    idle_l4[slot] = boot_l4[slot];
    map_direct(top, nx);
    write_cr3(idle_l4_pa);
    directmap_ready = true;
    idle_l4 = maddr_to_virt(idle_l4_pa);

    /* APs start on boot_l4: give it Keel's slots too. */
    for (i = 256; i < 272; i++)
        boot_l4[i] = idle_l4[i];
    pr_info("Direct map: %lu MiB at %#lx\n", (unsigned long)(top >> 20),
            DIRECTMAP_VIRT_START);
}

/* The idle table's slot; guests' L4s get copies of Keel's slots. */
uint64_t idle_l4_entry(unsigned int slot)
{
    return idle_l4[slot & 511];
}

/*
 * Xen's PAT: WB, WT, UC-, UC, WC, WP, UC, UC.  PV guests (Linux adopts
 * whatever it finds) and the page-type rules' cache checks rely on it.
 */
void cpu_init_pat(void)
{
    wrmsr(MSR_PAT, 0x0000050100070406ULL);
}

paddr_t idle_pg_table_pa(void)
{
    return idle_l4_pa;
}

void *ioremap(paddr_t pa, size_t size)
{
    paddr_t base = ROUNDDOWN(pa, PAGE_SIZE);
    unsigned long nr = (ROUNDUP(pa + size, PAGE_SIZE) - base) >> PAGE_SHIFT;
    unsigned long va = ioremap_next;

    if (va + (nr << PAGE_SHIFT) > IOREMAP_VIRT_START + IOREMAP_VIRT_SIZE)
        return NULL;
    ioremap_next += nr << PAGE_SHIFT;
    map_pages(va, base, nr, PAGE_HYPERVISOR_UC);
    return (void *)(va + (pa - base));
}
