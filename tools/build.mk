# SPDX-License-Identifier: GPL-2.0-only
# Boot media: Debian's dom0 kernel and Xen (fetch), dom0's busybox initrd,
# the GRUB2 rescue ISO, and `make run`, which boots that ISO in QEMU.

CACHE       := $(O)/cache
DOM0_KERNEL := $(CACHE)/linux/vmlinuz
DOM0_INITRD := $(O)/dom0-initrd.cpio.gz
KEEL_ISO    := $(O)/keel.iso

KEEL_ARGS ?= console=com1 loglvl=info
DOM0_ARGS ?= console=hvc0 earlyprintk=xen
QEMU_ARGS ?=

.PHONY: initrd tools-force
tools-force:

fetch: deps
	$(Q)tools/fetch-debs.sh $(CACHE)

# fetch-debs.sh replaces the kernel when the archive moves.  This rule runs
# after fetch, every time, so make looks at the file's mtime again (also
# under -j) and rebuilds the ISO when the kernel changed.
$(DOM0_KERNEL): tools-force | fetch
	$(Q)test -f $@

initrd: $(DOM0_INITRD)

# dom0's static helper for the stress self-check (tools/dom0/keelstress.c).
KEELSTRESS := $(O)/dom0/keelstress

$(KEELSTRESS): tools/dom0/keelstress.c | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -static -std=gnu11 -O2 $(WARN_CFLAGS) -o $@ $<

# dom0's isolation check for the hw self-check (tools/dom0/keelmap.c), on
# libxen-dev's public and privcmd headers.
KEELMAP := $(O)/dom0/keelmap

$(KEELMAP): tools/dom0/keelmap.c | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -static -std=gnu11 -O2 -D__XEN_TOOLS__ $(WARN_CFLAGS) \
	    -o $@ $<

# The Xen modules come from the cached kernel package: depending on
# $(DOM0_KERNEL) runs fetch first and rebuilds when the kernel changed.
$(DOM0_INITRD): tools/mkinitrd.sh tools/dom0/init \
                $(wildcard tools/dom0/keeltest/*) $(KEELSTRESS) $(KEELMAP) \
                $(DOM0_KERNEL) | deps
	@echo "  INITRD  $@"
	$(Q)tools/mkinitrd.sh $@ $(CACHE)/linux $(KEELSTRESS) $(KEELMAP) \
	    >/dev/null

# The command lines are baked into the ISO: rebuild it when they change.
$(O)/keel.iso.args: tools-force
	@mkdir -p $(dir $@)
	$(Q)echo '$(KEEL_ARGS) | $(DOM0_ARGS)' | cmp -s - $@ || \
	    echo '$(KEEL_ARGS) | $(DOM0_ARGS)' > $@

iso: hv fetch initrd $(KEEL_ISO)

$(KEEL_ISO): $(O)/keel.elf $(DOM0_KERNEL) $(DOM0_INITRD) $(O)/keel.iso.args \
             tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $@ $(O)/keel.elf '$(KEEL_ARGS)' \
	    $(DOM0_KERNEL) '$(DOM0_ARGS)' $(DOM0_INITRD)

# dom0's disk in `make run` (/dev/vda): sparse, made once, kept between
# runs (make clean removes it).
RUN_DISK := $(O)/run-disk.img

$(RUN_DISK):
	@mkdir -p $(dir $@)
	$(Q)truncate -s 1G $@

# Ctrl-A X quits.  QEMU_ARGS='-s -S' waits for gdb (see README.md).  Dom0
# gets a virtio-blk disk and a virtio-net NIC on QEMU's user network
# (restrict=on: the guest reaches only QEMU's gateway, 10.0.2.2).
run: deps hv iso $(RUN_DISK)
	qemu-system-x86_64 -accel tcg -smp 2 -m 2G -nographic -no-reboot \
	    -cdrom $(KEEL_ISO) \
	    -drive file=$(RUN_DISK),if=none,id=disk0,format=raw \
	    -device virtio-blk-pci,drive=disk0 \
	    -netdev user,id=net0,restrict=on -device virtio-net-pci,netdev=net0 \
	    $(QEMU_ARGS)

# Dom0 boot time to /init (tools/bench/boot.sh; BENCH_RUNS=N boots each,
# default 5), then dom0's disk and NIC throughput (tools/bench/io.sh;
# BENCH_IO_RUNS=N, default BENCH_RUNS or 3), on Keel, Xen 4.17 and native
# Linux in the same QEMU.  Timings live here, never in `make test`.
bench: deps hv fetch initrd
	$(Q)O=$(O) tools/bench/boot.sh
	$(Q)O=$(O) tools/bench/io.sh
