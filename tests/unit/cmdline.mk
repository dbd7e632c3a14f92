# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += cmdline
cmdline_SRCS := xen-like/arch/x86/boot/cmdline.c xen-like/lib/string.c \
                xen-like/lib/vsprintf.c
