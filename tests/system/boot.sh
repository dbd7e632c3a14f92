#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot tests: Keel through QEMU's multiboot1 -kernel path and the GRUB2 ISO
# (multiboot2); its boot log, SMP timers, the panic path, cmdline checks.
set -eu
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

BOOT_ARGS="console=com1 loglvl=all test=boot"
DOM0_ARGS="console=hvc0"

# expect_boot <cpus> <multiboot1|multiboot2>: what every good boot logs.
expect_boot() {
    local cpus=$1 mb=$2 i
    expect_exit "$KEEL_PASS"
    expect_log "\(KEEL\) Keel hypervisor.* via $mb" \
        "the banner 'Keel hypervisor ... via $mb'"
    expect_log '\(KEEL\) +\[0x[0-9a-f]{16}-0x[0-9a-f]{16}\] usable' \
        "a memory map ('(KEEL)  [0x...-0x...] usable')"
    expect_log '\(KEEL\) Module 0: \[0x[0-9a-f]+-0x[0-9a-f]+\] .*console=hvc0' \
        "'(KEEL) Module 0: [0x...-0x...] ... console=hvc0'"
    expect_log '\(KEEL\) Module 1: \[0x[0-9a-f]+-0x[0-9a-f]+\]' \
        "'(KEEL) Module 1: [0x...-0x...]'"
    expect_log "\(KEEL\) $cpus CPUs online" "'(KEEL) $cpus CPUs online'"
    for ((i = 0; i < cpus; i++)); do
        expect_log "\(KEEL\) timer: cpu$i ticks=[1-9]" \
            "'(KEEL) timer: cpu$i ticks=K' with K > 0"
    done
    expect_log '\(KEEL\) test boot: PASS' "'(KEEL) test boot: PASS'"
    expect_no_log 'Panic on CPU' "a panic"
}

# expect_backtrace <symbol>: a "Backtrace:" line, then frames in the
# form "[<ffff82d0...>] name+0x...", one of them in <symbol>.
expect_backtrace() {
    awk -v sym="$1+0x" '
        /Backtrace:/ { bt = 1; next }
        bt && /\[<ffff82d0[0-9a-f]+>\] [A-Za-z_.][A-Za-z0-9_.]*\+0x[0-9a-f]+/ {
            n++
            if (index($0, sym)) found = 1
        }
        END { exit !(n > 0 && found) }' "$LOG" ||
        why "no 'Backtrace:' with a symbolised frame in $1"
}

# have_inputs <test>: SKIP without the dom0 modules, FAIL without Keel.
have_inputs() {
    need "$1" "$DOM0_KERNEL" "make fetch" || return 1
    need "$1" "$DOM0_INITRD" "make initrd" || return 1
    if [ ! -f "$KEEL_MB32" ] || [ ! -f "$KEEL_ELF" ]; then
        fail "$1" "$KEEL_MB32 or $KEEL_ELF not built (make hv)"
        return 1
    fi
}

# mb1_boot <test> <smp> <keel args>: boot through QEMU's -kernel.
mb1_boot() {
    mb1_args "$3" "$DOM0_KERNEL" "$DOM0_ARGS" "$DOM0_INITRD"
    qemu_boot "$1" "$BOOT_TIMEOUT" -smp "$2" "${MB1[@]}"
}

test_mb1() {
    have_inputs boot/mb1 || return 0
    mb1_boot boot/mb1 2 "$BOOT_ARGS"
    expect_boot 2 multiboot1
    verdict
}

test_mb1_smp4() {
    have_inputs boot/mb1-smp4 || return 0
    mb1_boot boot/mb1-smp4 4 "$BOOT_ARGS"
    expect_boot 4 multiboot1
    verdict
}

test_iso() {
    local iso=$O/tests/boot-iso.iso err
    have_inputs boot/iso || return 0
    if ! err=$(tools/mkiso.sh "$iso" "$KEEL_ELF" "$BOOT_ARGS" \
                   "$DOM0_KERNEL" "$DOM0_ARGS" "$DOM0_INITRD" 2>&1); then
        fail boot/iso "$err"
        return 0
    fi
    qemu_boot boot/iso "$BOOT_TIMEOUT" -smp 2 -cdrom "$iso"
    expect_boot 2 multiboot2
    verdict
}

test_fault() {
    have_inputs boot/fault || return 0
    mb1_boot boot/fault 2 "console=com1 loglvl=all test=fault"
    expect_exit "$KEEL_FAIL"
    expect_log 'RAX:' "a register dump (RAX:)"
    expect_log 'RIP:' "a register dump (RIP:)"
    expect_log 'CR2:' "a register dump (CR2:)"
    expect_backtrace test_fault
    expect_log 'Panic on CPU0' "'Panic on CPU0'"
    verdict
}

test_badcmd() {
    have_inputs boot/badcmd || return 0
    mb1_boot boot/badcmd 2 "$BOOT_ARGS bogus=1"
    expect_exit "$KEEL_PASS"
    expect_log 'unknown.*bogus|bogus.*unknown' \
        "a line calling 'bogus' unknown"
    verdict
}

test_mb1
test_mb1_smp4
test_iso
test_fault
test_badcmd
lib_exit
