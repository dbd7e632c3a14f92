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

O=${O:-build}
cd "$(dirname "$0")/../.."
RUNS=${BENCH_RUNS:-5}
TIMEOUT=${BENCH_TIMEOUT:-300}
OUT=$O/bench
LOGS=$OUT/logs
CONFIGS="keel xen native"

DOM0_KERNEL=$O/cache/linux/vmlinuz
DOM0_INITRD=$O/dom0-initrd.cpio.gz
XEN=$O/cache/xen/xen
# A copy, so a rebuild of keel.mb32 during the runs changes nothing.
KEEL=$OUT/keel.mb32
CLK_TCK=$(getconf CLK_TCK)
MEASURES="wall uptime cpu"      # the columns 3, 4, 5 of boot-runs.csv

# The machine of tests/system/linux.sh; dom0 gets 512M and 2 vCPUs, and
# the native kernel the same (mem=512M, -smp 2).  No keeltest=: /init
# prints the marker and starts a shell, and the run ends at the marker.
# shellcheck disable=SC2054  # the comma is QEMU's
MACHINE=(-accel tcg -machine pc -cpu max,-smap -m 1G -smp 2)
XEN_ARGS="console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=2 noreboot"
KEEL_ARGS="console=com1 dom0_mem=512M dom0_max_vcpus=2 noreboot"
DOM0_ARGS="console=hvc0 earlyprintk=xen"
NATIVE_ARGS="console=ttyS0 mem=512M"
MARK_RE='KEEL-DOM0-INIT: up at [0-9.]+ s:'

die() { echo "bench: $*" >&2; exit 1; }

case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number" ;; esac
command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64"
for f in "$DOM0_KERNEL" "$DOM0_INITRD" "$XEN" "$O/keel.mb32"; do
    [ -s "$f" ] || die "no $f (make hv fetch initrd)"
done
mkdir -p "$LOGS"
cp "$O/keel.mb32" "$KEEL"

# The QEMU command line of configuration <cfg> logging to <log>, in `cmd`.
# shellcheck disable=SC2054  # the commas are QEMU's
qemu_cmd() {
    local cfg=$1 log=$2
    cmd=(qemu-system-x86_64 "${MACHINE[@]}" -display none -nodefaults
         -no-reboot -serial "file:$log")
    case $cfg in
    keel) cmd+=(-kernel "$KEEL" -append "$KEEL_ARGS"
                -initrd "$DOM0_KERNEL $DOM0_ARGS,$DOM0_INITRD") ;;
    xen) cmd+=(-kernel "$XEN" -append "$XEN_ARGS"
               -initrd "$DOM0_KERNEL $DOM0_ARGS,$DOM0_INITRD") ;;
    native) cmd+=(-kernel "$DOM0_KERNEL" -append "$NATIVE_ARGS"
                  -initrd "$DOM0_INITRD") ;;
    esac
}

# elapsed <from>: seconds since $EPOCHREALTIME was <from>, to 0.001 s.
elapsed() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

# cpu_time <pid>: the user+system seconds of a process, all its threads.
cpu_time() {
    awk -v t="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"
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
        "$OUT/boot-runs.csv" | sort -n |
        awk '{ v[NR] = $1 }
             END { if (!NR) { print "- - - 0"; exit }
                   h = int((NR + 1) / 2)
                   m = NR % 2 ? v[h] : (v[h] + v[h + 1]) / 2
                   printf "%.2f %.2f %.2f %d\n", m, v[1], v[NR], NR }'
}

# ratio <a> <b>: a/b to 0.01, or "-" when either is missing.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-" || b == 0) print "-"
        else printf "%.2f\n", a / b }'
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
QEMU_VERSION=$(qemu-system-x86_64 --version | head -n 1)
echo "bench: dom0 boot to /init, $RUNS runs each, interleaved ($CONFIGS)"
echo "  $QEMU_VERSION"
echo "  host: $(nproc) CPUs, load average at start $LOAD0"
echo "  machine: ${MACHINE[*]}"
echo "  keel:   $KEEL_ARGS | dom0: $DOM0_ARGS"
echo "  xen:    $XEN_ARGS | dom0: $DOM0_ARGS"
echo "  native: $NATIVE_ARGS (same initramfs; its insmod of the Xen" \
     "modules fails fast)"
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
echo "load average: start $LOAD0, end $LOAD1"
echo "written: $OUT/boot.txt (this report), boot-runs.csv, boot-summary.csv"
[ "$failed" = 0 ] ||
    die "$failed of $((RUNS * 3)) runs did not reach the marker"
