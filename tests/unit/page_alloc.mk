# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += page_alloc
page_alloc_SRCS := xen-like/common/page_alloc.c xen-like/lib/string.c \
                   xen-like/lib/vsprintf.c tests/unit/stub_spinlock.c
