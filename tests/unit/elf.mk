# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += elf
elf_SRCS := xen-like/common/elf.c xen-like/lib/string.c \
            xen-like/lib/vsprintf.c
