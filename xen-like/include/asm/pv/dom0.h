/* SPDX-License-Identifier: GPL-2.0-only */
/* Building and starting domain 0. */
#ifndef ASM_PV_DOM0_H
#define ASM_PV_DOM0_H

#include <hv/types.h>

struct domain;
struct vcpu;

#define GUEST_HOLE_START    0xffff800000000000UL
#define GUEST_HOLE_END      0xffff880000000000UL

/* The XENFEAT_* bits dom0 kernels may require of Keel (submap 0). */
const uint32_t *dom0_hv_features(void);
struct boot_info;
/* dom0_start.c: builds dom0 from the first module and runs it; returns
 * only if there is none to run. */
void dom0_start(const struct boot_info *bi);
int dom0_construct(struct domain *d, struct vcpu *v, const void *img,
                   size_t size, unsigned long nr_pages, const char *cmdline);

#endif
