# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += ptwr
ptwr_SRCS := xen-like/arch/x86/pv/ptwr.c xen-like/arch/x86/pv/insn.c \
             xen-like/lib/string.c xen-like/lib/vsprintf.c
