# SPDX-License-Identifier: GPL-2.0-only
# Keel: the one entry point.  Every part adds its rules through */build.mk;
# make never recurses.  Build output goes to $(O) (default build/).

O       ?= build
DEBUG   ?= 1
NR_CPUS ?= 64
V       ?= 0

ifeq ($(V),0)
Q := @
else
Q :=
endif

HOSTCC  ?= gcc
CC      := gcc
LD      := ld
OBJCOPY := objcopy
NM      := nm

.DEFAULT_GOAL := all
.PHONY: all deps fetch iso run test unit systest bench clean style

all: hv

include xen-like/build.mk
include tests/build.mk
include tests/guests/build.mk
include tools/build.mk

deps:
	$(Q)tools/deps.sh

clean:
	rm -rf $(O)

style:
	clang-format -i $$(git ls-files '*.c' '*.h')
