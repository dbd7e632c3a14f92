# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += acpi
acpi_SRCS := xen-like/arch/x86/acpi.c xen-like/arch/x86/pci.c \
             xen-like/lib/string.c xen-like/lib/vsprintf.c \
             tests/unit/stub_spinlock.c
