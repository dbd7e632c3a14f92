# SPDX-License-Identifier: GPL-2.0-only
# Sourced by QEMU system tests: boot Keel under a timeout, check its serial
# log and QEMU's exit code, print one PASS/FAIL/SKIP line per test.
# shellcheck shell=bash disable=SC2034  # the variables are for its users

O=${O:-build}
LIB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$LIB_ROOT" || exit 1
LOGS=${LOGS:-$O/tests/logs}
mkdir -p "$LOGS"

# Keel writes 0x10 (pass) or 0x11 (failure, panic) to isa-debug-exit, and
# QEMU exits with (v << 1) | 1.
KEEL_PASS=33
KEEL_FAIL=35
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}

KEEL_MB32=$O/keel.mb32
KEEL_ELF=$O/keel.elf
DOM0_KERNEL=$O/cache/linux/vmlinuz
DOM0_INITRD=$O/dom0-initrd.cpio.gz

TEST=""         # the test being checked: <suite>/<name>
LOG=""          # its serial log
QEMU_RC=0       # QEMU's exit code (124: killed by the timeout)
QEMU_TIME=0     # the seconds it ran
WHY=""          # the first failed expectation, empty while all hold
NFAILED=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; NFAILED=$((NFAILED + 1)); }
skip() { echo "SKIP $1: $2"; }

# tail_log [n]: the last lines of the serial log (and QEMU's own messages),
# without terminal escapes, indented so no line reads as a result.
tail_log() {
    local n=${1:-20}
    echo "  --- last $n lines of $LOG ---"
    if [ -s "$LOG" ]; then
        tail -n "$n" "$LOG" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' |
            awk '{ print "  | " $0 }'
    else
        echo "  | (empty)"
    fi
    if [ -s "$LOG.qemu" ]; then
        echo "  --- qemu said ---"
        tail -n 5 "$LOG.qemu" | awk '{ print "  | " $0 }'
    fi
}

# qemu_boot <suite/name> <timeout> <qemu args...>: runs QEMU to its end or
# the timeout; sets TEST, LOG, QEMU_RC, QEMU_TIME and clears WHY.
qemu_boot() {
    local name=$1 secs=$2 start=$SECONDS
    shift 2
    TEST=$name
    WHY=""
    LOG=$LOGS/${name//\//-}.log
    rm -f "$LOG" "$LOG.qemu"
    QEMU_RC=0
    timeout -k 10 "$secs" qemu-system-x86_64 -accel tcg -machine pc -m 512M \
        -display none -nodefaults -no-reboot -serial "file:$LOG" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
        </dev/null >"$LOG.qemu" 2>&1 || QEMU_RC=$?
    QEMU_TIME=$((SECONDS - start))
    QEMU_TIMEOUT=$secs
}

# The command line of QEMU's multiboot1 (-kernel) path, into the array MB1:
# mb1_args "<keel args>" <mod1> "<mod1 args>" [<mod2>].  QEMU splits the
# modules at commas and gives each "<path> <args>" as its cmdline.
mb1_args() {
    local mods="$2${3:+ $3}"
    [ -z "${4:-}" ] || mods="$mods,$4"
    MB1=(-kernel "$KEEL_MB32" -append "$1" -initrd "$mods")
}

# rc_text <rc>: what a QEMU exit code means.
rc_text() {
    case $1 in
    "$KEEL_PASS") echo "Keel reported pass (exit $1)" ;;
    "$KEEL_FAIL") echo "Keel reported failure or panic (exit $1)" ;;
    124|137) echo "hung: no verdict within ${QEMU_TIMEOUT}s (timeout)" ;;
    0) echo "QEMU exited 0: reset or shutdown without a verdict" ;;
    1) echo "QEMU error (exit 1): $(head -n 1 "$LOG.qemu" 2>/dev/null)" ;;
    *) echo "QEMU exit $1, not a Keel verdict" ;;
    esac
}

# Expectations: the first one to fail gives the reason in WHY.
why() { [ -n "$WHY" ] || WHY=$*; }

expect_exit() {
    [ "$QEMU_RC" = "$1" ] || why "expected exit $1, got $(rc_text "$QEMU_RC")"
}

# expect_log <ERE> [<what>]: some line of the log matches.
expect_log() {
    grep -a -q -E -e "$1" "$LOG" 2>/dev/null || why "log lacks ${2:-/$1/}"
}

# expect_no_log <ERE> [<what>]: no line matches.
expect_no_log() {
    local line
    grep -a -q -E -e "$1" "$LOG" 2>/dev/null || return 0
    line=$(grep -a -m 1 -E -e "$1" "$LOG" | tr -d '\r')
    why "log has ${2:-/$1/}: $line"
}

# verdict: PASS, or FAIL with the first reason and the end of the log.
verdict() {
    if [ -z "$WHY" ]; then
        pass "$TEST"
    else
        fail "$TEST" "$WHY"
        tail_log 20
    fi
}

# need <suite/name> <file> <hint>: SKIP the test unless the file exists.
need() {
    [ -e "$2" ] && return 0
    skip "$1" "no $2 ($3)"
    return 1
}

# lib_exit: a test script's exit code, 1 if any of its tests failed.
# dom0_can_run <name> <hv> <key>: SKIP (or FAIL) the dom0 boot test <name>
# and return 1 when it cannot run; on Keel only if <key> is a line of the
# caller's $READY_LIST.
dom0_can_run() {
    local name=$1 hv=$2
    if [ "$hv" = keel ] && ! grep -qx "$3" "$READY_LIST" 2>/dev/null; then
        skip "$name" "not yet supported by Keel (see $READY_LIST)"
        return 1
    fi
    command -v qemu-system-x86_64 >/dev/null ||
        { skip "$name" "no qemu-system-x86_64"; return 1; }
    need "$name" "$DOM0_KERNEL" "make fetch" || return 1
    need "$name" "$DOM0_INITRD" "make initrd" || return 1
    if [ "$hv" = xen ]; then
        need "$name" "$O/cache/xen/xen" "make fetch" || return 1
    elif [ ! -f "$KEEL_MB32" ]; then
        fail "$name" "$KEEL_MB32 not built (make hv)"
        return 1
    fi
}

lib_exit() {
    [ "$NFAILED" = 0 ]
}
