# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += inflate
inflate_SRCS := tests/unit/testdata.c $(wildcard xen-like/common/decompress/*.c) \
                xen-like/lib/string.c xen-like/lib/vsprintf.c
inflate_LIBS := -lz
