/* SPDX-License-Identifier: GPL-2.0-only */
/* The 16550 UART on COM1: Keel's own console, never handed to dom0. */
#include <hv/types.h>
#include <hv/serial.h>
#include <asm/io.h>

#define UART_THR    0   /* transmit holding */
#define UART_RBR    0   /* receive buffer */
#define UART_DLL    0
#define UART_IER    1
#define UART_DLM    1
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5

#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define LSR_DR      0x01
#define LSR_THRE    0x20
#define UART_CLOCK  115200

static uint16_t uart_base;

void ns16550_init(uint16_t base, unsigned int baud)
{
    unsigned int div = UART_CLOCK / (baud ? baud : UART_CLOCK);

    uart_base = base;
    outb(0, base + UART_IER);
    outb(LCR_DLAB, base + UART_LCR);
    outb(div & 0xff, base + UART_DLL);
    outb(div >> 8, base + UART_DLM);
    outb(LCR_8N1, base + UART_LCR);
    outb(0x07, base + UART_FCR);    /* enable and clear FIFOs */
    outb(0x03, base + UART_MCR);    /* DTR, RTS */
}

uint16_t ns16550_port(void)
{
    return uart_base;
}

void ns16550_putc(char c)
{
    unsigned int spins = 0;

    if (!uart_base)
        return;
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    while (!(inb(uart_base + UART_LSR) & LSR_THRE) && ++spins < 100000)
        ;
    outb((uint8_t)c, uart_base + UART_THR);
}

int ns16550_getc(void)
{
    if (!uart_base || !(inb(uart_base + UART_LSR) & LSR_DR))
        return -1;
    return inb(uart_base + UART_RBR);
}
