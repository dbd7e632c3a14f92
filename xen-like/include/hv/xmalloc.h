/* SPDX-License-Identifier: GPL-2.0-only */
/* Small object allocator: size classes carved out of buddy pages. */
#ifndef HV_XMALLOC_H
#define HV_XMALLOC_H

#include <hv/types.h>

/* Returns zeroed memory aligned to at least 16 bytes, or NULL. */
void *xzalloc_bytes(size_t size);
void xfree(void *p);

#define xzalloc(type)           ((type *)xzalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n) \
    ((n) > SIZE_MAX / sizeof(type) ? NULL \
                                   : (type *)xzalloc_bytes(sizeof(type) * (n)))

#endif
