#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: disk and NIC throughput in Debian's dom0 on Keel, on Xen 4.17
# and natively (the same kernel and initramfs, no hypervisor), in the same
# QEMU, interleaved; medians and ratios.  Dom0 runs keeltest=iobench
# (tools/dom0/keeltest/iobench.sh): dd with O_DIRECT and 1 MiB blocks on a
# virtio-blk and an AHCI disk (raw sparse images, made afresh for every
# boot), then TCP both ways over virtio-net to QEMU's user network
# (restrict=on: nothing leaves QEMU), to two guestfwd ports whose host
# commands serve a file (cat) and count what arrives (wc -c).
#
# Usage: io.sh   (from `make bench`; O= is the build directory)
#   BENCH_IO_RUNS=N    boots per configuration (default BENCH_RUNS, else 3)
#   BENCH_IO_TIMEOUT=S seconds one boot may take to dom0's verdict (600)
#   BENCH_DISK_MIB=N   MiB written on each disk (256), then read...
#   BENCH_READ_PASSES=N  ...N times in a row (4; one read is too short)
#   BENCH_NET_MIB=N    MiB sent each way over TCP (32)
# Each transfer is timed three ways: by dom0's own clock (CLOCK_MONOTONIC
# in the start and end lines it prints), by the host's wall clock when they
# arrive on the serial console, and by the CPU time QEMU used in between
# (the least disturbed by host load).  Output: a report on stdout and in
# build/bench/io.txt, with build/bench/io-runs.csv (every transfer) and
# build/bench/io-summary.csv (medians, min, max and ratios, in MiB/s);
# serial logs in build/bench/logs/io-<config>-<run>.log.
set -eu
# shellcheck source=tools/bench/lib.sh
. "$(dirname "$0")/lib.sh"

RUNS=${BENCH_IO_RUNS:-${BENCH_RUNS:-3}}
TIMEOUT=${BENCH_IO_TIMEOUT:-600}
DISK_MIB=${BENCH_DISK_MIB:-256}
READ_PASSES=${BENCH_READ_PASSES:-4}
NET_MIB=${BENCH_NET_MIB:-32}
TESTS="blk-write blk-read ahci-write ahci-read net-down net-up"
MEASURES="guest wall cpu"       # io-runs.csv's MiB/s columns 8, 9, 10
MEDIA=$OUT/io
GUEST_ARGS="keeltest=iobench iobench_disk_mib=$DISK_MIB"
GUEST_ARGS="$GUEST_ARGS iobench_read_passes=$READ_PASSES"
GUEST_ARGS="$GUEST_ARGS iobench_net_mib=$NET_MIB"
MARK_RE='KEEL-BENCH ([a-z-]+) (start|end) ([0-9.]+)( ([0-9]+))?'
FAIL_RE='KEEL-BENCH ([a-z-]+) failed: (.*)'
VERDICT_RE='KEEL-DOM0-TEST iobench: (.*)'
DEAD_RE='Panic on CPU|Keel panic|Dom0 crashed|Domain 0 crashed'
DEAD_RE="$DEAD_RE|Kernel panic - not syncing"

for v in "$DISK_MIB" "$READ_PASSES" "$NET_MIB"; do
    case $v in ''|*[!0-9]*|0) die "BENCH_DISK_MIB, BENCH_READ_PASSES and" \
                                   "BENCH_NET_MIB must be positive" ;; esac
done
bench_setup "$RUNS"
bench_report "$OUT/io.txt"

# make_media: fresh sparse disks for one boot, and once the file that
# dom0 downloads; sets NET_FILE to its absolute path.
make_media() {
    mkdir -p "$MEDIA"
    rm -f "$MEDIA/vda.img" "$MEDIA/sda.img"
    truncate -s "${DISK_MIB}M" "$MEDIA/vda.img" "$MEDIA/sda.img"
    NET_FILE=$(cd "$MEDIA" && pwd)/net.bin
    [ "$(stat -c %s "$NET_FILE" 2>/dev/null)" = $((NET_MIB * 1048576)) ] ||
        head -c $((NET_MIB * 1048576)) /dev/urandom > "$NET_FILE"
}

# The QEMU command line of configuration <cfg>, in `cmd`; the serial
# console on stdout, for the host's timestamps.  The disks use the host's
# page cache and ignore flushes (cache=unsafe): what is measured is the
# guest's and the hypervisor's I/O path, not the host's disk.
# shellcheck disable=SC2054  # the commas are QEMU's
qemu_cmd() {
    local fwd=guestfwd=tcp:10.0.2.100 net
    net="user,id=n0,restrict=on,$fwd:7000-cmd:cat $NET_FILE"
    net="$net,$fwd:7001-cmd:wc -c"
    cmd=(qemu-system-x86_64 "${MACHINE[@]}" -display none -nodefaults
         -no-reboot -serial stdio
         -drive "file=$MEDIA/vda.img,format=raw,if=none,id=vd,cache=unsafe"
         -device virtio-blk-pci,drive=vd
         -drive "file=$MEDIA/sda.img,format=raw,if=none,id=sd,cache=unsafe"
         -device ahci,id=ahci -device ide-hd,drive=sd,bus=ahci.0
         -netdev "$net"
         -device virtio-net-pci,netdev=n0)
    boot_args "$1" "$GUEST_ARGS"
}

# on_line <line>: a serial line's meaning.  A transfer's start and end
# lines record dom0's clock, the host's time the line came (LINE_AT) and
# QEMU's CPU time, in UP, AT and CPU by "<name> start|end", its bytes in
# BYTES by name; a failed line goes into BAD.  Returns 1 at dom0's
# verdict or a crash.
on_line() {
    if [[ $1 =~ $MARK_RE ]]; then
        local key="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
        UP[$key]=${BASH_REMATCH[3]}
        AT[$key]=$LINE_AT
        CPU[$key]=$(cpu_time "$QEMU_PID")
        [ -z "${BASH_REMATCH[5]}" ] ||
            BYTES[${BASH_REMATCH[1]}]=${BASH_REMATCH[5]}
    elif [[ $1 =~ $FAIL_RE ]]; then
        BAD[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    elif [[ $1 =~ $VERDICT_RE ]]; then
        VERDICT=${BASH_REMATCH[1]}
        return 1
    elif [[ $1 =~ $DEAD_RE ]]; then
        WHY=$1
        return 1
    fi
}

# read_serial <fd> <log>: the serial lines from <fd> into <log> and to
# on_line as they come, until on_line says stop, QEMU ends or the
# timeout; sets WHY when there is no verdict.
read_serial() {
    local fd=$1 logfd end=$((SECONDS + TIMEOUT)) line part="" rc
    exec {logfd}>"$2"
    while :; do
        rc=0
        IFS= read -r -t 1 -u "$fd" line || rc=$?
        LINE_AT=$EPOCHREALTIME
        if [ $rc = 0 ]; then
            line=$part${line%$'\r'}
            part=""
            printf '%s\n' "$line" >&"$logfd"
            on_line "$line" || break
        elif [ $rc -gt 128 ]; then
            part=$part$line             # a partial line: read timed out
        else
            printf '%s' "$part" >&"$logfd"
            WHY="QEMU ended before dom0's verdict ($(head -n 1 "$2.qemu"))"
            break
        fi
        if [ $SECONDS -ge $end ]; then
            WHY="no verdict within ${TIMEOUT}s"
            break
        fi
    done
    exec {logfd}>&-
}

# record <cfg> <n>: one io-runs.csv line per transfer, "ok" when it has
# both ends, all its bytes and no failed line; prints its guest MiB/s.
record() {
    local cfg=$1 n=$2 t s e mib cells=() status
    for t in $TESTS; do
        s="$t start" e="$t end"
        if [ -n "${UP[$e]:-}" ] && [ -n "${UP[$s]:-}" ] &&
           [ -z "${BAD[$t]:-}" ] && [ -n "${BYTES[$t]:-}" ]; then
            status=ok
        else
            status=failed
            FAILED=$((FAILED + 1))
            echo "  run $n $cfg $t FAILED: ${BAD[$t]:-${WHY:-no end line}}"
        fi
        if [ $status = ok ]; then
            awk -v c="$cfg" -v n="$n" -v t="$t" -v b="${BYTES[$t]}" \
                -v u0="${UP[$s]}" -v u1="${UP[$e]}" \
                -v a0="${AT[$s]}" -v a1="${AT[$e]}" \
                -v c0="${CPU[$s]}" -v c1="${CPU[$e]}" 'BEGIN {
                    m = b / 1048576; g = u1 - u0; w = a1 - a0; p = c1 - c0
                    printf "%s,%d,%s,%g,%.3f,%.3f,%.2f", c, n, t, m, g, w, p
                    printf ",%s,%s,%s,ok\n", rate(m, g), rate(m, w), rate(m, p)
                }
                function rate(m, s) {
                    return s > 0 ? sprintf("%.2f", m / s) : "" }' \
                >> "$OUT/io-runs.csv"
            mib=$(tail -n 1 "$OUT/io-runs.csv" | cut -d, -f8)
            cells+=("$(printf '%11.1f' "$mib")")
        else
            echo "$cfg,$n,$t,,,,,,,,failed" >> "$OUT/io-runs.csv"
            cells+=("$(printf '%11s' -)")
        fi
    done
    printf '  run %-3d %-7s%s\n' "$n" "$cfg" "$(IFS=; echo "${cells[*]}")"
}

# run_io <cfg> <n>: one boot through all transfers to dom0's verdict.
run_io() {
    local cfg=$1 n=$2 log=$LOGS/io-$1-$2.log fifo=$MEDIA/serial fd
    UP=() AT=() CPU=() BYTES=() BAD=() VERDICT="" WHY=""
    make_media
    qemu_cmd "$cfg"
    rm -f "$fifo" "$log.qemu"
    mkfifo "$fifo"
    "${cmd[@]}" </dev/null >"$fifo" 2>"$log.qemu" &
    QEMU_PID=$!
    exec {fd}<"$fifo"
    read_serial "$fd" "$log"
    kill "$QEMU_PID" 2>/dev/null || true
    wait "$QEMU_PID" 2>/dev/null || true
    exec {fd}<&-
    rm -f "$fifo" "$MEDIA/vda.img" "$MEDIA/sda.img"
    [ -n "$VERDICT" ] || [ -n "$WHY" ] || WHY="no verdict"
    [ -z "$WHY" ] || echo "  run $n $cfg: $WHY (log $log)"
    record "$cfg" "$n"
}

# stats <cfg> <test> <column>: "median min max n" of a MiB/s column of
# io-runs.csv over the transfers that completed.
stats() {
    awk -F, -v c="$1" -v t="$2" -v k="$3" \
        '$1 == c && $3 == t && $11 == "ok" && $k != "" { print $k }' \
        "$OUT/io-runs.csv" | summarize
}

# cell <median> <min> <max>: "M (L-H)" to 0.1, or "-".
cell() {
    if [ "$1" = - ]; then
        echo -
    else
        printf '%.1f (%.1f-%.1f)' "$1" "$2" "$3"
    fi
}

declare -A UP AT CPU BYTES BAD
FAILED=0
bench_header "dom0 disk and NIC throughput" "$RUNS"
echo "  disks: virtio-blk and AHCI, raw sparse images, cache=unsafe;" \
     "dd 1 MiB blocks, O_DIRECT;"
echo "         $DISK_MIB MiB written, then read $READ_PASSES times"
echo "  NIC: virtio-net, -netdev user,restrict=on; TCP via nc to guestfwd" \
     "10.0.2.100:7000 (cat) and :7001 (wc -c), $NET_MIB MiB"
echo "config,run,test,mib,guest_s,wall_s,qemu_cpu_s,guest_mib_s," \
     "wall_mib_s,cpu_mib_s,status" | tr -d ' ' > "$OUT/io-runs.csv"
echo
printf '%-17s' "MiB/s by dom0"
# shellcheck disable=SC2086  # one column per test
printf ' %10s' $TESTS
echo
for n in $(seq 1 "$RUNS"); do
    for cfg in $CONFIGS; do
        run_io "$cfg" "$n"
    done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# The medians by "<cfg> <test> <measure>", for the ratios.
declare -A med=()
echo
echo "MiB/s: median (min-max) by dom0's clock, by the host's wall clock" \
     "and per second of QEMU's CPU time"
printf '%-11s %-7s %-5s %-23s %-23s %s\n' test config runs "dom0 clock" \
    "host wall" "QEMU CPU"
echo "config,test,measure,runs,median,min,max" > "$OUT/io-summary.csv"
for t in $TESTS; do
    for cfg in $CONFIGS; do
        cells=()
        col=8
        for m in $MEASURES; do
            read -r md lo hi nok < <(stats "$cfg" "$t" "$col")
            med[$cfg $t $m]=$md
            cells+=("$(cell "$md" "$lo" "$hi")")
            echo "$cfg,$t,$m,$nok,$md,$lo,$hi" >> "$OUT/io-summary.csv"
            col=$((col + 1))
        done
        printf '%-11s %-7s %-5s %-23s %-23s %s\n' "$t" "$cfg" "$nok/$RUNS" \
            "${cells[@]}"
    done
done
echo
echo "ratios of the median MiB/s (above 1: the first is faster)," \
     "by dom0 clock/host wall/QEMU CPU"
printf '%-11s %-17s %-17s %s\n' test keel/xen keel/native xen/native
for t in $TESTS; do
    cells=()
    for pair in keel/xen keel/native xen/native; do
        a=${pair%/*} b=${pair#*/}
        rs=()
        for m in $MEASURES; do
            r=$(ratio "${med[$a $t $m]}" "${med[$b $t $m]}")
            rs+=("$r")
            echo "$pair,$t,$m,,$r,," >> "$OUT/io-summary.csv"
        done
        cells+=("$(IFS=/; echo "${rs[*]}")")
    done
    printf '%-11s %-17s %-17s %s\n' "$t" "${cells[@]}"
done
echo
echo "load average: end $LOAD1"
echo "written: $OUT/io.txt (this report), io-runs.csv, io-summary.csv"
[ "$FAILED" = 0 ] ||
    die "$FAILED of $((RUNS * 3 * 6)) transfers failed (logs in $LOGS)"
