/* SPDX-License-Identifier: GPL-2.0-only */
/* printk with log levels; output goes to the serial port and a ring. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

enum log_level {
    LOG_ERR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};

void log_printf(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
void log_vprintf(enum log_level lvl, const char *fmt, va_list ap);

/*
 * For messages a guest can trigger at will: true the first time a given
 * (site, key) is seen, false after; keys >= 63 share one slot.  Usage:
 *   static uint64_t seen; if (log_once(&seen, cmd)) pr_warn(...);
 */
static inline bool log_once(uint64_t *seen, unsigned long key)
{
    uint64_t bit = 1ULL << (key < 63 ? key : 63);

    return !(__atomic_fetch_or(seen, bit, __ATOMIC_RELAXED) & bit);
}

#define printk(...)     log_printf(LOG_INFO, __VA_ARGS__)
#define pr_err(...)     log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)    log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...)    log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)   log_printf(LOG_DEBUG, __VA_ARGS__)

void console_init(void);
/* Writes raw bytes; used by panic paths that must not take the lock. */
void console_write_unlocked(const char *s, size_t n);
/* Breaks the console lock so a dying CPU can always print. */
void console_force_unlock(void);
/* Writes a guest's bytes (console_io) without Keel's line prefix. */
void console_write_guest(const char *s, size_t n);

/* console_input.c: serial input for dom0 (CONSOLEIO_read, VIRQ_CONSOLE). */
void console_input_init(void);
/* Copies up to count bytes of input to guest buf: the count, or
 * -XEN_EFAULT if nothing could be copied. */
long console_input_read(void *buf, unsigned int count);
unsigned long console_input_dropped(void);

#endif
