/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC (xAPIC, MMIO): spurious/error vectors, IPIs, and the
 * one-shot timer that drives the per-CPU software timers.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/time.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/processor.h>

#define APIC_ID         0x020
#define APIC_VER        0x030
#define APIC_TPR        0x080
#define APIC_EOI        0x0b0
#define APIC_SVR        0x0f0
#define APIC_ESR        0x280
#define APIC_ICR_LO     0x300
#define APIC_ICR_HI     0x310
#define APIC_LVT_TIMER  0x320
#define APIC_LVT_LINT0  0x350
#define APIC_LVT_LINT1  0x360
#define APIC_LVT_ERROR  0x370
#define APIC_TMR_INIT   0x380
#define APIC_TMR_CUR    0x390
#define APIC_TMR_DIV    0x3e0

#define SVR_ENABLE      (1u << 8)
#define LVT_MASKED      (1u << 16)
#define DM_NMI          (4u << 8)
#define DM_INIT         (5u << 8)
#define DM_STARTUP      (6u << 8)
#define ICR_PENDING     (1u << 12)
#define ICR_ASSERT      (1u << 14)
#define ICR_ALLBUTSELF  (3u << 18)
#define TMR_DIV_16      0x3

static volatile uint8_t *lapic;
static uint64_t lapic_ns_mult;    /* timer counts per ns, << 32 */

static uint32_t apic_read(unsigned int reg)
{
    return mmio_read32(lapic + reg);
}

static void apic_write(unsigned int reg, uint32_t v)
{
    mmio_write32(lapic + reg, v);
}

static void map_lapic(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    lapic = ioremap(base & PADDR_MASK, PAGE_SIZE);
    if (!lapic)
        panic("cannot map the local APIC");
}

void lapic_init(void)
{
    bool bsp = rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP;

    if (!lapic)
        map_lapic();
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_APIC_VECTOR);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, bsp ? DM_NMI : LVT_MASKED);
    apic_write(APIC_LVT_ERROR, ERROR_APIC_VECTOR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_TMR_DIV, TMR_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    apic_write(APIC_EOI, 0);
}

void lapic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    return apic_read(APIC_ID) >> 24;
}

static void send_icr(uint32_t dest, uint32_t lo)
{
    unsigned int spins = 0;

    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, lo);
    while ((apic_read(APIC_ICR_LO) & ICR_PENDING) && ++spins < 1000000)
        cpu_relax();
}

void lapic_send_init(uint32_t apic_id)
{
    send_icr(apic_id, DM_INIT | ICR_ASSERT);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t vector)
{
    send_icr(apic_id, DM_STARTUP | vector);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    send_icr(apic_id, ICR_ASSERT | vector);
}

void lapic_send_nmi_allbutself(void)
{
    if (lapic)
        send_icr(0, ICR_ALLBUTSELF | ICR_ASSERT | DM_NMI);
}

void lapic_timer_arm(uint32_t count)
{
    apic_write(APIC_LVT_TIMER, LAPIC_TIMER_VECTOR);
    apic_write(APIC_TMR_INIT, count);
}

uint32_t lapic_timer_ns_to_count(uint64_t ns)
{
    uint64_t count = (uint64_t)(((unsigned __int128)ns * lapic_ns_mult) >> 32);

    return count ? (count > 0xffffffffu ? 0xffffffffu : count) : 1;
}

/* Counts the timer (divided by 16) against the TSC for 10 ms. */
void lapic_timer_calibrate(void)
{
    s_time_t t0, t1;
    uint32_t ticks;

    apic_write(APIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    apic_write(APIC_TMR_INIT, 0xffffffffu);
    t0 = NOW();
    mdelay(10);
    ticks = 0xffffffffu - apic_read(APIC_TMR_CUR);
    t1 = NOW();
    apic_write(APIC_TMR_INIT, 0);
    if (!ticks || t1 <= t0)
        panic("local APIC timer does not count");
    lapic_ns_mult = ((uint64_t)ticks << 32) / (uint64_t)(t1 - t0);
    pr_info("APIC timer: %lu kHz (divided by 16)\n",
            (unsigned long)((uint64_t)ticks * 1000000 / (uint64_t)(t1 - t0)));
}
