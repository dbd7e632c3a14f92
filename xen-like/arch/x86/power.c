/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ending the machine: halt, ACPI S5 power-off, reset (ACPI reset register,
 * keyboard controller, triple fault), and the isa-debug-exit of test boots.
 */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/param.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>

#define DEBUG_EXIT_PORT     0xf4
#define DEBUG_EXIT_PASS     0x10        /* QEMU exits with 33 */
#define DEBUG_EXIT_FAIL     0x11        /* QEMU exits with 35 */
#define SLP_EN              (1u << 13)

bool opt_noreboot;
BOOL_PARAM("noreboot", opt_noreboot);

volatile bool cpus_stopping;

void machine_halt(void)
{
    for (;;) {
        local_irq_disable();
        halt();
    }
}

void stop_other_cpus(void)
{
    if (nr_cpus_online <= 1 || cpus_stopping)
        return;
    cpus_stopping = true;
    lapic_send_nmi_allbutself();
    mdelay(10);
}

void machine_power_off(void)
{
    uint16_t a = acpi_info.pm1a_cnt, b = acpi_info.pm1b_cnt;

    stop_other_cpus();
    pr_info("Powering off\n");
    if (acpi_info.have_s5 && a) {
        outw((acpi_info.slp_typa_s5 << 10) | SLP_EN, a);
        if (b)
            outw((acpi_info.slp_typb_s5 << 10) | SLP_EN, b);
        mdelay(100);
    }
    pr_err("ACPI power-off failed; halting\n");
    machine_halt();
}

void machine_restart(void)
{
    struct desc_ptr_null {
        uint16_t limit;
        uint64_t base;
    } __packed null_idt = { 0, 0 };

    stop_other_cpus();
    pr_info("Rebooting\n");
    if (acpi_info.have_reset_reg && acpi_info.reset_space == 1)
        outb(acpi_info.reset_value, (uint16_t)acpi_info.reset_addr);
    mdelay(50);
    outb(0xfe, 0x64);                   /* keyboard controller reset */
    mdelay(50);
    __asm__ __volatile__("lidt %0; int3" : : "m"(null_idt));
    machine_halt();
}

void test_exit(bool pass)
{
    pr_info("Exiting QEMU: test %s\n", pass ? "passed" : "failed");
    outl(pass ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL, DEBUG_EXIT_PORT);
    mdelay(1000);       /* QEMU may finish the instruction block first */
    pr_err("isa-debug-exit did not end the run (no such device?)\n");
    machine_halt();
}
