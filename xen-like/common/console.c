/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk: formats a message, prefixes each line with "(KEEL) ", keeps it in
 * a ring (so nothing printed before the UART is up is lost) and sends it to
 * the serial port.  `loglvl=` filters what reaches the port.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/param.h>
#include <hv/serial.h>
#include <hv/spinlock.h>

#define CONSOLE_RING_SIZE   (64 * 1024)
#define LINE_PREFIX         "(KEEL) "

static char opt_console[32] = "com1";
STR_PARAM("console", opt_console);
static char opt_loglvl[16] = "info";
STR_PARAM("loglvl", opt_loglvl);

static enum log_level log_threshold = LOG_INFO;
static bool serial_ready;
static bool at_line_start = true;

/* Protects the ring, at_line_start and the serial port. */
static DEFINE_SPINLOCK(console_lock);
static char ring[CONSOLE_RING_SIZE];
static size_t ring_head;      /* total bytes ever written */

static const char *const level_names[] = {
    [LOG_ERR] = "error", [LOG_WARN] = "warning",
    [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

static void parse_loglvl(void)
{
    unsigned int i;

    if (!strcmp(opt_loglvl, "all")) {
        log_threshold = LOG_DEBUG;
        return;
    }
    if (!strcmp(opt_loglvl, "none")) {
        log_threshold = LOG_ERR;
        return;
    }
    for (i = 0; i < ARRAY_SIZE(level_names); i++)
        if (!strcmp(opt_loglvl, level_names[i]))
            log_threshold = i;
}

static void emit(char c, bool to_serial)
{
    ring[ring_head++ % CONSOLE_RING_SIZE] = c;
    if (!to_serial || !serial_ready)
        return;
    if (c == '\n')
        ns16550_putc('\r');
    ns16550_putc(c);
}

static void emit_text(const char *s, size_t n, bool to_serial)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (at_line_start) {
            const char *p;

            for (p = LINE_PREFIX; *p; p++)
                emit(*p, to_serial);
            at_line_start = false;
        }
        emit(s[i], to_serial);
        if (s[i] == '\n')
            at_line_start = true;
    }
}

void log_vprintf(enum log_level lvl, const char *fmt, va_list ap)
{
    char buf[512];
    unsigned long flags;
    int n;

    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    flags = spin_lock_irqsave(&console_lock);
    emit_text(buf, n, lvl <= log_threshold);
    spin_unlock_irqrestore(&console_lock, flags);
}

void log_printf(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprintf(lvl, fmt, ap);
    va_end(ap);
}

void console_write_unlocked(const char *s, size_t n)
{
    emit_text(s, n, true);
}

/* Guest output goes out as it is, without Keel's prefix. */
void console_write_guest(const char *s, size_t n)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    size_t i;

    for (i = 0; i < n; i++)
        emit(s[i], true);
    if (n)
        at_line_start = s[n - 1] == '\n';
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_force_unlock(void)
{
    console_lock = (struct spinlock)SPINLOCK_INIT;
}

/* Brings up COM1 and replays what was logged before it (filtered). */
void console_init(void)
{
    size_t i, start;

    parse_loglvl();
    if (strcmp(opt_console, "com1") && strcmp(opt_console, "none"))
        pr_warn("console: unknown console '%s', using com1\n", opt_console);
    if (!strcmp(opt_console, "none"))
        return;
    ns16550_init(COM1_PORT, 115200);
    serial_ready = true;
    start = ring_head > CONSOLE_RING_SIZE ? ring_head - CONSOLE_RING_SIZE : 0;
    for (i = start; i < ring_head; i++) {
        if (ring[i % CONSOLE_RING_SIZE] == '\n')
            ns16550_putc('\r');
        ns16550_putc(ring[i % CONSOLE_RING_SIZE]);
    }
}
