# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += mbi
mbi_SRCS := xen-like/arch/x86/boot/mbi.c xen-like/lib/string.c \
            xen-like/lib/vsprintf.c
