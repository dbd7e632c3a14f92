/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for dom0's serial input (common/console_input.c) with the real
 * event channels (common/evtchn.c): the poll timer is called by hand, the
 * UART is a byte queue, guest buffers are host memory.
 */
#include <stdlib.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/serial.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <hv/xmalloc.h>
#include <asm/apic.h>

#define RING        1024                /* RX_RING_SIZE */
#define POLL_MAX    256                 /* RX_POLL_MAX */
#define IDLE        MILLISECS(10)
#define BUSY        MILLISECS(1)

/* stub_cpu.c */
extern struct cpu_info *stub_cpu_info;
int stub_cpu_run(int (*fn)(void));

/* ---- what the sources need from the rest of Keel ---- */

static struct domain dom0;
static bool dom0_exists;

struct domain *domain_by_id(domid_t id)
{
    return id == 0 && dom0_exists ? &dom0 : NULL;
}

/* As in common/domain.c (not linked here). */
struct domain *domain_lookup(domid_t id)
{
    return id == DOMID_SELF ? current->domain : domain_by_id(id);
}

void *xzalloc_bytes(size_t size)
{
    return calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    (void)apic_id;
    (void)vector;
}

/* Copies to [fault_from, ...) fail, as an unmapped guest page would. */
static const char *fault_from;
static unsigned int nr_copies;
static size_t first_copy;               /* the size of copy 1 */

size_t raw_copy(void *dst, const void *src, size_t n)
{
    if (!nr_copies++)
        first_copy = n;
    if (fault_from && (uintptr_t)dst + n > (uintptr_t)fault_from)
        return n;
    memcpy(dst, src, n);
    return 0;
}

/* The UART: bytes waiting in its receive buffer. */
static uint8_t uart[4096];
static unsigned int uart_head, uart_tail;
static uint16_t uart_port = COM1_PORT;

uint16_t ns16550_port(void)
{
    return uart_port;
}

int ns16550_getc(void)
{
    return uart_head == uart_tail ? -1 : uart[uart_head++ % sizeof(uart)];
}

static void type(const char *s, size_t n)
{
    while (n--)
        uart[uart_tail++ % sizeof(uart)] = (uint8_t)*s++;
}

static s_time_t now;

s_time_t NOW(void)
{
    return now;
}

/* The one timer console_input.c arms; poll() runs it as CPU 0 would. */
static struct timer *poll_timer;
static unsigned int timer_sets;

void timer_init(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    poll_timer = t;
}

void timer_set(struct timer *t, s_time_t expires)
{
    t->expires = expires;
    t->active = true;
    timer_sets++;
}

void timer_stop(struct timer *t)
{
    t->active = false;
}

static void poll(void)
{
    assert_non_null(poll_timer);
    assert_true(poll_timer->active);
    now = poll_timer->expires;
    poll_timer->active = false;
    poll_timer->fn(poll_timer->data);
}

/* ---- dom0 with VIRQ_CONSOLE bound ---- */

static evtchn_port_t console_port;

static bool pending(void)
{
    return evtchn_port_pending(&dom0, console_port);
}

static void clear_pending(void)
{
    dom0.shared_info->evtchn_pending[console_port / 64] &=
        ~(1UL << (console_port % 64));
    dom0.vcpu[0]->vcpu_info->evtchn_upcall_pending = 0;
    dom0.vcpu[0]->vcpu_info->evtchn_pending_sel = 0;
}

static void dom0_create(void)
{
    struct evtchn_bind_virq op = { .virq = VIRQ_CONSOLE, .vcpu = 0 };
    struct vcpu *v = calloc(1, sizeof(*v));

    memset(&dom0, 0, sizeof(dom0));
    dom0.is_privileged = true;
    dom0.shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    assert_non_null(dom0.shared_info);
    memset(dom0.shared_info, 0, PAGE_SIZE);
    assert_int_equal(evtchn_init(&dom0), 0);
    assert_non_null(v);
    v->domain = &dom0;
    v->vcpu_info = &dom0.shared_info->vcpu_info[0];
    dom0.vcpu[0] = v;
    dom0.max_vcpus = 1;
    dom0_exists = true;
    stub_cpu_info->current_vcpu = v;
    assert_int_equal(do_event_channel_op(EVTCHNOP_bind_virq,
                                         (unsigned long)&op), 0);
    console_port = op.port;
    assert_true(console_port > 0);
}

/* Takes everything left in the ring, so tests start from an empty one. */
static void drain(void)
{
    char buf[RING];

    fault_from = NULL;
    while (console_input_read(buf, sizeof(buf)) > 0)
        ;
}

/* Puts RING bytes through; returns where in the ring the next byte goes
 * (a read that wraps copies in two pieces, the first up to the end). */
static unsigned int ring_pos(void)
{
    static char in[RING], out[RING];
    unsigned int i;

    type(in, sizeof(in));
    for (i = 0; i < RING / POLL_MAX; i++)
        poll();
    nr_copies = 0;
    assert_int_equal(console_input_read(out, sizeof(out)), RING);
    assert_true(nr_copies == 1 || nr_copies == 2);
    return nr_copies == 1 ? 0 : RING - first_copy;
}

/* Makes the next byte go to ring index pos. */
static void ring_seek(unsigned int pos)
{
    static char in[RING];
    unsigned int n = (pos - ring_pos()) % RING;

    type(in, n);
    poll();
    poll();
    poll();
    poll();
    drain();
    assert_int_equal(ring_pos(), pos);
}

static int test_setup(void **state)
{
    (void)state;
    dom0_create();
    uart_port = COM1_PORT;
    uart_head = uart_tail = 0;
    fault_from = NULL;
    if (!poll_timer)
        console_input_init();
    drain();
    poll();                     /* forget any "not yet signalled" state */
    clear_pending();
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    drain();
    dom0_exists = false;
    stub_cpu_info->current_vcpu = NULL;
    xfree(dom0.evtchn);
    free(dom0.vcpu[0]);
    free(dom0.shared_info);
    memset(&dom0, 0, sizeof(dom0));
    return 0;
}

/* ---- tests ---- */

static void test_init_without_uart(void **state)
{
    struct timer *t = poll_timer;
    unsigned int sets = timer_sets;

    (void)state;
    uart_port = 0;                      /* console=none */
    poll_timer = NULL;
    console_input_init();
    assert_null(poll_timer);
    assert_int_equal(timer_sets, sets);
    poll_timer = t;
}

static void test_nothing_typed(void **state)
{
    char buf[16] = "unchanged";

    (void)state;
    poll();
    assert_false(pending());
    assert_int_equal(console_input_read(buf, sizeof(buf)), 0);
    assert_string_equal(buf, "unchanged");
    assert_int_equal(poll_timer->expires, now + IDLE);
}

static void test_typed_line_raises_virq(void **state)
{
    char buf[64];

    (void)state;
    type("ls\r", 3);
    assert_int_equal(console_input_read(buf, sizeof(buf)), 0);
    poll();
    assert_true(pending());
    assert_int_equal(dom0.vcpu[0]->vcpu_info->evtchn_upcall_pending, 1);
    assert_int_equal(poll_timer->expires, now + BUSY);
    assert_int_equal(console_input_read(buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "ls\r", 3);
    assert_int_equal(console_input_read(buf, sizeof(buf)), 0);

    /* No new input: no new event, and back to the idle period. */
    clear_pending();
    poll();
    assert_false(pending());
    assert_int_equal(poll_timer->expires, now + IDLE);
}

static void test_count_limits_read(void **state)
{
    char buf[8] = { 0 };

    (void)state;
    type("abcdef", 6);
    poll();
    assert_int_equal(console_input_read(buf, 0), 0);
    assert_int_equal(console_input_read(buf, 4), 4);
    assert_memory_equal(buf, "abcd", 4);
    assert_int_equal(console_input_read(buf, 4), 2);
    assert_memory_equal(buf, "ef", 2);
}

static void test_poll_takes_at_most_max(void **state)
{
    static char in[POLL_MAX + 44], out[sizeof(in)];
    unsigned int i;

    (void)state;
    for (i = 0; i < sizeof(in); i++)
        in[i] = (char)('A' + i % 26);
    type(in, sizeof(in));
    poll();
    assert_int_equal(console_input_read(out, sizeof(out)), POLL_MAX);
    poll();
    assert_int_equal(console_input_read(out + POLL_MAX, sizeof(out)), 44);
    assert_memory_equal(in, out, sizeof(in));
}

/* Reads across the ring's end come back whole and in order. */
static void test_wrap_around(void **state)
{
    char in[100], out[100];
    unsigned int round, i;

    (void)state;
    for (round = 0; round < 40; round++) {
        for (i = 0; i < sizeof(in); i++)
            in[i] = (char)(round * 7 + i);
        type(in, sizeof(in));
        poll();
        assert_int_equal(console_input_read(out, 60), 60);
        assert_int_equal(console_input_read(out + 60, 60), 40);
        assert_memory_equal(in, out, sizeof(in));
    }
}

/* A full ring keeps the oldest bytes and drops (and counts) new ones. */
static void test_overflow_drops_newest(void **state)
{
    static char in[RING + 100], out[RING + 100];
    unsigned long dropped = console_input_dropped();
    unsigned int i, got = 0;
    long rc;

    (void)state;
    for (i = 0; i < sizeof(in); i++)
        in[i] = (char)(i * 13 + i / 256);
    type(in, sizeof(in));
    for (i = 0; i < 6; i++)
        poll();
    assert_int_equal(console_input_dropped() - dropped, 100);
    while ((rc = console_input_read(out + got, sizeof(out) - got)) > 0)
        got += rc;
    assert_int_equal(got, RING);
    assert_memory_equal(in, out, RING);

    /* Room again: input is taken, nothing more dropped. */
    type("ok", 2);
    poll();
    assert_int_equal(console_input_read(out, sizeof(out)), 2);
    assert_memory_equal(out, "ok", 2);
    assert_int_equal(console_input_dropped() - dropped, 100);
}

/* A bad buffer fails with -EFAULT and loses nothing. */
static void test_bad_buffer(void **state)
{
    char buf[16];

    (void)state;
    type("xyz", 3);
    poll();
    fault_from = buf;
    assert_int_equal(console_input_read(buf, sizeof(buf)), -XEN_EFAULT);
    fault_from = NULL;
    assert_int_equal(console_input_read(buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "xyz", 3);
}

/* A fault part way returns what was copied; the rest stays queued. */
static void test_fault_part_way(void **state)
{
    char buf[16];

    (void)state;
    ring_seek(RING - 4);                /* a read of 8 bytes wraps */
    type("12345678", 8);
    poll();
    fault_from = buf + 4;
    assert_int_equal(console_input_read(buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "1234", 4);
    fault_from = NULL;
    assert_int_equal(console_input_read(buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "5678", 4);
}

/* evtchn_lock busy (the poll interrupted its holder): retried later. */
static void test_event_lock_busy(void **state)
{
    char buf[4];

    (void)state;
    type("q", 1);
    spin_lock(&dom0.evtchn_lock);
    poll();
    assert_false(pending());
    spin_unlock(&dom0.evtchn_lock);
    poll();                             /* no new byte, but still owed */
    assert_true(pending());
    assert_int_equal(console_input_read(buf, sizeof(buf)), 1);
}

/* Before dom0 binds VIRQ_CONSOLE (or exists) input waits in the ring. */
static void test_unbound_and_no_dom0(void **state)
{
    struct evtchn_close op = { .port = console_port };
    char buf[8];

    (void)state;
    assert_int_equal(do_event_channel_op(EVTCHNOP_close,
                                         (unsigned long)&op), 0);
    type("a", 1);
    poll();
    assert_false(pending());
    dom0_exists = false;
    type("b", 1);
    poll();
    dom0_exists = true;
    assert_int_equal(console_input_read(buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "ab", 2);
}

/* The VIRQ follows its port to another vCPU (EVTCHNOP_bind_vcpu). */
static void test_global_virq_moved(void **state)
{
    struct vcpu *v1 = calloc(1, sizeof(*v1));
    struct evtchn_bind_vcpu op;
    char buf[4];

    (void)state;
    assert_non_null(v1);
    v1->vcpu_id = 1;
    v1->domain = &dom0;
    v1->vcpu_info = &dom0.shared_info->vcpu_info[1];
    dom0.vcpu[1] = v1;
    op.port = console_port;
    op.vcpu = 1;
    assert_int_equal(do_event_channel_op(EVTCHNOP_bind_vcpu,
                                         (unsigned long)&op), 0);
    type("m", 1);
    poll();
    assert_true(pending());
    assert_int_equal(v1->vcpu_info->evtchn_upcall_pending, 1);
    assert_int_equal(dom0.vcpu[0]->vcpu_info->evtchn_upcall_pending, 0);
    assert_int_equal(console_input_read(buf, sizeof(buf)), 1);
    dom0.vcpu[1] = NULL;
    free(v1);
}

static int console_input_tests(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, test_setup, test_teardown)
        T(test_init_without_uart),
        T(test_nothing_typed),
        T(test_typed_line_raises_virq),
        T(test_count_limits_read),
        T(test_poll_takes_at_most_max),
        T(test_wrap_around),
        T(test_overflow_drops_newest),
        T(test_bad_buffer),
        T(test_fault_part_way),
        T(test_event_lock_busy),
        T(test_unbound_and_no_dom0),
        T(test_global_virq_moved),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

int main(void)
{
    return stub_cpu_run(console_input_tests);
}
