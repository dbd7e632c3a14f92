#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The dom0 builder refuses bad kernel images with one clear line and stays
# up: a module that is no ELF, an ELF64 without Xen notes (Keel's own
# image) and an ELF32 (Keel's multiboot copy).
set -eu
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

ARGS="console=com1 loglvl=all dom0_mem=64M"
head -c 65536 /dev/urandom > "$LOGS/not-elf.bin"

# refuse <name> <module> <test=...> <exit> <ERE> <what>
refuse() {
    local name=dom0/$1
    need "$name" "$2" "make" || return 0
    need "$name" "$KEEL_MB32" "make" || return 0
    qemu_boot "$name" 120 -smp 2 -kernel "$KEEL_MB32" -append "$ARGS $3" \
        -initrd "$2"
    expect_log "$5" "$6"
    expect_no_log 'Panic on CPU|hypervisor fault' "a hypervisor panic"
    expect_exit "$4"
    verdict
}

# Not an ELF: dom0 is not started (a test boot then ends as failed).
refuse not-elf "$LOGS/not-elf.bin" test=dom0 "$KEEL_FAIL" \
    'dom0 kernel: not an ELF' "'dom0 kernel: not an ELF ...'"
refuse no-notes "$O/keel.elf" test=dom0 "$KEEL_FAIL" \
    'dom0 kernel: no Xen ELF notes' "'dom0 kernel: no Xen ELF notes'"
refuse elf32 "$O/keel.mb32" test=dom0 "$KEEL_FAIL" \
    'dom0 kernel: not 64-bit' "'dom0 kernel: not 64-bit'"
lib_exit
