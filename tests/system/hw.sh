#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# M4: the hardware matrix.  Debian's dom0 boots on Xen 4.17 (the reference)
# and on Keel, on QEMU's pc (i440FX) and q35 machines, each with a
# virtio-blk and an AHCI disk and a virtio-net and an e1000 NIC, and runs
# the hw self-check (tools/dom0/keeltest/hw.sh): ext4 and checksummed data
# on both disks, ping and TCP both ways through QEMU's user network, device
# interrupts as xen-pirq events on both vCPUs, MSI-X for virtio, keelmap's
# isolation checks and a clean kernel log.  Here: keelmap's COM1 marker
# must not be in the serial log.  One PASS/FAIL line per run, hw/<m>/<hv>.
#
# Usage: hw.sh [--hv xen|keel|all] [--machine pc|q35|all]
#   Keel runs only the machines listed in tests/system/HW_ON_KEEL.
#   HW_MIB sets the data written to each disk (default 256, as M4 asks).
set -u
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

HW_MIB=${HW_MIB:-256}
HW_TIMEOUT=${HW_TIMEOUT:-600}           # boot to a verdict
POWEROFF_WAIT=30                        # QEMU's end after the verdict
DISK_SIZE=512M                          # each sparse disk image
NET_MIB=16                              # each TCP transfer
READY_LIST=${HW_ON_KEEL:-tests/system/HW_ON_KEEL}
# What keelmap (tools/dom0/keelmap.c) writes to COM1's data port.
COM1_MARKER=keelmap-com1-write-through

# The hypervisors and dom0 as in tests/system/linux.sh.
XEN_ARGS="console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=2 noreboot"
XEN_ARGS="$XEN_ARGS loglvl=all guest_loglvl=all"
KEEL_ARGS="console=com1 dom0_mem=512M dom0_max_vcpus=2 noreboot"
DOM0_ARGS="console=hvc0 earlyprintk=xen keeltest_cpus=2 keeltest=hw"
DOM0_ARGS="$DOM0_ARGS keeltest_mib=$HW_MIB keeltest_ulmib=$NET_MIB"

RESULT_RE='KEEL-DOM0-TEST hw: '
DEAD_RE='Panic on CPU|Keel panic|Dom0 crashed|Domain 0 crashed'
DEAD_RE="$DEAD_RE|Kernel panic - not syncing"

hvs=all
machines=all
while [ $# -gt 0 ]; do
    case $1 in
    --hv) hvs=$2; shift 2 ;;
    --machine) machines=$2; shift 2 ;;
    -h|--help) sed -n '3,14p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--hv xen|keel|all] [--machine pc|q35|all]" >&2
       exit 2 ;;
    esac
done
[ "$hvs" = all ] && hvs="xen keel"
[ "$machines" = all ] && machines="pc q35"

# make_media <dir>: fresh sparse disks and the file dom0 downloads; sets
# DL_SUM to its sha256.
make_media() {
    rm -rf "$1"
    mkdir -p "$1"
    truncate -s "$DISK_SIZE" "$1/vda.img" "$1/sda.img"
    head -c $((NET_MIB * 1048576)) /dev/urandom > "$1/download"
    DL_SUM=$(sha256sum < "$1/download" | cut -d' ' -f1)
}

# netdev <id> <subnet prefix> <dir>: a restricted user network whose
# 10.0.x.100:7000 serves the download and :7001 answers an upload's sha256.
netdev() {
    local fwd="guestfwd=tcp:$2.100"
    local get="$fwd:7000-cmd:cat $3/download" put="$fwd:7001-cmd:sha256sum"
    echo "user,id=$1,net=$2.0/24,restrict=on,$get,$put"
}

# The QEMU command line for <machine> <hv> <media dir>, in the array `cmd`.
# shellcheck disable=SC2054  # the commas are QEMU's
qemu_cmd() {
    local m=$1 hv=$2 dir=$3 ahci_bus=ide.0
    cmd=(qemu-system-x86_64 -accel tcg -machine "$m" -cpu max,-smap -m 1G
         -smp 2 -display none -nodefaults -no-reboot -serial "file:$LOG"
         -device isa-debug-exit,iobase=0xf4,iosize=0x04
         -drive "file=$dir/vda.img,format=raw,if=none,id=vd,cache=unsafe"
         -drive "file=$dir/sda.img,format=raw,if=none,id=sd,cache=unsafe"
         -device virtio-blk-pci,drive=vd)
    # q35's ICH9 has its AHCI built in; pc gets one.
    if [ "$m" = pc ]; then
        cmd+=(-device ahci,id=ahci)
        ahci_bus=ahci.0
    fi
    cmd+=(-device "ide-hd,drive=sd,bus=$ahci_bus"
          -netdev "$(netdev n0 10.0.2 "$dir")" -device virtio-net-pci,netdev=n0
          -netdev "$(netdev n1 10.0.3 "$dir")" -device e1000,netdev=n1)
    case $hv in
    xen) cmd+=(-kernel "$O/cache/xen/xen" -append "$XEN_ARGS") ;;
    keel) cmd+=(-kernel "$KEEL_MB32" -append "$KEEL_ARGS") ;;
    esac
    cmd+=(-initrd "$DOM0_KERNEL $DOM0_ARGS keeltest_dlsum=$DL_SUM,$DOM0_INITRD")
}

# in_log <ERE>: some line of the serial log matches.
in_log() {
    grep -a -q -E -e "$1" "$LOG" 2>/dev/null
}

# wait_verdict <pid> <secs>: until dom0's verdict, a dead machine, QEMU's
# end or the time; then up to POWEROFF_WAIT more for QEMU's end after a
# PASS.  Sets QEMU_RC when QEMU ended, else leaves it empty.
wait_verdict() {
    local pid=$1 end=$((SECONDS + $2)) seen=0
    QEMU_RC=""
    while [ $SECONDS -lt $end ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            QEMU_RC=$?
            return
        fi
        in_log "$DEAD_RE" && return
        if [ $seen = 0 ] && in_log "$RESULT_RE"; then
            seen=1
            end=$((SECONDS + POWEROFF_WAIT))
        fi
        sleep 0.5
    done
}

# expect_verdict: dom0's PASS, else the best reason there is.
expect_verdict() {
    local line
    line=$(grep -a -m 1 -E -e "$RESULT_RE" "$LOG" | tr -d '\r')
    if [ -n "$line" ]; then
        [ "${line#*: }" = PASS ] || why "dom0 said: ${line#*KEEL-DOM0-TEST }"
        return
    fi
    line=$(grep -a -m 1 -E -e "$DEAD_RE" "$LOG" | tr -d '\r')
    if [ -n "$line" ]; then
        why "$line"
    elif [ -n "$QEMU_RC" ]; then
        why "QEMU ended before dom0's verdict: $(rc_text "$QEMU_RC")"
    else
        why "no verdict within ${QEMU_TIMEOUT}s"
    fi
}

# run_hw <machine> <hv>: one boot, one PASS/FAIL line and its wall time.
run_hw() {
    local m=$1 hv=$2 dir=$O/tests/hw-$1-$2 pid start=$SECONDS
    TEST=hw/$m/$hv
    WHY=""
    LOG=$LOGS/hw-$m-$hv.log
    QEMU_TIMEOUT=$HW_TIMEOUT
    rm -f "$LOG" "$LOG.qemu"
    make_media "$dir"
    qemu_cmd "$m" "$hv" "$(cd "$dir" && pwd)"
    "${cmd[@]}" </dev/null >"$LOG.qemu" 2>&1 &
    pid=$!
    wait_verdict "$pid" "$HW_TIMEOUT"
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    expect_verdict
    in_log 'keelmap: wrote a [0-9]+-byte marker' ||
        why "keelmap did not write its COM1 marker"
    expect_no_log "$COM1_MARKER" "keelmap's COM1 marker (dom0 wrote to COM1)"
    expect_no_log "$DEAD_RE" "a crash"
    verdict
    echo "  $TEST: $((SECONDS - start)) s wall"
    rm -rf "$dir"
}

for hv in $hvs; do
    for m in $machines; do
        case $m in
        pc|q35) dom0_can_run "hw/$m/$hv" "$hv" "$m" && run_hw "$m" "$hv" ;;
        *) fail "hw/$m/$hv" "no such machine" ;;
        esac
    done
done
lib_exit
