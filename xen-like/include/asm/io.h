/* SPDX-License-Identifier: GPL-2.0-only */
/* Port I/O and uncached MMIO accessors. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <hv/types.h>

static inline void outb(uint8_t v, uint16_t port)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t v, uint16_t port)
{
    __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint32_t v, uint16_t port)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* An access of 1, 2 or 4 bytes, the width an emulated in/out asks for. */
static inline uint32_t port_in(uint16_t port, unsigned int bytes)
{
    if (bytes == 1)
        return inb(port);
    return bytes == 2 ? inw(port) : inl(port);
}

static inline void port_out(uint16_t port, unsigned int bytes, uint32_t v)
{
    if (bytes == 1)
        outb(v, port);
    else if (bytes == 2)
        outw(v, port);
    else
        outl(v, port);
}

static inline uint32_t mmio_read32(const volatile void *p)
{
    return *(const volatile uint32_t *)p;
}

static inline void mmio_write32(volatile void *p, uint32_t v)
{
    *(volatile uint32_t *)p = v;
}

static inline uint64_t mmio_read64(const volatile void *p)
{
    return *(const volatile uint64_t *)p;
}

static inline void mmio_write64(volatile void *p, uint64_t v)
{
    *(volatile uint64_t *)p = v;
}

#endif
