# SPDX-License-Identifier: GPL-2.0-only
# Conformance test kernels: every tests/guests/<test>/main.c becomes
# $(O)/tests/guests/<test>.elf, a 64-bit PV dom0 linked with tests/guests/lib.

GUEST_DIR   := tests/guests
GUEST_OUT   := $(O)/tests/guests
GUEST_TESTS := $(patsubst $(GUEST_DIR)/%/main.c,%, \
                 $(wildcard $(GUEST_DIR)/*/main.c))
GUEST_ELFS  := $(addprefix $(GUEST_OUT)/,$(addsuffix .elf,$(GUEST_TESTS)))

GUEST_LIB_SRCS := $(wildcard $(GUEST_DIR)/lib/*.c $(GUEST_DIR)/lib/*.S)
GUEST_LIB_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o,$(GUEST_LIB_SRCS))
GUEST_LDS      := $(GUEST_DIR)/lib/guest.lds

GUEST_WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
              -Wshadow -Wundef -Wvla
# Linked in the top 2 GiB (VIRT_BASE 0xffffffff80000000): -mcmodel=kernel.
GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -fno-pic \
                -mcmodel=kernel -mno-red-zone -fno-stack-protector \
                -fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
                -fno-asynchronous-unwind-tables -fno-builtin \
                -isystem $(shell $(CC) -print-file-name=include) \
                -I$(GUEST_DIR)/lib/include -I$(O)/abi \
                -D__XEN_TOOLS__ $(GUEST_WARN) -MMD -MP
# Only the fpu test may touch SSE/x87 state.
GUEST_NOFPU := -mgeneral-regs-only
GUEST_ASFLAGS := $(filter-out -std=gnu11 -Wstrict-prototypes \
                   -Wmissing-prototypes,$(GUEST_CFLAGS)) -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 \
                 -z noexecstack --no-warn-rwx-segments --build-id=none

.PHONY: guests
guests: $(GUEST_ELFS)

$(GUEST_OUT)/lib/%.c.o: $(GUEST_DIR)/lib/%.c | $(O)/abi/public
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_NOFPU) -c -o $@ $<

$(GUEST_OUT)/%.S.o: $(GUEST_DIR)/%.S | $(O)/abi/public
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(GUEST_ASFLAGS) -c -o $@ $<

# A test's C files; tests/guests/fpu is the one allowed SSE code.
$(GUEST_OUT)/%.c.o: $(GUEST_DIR)/%.c | $(O)/abi/public
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) \
	    $(if $(filter fpu/%,$*),,$(GUEST_NOFPU)) -c -o $@ $<

define guest_rule
$(1)_GUEST_OBJS := $$(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o, \
    $$(wildcard $(GUEST_DIR)/$(1)/*.c $(GUEST_DIR)/$(1)/*.S))
$(GUEST_OUT)/$(1).elf: $$($(1)_GUEST_OBJS) $(GUEST_LIB_OBJS) $(GUEST_LDS)
	@echo "  LD      $$@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -T $(GUEST_LDS) -o $$@ \
	    $$($(1)_GUEST_OBJS) $(GUEST_LIB_OBJS)
-include $$($(1)_GUEST_OBJS:.o=.d)
endef
$(foreach t,$(GUEST_TESTS),$(eval $(call guest_rule,$(t))))

-include $(GUEST_LIB_OBJS:.o=.d)
