# SPDX-License-Identifier: GPL-2.0-only
# iobench: the guest half of `make bench`'s disk and NIC throughput run
# (tools/bench/io.sh), in dom0 on Keel or Xen 4.17 or in the same kernel
# booted natively, so nothing here needs Xen.  Timings only, never a test.
#
# Disks: a sequential write of iobench_disk_mib=N MiB (256) at the start
# of the raw virtio-blk (/dev/vda) and AHCI (/dev/sda) disks, then
# iobench_read_passes=N (4) sequential reads of it, dd with 1 MiB blocks
# and O_DIRECT (no page cache).  NIC: virtio-net on
# QEMU's user network, dom0 10.0.2.15: iobench_net_mib=N MiB (32) of TCP
# down from 10.0.2.100:7000 into tmpfs, then up from tmpfs to
# 10.0.2.100:7001, which answers the byte count it got.  Each transfer is
# framed by console lines the host times as well (the time is dom0's
# CLOCK_MONOTONIC, in seconds):
#     KEEL-BENCH <name> start <seconds>
#     KEEL-BENCH <name> end <seconds> <bytes>
#     KEEL-BENCH <name> failed: <why>   (instead of, or after, its end)
# Names: blk-write, blk-read, ahci-write, ahci-read, net-down, net-up.
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

DISK_MIB=$(karg iobench_disk_mib 256)
READ_PASSES=$(karg iobench_read_passes 4)
NET_MIB=$(karg iobench_net_mib 32)
HOST=10.0.2.100
RUN=/run/keeltest
T0=0
NOW=0
SECS=0

# now: CLOCK_MONOTONIC in ns, in NOW: the "now at" line of
# /proc/timer_list (/proc/uptime has only hundredths), read by the shell
# itself so no fork sits between the stamp and the transfer.
now() {
    local a b
    if [ -r /proc/timer_list ]; then
        { read -r a; read -r a; read -r a b NOW a; } < /proc/timer_list
    else
        read -r a _ < /proc/uptime
        b=${a#*.}
        NOW=$((${a%.*} * 1000000000 + 1${b}0000000 - 1000000000))
    fi
}

# secs <ns>: as seconds to the microsecond, in SECS (no fork either).
secs() {
    local f=$(($1 % 1000000000 / 1000 + 1000000))
    SECS=$(($1 / 1000000000)).${f#1}
}

# mark_start <name>: its start line.
mark_start() {
    now
    T0=$NOW
    secs "$T0"
    echo "KEEL-BENCH $1 start $SECS"
}

# mark_end <name> <bytes>: its end line at once, then a readable one.
mark_end() {
    now
    secs "$NOW"
    echo "KEEL-BENCH $1 end $SECS $2"
    say "$1: $(awk -v t="$((NOW - T0))" -v n="$2" 'BEGIN {
        t /= 1e9; printf "%.1f MiB in %.3f s", n / 1048576, t
        if (t > 0) printf " (%.1f MiB/s)", n / 1048576 / t }')"
}

# mark_failed <name> <why>
mark_failed() {
    echo "KEEL-BENCH $1 failed: $2"
    why "$1: $2"
}

# dd_run <name> <passes> <dd args...>: dd of DISK_MIB 1 MiB blocks
# <passes> times in a row, timed as one transfer; each "N+0 records out"
# line must show all the blocks.
dd_run() {
    local name=$1 passes=$2 err=$RUN/$1.dd rc=0 i=0
    shift 2
    : > "$err"
    mark_start "$name"
    while [ $i -lt "$passes" ] && [ $rc = 0 ]; do
        dd bs=1M count="$DISK_MIB" "$@" 2>> "$err" || rc=$?
        i=$((i + 1))
    done
    if [ $rc != 0 ]; then
        mark_failed "$name" "dd exit $rc: $(tail -n 1 "$err")"
        return
    fi
    mark_end "$name" $((passes * DISK_MIB * 1048576))
    i=$(grep -c "^$DISK_MIB+0 records out" "$err")
    [ "$i" = "$passes" ] ||
        mark_failed "$name" "short: $(grep 'records out' "$err" | head -n 1)"
}

# disk_bench <dev> <name>: write the start of the disk once, then read it
# READ_PASSES times (reads are fast: one pass is too short to time well).
disk_bench() {
    local dev=/dev/$1
    if ! wait_for "$dev" 30; then
        mark_failed "$2-write" "no $dev"
        mark_failed "$2-read" "no $dev"
        return
    fi
    dd_run "$2-write" 1 if=/dev/zero of="$dev" oflag=direct
    dd_run "$2-read" "$READ_PASSES" if="$dev" of=/dev/null iflag=direct
}

# nic_up <if>: 10.0.2.15/24, the carrier, and a ping of the gateway, which
# also fills the ARP cache before the timed transfers.
nic_up() {
    ip link set dev "$1" up && ip addr add 10.0.2.15/24 dev "$1" ||
        return 1
    wait_for_carrier "$1" || return 1
    ping -c 1 -W 5 10.0.2.2 > "$RUN/ping" 2>&1
}

# net_bench: NET_MIB MiB down from the host, then up to it.
net_bench() {
    local nic bytes=$((NET_MIB * 1048576)) got
    if ! nic=$(nic_of virtio_net) || ! nic_up "$nic"; then
        mark_failed net-down "no virtio-net link to 10.0.2.2"
        mark_failed net-up "no virtio-net link to 10.0.2.2"
        return
    fi
    mark_start net-down
    nc "$HOST" 7000 < /dev/null > "$RUN/down"
    mark_end net-down "$bytes"
    got=$(wc -c < "$RUN/down")
    [ "$got" = "$bytes" ] || mark_failed net-down "got $got bytes of $bytes"
    rm -f "$RUN/down"
    dd if=/dev/zero of="$RUN/up" bs=1M count="$NET_MIB" status=none
    mark_start net-up
    got=$(nc "$HOST" 7001 < "$RUN/up")
    mark_end net-up "$bytes"
    [ "$got" = "$bytes" ] || mark_failed net-up "host got '$got' of $bytes"
    rm -f "$RUN/up"
}

clock=/proc/timer_list
[ -r $clock ] || clock=/proc/uptime
say "iobench: disks $DISK_MIB MiB (read $READ_PASSES times), NIC" \
    "$NET_MIB MiB, clock $clock, on" \
    "$(cat /sys/hypervisor/type 2>/dev/null || echo 'bare metal')"
disk_bench vda blk
disk_bench sda ahci
net_bench
finish poweroff
