/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables: each CPU's GDT window (asm/desc.h) and TSS, and one
 * IDT shared by all CPUs with IST stacks for #DF, NMI and #MC.
 *
 * The window's page tables are static and hang off the L3 of slot 261,
 * which the boot tables, the idle tables and every guest L4 share: the BSP
 * can load its GDT before there is an allocator, and a guest's GDT frames
 * are mapped by rewriting one PTE.  Guest frames are mapped read-write,
 * like Xen does: the CPU sets the Accessed bit of a descriptor when it
 * loads it, and a read-only mapping would turn that into a page fault from
 * guest context.  This is safe because only ring 0 reaches the window, the
 * frames hold PGT_seg_desc_page (no guest writable mapping can exist), and
 * the Accessed bit does not change what a checked descriptor permits.
 */
#include <hv/abi.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <hv/xmalloc.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>

#define GDT_KEEL_PAGE   GDT_GUEST_PAGES
#define GDT_LIMIT       (GDT_PAGES * PAGE_SIZE - 1)
#define GDT_L1_ENTRIES  ROUNDUP(NR_CPUS * DESC_WINDOW_PAGES, PT_ENTRIES)
#define PTE_RW          PAGE_HYPERVISOR
#define PTE_RO          (_PAGE_PRESENT | _PAGE_ACCESSED)

/* Keel's descriptor for selector sel, in its page of the window. */
#define KEEL_DESC(page, sel) \
    ((page)[((sel) >> 3) - GDT_KEEL_PAGE * (PAGE_SIZE / 8)])

/* The image is mapped at KEEL_VIRT_BASE from physical 0 (head.S). */
#define IMAGE_PA(p)     ((paddr_t)((unsigned long)(p) - KEEL_VIRT_BASE))

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __packed;

extern const char entry_stubs[];

static struct idt_gate idt_table[256] __aligned(16);
static uint64_t gdt_l2[PT_ENTRIES] __aligned(PAGE_SIZE);
static uint64_t gdt_l1[GDT_L1_ENTRIES] __aligned(PAGE_SIZE);
static const uint64_t gdt_zero_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint64_t bsp_keel_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static struct tss64 bsp_tss __aligned(128);

_Static_assert(GDT_GUEST_PAGES == FIRST_RESERVED_GDT_PAGE, "GDT layout");
_Static_assert(GDT_LIMIT <= 0xffff, "GDT limit");
_Static_assert(GDT_L1_ENTRIES <= PT_ENTRIES * PT_ENTRIES, "one L2");
_Static_assert(GDT_VIRT_START % L3_PAGE_SIZE == 0, "one L3 slot");
_Static_assert(l4_index(GDT_VIRT_START) == l4_index(KEEL_VIRT_BASE),
               "in the image's L4 slot");
_Static_assert(GUEST_CS64 == FLAT_KERNEL_CS64 && GUEST_DS == FLAT_KERNEL_SS64,
               "guest selectors");

static uint64_t *window_ptes(unsigned int cpu)
{
    return &gdt_l1[cpu * DESC_WINDOW_PAGES];
}

/* Runs once, on the boot tables (the L3 is head.S's, in the image). */
static void window_tables_init(void)
{
    uint64_t l4e = boot_l4[l4_index(GDT_VIRT_START)];
    uint64_t *l3 = (uint64_t *)(KEEL_VIRT_BASE + (l4e & PADDR_MASK));
    unsigned int i;

    for (i = 0; i < GDT_L1_ENTRIES / PT_ENTRIES; i++)
        gdt_l2[i] = IMAGE_PA(&gdt_l1[i * PT_ENTRIES]) | PAGE_TABLE_FLAGS;
    l3[l3_index(GDT_VIRT_START)] = IMAGE_PA(gdt_l2) | PAGE_TABLE_FLAGS;
}

static void set_tss_desc(uint64_t *page, const struct tss64 *tss)
{
    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

    KEEL_DESC(page, TSS_SEL) = (limit & 0xffff) |
                               ((base & 0xffffff) << 16) | (0x89UL << 40) |
                               (((limit >> 16) & 0xf) << 48) |
                               (((base >> 24) & 0xff) << 56);
    KEEL_DESC(page, TSS_SEL + 8) = base >> 32;
}

static void fill_keel_page(uint64_t *page, const struct tss64 *tss)
{
    KEEL_DESC(page, HV_CS) = 0x00af9a000000ffffUL;
    KEEL_DESC(page, HV_DS) = 0x00cf92000000ffffUL;
    KEEL_DESC(page, HV_CS32) = 0x00cf9a000000ffffUL;
    KEEL_DESC(page, GUEST_CS32) = 0x00cffa000000ffffUL;
    KEEL_DESC(page, GUEST_DS) = 0x00cff2000000ffffUL;
    KEEL_DESC(page, GUEST_CS64) = 0x00affa000000ffffUL;
    set_tss_desc(page, tss);
}

static void fill_tss(struct tss64 *tss, struct cpu_info *ci)
{
    unsigned long block = (unsigned long)stack_block_of(ci);

    tss->rsp[0] = (unsigned long)ci;
    tss->ist[IST_DF - 1] = block + 1 * PAGE_SIZE;
    tss->ist[IST_NMI - 1] = block + 2 * PAGE_SIZE;
    tss->ist[IST_MC - 1] = block + 3 * PAGE_SIZE;
    tss->iomap_base = sizeof(*tss);     /* no I/O bitmap */
}

/* The window of a CPU that has not loaded it yet: no flush needed. */
static void fill_window(unsigned int cpu, paddr_t keel_page)
{
    uint64_t *pte = window_ptes(cpu);
    unsigned int i;

    for (i = 0; i < GDT_PAGES; i++)
        pte[i] = IMAGE_PA(gdt_zero_page) | PTE_RO;
    pte[GDT_KEEL_PAGE] = keel_page | PTE_RW;    /* ltr sets the busy bit */
}

/* Builds the GDT window and TSS of a CPU; the BSP's need no allocator. */
int desc_init_cpu(unsigned int cpu, struct cpu_info *ci)
{
    uint64_t *page = bsp_keel_page;
    struct tss64 *tss = &bsp_tss;
    paddr_t page_pa = IMAGE_PA(bsp_keel_page);

    if (cpu) {
        page = alloc_xenheap_pages(0);
        tss = xzalloc(struct tss64);
        if (!page || !tss) {
            if (page)
                free_xenheap_pages(page, 0);
            xfree(tss);
            return -1;
        }
        memset(page, 0, PAGE_SIZE);
        page_pa = virt_to_maddr(page);
    } else {
        window_tables_init();
    }
    fill_tss(tss, ci);
    fill_keel_page(page, tss);
    fill_window(cpu, page_pa);
    return 0;
}

void desc_load_cpu(unsigned int cpu)
{
    struct desc_ptr gdtr = { GDT_LIMIT, GDT_VIRT(cpu) };
    struct desc_ptr idtr = { sizeof(idt_table) - 1, (uint64_t)idt_table };

    __asm__ __volatile__("lgdt %0" : : "m"(gdtr));
    /* Reload CS with a far return, then the data segments. */
    __asm__ __volatile__("pushq %[cs]\n\t"
                         "leaq 1f(%%rip), %%rax\n\t"
                         "pushq %%rax\n\t"
                         "lretq\n"
                         "1:\n\t"
                         "mov %[ds], %%ds\n\t"
                         "mov %[ds], %%es\n\t"
                         "mov %[ds], %%ss\n\t"
                         : : [cs] "i"(HV_CS), [ds] "r"(HV_DS) : "rax",
                           "memory");
    __asm__ __volatile__("ltr %w0" : : "r"(TSS_SEL));
    /* No LDT: else the CPU reads LDT selectors' descriptors at the
     * LDTR's reset base 0, i.e. in memory the guest controls. */
    __asm__ __volatile__("lldt %w0" : : "r"(0));
    __asm__ __volatile__("lidt %0" : : "m"(idtr));
}

void desc_map_guest_gdt(const mfn_t *frames, unsigned int nr)
{
    unsigned int cpu = smp_processor_id(), i;
    uint64_t *pte = window_ptes(cpu);
    unsigned long va = GDT_VIRT(cpu);

    ASSERT(nr <= GDT_GUEST_PAGES);
    for (i = 0; i < GDT_GUEST_PAGES; i++, va += PAGE_SIZE) {
        uint64_t e = IMAGE_PA(gdt_zero_page) | PTE_RO;

        if (i < nr)
            e = ((paddr_t)mfn_x(frames[i]) << PAGE_SHIFT) | PTE_RW;
        if (pte[i] == e)
            continue;
        ACCESS_ONCE(pte[i]) = e;
        invlpg(va);
    }
}

void desc_load_ldt(unsigned int ents)
{
    unsigned int cpu = smp_processor_id(), i;
    uint64_t *pte = window_ptes(cpu) + GDT_PAGES;
    uint64_t *keel = (uint64_t *)(GDT_VIRT(cpu) + GDT_KEEL_PAGE * PAGE_SIZE);
    uint64_t base = LDT_VIRT(cpu), limit = (uint64_t)ents * 8 - 1;

    for (i = 0; i < LDT_PAGES; i++) {
        if (!pte[i])
            continue;
        ACCESS_ONCE(pte[i]) = 0;
        invlpg(LDT_VIRT(cpu) + i * PAGE_SIZE);
    }
    if (!ents) {
        __asm__ __volatile__("lldt %w0" : : "r"(0));
        return;
    }
    KEEL_DESC(keel, LDT_SEL) = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                               (0x82UL << 40) | (((limit >> 16) & 0xf) << 48) |
                               (((base >> 24) & 0xff) << 56);
    KEEL_DESC(keel, LDT_SEL + 8) = base >> 32;
    __asm__ __volatile__("lldt %w0" : : "r"(LDT_SEL));
}

void desc_map_ldt_page(unsigned int page, mfn_t mfn)
{
    unsigned int cpu = smp_processor_id();

    ASSERT(page < LDT_PAGES);
    ACCESS_ONCE(window_ptes(cpu)[GDT_PAGES + page]) =
        ((paddr_t)mfn_x(mfn) << PAGE_SHIFT) | PTE_RW;
    invlpg(LDT_VIRT(cpu) + page * PAGE_SIZE);
}

void idt_init(void)
{
    unsigned int v;

    for (v = 0; v < 256; v++) {
        unsigned long addr = (unsigned long)entry_stubs + 16 * v;
        struct idt_gate *g = &idt_table[v];

        g->offset_lo = addr & 0xffff;
        g->offset_mid = (addr >> 16) & 0xffff;
        g->offset_hi = addr >> 32;
        g->selector = HV_CS;
        /* present, 64-bit interrupt gate; int3/into usable from ring 3
         * (guests run there), everything else DPL 0 */
        g->type = (v == 3 || v == 4) ? 0xee : 0x8e;
        g->ist = v == TRAP_double_fault ? IST_DF :
                 v == TRAP_nmi ? IST_NMI :
                 v == TRAP_machine_check ? IST_MC : 0;
    }
}
