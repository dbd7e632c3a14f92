#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots each conformance test kernel (build/tests/guests/<test>.elf) as dom0
# under QEMU on real Xen 4.17 or on Keel, and turns its one "Test result:"
# line into PASS/FAIL/SKIP <hv>/<test>.
#
# Usage: guests.sh [--hv xen|keel|all] [--jobs N] [test...]
#   Keel boots only the tests listed in tests/guests/KEEL_READY.
set -u
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

GUEST_TIMEOUT=${GUEST_TIMEOUT:-90}
XEN_ARGS="console=com1 com1=115200 dom0_mem=128M noreboot loglvl=all"
XEN_ARGS="$XEN_ARGS guest_loglvl=all"
hvs=all
jobs=2
tests=()
while [ $# -gt 0 ]; do
    case $1 in
    --hv) hvs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '3,9p' "$0"; exit 0 ;;
    *) tests+=("$1"); shift ;;
    esac
done
[ "$hvs" = all ] && hvs="xen keel"
if [ ${#tests[@]} = 0 ]; then
    for d in tests/guests/*/main.c; do
        d=${d%/main.c}
        [ -e "$d/KEEL_ONLY" ] && continue      # not a conformance kernel
        tests+=("${d##*/}")
    done
fi

LOGDIR=$LOGS/guests
mkdir -p "$LOGDIR"

# The QEMU command line for <hv> <elf> <log>, in the array `cmd`.
# shellcheck disable=SC2054  # the commas are QEMU's
qemu_cmd() {
    local hv=$1 elf=$2 log=$3
    cmd=(qemu-system-x86_64 -accel tcg -machine pc -cpu max,-smap
         -m 512M -smp 1 -display none -nodefaults -no-reboot
         -serial "file:$log")
    case $hv in
    xen)
        cmd+=(-kernel "$O/cache/xen/xen" -append "$XEN_ARGS"
              -initrd "$elf") ;;
    keel)
        cmd+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04
              -kernel "$KEEL_MB32" -append "console=com1 test=dom0 noreboot dom0_mem=128M"
              -initrd "$elf") ;;
    esac
}

# The verdict once the log holds one, else nothing.
log_verdict() {
    local log=$1 line
    line=$(grep -a -m1 'Test result:' "$log" 2>/dev/null | tr -d '\r')
    if [ -n "$line" ]; then
        line=${line#*Test result: }
        case $line in
        SUCCESS*) echo "PASS" ;;
        SKIP*) echo "SKIP: ${line#SKIP}" ;;
        *) echo "FAIL: $line" ;;
        esac
        return
    fi
    if grep -a -q -m1 -e 'Panic on CPU' -e 'Domain 0 crashed' \
            -e 'Keel panic' -e 'PANIC' "$log" 2>/dev/null; then
        echo "FAIL: $(grep -a -m1 -e 'Panic on CPU' -e 'Domain 0 crashed' \
              -e 'Keel panic' -e 'PANIC' "$log" | tr -d '\r')"
    fi
}

# run_one <hv> <test>: writes the verdict line to $LOGDIR/<hv>-<test>.res
run_one() {
    local hv=$1 t=$2 elf=$O/tests/guests/$2.elf
    local log=$LOGDIR/$hv-$t.log res=$LOGDIR/$hv-$t.res
    local start=$SECONDS pid verdict="" rc
    rm -f "$log" "$res"
    if [ ! -f "$elf" ]; then
        echo "FAIL $hv/$t: $elf not built (make guests)" > "$res"
        return
    fi
    qemu_cmd "$hv" "$elf" "$log"
    "${cmd[@]}" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    while :; do
        verdict=$(log_verdict "$log")
        [ -n "$verdict" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"; rc=$?
            # shellcheck disable=SC2034  # rc_text (lib.sh) reads them
            QEMU_TIMEOUT=$GUEST_TIMEOUT LOG=$log
            verdict=$(log_verdict "$log")
            [ -n "$verdict" ] ||
                verdict="FAIL: no result line; $(rc_text "$rc")"
            break
        fi
        if [ $((SECONDS - start)) -ge "$GUEST_TIMEOUT" ]; then
            verdict="FAIL: timeout after ${GUEST_TIMEOUT}s"
            break
        fi
        sleep 0.2
    done
    # Give the shutdown message a moment to reach the log, then stop QEMU.
    sleep 0.3
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    case $verdict in
    PASS) echo "PASS $hv/$t" ;;
    SKIP*) echo "SKIP $hv/$t:${verdict#SKIP:}" ;;
    *)  echo "FAIL $hv/$t:${verdict#FAIL:}"
        echo "  --- last lines of $log ---"
        tail -n 15 "$log" 2>/dev/null | tr -d '\r' | sed 's/^/  | /' ;;
    esac > "$res"
}

have_xen() {
    [ -s "$O/cache/xen/xen" ] && return 0
    tools/fetch-debs.sh "$O/cache" >&2 || return 1
    [ -s "$O/cache/xen/xen" ]
}

keel_ready() {
    grep -qx "$1" tests/guests/KEEL_READY 2>/dev/null
}

if ! command -v qemu-system-x86_64 >/dev/null; then
    for t in "${tests[@]}"; do
        echo "SKIP guests/$t: no qemu-system-x86_64"
    done
    exit 0
fi

fail=0
for hv in $hvs; do
    todo=()
    for t in "${tests[@]}"; do
        if [ "$hv" = xen ] && ! have_xen; then
            echo "SKIP xen/$t: no Xen 4.17 binary ($O/cache/xen/xen)"
        elif [ "$hv" = keel ] && ! keel_ready "$t"; then
            echo "SKIP keel/$t: not yet supported by Keel (see tests/guests/KEEL_READY)"
        elif [ "$hv" = keel ] && [ ! -f "$KEEL_MB32" ]; then
            echo "SKIP keel/$t: $KEEL_MB32 not built"
        else
            todo+=("$t")
        fi
    done
    running=0
    for t in "${todo[@]}"; do
        if [ "$running" -ge "$jobs" ]; then
            wait -n
            running=$((running - 1))
        fi
        run_one "$hv" "$t" &
        running=$((running + 1))
    done
    wait
    for t in "${todo[@]}"; do
        cat "$LOGDIR/$hv-$t.res"
        grep -q '^FAIL' "$LOGDIR/$hv-$t.res" && fail=1
    done
done
exit $fail
