#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: Debian's dom0 kernel booted to /init's marker line
# ("KEEL-DOM0-INIT: up at <uptime> s: ...") on Keel, on Xen 4.17 and natively
# (no hypervisor), in the same QEMU, interleaved; medians and ratios.
#
# Usage: boot.sh   (from `make bench`; O= is the build directory)
#   BENCH_RUNS=N      boots per configuration (default 5)
#   BENCH_TIMEOUT=S   seconds one boot may take to the marker (default 300)
# Each run measures the host's wall time from QEMU's start to the marker
# (polled every 0.1 s), the guest's own uptime printed in the marker, and
# the CPU time QEMU used until then (the least disturbed by host load).
# Output: a report on stdout and in build/bench/boot.txt, with
# build/bench/boot-runs.csv (every run) and build/bench/boot-summary.csv
# (medians, min, max and ratios); serial logs in build/bench/logs/.
set -eu
# shellcheck source=tools/bench/lib.sh
. "$(dirname "$0")/lib.sh"

RUNS=${BENCH_RUNS:-5}
TIMEOUT=${BENCH_TIMEOUT:-300}
MEASURES="wall uptime cpu"      # the columns 3, 4, 5 of boot-runs.csv
MARK_RE='KEEL-DOM0-INIT: up at [0-9.]+ s:'

bench_setup "$RUNS"
bench_report "$OUT/boot.txt"

# The QEMU command line of configuration <cfg> logging to <log>, in `cmd`.
# No keeltest=: /init prints the marker and starts a shell, and the run
# ends at the marker.
qemu_cmd() {
    cmd=(qemu-system-x86_64 "${MACHINE[@]}" -display none -nodefaults
         -no-reboot -serial "file:$2")
    boot_args "$1" ""
}

# boot <cfg> <n>: one boot to the marker; sets WALL, UPTIME and CPU (QEMU's
# CPU time, which host load disturbs less than the wall time), or WHY.
boot() {
    local cfg=$1 log=$LOGS/$1-$2.log start pid line
    WALL="" UPTIME="" CPU="" WHY=""
    rm -f "$log"
    qemu_cmd "$cfg" "$log"
    start=$EPOCHREALTIME
    "${cmd[@]}" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    while :; do
        line=$(grep -a -m 1 -o -E -e "$MARK_RE" "$log" 2>/dev/null) || true
        if [ -n "$line" ]; then
            WALL=$(elapsed "$start")
            CPU=$(cpu_time "$pid")
            UPTIME=$(echo "$line" | sed -E 's/.* at ([0-9.]+) s:/\1/')
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            WHY="QEMU ended before the marker ($(head -n 1 "$log.qemu"))"
            break
        fi
        if [ "$(elapsed "$start" | cut -d. -f1)" -ge "$TIMEOUT" ]; then
            WHY="no marker within ${TIMEOUT}s"
            break
        fi
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# stats <cfg> <column>: "median min max n" of a column of boot-runs.csv
# over the runs of <cfg> that reached the marker.
stats() {
    awk -F, -v c="$1" -v k="$2" '$1 == c && $6 == "ok" { print $k }' \
        "$OUT/boot-runs.csv" | summarize
}

bench_header "dom0 boot to /init" "$RUNS"
echo "config,run,wall_s,uptime_s,qemu_cpu_s,status" > "$OUT/boot-runs.csv"
failed=0
for n in $(seq 1 "$RUNS"); do
    for cfg in $CONFIGS; do
        boot "$cfg" "$n"
        if [ -z "$WHY" ]; then
            printf '  run %d %-6s wall %6.2f s  uptime %6.2f s  cpu %6.2f s\n' \
                "$n" "$cfg" "$WALL" "$UPTIME" "$CPU"
            echo "$cfg,$n,$WALL,$UPTIME,$CPU,ok" >> "$OUT/boot-runs.csv"
        else
            echo "  run $n $cfg FAILED: $WHY (log $LOGS/$cfg-$n.log)"
            echo "$cfg,$n,,,,failed" >> "$OUT/boot-runs.csv"
            failed=$((failed + 1))
        fi
    done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# The medians by "<cfg> <measure>", for the ratios.
declare -A med=()
echo
printf '%-8s %-5s %-24s %-24s %s\n' seconds runs "wall: median (min-max)" \
    "uptime: median (min-max)" "QEMU cpu: median (min-max)"
echo "config,measure,runs,median,min,max" > "$OUT/boot-summary.csv"
for cfg in $CONFIGS; do
    cells=()
    col=3
    for m in $MEASURES; do
        read -r md lo hi nok < <(stats "$cfg" "$col")
        med[$cfg $m]=$md
        cells+=("$(printf '%6s (%s-%s)' "$md" "$lo" "$hi")")
        echo "$cfg,$m,$nok,$md,$lo,$hi" >> "$OUT/boot-summary.csv"
        col=$((col + 1))
    done
    printf '%-8s %-5s %-24s %-24s %s\n' "$cfg" "$nok/$RUNS" "${cells[@]}"
done
echo
printf '%-20s %8s %8s %8s\n' "ratio of the medians" wall uptime "QEMU cpu"
for pair in keel/xen keel/native xen/native; do
    a=${pair%/*} b=${pair#*/}
    line=$(printf '%-20s' "$pair")
    for m in $MEASURES; do
        r=$(ratio "${med[$a $m]}" "${med[$b $m]}")
        line="$line $(printf '%8s' "$r")"
        echo "$pair,$m,,$r,," >> "$OUT/boot-summary.csv"
    done
    echo "$line"
done
echo
echo "load average: end $LOAD1"
echo "written: $OUT/boot.txt (this report), boot-runs.csv, boot-summary.csv"
[ "$failed" = 0 ] ||
    die "$failed of $((RUNS * 3)) runs did not reach the marker"
