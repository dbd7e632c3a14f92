#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# M3: Debian's stock kernel as dom0 with the busybox initramfs, on Xen 4.17
# (the reference) and on Keel.  Each test boots dom0 with keeltest=<name>;
# /init runs that self-check (tools/dom0/keeltest/<name>.sh) and prints
# "KEEL-DOM0-TEST <name>: PASS" or "...: FAIL: <why>", then
# "KEEL-DOM0-NEXT: poweroff|reboot" and does it.
#
# Usage: linux.sh [--hv xen|keel|all] [test...]
#   tests: basic stress reboot poweroff (default: all).  Keel runs only the
#   tests listed in tests/system/LINUX_ON_KEEL.  LINUX_STRESS_SECS sets the
#   stress test's length (default 60, as M3 asks).
set -u
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

STRESS_SECS=${LINUX_STRESS_SECS:-60}
LINUX_TIMEOUT=${LINUX_TIMEOUT:-240}     # boot to a verdict, stress excluded
POWEROFF_WAIT=30                        # QEMU's end after "NEXT: poweroff"
READY_LIST=${LINUX_ON_KEEL:-tests/system/LINUX_ON_KEEL}

# Both hypervisors get the same machine and dom0 size.  Xen's noreboot
# only keeps a crashed dom0's machine up; dom0's reboot still resets it.
XEN_ARGS="console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=2 noreboot"
XEN_ARGS="$XEN_ARGS loglvl=all guest_loglvl=all"
KEEL_ARGS="console=com1 dom0_mem=512M dom0_max_vcpus=2 noreboot"
# dom0: the console is Xen's (hvc0), early messages too; nothing else is
# needed for a clean log under TCG (see tools/dom0/keeltest/dmesg.allow).
DOM0_ARGS="console=hvc0 earlyprintk=xen keeltest_cpus=2"

# A line that means the machine will give no verdict.
DEAD_RE='Panic on CPU|Keel panic|Dom0 crashed|Domain 0 crashed'
DEAD_RE="$DEAD_RE|Kernel panic - not syncing"

hvs=all
tests=()
while [ $# -gt 0 ]; do
    case $1 in
    --hv) hvs=$2; shift 2 ;;
    -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
    *) tests+=("$1"); shift ;;
    esac
done
[ "$hvs" = all ] && hvs="xen keel"
[ ${#tests[@]} -gt 0 ] || tests=(basic stress reboot poweroff)

# The QEMU command line for <hv> <test> <dom0 args>, in the array `cmd`.
# Only the reboot test lets QEMU reset the machine.
# shellcheck disable=SC2054  # the commas are QEMU's
qemu_cmd() {
    local hv=$1 t=$2 args=$3 mods
    mods="$DOM0_KERNEL $args,$DOM0_INITRD"
    cmd=(qemu-system-x86_64 -accel tcg -machine pc -cpu max,-smap -m 1G
         -smp 2 -display none -nodefaults -serial "file:$LOG"
         -device isa-debug-exit,iobase=0xf4,iosize=0x04)
    [ "$t" = reboot ] || cmd+=(-no-reboot)
    case $hv in
    xen) cmd+=(-kernel "$O/cache/xen/xen" -append "$XEN_ARGS") ;;
    keel) cmd+=(-kernel "$KEEL_MB32" -append "$KEEL_ARGS") ;;
    esac
    cmd+=(-initrd "$mods")
}

# count <ERE>: how many log lines match.
count() {
    local n
    n=$(grep -a -c -E -e "$1" "$LOG" 2>/dev/null)
    echo "${n:-0}"
}

# The hypervisor's banner, once per boot of the machine.
banner_re() {
    case $1 in
    xen) echo '\(XEN\) Xen version 4\.17' ;;
    keel) echo '\(KEEL\) Keel hypervisor' ;;
    esac
}

# wait_for <pid> <secs> <results>: until the log has <results> verdict
# lines, a dead machine, QEMU's end or the time.  Sets QEMU_RC when QEMU
# ended (else leaves it empty).
wait_for() {
    local pid=$1 secs=$2 want=$3 start=$SECONDS
    QEMU_RC=""
    while [ $((SECONDS - start)) -lt "$secs" ]; do
        [ "$(count "$RESULT_RE")" -ge "$want" ] && return 0
        [ "$(count "$DEAD_RE")" = 0 ] || return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            QEMU_RC=$?
            return 0
        fi
        sleep 0.5
    done
}

# wait_exit <pid> <secs>: QEMU's own end; sets QEMU_RC, empty if it ran on.
wait_exit() {
    local pid=$1 secs=$2 start=$SECONDS
    while [ $((SECONDS - start)) -lt "$secs" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            QEMU_RC=$?
            return 0
        fi
        sleep 0.5
    done
}

# stop_qemu <pid>: end a QEMU that is still running.
stop_qemu() {
    kill "$1" 2>/dev/null || return 0
    wait "$1" 2>/dev/null
}

# expect_results <test> <n>: n verdict lines, all PASS.
expect_results() {
    local line
    line=$(grep -a -E -e "$RESULT_RE" "$LOG" | grep -a -v ': PASS' |
           head -n 1 | tr -d '\r')
    [ -z "$line" ] || why "dom0 said: ${line#*KEEL-DOM0-TEST }"
    [ "$(count "$RESULT_RE")" -ge "$2" ] && return 0
    line=$(grep -a -m 1 -E -e "$DEAD_RE" "$LOG" | tr -d '\r')
    if [ -n "$line" ]; then
        why "$line"
    elif [ -n "$QEMU_RC" ]; then
        why "QEMU ended before verdict $(( $(count "$RESULT_RE") + 1 ))" \
            "of $2: $(rc_text "$QEMU_RC")"
    else
        why "no verdict $(( $(count "$RESULT_RE") + 1 )) of $2 within" \
            "${QEMU_TIMEOUT}s"
    fi
}

# run_test <hv> <test>: one boot (two for reboot), one PASS/FAIL line.
run_test() {
    local hv=$1 t=$2 args="$DOM0_ARGS keeltest=$2" secs=$LINUX_TIMEOUT
    local want=1 pid
    TEST=linux/$hv/$t
    WHY=""
    LOG=$LOGS/linux-$hv-$t.log
    RESULT_RE="KEEL-DOM0-TEST $t: "
    rm -f "$LOG" "$LOG.qemu"
    if [ "$t" = stress ]; then
        args="$args keeltest_secs=$STRESS_SECS"
        secs=$((secs + STRESS_SECS))
    fi
    [ "$t" = reboot ] && want=2 secs=$((secs * 2))
    QEMU_TIMEOUT=$secs
    qemu_cmd "$hv" "$t" "$args"
    "${cmd[@]}" </dev/null >"$LOG.qemu" 2>&1 &
    pid=$!
    wait_for "$pid" "$secs" "$want"
    expect_results "$t" "$want"
    if [ "$t" != reboot ] && [ -z "$QEMU_RC" ] && [ -z "$WHY" ]; then
        wait_exit "$pid" "$POWEROFF_WAIT"
    fi
    stop_qemu "$pid"
    case $t in
    poweroff) expect_poweroff "$hv" ;;
    reboot) expect_reboot "$hv" ;;
    esac
    expect_no_log "$DEAD_RE" "a crash"
    verdict
}

# poweroff: QEMU ends by itself.  Xen 4.17 enters ACPI S5 for dom0's
# XENPF_enter_acpi_sleep (QEMU exits 0); Keel may also use isa-debug-exit.
expect_poweroff() {
    expect_log 'KEEL-DOM0-NEXT: poweroff' "'KEEL-DOM0-NEXT: poweroff'"
    [ -n "$WHY" ] && return
    if [ -z "$QEMU_RC" ]; then
        why "QEMU still ran ${POWEROFF_WAIT}s after dom0's poweroff"
    elif [ "$QEMU_RC" != 0 ] && [ "$QEMU_RC" != "$KEEL_PASS" ]; then
        why "after poweroff: $(rc_text "$QEMU_RC")"
    fi
    [ "$1" = xen ] && expect_log '\(XEN\) Entering ACPI S5 state' \
        "Xen's '(XEN) Entering ACPI S5 state'"
}

# reboot: every boot checks and reboots; two verdicts with the
# hypervisor's banner between them mean the machine came up again.
expect_reboot() {
    local banner
    banner=$(banner_re "$1")
    [ "$(count "$banner")" -ge 2 ] ||
        why "the hypervisor did not boot again (one '$banner')"
    [ "$(count 'KEEL-DOM0-INIT: up')" -ge 2 ] ||
        why "dom0 did not reach /init twice"
    awk -v r="$RESULT_RE" -v b="$banner" '
        $0 ~ r && !n { n = 1; next }
        n == 1 && $0 ~ b { n = 2 }
        END { exit n != 2 }' "$LOG" ||
        why "no new hypervisor boot after the first verdict"
    [ "$1" = xen ] && expect_log 'Hardware Dom0 shutdown: rebooting machine' \
        "Xen's 'Hardware Dom0 shutdown: rebooting machine'"
}

for hv in $hvs; do
    for t in "${tests[@]}"; do
        case $t in
        basic|stress|reboot|poweroff) ;;
        *) fail "linux/$hv/$t" "no such test"; continue ;;
        esac
        dom0_can_run "linux/$hv/$t" "$hv" "$t" && run_test "$hv" "$t"
    done
done
lib_exit
