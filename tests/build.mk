# SPDX-License-Identifier: GPL-2.0-only
# Tests: host unit tests (real hypervisor sources + a small harness, built
# with ASan and UBSan) and the QEMU system tests.  `make test` runs them all.

UNIT_OUT    := $(O)/tests/unit
UNIT_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined \
               -fno-sanitize-recover=all -fno-omit-frame-pointer \
               -DKEEL_HOST_TEST -Ixen-like/include -I$(O)/abi \
               -include tests/unit/harness.h -D__XEN_TOOLS__ $(WARN_CFLAGS) \
               -Wno-missing-prototypes

# Each tests/unit/<name>.mk says: UNIT_TESTS += <name> and
# <name>_SRCS := the hypervisor sources tests/unit/test_<name>.c exercises,
# and optionally <name>_LIBS := host libraries it links (e.g. -llzma).
UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)

define unit_rule
$(UNIT_OUT)/$(1): tests/unit/test_$(1).c $$($(1)_SRCS) tests/unit/harness.h \
                  tests/unit/harness.c $(HV_CONFIG) | $(O)/abi/public
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $$@ tests/unit/test_$(1).c \
	    tests/unit/harness.c $$($(1)_SRCS) -lcmocka $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

.PHONY: unit-build
unit-build: $(addprefix $(UNIT_OUT)/,$(UNIT_TESTS))

unit: deps unit-build
	$(Q)O=$(O) tests/run.sh --unit $(UNIT_TESTS)

systest: deps hv iso guests
	$(Q)O=$(O) tests/run.sh --system

test: deps hv iso guests unit-build
	$(Q)O=$(O) tests/run.sh --unit $(UNIT_TESTS) --system
