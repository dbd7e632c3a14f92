/* SPDX-License-Identifier: GPL-2.0-only */
/* Symbol names for addresses in Keel's text, for backtraces. */
#ifndef HV_SYMBOLS_H
#define HV_SYMBOLS_H

#include <hv/types.h>

/* Writes "name+0xoff/0xsize" (or "??") for addr; returns its length. */
int symbols_snprint(char *buf, size_t size, unsigned long addr);

#endif
