/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables: a GDT and TSS per CPU (Xen's selector layout, guest
 * entries below 0xe000), one IDT shared by all CPUs with IST stacks for
 * #DF, NMI and #MC.
 */
#include <hv/abi.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <hv/xmalloc.h>
#include <asm/desc.h>
#include <asm/processor.h>

#define GDT_BYTES   (GDT_ENTRIES * 8)
#define GDT_ORDER   4                   /* 64 KiB >= GDT_BYTES */

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
static uint64_t bsp_gdt[GDT_ENTRIES] __aligned(PAGE_SIZE);
static struct tss64 bsp_tss __aligned(128);
static uint64_t *cpu_gdt[NR_CPUS];
static struct tss64 *cpu_tss[NR_CPUS];

_Static_assert(GDT_BYTES <= (PAGE_SIZE << GDT_ORDER), "GDT size");
_Static_assert(GDT_ENTRIES == FIRST_RESERVED_GDT_ENTRY + 16, "GDT layout");
_Static_assert(GUEST_CS64 == FLAT_KERNEL_CS64 && GUEST_DS == FLAT_KERNEL_SS64,
               "guest selectors");

static void set_tss_desc(uint64_t *gdt, const struct tss64 *tss)
{
    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

    gdt[TSS_SEL >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                        (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
                        (((base >> 24) & 0xff) << 56);
    gdt[(TSS_SEL >> 3) + 1] = base >> 32;
}

static void fill_gdt(uint64_t *gdt)
{
    gdt[HV_CS >> 3] = 0x00af9a000000ffffUL;
    gdt[HV_DS >> 3] = 0x00cf92000000ffffUL;
    gdt[HV_CS32 >> 3] = 0x00cf9a000000ffffUL;
    gdt[GUEST_CS32 >> 3] = 0x00cffa000000ffffUL;
    gdt[GUEST_DS >> 3] = 0x00cff2000000ffffUL;
    gdt[GUEST_CS64 >> 3] = 0x00affa000000ffffUL;
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

/* Builds the GDT and TSS of a CPU; the BSP's are static (no allocator). */
int desc_init_cpu(unsigned int cpu, struct cpu_info *ci)
{
    uint64_t *gdt = bsp_gdt;
    struct tss64 *tss = &bsp_tss;

    if (cpu) {
        gdt = alloc_xenheap_pages(GDT_ORDER);
        tss = xzalloc(struct tss64);
        if (!gdt || !tss) {
            if (gdt)
                free_xenheap_pages(gdt, GDT_ORDER);
            xfree(tss);
            return -1;
        }
    }
    fill_gdt(gdt);
    fill_tss(tss, ci);
    set_tss_desc(gdt, tss);
    cpu_gdt[cpu] = gdt;
    cpu_tss[cpu] = tss;
    return 0;
}

void desc_load_cpu(unsigned int cpu)
{
    struct desc_ptr gdtr = { GDT_BYTES - 1, (uint64_t)cpu_gdt[cpu] };
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
    __asm__ __volatile__("lidt %0" : : "m"(idtr));
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
