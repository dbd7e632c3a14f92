# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += evtchn
evtchn_SRCS := xen-like/common/evtchn.c xen-like/lib/string.c \
               xen-like/lib/vsprintf.c tests/unit/stub_spinlock.c \
               tests/unit/stub_cpu.c
