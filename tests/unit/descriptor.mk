# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += descriptor
descriptor_SRCS := xen-like/arch/x86/pv/descriptor.c xen-like/lib/string.c \
                   xen-like/lib/vsprintf.c
