/* SPDX-License-Identifier: GPL-2.0-only */
/* Building and starting domain 0. */
#ifndef ASM_PV_DOM0_H
#define ASM_PV_DOM0_H

#include <hv/types.h>

struct domain;
struct vcpu;
struct page_info;

/* bzimage.c: the ELF inside a bzImage (or the image itself). */
struct kernel_image {
    const void *elf;
    size_t size;
    struct page_info *pages;    /* the unpacked copy, if any */
    unsigned int order;
    unsigned long used;         /* pages of it in use */
};

int kernel_image_open(const void *img, size_t size, struct kernel_image *k);
void kernel_image_free(struct kernel_image *k);

#define GUEST_HOLE_START    0xffff800000000000UL
#define GUEST_HOLE_END      0xffff880000000000UL

/* The XENFEAT_* bits dom0 kernels may require of Keel (submap 0). */
const uint32_t *dom0_hv_features(void);
struct boot_info;
/* dom0_start.c: builds dom0 from the first module and runs it; returns
 * only if there is none to run. */
void dom0_start(const struct boot_info *bi);
/* What dom0 is built from: its kernel (an ELF) and an optional initrd. */
struct dom0_images {
    const void *kernel;
    size_t kernel_len;
    const void *initrd;
    size_t initrd_len;
};

int dom0_construct(struct domain *d, struct vcpu *v,
                   const struct dom0_images *img, unsigned long nr_pages,
                   const char *cmdline);

#endif
