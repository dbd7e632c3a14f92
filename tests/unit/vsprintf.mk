# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vsprintf
vsprintf_SRCS := xen-like/lib/string.c xen-like/lib/vsprintf.c
