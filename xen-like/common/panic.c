/* SPDX-License-Identifier: GPL-2.0-only */
/* panic() and failed assertions: report, stop all CPUs, then end the run. */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <asm/processor.h>

static int panicking;

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    local_irq_disable();
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
        machine_halt();     /* another CPU (or a nested fault) got here */
    stop_other_cpus();
    console_force_unlock();

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    pr_err("****************************************\n");
    pr_err("Panic on CPU%u:\n%s\n", smp_processor_id(), buf);
    pr_err("****************************************\n");

    if (test_mode())
        test_exit(false);
    if (opt_noreboot) {
        pr_err("Manual reset required ('noreboot' specified)\n");
        machine_halt();
    }
    pr_err("Reboot in five seconds...\n");
    mdelay(5000);
    machine_restart();
}

void assert_failed(const char *expr, const char *file, int line)
{
    panic("Assertion '%s' failed at %s:%d", expr, file, line);
}
