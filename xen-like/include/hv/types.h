/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic types, and wrapped frame numbers that cannot be swapped silently. */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <hv/compiler.h>

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint64_t paddr_t;

/* A machine frame number. */
typedef struct { unsigned long m; } mfn_t;
#define _mfn(x)        ((mfn_t){ (x) })
#define mfn_x(f)       ((f).m)
#define INVALID_MFN    _mfn(~0UL)
#define mfn_eq(a, b)   (mfn_x(a) == mfn_x(b))
#define mfn_add(f, n)  _mfn(mfn_x(f) + (n))

/* A guest (pseudo-physical) frame number. */
typedef struct { unsigned long g; } gfn_t;
#define _gfn(x)        ((gfn_t){ (x) })
#define gfn_x(f)       ((f).g)

#endif
