/* SPDX-License-Identifier: GPL-2.0-only */
/* The CMOS real-time clock, read once for guests' wallclock. */
#include <hv/time.h>
#include <asm/io.h>

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define RTC_SEC         0x00
#define RTC_MIN         0x02
#define RTC_HOUR        0x04
#define RTC_DAY         0x07
#define RTC_MONTH       0x08
#define RTC_YEAR        0x09
#define RTC_STATUS_A    0x0a
#define RTC_STATUS_B    0x0b
#define RTC_UIP         0x80
#define RTC_BINARY      0x04
#define RTC_24H         0x02

static unsigned int cmos_read(unsigned int reg)
{
    outb(reg, CMOS_INDEX);
    return inb(CMOS_DATA);
}

static unsigned int from_bcd(unsigned int v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m,
                                 unsigned int d)
{
    static const unsigned int before[12] = { 0, 31, 59, 90, 120, 151, 181,
                                              212, 243, 273, 304, 334 };
    uint64_t days = (uint64_t)(y - 1970) * 365 + before[(m - 1) % 12] + d - 1;
    unsigned int leap_y = m > 2 ? y : y - 1;

    days += (leap_y / 4 - 1969 / 4) - (leap_y / 100 - 1969 / 100) +
            (leap_y / 400 - 1969 / 400);
    return days;
}

static unsigned int read_hour(unsigned int status_b, bool bin)
{
    unsigned int raw = cmos_read(RTC_HOUR);

    if (status_b & RTC_24H)
        return from_bcd(raw, bin);
    /* 12-hour mode: bit 7 is PM, 12 means 0 */
    return from_bcd(raw & 0x7f, bin) % 12 + ((raw & 0x80) ? 12 : 0);
}

uint64_t rtc_unix_time(void)
{
    unsigned int spins = 0, sec, min, hour, day, mon, year, b;
    bool bin;

    while ((cmos_read(RTC_STATUS_A) & RTC_UIP) && ++spins < 1000000)
        ;
    b = cmos_read(RTC_STATUS_B);
    bin = b & RTC_BINARY;
    sec = from_bcd(cmos_read(RTC_SEC), bin);
    min = from_bcd(cmos_read(RTC_MIN), bin);
    hour = read_hour(b, bin);
    day = from_bcd(cmos_read(RTC_DAY), bin);
    mon = from_bcd(cmos_read(RTC_MONTH), bin);
    year = 2000 + from_bcd(cmos_read(RTC_YEAR), bin);
    if (!mon || mon > 12 || !day)
        return 0;
    return days_since_epoch(year, mon, day) * 86400 + hour * 3600 +
           min * 60 + sec;
}
