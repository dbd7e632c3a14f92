# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += evtchn
evtchn_SRCS := xen-like/common/evtchn.c xen-like/arch/x86/pv/pirq.c \
               xen-like/arch/x86/pv/msi.c tests/unit/stub_pci.c \
               xen-like/lib/string.c xen-like/lib/vsprintf.c \
               tests/unit/stub_spinlock.c tests/unit/stub_cpu.c \
               tests/unit/stub_ioapic.c
