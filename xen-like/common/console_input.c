/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Serial input for dom0: a timer on CPU 0 polls COM1 into a bounded ring
 * and raises VIRQ_CONSOLE; CONSOLEIO_read (console_io.c) drains the ring.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/serial.h>
#include <hv/spinlock.h>
#include <hv/time.h>
#include <hv/timer.h>

/*
 * Polling, not the UART interrupt: no IO-APIC routing to set up, and it
 * cannot storm.  Idle, every 10 ms: below what a typist notices, and cheap
 * under QEMU TCG.  While bytes flow, every 1 ms: the UART holds only 16
 * (QEMU's chardev waits for room in that FIFO, so it loses nothing, but a
 * paste would crawl at 16 bytes a poll).  Real hardware at 115200 baud
 * fills the FIFO in 1.4 ms, so a paste can still overrun it in the first
 * idle period.
 */
#define RX_RING_SIZE    1024            /* a power of two */
#define RX_POLL_IDLE    MILLISECS(10)
#define RX_POLL_BUSY    MILLISECS(1)
#define RX_POLL_MAX     256             /* bytes taken from the UART per poll */

/*
 * One producer (rx_poll(), on CPU 0 only) and readers serialised by
 * rx_read_lock.  rx_prod and rx_cons count bytes ever put and taken; the
 * producer writes only rx_prod, a reader only rx_cons, so the ring itself
 * needs no lock.  A full ring drops the new byte (as Xen does): what was
 * typed first stays, in order.
 */
static char rx_ring[RX_RING_SIZE];
static unsigned int rx_prod, rx_cons;
static DEFINE_SPINLOCK(rx_read_lock);   /* protects rx_cons, serialises reads */

/* Written by rx_poll() only. */
static unsigned long rx_dropped;        /* bytes lost to a full ring */
static bool rx_full;                    /* dropping now (warned once) */
static bool rx_unsignalled;             /* input not yet told to dom0 */
static struct timer rx_poll_timer;

_Static_assert((RX_RING_SIZE & (RX_RING_SIZE - 1)) == 0,
               "RX_RING_SIZE must be a power of two");

static void rx_put(char c)
{
    unsigned int cons = __atomic_load_n(&rx_cons, __ATOMIC_ACQUIRE);

    if (rx_prod - cons >= RX_RING_SIZE) {
        if (!rx_full)
            pr_warn("console: input ring full (%u bytes): dropping new "
                    "input\n", RX_RING_SIZE);
        rx_full = true;
        ACCESS_ONCE(rx_dropped)++;
        return;
    }
    rx_full = false;
    rx_ring[rx_prod % RX_RING_SIZE] = c;
    /* The byte is in place before a reader can see the new rx_prod. */
    __atomic_store_n(&rx_prod, rx_prod + 1, __ATOMIC_RELEASE);
    rx_unsignalled = true;
}

/* False if dom0's event lock was busy: the next poll tries again. */
static bool rx_signal(void)
{
    struct domain *d = domain_by_id(0);

    if (!d || !domain_is_privileged(d))
        return true;                    /* nobody to tell; input waits */
    return send_guest_global_virq(d, VIRQ_CONSOLE);
}

static void rx_poll(void *data)
{
    unsigned int i;
    int c;

    (void)data;
    for (i = 0; i < RX_POLL_MAX && (c = ns16550_getc()) >= 0; i++)
        rx_put((char)c);
    if (rx_unsignalled)
        rx_unsignalled = !rx_signal();
    timer_set(&rx_poll_timer, NOW() + (i ? RX_POLL_BUSY : RX_POLL_IDLE));
}

/* Boot, on CPU 0, once its timers work: starts polling COM1. */
void console_input_init(void)
{
    if (!ns16550_port())
        return;                         /* console=none: no UART */
    timer_init(&rx_poll_timer, rx_poll, NULL, 0);
    timer_set(&rx_poll_timer, NOW() + RX_POLL_IDLE);
    pr_info("console: serial input goes to dom0 (COM1 polled every %u ms)\n",
            (unsigned int)(RX_POLL_IDLE / MILLISECS(1)));
}

/*
 * Bytes are taken from the ring only once copied, so a bad buffer loses
 * nothing; a fault part way ends the read early with the count so far.
 */
long console_input_read(void *buf, unsigned int count)
{
    unsigned int cons, avail, idx, n, done = 0;
    long rc = 0;

    spin_lock(&rx_read_lock);
    cons = rx_cons;
    avail = __atomic_load_n(&rx_prod, __ATOMIC_ACQUIRE) - cons;
    while (done < count && avail) {
        idx = cons % RX_RING_SIZE;
        n = MIN(MIN(avail, count - done), RX_RING_SIZE - idx);
        if (copy_to_guest((char *)buf + done, &rx_ring[idx], n)) {
            rc = -XEN_EFAULT;
            break;
        }
        cons += n;
        done += n;
        avail -= n;
    }
    /* The copy is complete before the producer may reuse the space. */
    __atomic_store_n(&rx_cons, cons, __ATOMIC_RELEASE);
    spin_unlock(&rx_read_lock);
    return done ? (long)done : rc;
}

unsigned long console_input_dropped(void)
{
    return ACCESS_ONCE(rx_dropped);
}
