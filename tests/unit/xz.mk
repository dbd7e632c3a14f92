# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += xz
xz_SRCS := $(wildcard xen-like/common/decompress/*.c) xen-like/lib/string.c \
           xen-like/lib/vsprintf.c
xz_LIBS := -llzma
