/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * System time from the TSC, calibrated against the HPET (or, without one,
 * PIT channel 2).  NOW() is nanoseconds since calibration.
 */
#include <hv/acpi.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/time.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/processor.h>

#define CALIBRATE_MS        50
#define HPET_CAP            0x000
#define HPET_CONFIG         0x010
#define HPET_COUNTER        0x0f0
#define HPET_ENABLE         1u
#define FS_PER_US           1000000000ULL
#define PIT_HZ              1193182

uint64_t tsc_khz;
static uint64_t tsc_boot;
static uint64_t tsc_ns_mult;        /* ns per TSC tick, << 32 */

/* TSC ticks in CALIBRATE_MS by the HPET main counter; 0 if unusable. */
static uint64_t calibrate_hpet(void)
{
    volatile uint8_t *hpet;
    uint64_t period_fs, h0, t0, t1, ticks, elapsed_us;

    if (!acpi_info.hpet_addr || !(hpet = ioremap(acpi_info.hpet_addr, 1024)))
        return 0;
    period_fs = mmio_read64(hpet + HPET_CAP) >> 32;
    if (!period_fs || period_fs > 100000000ULL)
        return 0;
    mmio_write64(hpet + HPET_CONFIG,
                 mmio_read64(hpet + HPET_CONFIG) | HPET_ENABLE);
    ticks = CALIBRATE_MS * 1000 * FS_PER_US / period_fs;
    h0 = mmio_read64(hpet + HPET_COUNTER);
    t0 = rdtsc();
    while (mmio_read64(hpet + HPET_COUNTER) - h0 < ticks)
        cpu_relax();
    t1 = rdtsc();
    elapsed_us = (mmio_read64(hpet + HPET_COUNTER) - h0) * period_fs /
                 FS_PER_US;
    return elapsed_us ? (t1 - t0) * 1000 / elapsed_us : 0;
}

static uint64_t calibrate_pit(void)
{
    uint16_t latch = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t t0, t1;

    outb((inb(0x61) & ~0x02) | 0x01, 0x61);   /* gate on, speaker off */
    outb(0xb0, 0x43);                         /* ch2, lo/hi, mode 0 */
    outb(latch & 0xff, 0x42);
    outb(latch >> 8, 0x42);
    t0 = rdtsc();
    while (!(inb(0x61) & 0x20))
        cpu_relax();
    t1 = rdtsc();
    return (t1 - t0) / CALIBRATE_MS;
}

void time_init(void)
{
    const char *src = "HPET";

    tsc_khz = calibrate_hpet();
    if (!tsc_khz) {
        src = "PIT";
        tsc_khz = calibrate_pit();
    }
    if (!tsc_khz)
        panic("cannot calibrate the TSC");
    tsc_ns_mult = (1000000ULL << 32) / tsc_khz;
    tsc_boot = rdtsc();
    pr_info("TSC: %lu.%03lu MHz (calibrated against the %s)\n",
            (unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000),
            src);
}

/* pvclock: ns = ((tsc delta << shift) * mul) >> 32, mul fitting 32 bits. */
void time_pvclock_scale(uint32_t *mul, int8_t *shift)
{
    uint64_t m = tsc_ns_mult;
    int8_t s = 0;

    while (m >> 32) {
        m >>= 1;
        s++;
    }
    *mul = (uint32_t)m;
    *shift = s;
}

/* System time at a given TSC value (NOW() is this at rdtsc()). */
s_time_t tsc_to_system_time(uint64_t tsc)
{
    return (s_time_t)(((unsigned __int128)(tsc - tsc_boot) * tsc_ns_mult) >>
                      32);
}

s_time_t NOW(void)
{
    uint64_t delta = rdtsc() - tsc_boot;

    return (s_time_t)(((unsigned __int128)delta * tsc_ns_mult) >> 32);
}

void udelay(unsigned long us)
{
    uint64_t start = rdtsc(), ticks = tsc_khz * us / 1000;

    if (!tsc_khz)           /* not calibrated yet: a rough spin */
        ticks = us * 3000;
    while (rdtsc() - start < ticks)
        cpu_relax();
}

void mdelay(unsigned long ms)
{
    while (ms--)
        udelay(1000);
}
