/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * start_keel(): the ordered boot of the BSP, from head.S to idle.  Each
 * step prints what it found, so a boot log tells the machine's story.
 */
#include <hv/acpi.h>
#include <hv/boot.h>
#include <hv/bootmem.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/selftest.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/m2p.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/pv/dom0.h>
#include <asm/pv/time.h>
#include <asm/pv/emulate.h>
#include <asm/pv/vcpu.h>
#include <asm/processor.h>

#define LOW_MEMORY_END  0x100000UL      /* BIOS areas, AP trampoline */

void start_keel(uint32_t magic, uint32_t info_pa);

static struct boot_info boot_info;
extern char _end[];

const struct boot_info *keel_boot_info(void)
{
    return &boot_info;
}

/* Boot information is read through the boot mapping of the first GiB. */
static const void *boot_map(paddr_t pa, size_t len)
{
    if (pa + len < pa || pa + len > KEEL_VIRT_SIZE)
        return NULL;
    return (const void *)(KEEL_VIRT_BASE + pa);
}

/* Loaders put the image's path first (GRUB, QEMU): skip it. */
static const char *hv_cmdline(const char *cmdline)
{
    if (*cmdline != '/' && boot_info.proto != 1)
        return cmdline;
    while (*cmdline && *cmdline != ' ')
        cmdline++;
    while (*cmdline == ' ')
        cmdline++;
    return cmdline;
}

static void print_boot_info(const struct boot_info *bi)
{
    unsigned int i;

    pr_info("Keel hypervisor 0.1 (x86-64, Xen PV ABI), booted by %s "
            "via multiboot%u\n", bi->loader[0] ? bi->loader : "unknown",
            bi->proto);
    pr_info("Command line: %s\n", hv_cmdline(bi->cmdline));
    pr_info("Memory map:\n");
    for (i = 0; i < bi->nr_mmap; i++)
        pr_info(" [0x%016lx-0x%016lx] %s\n",
                (unsigned long)bi->mmap[i].start,
                (unsigned long)(bi->mmap[i].start + bi->mmap[i].len - 1),
                mbi_mem_type_name(bi->mmap[i].type));
    for (i = 0; i < bi->nr_mods; i++)
        pr_info("Module %u: [0x%016lx-0x%016lx] %s\n", i,
                (unsigned long)bi->mods[i].start,
                (unsigned long)bi->mods[i].end - 1, bi->mods[i].cmdline);
    pr_info("%u module%s\n", bi->nr_mods, bi->nr_mods == 1 ? "" : "s");
}

/* Adds the RAM ranges, minus what is in use; returns the top of RAM. */
static paddr_t bootmem_from_map(const struct boot_info *bi, paddr_t *total)
{
    paddr_t top = 0;
    unsigned int i;

    for (i = 0; i < bi->nr_mmap; i++) {
        const struct boot_mem_range *r = &bi->mmap[i];

        if (r->type != E820_RAM || r->start + r->len < r->start)
            continue;
        bootmem_add(r->start, r->start + r->len);
        top = MAX(top, r->start + r->len);
        *total += r->len;
    }
    bootmem_reserve(0, LOW_MEMORY_END);
    bootmem_reserve(KEEL_PHYS_START, (unsigned long)_end - KEEL_VIRT_BASE);
    for (i = 0; i < bi->nr_mods; i++)
        bootmem_reserve(bi->mods[i].start, bi->mods[i].end);
    return top;
}

static void memory_init(const struct boot_info *bi)
{
    paddr_t total = 0, top = bootmem_from_map(bi, &total), table_pa;
    unsigned long table_pages, frames;

    if (!top)
        panic("no usable RAM in the memory map");
    paging_init(top);
    max_page = top >> PAGE_SHIFT;
    table_pages = ROUNDUP(max_page * sizeof(struct page_info), PAGE_SIZE) >>
                  PAGE_SHIFT;
    table_pa = bootmem_alloc(table_pages, ~0UL);
    if (!table_pa)
        panic("no room for the frame table (%lu pages)", table_pages);
    page_alloc_init(maddr_to_virt(table_pa), max_page);
    frames = bootmem_handover();
    if (m2p_init())
        panic("no memory for the M2P table");
    pr_info("RAM: %lu MiB, top %#lx; %lu MiB free (frame table %lu KiB)\n",
            (unsigned long)(total >> 20), (unsigned long)top,
            frames >> (20 - PAGE_SHIFT), table_pages << (PAGE_SHIFT - 10));
}

static void cpu_bsp_init(void)
{
    struct cpu_info *ci = get_cpu_info();

    acpi_init(&boot_info);
    pci_init();
    pic_disable();
    lapic_init();
    ci->apic_id = lapic_id();
    cpu_apic_id[0] = ci->apic_id;
    cpu_infos[0] = ci;
    cpu_online[0] = true;
    ioapic_init();
    time_init();
    lapic_timer_calibrate();
    timer_cpu_init();
    cpu_init_pat();
    pv_fpu_init_cpu();
    if (pv_syscall_init_cpu())
        panic("CPU0: no memory for the syscall stubs");
}

void idle_loop(void)
{
    for (;;)
        safe_halt();
}

void start_keel(uint32_t magic, uint32_t info_pa)
{
    int rc;

    /* Exceptions first, so that any fault from here on is reported. */
    desc_init_cpu(0, get_cpu_info());
    idt_init();
    desc_load_cpu(0);

    rc = mbi_parse(magic, info_pa, boot_map, &boot_info);
    cmdline_parse(hv_cmdline(boot_info.cmdline));
    console_init();
    if (rc)
        panic("not started by a multiboot loader (magic %#x)", magic);
    print_boot_info(&boot_info);

    memory_init(&boot_info);
    cpu_bsp_init();
    smp_boot_cpus();
    pr_info("%u CPUs online\n", nr_cpus_online);

    local_irq_enable();
    selftest_cpu_start();
    selftest_run();
    pv_time_init();
    console_input_init();
    dom0_start(&boot_info);
    pr_info("Keel is up; no dom0 to run\n");
    if (test_mode()) {
        pr_err("test %s: no dom0 to run\n", test_name());
        test_exit(false);
    }
    if (opt_noreboot)
        machine_power_off();
    idle_loop();
}
