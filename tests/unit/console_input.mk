# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += console_input
console_input_SRCS := xen-like/common/console_input.c \
                      xen-like/common/evtchn.c xen-like/arch/x86/pv/pirq.c \
                      xen-like/arch/x86/pv/msi.c tests/unit/stub_pci.c \
                      xen-like/lib/string.c xen-like/lib/vsprintf.c \
                      tests/unit/stub_spinlock.c tests/unit/stub_cpu.c \
                      tests/unit/stub_ioapic.c
