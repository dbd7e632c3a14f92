/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up the application processors: INIT-SIPI-SIPI into the real-mode
 * trampoline, one CPU at a time, each with its own stack block, GDT and TSS.
 */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/selftest.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/pv/emulate.h>
#include <asm/pv/vcpu.h>
#include <asm/processor.h>

#define AP_START_TIMEOUT    SECONDS(5)

unsigned int nr_cpus_online = 1;
unsigned int cpu_apic_id[NR_CPUS];
struct cpu_info *cpu_infos[NR_CPUS];
bool cpu_online[NR_CPUS];

extern const char trampoline_start[], trampoline_end[];
extern uint32_t tramp_cr3[], tramp_efer[];
extern uint64_t tramp_stack[];

/* The copy of a trampoline variable that the AP will read. */
static void *tramp_var(const void *sym)
{
    return (char *)maddr_to_virt(TRAMPOLINE_PHYS) +
           ((const char *)sym - trampoline_start);
}

static void trampoline_setup(void)
{
    size_t len = trampoline_end - trampoline_start;

    BUG_ON(len > PAGE_SIZE);
    memcpy(maddr_to_virt(TRAMPOLINE_PHYS), trampoline_start, len);
    *(uint32_t *)tramp_var(tramp_cr3) =
        (uint32_t)((unsigned long)boot_l4 - KEEL_VIRT_BASE);
    *(uint32_t *)tramp_var(tramp_efer) = (uint32_t)rdmsr(MSR_EFER);
}

static struct cpu_info *alloc_cpu_stack(unsigned int cpu, uint32_t apic_id)
{
    char *block = alloc_xenheap_pages(STACK_ORDER);
    struct cpu_info *ci;

    if (!block)
        return NULL;
    ci = (struct cpu_info *)(block + STACK_SIZE) - 1;
    ci->cpu_id = cpu;
    ci->apic_id = apic_id;
    return ci;
}

static bool wait_online(unsigned int cpu, s_time_t timeout)
{
    s_time_t end = NOW() + timeout;

    while (!ACCESS_ONCE(cpu_online[cpu]))
        if (NOW() > end)
            return false;
    return true;
}

static int start_cpu(unsigned int cpu, uint32_t apic_id)
{
    struct cpu_info *ci = alloc_cpu_stack(cpu, apic_id);

    if (!ci || desc_init_cpu(cpu, ci)) {
        pr_err("CPU%u: out of memory\n", cpu);
        if (ci)
            free_xenheap_pages(stack_block_of(ci), STACK_ORDER);
        return -1;
    }
    cpu_infos[cpu] = ci;
    cpu_apic_id[cpu] = apic_id;
    *(uint64_t *)tramp_var(tramp_stack) = (uint64_t)ci;

    lapic_send_init(apic_id);
    mdelay(10);
    lapic_send_sipi(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
    if (!wait_online(cpu, MILLISECS(10)))
        lapic_send_sipi(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
    if (!wait_online(cpu, AP_START_TIMEOUT)) {
        pr_err("CPU%u (APIC id %u) did not come up\n", cpu, apic_id);
        return -1;      /* its stack stays: the CPU may still run late */
    }
    return 0;
}

void smp_boot_cpus(void)
{
    unsigned int i, cpu = 1;
    uint32_t me = lapic_id();

    trampoline_setup();
    for (i = 0; i < acpi_info.nr_cpus; i++) {
        uint32_t id = acpi_info.apic_ids[i];

        if (id == me)
            continue;
        if (cpu == NR_CPUS) {
            pr_warn("NR_CPUS=%u reached: APIC id %u not started\n",
                    NR_CPUS, id);
            continue;
        }
        if (!start_cpu(cpu, id))
            cpu++;
    }
}

/* The AP's first C code, still on boot_l4 with the trampoline's GDT. */
void start_secondary(void)
{
    struct cpu_info *ci = get_cpu_info();
    unsigned int cpu = ci->cpu_id;

    desc_load_cpu(cpu);
    write_cr3(idle_pg_table_pa());
    lapic_init();
    timer_cpu_init();
    cpu_init_pat();
    pv_fpu_init_cpu();
    if (pv_syscall_init_cpu())
        panic("CPU%u: no memory for the syscall stubs", cpu);
    pr_info("CPU%u online (APIC id %u)\n", cpu, ci->apic_id);
    __atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu_online[cpu], true, __ATOMIC_SEQ_CST);
    local_irq_enable();
    selftest_cpu_start();
    idle_loop();
}
