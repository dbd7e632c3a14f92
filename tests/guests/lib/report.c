/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test results: SUCCESS < SKIP < ERROR < FAILURE, the worst one wins; the
 * first reason of that state is kept.  One "Test result:" line, then off.
 */
#include <guest.h>

enum result { RES_SUCCESS, RES_SKIP, RES_ERROR, RES_FAILURE };

static const char *const result_names[] = {
    [RES_SUCCESS] = "SUCCESS",
    [RES_SKIP] = "SKIP",
    [RES_ERROR] = "ERROR",
    [RES_FAILURE] = "FAILURE",
};

static enum result result = RES_SUCCESS;
static char result_reason[160];

static void report(enum result r, const char *fmt, va_list ap)
{
    char buf[160];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    printk("%s: %s\n", result_names[r], buf);
    if (r > result) {
        result = r;
        memcpy(result_reason, buf, sizeof(buf));
    }
}

void report_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(RES_SKIP, fmt, ap);
    va_end(ap);
}

void report_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(RES_ERROR, fmt, ap);
    va_end(ap);
}

void report_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(RES_FAILURE, fmt, ap);
    va_end(ap);
}

bool report_failed(void)
{
    return result >= RES_ERROR;
}

void shutdown_poweroff(void)
{
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

    for (;;)
        hypercall_sched_op(SCHEDOP_shutdown, &sd);
}

void report_finish(void)
{
    if (result == RES_SUCCESS)
        printk("Test result: SUCCESS\n");
    else
        printk("Test result: %s %s\n", result_names[result], result_reason);
    shutdown_poweroff();
}
