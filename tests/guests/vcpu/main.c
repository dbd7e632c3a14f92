/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vcpu: set_callbacks, VCPUOP set/stop_periodic_timer, runstate areas and
 * get_runstate_info, register_vcpu_info (vcpu 0's vcpu_info moved out of
 * shared_info for the rest of the run), and reservations (reservation.c).
 */
#include "vcpu.h"

#define VI_OFFSET 0x840          /* where vcpu_info goes in its new page */
#define CR2_MARK 0xc2c2000UL
#define PAD_MARK 0x5a5a5a5aUL
#define NONCANON ((unsigned long)BAD_PTR_NONCANON)

extern char event_entry[], failsafe_entry[], alt_event_entry[];
volatile unsigned int alt_upcalls;

/* An event callback that counts, then takes the library's path. */
asm(".pushsection .text\n\t"
    ".balign 16\n"
    "alt_event_entry:\n\t"
    "lock incl alt_upcalls(%rip)\n\t"
    "jmp event_entry\n\t"
    ".popsection");

static evtchn_port_t timer_port, ipi_port;
static uint64_t tick_at[8];
static volatile unsigned int ticks;
static struct vcpu_runstate_info rs;

static void on_timer(evtchn_port_t port)
{
    (void)port;
    if (ticks < ARRAY_SIZE(tick_at))
        tick_at[ticks] = time_now_ns();
    ticks++;
}

/* Block until a one-shot VIRQ_TIMER ns from now; events masked after. */
static void block_for_timer(uint64_t ns)
{
    unsigned int n = event_count[timer_port], loops = 0;

    CHECK_RC("set_timer_op", hypercall_set_timer_op(time_now_ns() + ns), 0);
    while (event_count[timer_port] == n && loops++ < 1000)
        CHECK_RC("SCHEDOP_block", hypercall_sched_op(SCHEDOP_block, NULL), 0);
    events_mask_all();
    CHECK(event_count[timer_port] != n, "no VIRQ_TIMER after block");
}

static void send_ipi(void)
{
    CHECK_RC("send(ipi)", evtchn_send(ipi_port), 0);
}

/* --- set_callbacks (hypercall 4) --- */

static long set_callbacks(unsigned long event, unsigned long failsafe,
                          unsigned long syscall)
{
    return HYPERCALL3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

static void expect_upcall(const char *what, unsigned int n, unsigned int hits)
{
    send_ipi();
    CHECK(event_count[ipi_port] == n, "%s: %u events, expected %u", what,
          event_count[ipi_port], n);
    CHECK(alt_upcalls == hits, "%s: %u upcalls at the new address, "
          "expected %u", what, alt_upcalls, hits);
}

static void check_callbacks(void)
{
    struct callback_register fs = {
        .type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_entry,
    };
    unsigned int n = event_count[ipi_port], hits = alt_upcalls;

    CHECK_RC("set_callbacks", set_callbacks((unsigned long)alt_event_entry,
             (unsigned long)failsafe_entry, (unsigned long)syscall_entry), 0);
    events_unmask_all();
    expect_upcall("set_callbacks", n + 1, hits + 1);
    /* Each non-canonical address is ignored on its own; still 0. */
    CHECK_RC("set_callbacks(non-canonical)",
             set_callbacks(NONCANON, NONCANON, NONCANON), 0);
    expect_upcall("after non-canonical set_callbacks", n + 2, hits + 2);
    CHECK_RC("set_callbacks(event only)",
             set_callbacks((unsigned long)event_entry, NONCANON, NONCANON),
             0);
    expect_upcall("event callback back to the library", n + 3, hits + 2);
    events_mask_all();
    /* set_callbacks passes no flags: the library wants failsafe masked. */
    CHECK_RC("callback_op(failsafe)",
             hypercall_callback_op(CALLBACKOP_register, &fs), 0);
}

/* --- VCPUOP_set/stop_periodic_timer --- */

static long periodic(unsigned int vcpu, uint64_t period_ns)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period_ns };

    return hypercall_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &p);
}

static void check_periodic_errors(void)
{
    CHECK_RC("set_periodic_timer(1 ms - 1 ns)", periodic(0, MS - 1),
             -XEN_EINVAL);
    CHECK_RC("set_periodic_timer(0)", periodic(0, 0), -XEN_EINVAL);
    CHECK_RC("set_periodic_timer(2^62 ns)", periodic(0, 1UL << 62),
             -XEN_EINVAL);
    CHECK_RC("set_periodic_timer(no such vcpu)",
             periodic(NO_SUCH_VCPU, 5 * MS), -XEN_ENOENT);
    CHECK_RC("set_periodic_timer(bad ptr)",
             hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0,
                               BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("stop_periodic_timer(no such vcpu)",
             hypercall_vcpu_op(VCPUOP_stop_periodic_timer, NO_SUCH_VCPU,
                               NULL), -XEN_ENOENT);
    /* The minimum, 1 ms, is accepted. */
    CHECK_RC("set_periodic_timer(1 ms)", periodic(0, MS), 0);
    CHECK_RC("stop_periodic_timer",
             hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
}

/*
 * Xen stops a vCPU's periodic timer while it is descheduled: blocked, it
 * is woken by its one-shot timer only, and gets one overdue tick then.
 */
static void check_periodic_blocked(void)
{
    uint64_t start = time_now_ns();

    ticks = 0;
    CHECK_RC("set_timer_op", hypercall_set_timer_op(start + 30 * MS), 0);
    while (time_now_ns() < start + 29 * MS)
        hypercall_sched_op(SCHEDOP_block, NULL);
    events_mask_all();
    printk("periodic 5 ms: %u ticks while blocked 30 ms\n", ticks);
    CHECK(ticks >= 1 && ticks <= 3, "periodic 5 ms: %u ticks while blocked "
          "30 ms (Xen: the one-shot and one overdue tick)", ticks);
}

static void check_periodic(void)
{
    uint64_t start, until;

    ticks = 0;
    start = time_now_ns();
    CHECK_RC("set_periodic_timer(5 ms)", periodic(0, 5 * MS), 0);
    events_unmask_all();
    while (ticks < 4 && time_now_ns() < start + 1000 * MS)
        asm volatile("pause" ::: "memory");
    events_mask_all();
    if (ticks < 4) {
        report_fail("periodic 5 ms: %u ticks in 1 s", ticks);
    } else {
        printk("periodic 5 ms: ticks at +%lu +%lu +%lu +%lu us\n",
               (tick_at[0] - start) / 1000, (tick_at[1] - start) / 1000,
               (tick_at[2] - start) / 1000, (tick_at[3] - start) / 1000);
        /* Never early: the 4th comes 3 periods after the first at best. */
        CHECK(tick_at[3] - start >= 14 * MS, "4 ticks of 5 ms in %lu us",
              (tick_at[3] - start) / 1000);
    }
    check_periodic_blocked();
    CHECK_RC("stop_periodic_timer",
             hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    check_periodic_errors();

    /* Stopped: nothing more within 20 ms. */
    evtchn_clear_pending(timer_port);
    ticks = 0;
    events_unmask_all();
    until = time_now_ns() + 20 * MS;
    while (time_now_ns() < until)
        hypercall_sched_op(SCHEDOP_yield, NULL);
    events_mask_all();
    CHECK(ticks == 0, "%u ticks after stop_periodic_timer", ticks);
}

/* --- runstate: register_runstate_memory_area, get_runstate_info --- */

static long register_runstate(unsigned int vcpu, void *area)
{
    struct vcpu_register_runstate_memory_area a = {
        .addr.v = (struct vcpu_runstate_info *)area,
    };

    return hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, vcpu, &a);
}

/* Running now; times add up to no more than the time of the last change. */
static void check_running(const char *what,
                          const struct vcpu_runstate_info *r, uint64_t upto)
{
    uint64_t now = time_now_ns(), entry = r->state_entry_time, sum = 0;
    unsigned int i;

    CHECK(r->state == RUNSTATE_running, "%s: state %d", what, r->state);
    CHECK(!(entry & XEN_RUNSTATE_UPDATE), "%s: XEN_RUNSTATE_UPDATE set",
          what);
    CHECK(entry > 0 && entry <= now, "%s: state_entry_time %lu, now %lu",
          what, (unsigned long)entry, (unsigned long)now);
    for (i = 0; i < 4; i++)
        sum += r->time[i];
    CHECK(sum <= upto, "%s: times add up to %lu, beyond %lu", what,
          (unsigned long)sum, (unsigned long)upto);
}

/* One block on a 5 ms timer, seen in the registered area. */
static void check_block_accounting(const char *what)
{
    struct vcpu_runstate_info before;

    barrier();
    before = rs;
    block_for_timer(5 * MS);
    barrier();
    check_running(what, &rs, rs.state_entry_time);
    CHECK(rs.state_entry_time > before.state_entry_time,
          "%s: state_entry_time %lu not after %lu", what,
          (unsigned long)rs.state_entry_time,
          (unsigned long)before.state_entry_time);
    CHECK(rs.time[RUNSTATE_running] > before.time[RUNSTATE_running],
          "%s: running time did not grow (%lu)", what,
          (unsigned long)rs.time[RUNSTATE_running]);
    CHECK(rs.time[RUNSTATE_blocked] >= before.time[RUNSTATE_blocked] + MS,
          "%s: blocked time grew by %lu ns only", what,
          (unsigned long)(rs.time[RUNSTATE_blocked] -
                          before.time[RUNSTATE_blocked]));
}

static void check_runstate_errors(void)
{
    struct vcpu_runstate_info g;

    CHECK_RC("register_runstate(no such vcpu)",
             register_runstate(NO_SUCH_VCPU, &rs), -XEN_ENOENT);
    CHECK_RC("register_runstate(bad ptr)",
             hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                               BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("register_runstate(area in the hole)",
             register_runstate(0, BAD_PTR_HOLE), -XEN_EFAULT);
    CHECK_RC("register_runstate(area non-canonical)",
             register_runstate(0, BAD_PTR_NONCANON), -XEN_EFAULT);
    CHECK_RC("get_runstate_info(no such vcpu)",
             hypercall_vcpu_op(VCPUOP_get_runstate_info, NO_SUCH_VCPU, &g),
             -XEN_ENOENT);
    CHECK_RC("get_runstate_info(bad ptr)",
             hypercall_vcpu_op(VCPUOP_get_runstate_info, 0,
                               BAD_PTR_UNMAPPED), -XEN_EFAULT);
}

static void check_runstate(void)
{
    struct vcpu_runstate_info g;

    check_runstate_errors();
    CHECK_RC("get_runstate_info",
             hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &g), 0);
    check_running("get_runstate_info", &g, time_now_ns());

    memset(&rs, 0xff, sizeof(rs));
    CHECK_RC("register_runstate", register_runstate(0, &rs), 0);
    check_running("registered area", &rs, rs.state_entry_time);
    check_block_accounting("block");
    CHECK_RC("vm_assist(runstate_update_flag)",
             hypercall_vm_assist(VMASST_CMD_enable,
                                 VMASST_TYPE_runstate_update_flag), 0);
    check_block_accounting("block with runstate_update_flag");
    printk("runstate: running %lu runnable %lu blocked %lu offline %lu us\n",
           (unsigned long)rs.time[0] / 1000, (unsigned long)rs.time[1] / 1000,
           (unsigned long)rs.time[2] / 1000, (unsigned long)rs.time[3] / 1000);

    CHECK_RC("get_runstate_info",
             hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &g), 0);
    check_running("get_runstate_info", &g, time_now_ns());
    CHECK(g.state_entry_time >= rs.state_entry_time &&
          g.time[RUNSTATE_running] >= rs.time[RUNSTATE_running] &&
          g.time[RUNSTATE_blocked] >= rs.time[RUNSTATE_blocked],
          "get_runstate_info behind the registered area");
    CHECK_RC("vm_assist(disable runstate_update_flag)",
             hypercall_vm_assist(VMASST_CMD_disable,
                                 VMASST_TYPE_runstate_update_flag), 0);

    /* Xen checks only the address range: an unmapped area is taken. */
    CHECK_RC("register_runstate(unmapped area)",
             register_runstate(0, BAD_PTR_UNMAPPED), 0);
    block_for_timer(MS);
    /* NULL unregisters: the old area is left alone. */
    CHECK_RC("register_runstate(NULL)", register_runstate(0, NULL), 0);
    rs.state = 0x5a5a;
    block_for_timer(MS);
    CHECK(READ_ONCE(rs.state) == 0x5a5a, "unregistered area written: "
          "state %d", rs.state);
}

/* --- VCPUOP_register_vcpu_info --- */

static long register_vi(unsigned int vcpu, unsigned long mfn,
                        unsigned int offset)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

    return hypercall_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void check_vcpu_info_errors(unsigned long mfn)
{
    unsigned long l4 = mm_va_to_mfn(start_info->pt_base);

    CHECK_RC("register_vcpu_info(crossing the page)",
             register_vi(0, mfn, PAGE_SIZE - 32), -XEN_ENXIO);
    CHECK_RC("register_vcpu_info(offset 4096)",
             register_vi(0, mfn, PAGE_SIZE), -XEN_ENXIO);
    CHECK_RC("register_vcpu_info(misaligned)",
             register_vi(0, mfn, VI_OFFSET + 4), -XEN_ENXIO);
    CHECK_RC("register_vcpu_info(not our frame)",
             register_vi(0, mm_foreign_ram_mfn(), VI_OFFSET), -XEN_EINVAL);
    CHECK_RC("register_vcpu_info(invalid mfn)",
             register_vi(0, 1UL << 40, VI_OFFSET), -XEN_EINVAL);
    CHECK_RC("register_vcpu_info(our L4)",
             register_vi(0, l4, VI_OFFSET), -XEN_EINVAL);
    CHECK_RC("register_vcpu_info(no such vcpu)",
             register_vi(NO_SUCH_VCPU, mfn, VI_OFFSET), -XEN_ENOENT);
    CHECK_RC("register_vcpu_info(bad ptr)",
             hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0,
                               BAD_PTR_UNMAPPED), -XEN_EFAULT);
}

/* The old contents, with every selector bit and upcall_pending set. */
static void check_moved(const struct vcpu_info *vi,
                        const struct vcpu_info *before, const char *page)
{
    CHECK(vi->evtchn_upcall_mask == 1, "new vcpu_info: upcall_mask %u",
          vi->evtchn_upcall_mask);
    CHECK(vi->evtchn_upcall_pending == 1,
          "new vcpu_info: upcall_pending %u", vi->evtchn_upcall_pending);
    CHECK(vi->evtchn_pending_sel == ~0UL, "new vcpu_info: pending_sel %#lx",
          vi->evtchn_pending_sel);
    CHECK(vi->arch.cr2 == CR2_MARK && vi->arch.pad == PAD_MARK,
          "new vcpu_info: arch %#lx %#lx not copied", vi->arch.cr2,
          vi->arch.pad);
    CHECK(!(vi->time.version & 1) &&
          vi->time.tsc_to_system_mul == before->time.tsc_to_system_mul &&
          vi->time.system_time >= before->time.system_time,
          "new vcpu_info: time version %u system_time %lu (was %lu)",
          vi->time.version, (unsigned long)vi->time.system_time,
          (unsigned long)before->time.system_time);
    CHECK((uint8_t)page[VI_OFFSET - 1] == 0xa5 &&
          (uint8_t)page[VI_OFFSET + sizeof(*vi)] == 0xa5,
          "register_vcpu_info wrote outside its 64 bytes");
}

/* Events follow the new area's mask and land in its pending bits. */
static void check_moved_events(struct vcpu_info *vi, struct vcpu_info *old)
{
    unsigned int n = event_count[ipi_port];

    events_unmask_all();    /* takes the upcall Xen asked for */
    CHECK(!vi->evtchn_upcall_pending && !vi->evtchn_pending_sel,
          "spurious upcall not taken through the new vcpu_info");
    WRITE_ONCE(old->evtchn_upcall_mask, 1);
    send_ipi();
    CHECK(event_count[ipi_port] == n + 1,
          "event not delivered through the new vcpu_info");

    events_mask_all();
    WRITE_ONCE(old->evtchn_upcall_mask, 0);
    WRITE_ONCE(old->evtchn_upcall_pending, 0);
    WRITE_ONCE(old->evtchn_pending_sel, 0);
    send_ipi();
    CHECK(event_count[ipi_port] == n + 1,
          "delivered while the new vcpu_info is masked");
    CHECK(vi->evtchn_upcall_pending &&
          (vi->evtchn_pending_sel & (1UL << (ipi_port / 64))),
          "new vcpu_info: pending %u sel %#lx", vi->evtchn_upcall_pending,
          vi->evtchn_pending_sel);
    CHECK(!old->evtchn_upcall_pending && !old->evtchn_pending_sel,
          "old vcpu_info still gets events");
    events_unmask_all();
    CHECK(event_count[ipi_port] == n + 2, "not delivered after unmasking");
    events_mask_all();
}

/* #PF cr2 and the time info are written to the new area only. */
static void check_moved_cr2_time(const struct vcpu_info *vi,
                                 const struct vcpu_info *old)
{
    uint32_t ver = vi->time.version, old_ver = old->time.version;
    uint64_t start = time_now_ns(), val = 0;

    trap_reset();
    asm volatile("1: movq (%[p]), %[v]\n\t"
                 "2:\n\t" EXTABLE(1b, 2b)
                 : [v] "+r"(val) : [p] "r"(0x5000UL) : "memory");
    CHECK(trap_last.count == 1 && trap_last.vector == X86_EXC_PF &&
          trap_last.cr2 == 0x5000, "#PF: %u traps, vector %u, cr2 %#lx",
          trap_last.count, trap_last.vector, trap_last.cr2);
    CHECK(old->arch.cr2 == CR2_MARK, "old vcpu_info got cr2 %#lx",
          old->arch.cr2);

    /* Xen rewrites time info when its calibration (1 s) moves on. */
    while (READ_ONCE(vi->time.version) == ver &&
           time_now_ns() < start + 3000 * MS)
        block_for_timer(50 * MS);
    printk("time info updated after %lu ms\n",
           (unsigned long)((time_now_ns() - start) / MS));
    CHECK(READ_ONCE(vi->time.version) != ver,
          "time info not updated in the new vcpu_info within 3 s");
    CHECK(READ_ONCE(old->time.version) == old_ver,
          "old vcpu_info's time still updated");
    CHECK(time_now_ns() > start, "system time went back after the update");
}

static void check_vcpu_info(void)
{
    char *page = mm_alloc_page();
    unsigned long mfn = mm_va_to_mfn((unsigned long)page);
    struct vcpu_info *old = vcpu0_info(), before;
    struct vcpu_info *vi = (struct vcpu_info *)(page + VI_OFFSET);
    long rc;

    check_vcpu_info_errors(mfn);
    memset(page, 0xa5, PAGE_SIZE);
    events_mask_all();
    old->arch.cr2 = CR2_MARK;
    old->arch.pad = PAD_MARK;
    before = *old;
    rc = register_vi(0, mfn, VI_OFFSET);
    if (rc) {
        report_fail("register_vcpu_info: %ld", rc);
        return;
    }
    check_moved(vi, &before, page);
    CHECK(!memcmp(old, &before, sizeof(before)),
          "register_vcpu_info changed the old vcpu_info");
    vcpu_info_area = vi;

    /* Once moved it stays: the offset is checked first. */
    CHECK_RC("register_vcpu_info again", register_vi(0, mfn, VI_OFFSET),
             -XEN_EINVAL);
    CHECK_RC("register_vcpu_info again (offset 0)", register_vi(0, mfn, 0),
             -XEN_EINVAL);
    CHECK_RC("register_vcpu_info again (crossing)",
             register_vi(0, mfn, PAGE_SIZE - 32), -XEN_ENXIO);
    check_moved_events(vi, old);
    check_moved_cr2_time(vi, old);
}

void test_main(void)
{
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    long p;

    /* Xen gives PV vCPUs a periodic tick; stop it so only ours fire. */
    CHECK_RC("stop_periodic_timer",
             hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    p = evtchn_bind_virq(VIRQ_TIMER, 0);
    CHECK_RC("bind_ipi", hypercall_event_channel_op(EVTCHNOP_bind_ipi, &ipi),
             0);
    if (p <= 0 || report_failed()) {
        report_fail("bind_virq(VIRQ_TIMER): %ld", p);
        return;
    }
    timer_port = (evtchn_port_t)p;
    ipi_port = ipi.port;
    event_set_handler(timer_port, on_timer);
    evtchn_clear_mask(timer_port);
    evtchn_clear_mask(ipi_port);

    printk("-- reservation_checks\n");
    reservation_checks();
    printk("-- check_callbacks\n");
    check_callbacks();
    printk("-- check_periodic\n");
    check_periodic();
    printk("-- check_runstate\n");
    check_runstate();
    printk("-- check_vcpu_info\n");
    check_vcpu_info();
}
