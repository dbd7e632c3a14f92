/* SPDX-License-Identifier: GPL-2.0-only */
/* What the hypervisor sources under test expect from the rest of Keel. */
#include <stdio.h>
#include <stdlib.h>
#include <hv/lib.h>
#include <hv/console.h>

void panic(const char *fmt, ...)
{
    va_list ap;
    char buf[256];

    va_start(ap, fmt);
    keel_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fail_msg("panic: %s", buf);
    abort();
}

void assert_failed(const char *expr, const char *file, int line)
{
    fail_msg("assertion '%s' failed at %s:%d", expr, file, line);
    abort();
}

void log_printf(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    (void)lvl;
    va_start(ap, fmt);
    log_vprintf(lvl, fmt, ap);
    va_end(ap);
}

void log_vprintf(enum log_level lvl, const char *fmt, va_list ap)
{
    char buf[512];

    (void)lvl;
    keel_vsnprintf(buf, sizeof(buf), fmt, ap);
    if (getenv("KEEL_TEST_VERBOSE"))
        fputs(buf, stderr);
}
