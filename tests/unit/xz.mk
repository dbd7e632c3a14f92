# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += xz
xz_SRCS := tests/unit/testdata.c $(wildcard xen-like/common/decompress/*.c) xen-like/lib/string.c \
           xen-like/lib/vsprintf.c
xz_LIBS := -llzma
