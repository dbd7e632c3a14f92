# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += xmalloc
xmalloc_SRCS := xen-like/common/xmalloc.c xen-like/common/page_alloc.c \
                xen-like/lib/string.c xen-like/lib/vsprintf.c \
                tests/unit/stub_spinlock.c
