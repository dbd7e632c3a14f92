/* SPDX-License-Identifier: GPL-2.0-only */
/* Grant tables, version 1 (common/gnttab.c). */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <hv/spinlock.h>
#include <hv/types.h>

#define GNTTAB_MAX_FRAMES   32
#define GNTTAB_MAX_MAPS     1024

struct gnttab_mapping {
    struct domain *granter;     /* NULL: this handle is free */
    uint32_t ref;
    bool readonly;
    unsigned long host_addr;
};

struct grant_table {
    struct spinlock lock;       /* protects everything below */
    unsigned int nr_frames;
    mfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_mapping *maps;    /* GNTTAB_MAX_MAPS handles */
};

struct domain;

int gnttab_init(struct domain *d);
long do_grant_table_op(unsigned long cmd, unsigned long arg,
                       unsigned long count);

#endif
