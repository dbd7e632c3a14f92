#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A guest crash kills that domain only: Keel prints the reason in one line
# and the guest's registers, says it stays up, and never panics.  dom0 is
# tests/guests/crash, which crashes itself as its command line says.
set -eu
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

CRASH_ELF=$O/tests/guests/crash.elf
KEEL_ARGS="console=com1 loglvl=all test=dom0 noreboot dom0_mem=64M"

# crash_test <how> <ERE of the one-line reason> <what>
crash_test() {
    local name=crash/$1
    need "$name" "$CRASH_ELF" "make guests" || return 0
    need "$name" "$KEEL_MB32" "make" || return 0
    qemu_boot "$name" 120 -smp 2 -kernel "$KEEL_MB32" -append "$KEEL_ARGS" \
        -initrd "$CRASH_ELF $1"
    expect_log "crash: crashing by '$1'" "the kernel's 'crashing by $1'"
    expect_log "\(KEEL\) d0v0: $2" "the one-line reason ($3)"
    expect_log '\(KEEL\) RIP: +e033:' "the guest's registers (RIP: e033:...)"
    expect_log '\(KEEL\) Domain 0 crashed' "'Domain 0 crashed'"
    expect_log 'Keel stays up' "'Keel stays up'"
    expect_no_log 'Panic on CPU|hypervisor fault' "a hypervisor panic"
    expect_no_log 'still running after' "the kernel surviving its crash"
    # In a test boot, a crashed dom0 ends the run with the failure code.
    expect_exit "$KEEL_FAIL"
    verdict
}

crash_test pf 'unhandled exception: vector 14' 'unhandled page fault'
crash_test iret 'iret with an unreadable frame' 'bad iret frame'
lib_exit
