# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += pagetype
pagetype_SRCS := xen-like/arch/x86/pv/pagetype.c xen-like/lib/string.c \
                 xen-like/lib/vsprintf.c
