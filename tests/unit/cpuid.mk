# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += cpuid
cpuid_SRCS := xen-like/arch/x86/pv/cpuid.c xen-like/lib/string.c \
              xen-like/lib/vsprintf.c
