/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test boots (`test=NAME`), for the system tests:
 *   boot   every CPU takes timer interrupts from a 10 ms heartbeat; pass
 *          once each has taken enough, fail after a timeout
 *   fault  a deliberate page fault in the hypervisor: the dump, then panic
 *   dom0   run dom0 (a test kernel); its shutdown ends the run
 * The result leaves QEMU through isa-debug-exit.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/param.h>
#include <hv/selftest.h>
#include <hv/shutdown.h>
#include <hv/smp.h>
#include <hv/timer.h>
#include <asm/processor.h>

#define HEARTBEAT       MILLISECS(10)
#define TICKS_WANTED    20
#define BOOT_TEST_LIMIT SECONDS(60)

static char opt_test[32];
STR_PARAM("test", opt_test);

static struct timer heartbeat[NR_CPUS];

bool test_mode(void)
{
    return opt_test[0] != '\0';
}

const char *test_name(void)
{
    return opt_test;
}

static void heartbeat_fn(void *data)
{
    struct timer *t = data;

    timer_set(t, NOW() + HEARTBEAT);
}

void selftest_cpu_start(void)
{
    unsigned int cpu = smp_processor_id();

    if (strcmp(opt_test, "boot"))
        return;
    timer_init(&heartbeat[cpu], heartbeat_fn, &heartbeat[cpu], cpu);
    timer_set(&heartbeat[cpu], NOW() + HEARTBEAT);
}

static bool all_cpus_ticked(void)
{
    unsigned int cpu;

    for (cpu = 0; cpu < NR_CPUS; cpu++)
        if (cpu_online[cpu] && timer_irq_count(cpu) < TICKS_WANTED)
            return false;
    return true;
}

static void __noreturn test_boot(void)
{
    s_time_t end = NOW() + BOOT_TEST_LIMIT;
    unsigned int cpu;
    bool ok;

    while (!(ok = all_cpus_ticked()) && NOW() < end)
        safe_halt();
    local_irq_disable();
    for (cpu = 0; cpu < NR_CPUS; cpu++)
        if (cpu_online[cpu])
            pr_info("timer: cpu%u ticks=%lu\n", cpu, timer_irq_count(cpu));
    if (ok)
        pr_info("test boot: PASS\n");
    else
        pr_err("test boot: FAIL: a CPU took fewer than %u timer interrupts\n",
               TICKS_WANTED);
    test_exit(ok);
}

/* Not inlined, so that it shows in the backtrace the test looks for. */
static void __attribute__((noinline)) test_fault(void)
{
    volatile unsigned long *p = (volatile unsigned long *)0xdead000UL;

    pr_info("test fault: writing to unmapped %p\n", (void *)p);
    *p = 0x6b656c;
    barrier();
}

void selftest_run(void)
{
    if (!test_mode() || !strcmp(opt_test, "dom0"))
        return;     /* test=dom0: the dom0 test kernel reports itself */
    pr_info("Running test '%s'\n", opt_test);
    if (!strcmp(opt_test, "boot"))
        test_boot();
    if (!strcmp(opt_test, "fault")) {
        test_fault();
        pr_err("test fault: FAIL: no fault taken\n");
        test_exit(false);
    }
    pr_err("unknown test '%s'\n", opt_test);
    test_exit(false);
}
