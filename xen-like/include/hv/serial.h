/* SPDX-License-Identifier: GPL-2.0-only */
/* The serial port driver behind the console. */
#ifndef HV_SERIAL_H
#define HV_SERIAL_H

#include <hv/types.h>

#define COM1_PORT 0x3f8

void ns16550_init(uint16_t base, unsigned int baud);
uint16_t ns16550_port(void);
void ns16550_putc(char c);
/* Returns the next received byte, or -1 if none is waiting. */
int ns16550_getc(void);

#endif
