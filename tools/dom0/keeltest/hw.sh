# SPDX-License-Identifier: GPL-2.0-only
# hw: M4's hardware check, on QEMU's pc or q35 machine as tests/system/hw.sh
# builds it.  Disks: the virtio-blk (/dev/vda) and AHCI (/dev/sda) ones each
# get ext4, keeltest_mib=N MiB (256) of random data, sync, a remount with
# the caches dropped and a checksum compare.  NICs: virtio-net on QEMU's
# user network 10.0.2.0/24, e1000 on 10.0.3.0/24, dom0 .15: ping the
# gateway (.2), then a TCP download from 10.0.x.100:7000 (the host's file,
# its sha256 in keeltest_dlsum=) and an upload of keeltest_ulmib=N MiB (16)
# to 10.0.x.100:7001, where the host answers the sha256 of what it got.
# Before the traffic some device interrupts move to CPU1; afterwards
# /proc/interrupts must show them as xen-pirq events on both CPUs, virtio
# on MSI-X.  Then keelmap (dom0 cannot map the APICs or hypervisor memory,
# nor use COM1) and the kernel log, which must also be free of spurious
# interrupts, 'nobody cared' and swiotlb complaints.
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

MIB=$(karg keeltest_mib 256)             # under 16, or a multiple of 16
UL_MIB=$(karg keeltest_ulmib 16)
DL_SUM=$(karg keeltest_dlsum none)
RUN=/run/keeltest
# Interrupt trouble and swiotlb-xen running short are failures here.
IRQ_BAD='[Ss]purious|nobody cared|[Dd]isabling IRQ'
IRQ_BAD="$IRQ_BAD|(swiotlb|software IO TLB).*([Ff]ull|[Ww]arn|overflow|unable)"

# now: seconds since boot, to the hundredth.
now() { cut -d' ' -f1 /proc/uptime; }

# since <start> <MiB>: "S s" and, for MiB > 0, "(R MiB/s)": information only.
since() {
    awk -v a="$1" -v b="$(now)" -v m="$2" 'BEGIN {
        t = b - a; printf "%.1f s", t
        if (m > 0 && t > 0) printf " (%.1f MiB/s)", m / t }'
}

# pci_of <driver>: the PCI addresses the driver is bound to.
pci_of() {
    local d
    for d in /sys/bus/pci/drivers/"$1"/0000:*; do
        [ -e "$d" ] && echo "${d##*/}"
    done
}

# virtio_pci_of <virtio driver>: the PCI address of its virtio device.
virtio_pci_of() {
    local d
    for d in /sys/bus/virtio/drivers/"$1"/virtio*; do
        [ -e "$d" ] && basename "$(readlink -f "$d/..")"
    done
}

# ---- disks -------------------------------------------------------------

# The data goes in chunks: each is hashed in RAM before it goes to the
# disk, so the reference sums never come from the disk being checked (the
# page cache is too small to keep it all).  Big blocks: under a PV kernel
# every syscall and pipe hand-over goes through the hypervisor.
CHUNK_MIB=$((MIB < 16 ? MIB : 16))

# fill <file> <sums> <chunk>: MIB MiB of random data, its chunks' sha256s.
fill() {
    local i=0
    : > "$2"
    while [ $i -lt $((MIB / CHUNK_MIB)) ]; do
        dd if=/dev/urandom of="$3" bs=1M count=$CHUNK_MIB iflag=fullblock \
            status=none || return 1
        sha256sum < "$3" | cut -d' ' -f1 >> "$2"
        dd if="$3" of="$1" bs=1M oflag=append conv=notrunc status=none ||
            return 1
        i=$((i + 1))
    done
    rm -f "$3"
}

# sums_of <file> <sums> <chunk>: its chunks' sha256s, read back.
sums_of() {
    local i=0
    : > "$2"
    while [ $i -lt $((MIB / CHUNK_MIB)) ]; do
        dd if="$1" of="$3" bs=1M skip=$((i * CHUNK_MIB)) count=$CHUNK_MIB \
            status=none || return 1
        sha256sum < "$3" | cut -d' ' -f1 >> "$2"
        i=$((i + 1))
    done
    rm -f "$3"
}

# disk_run <dev> <what>: ext4, write, sync, remount, verify; in a subshell
# of its own, so it reports its failure in $RUN/<dev>.why.
disk_run() {
    local dev=/dev/$1 mnt=/mnt/$1 sums=$RUN/$1.sums chunk=$RUN/$1.chunk t
    mkdir -p "$mnt"
    t=$(now)
    /sbin/mke2fs -q -F -t ext4 "$dev" ||
        { why "$2: mke2fs $dev failed"; return; }
    say "$2: mke2fs -t ext4 $dev: $(since "$t" 0)"
    mount -t ext4 "$dev" "$mnt" || { why "$2: mount $dev failed"; return; }
    t=$(now)
    fill "$mnt/data" "$sums" "$chunk" || why "$2: writing $dev failed"
    sync
    say "$2: wrote $MIB MiB and synced: $(since "$t" "$MIB")"
    expect_eq "$2: file size" "$(wc -c < "$mnt/data")" $((MIB * 1048576))
    umount "$mnt" || { why "$2: umount $dev failed"; return; }
    echo 3 > /proc/sys/vm/drop_caches
    mount -t ext4 "$dev" "$mnt" || { why "$2: remount $dev failed"; return; }
    t=$(now)
    sums_of "$mnt/data" "$sums.back" "$chunk" || why "$2: reading $dev failed"
    say "$2: read back $MIB MiB: $(since "$t" "$MIB")"
    expect_eq "$2: sha256 of the $CHUNK_MIB MiB chunks' sha256s" \
        "$(sha256sum < "$sums.back" | cut -d' ' -f1)" \
        "$(sha256sum < "$sums" | cut -d' ' -f1)"
    umount "$mnt" || why "$2: final umount $dev failed"
}

# check_disks: vda (virtio-blk) and sda (AHCI) side by side.
check_disks() {
    local dev what ahci
    ahci=$(pci_of ahci)
    [ -n "$ahci" ] || why "no PCI device bound to ahci"
    wait_for /dev/vda 30 || why "no /dev/vda (virtio-blk)"
    wait_for /dev/sda 30 || why "no /dev/sda (AHCI)"
    case $(readlink -f /sys/block/sda) in
    */"$ahci"/*) say "/dev/sda is on the AHCI controller $ahci" ;;
    *) why "/dev/sda is not on the AHCI controller ($ahci)" ;;
    esac
    [ -z "$WHY" ] || return
    for dev in vda sda; do
        [ $dev = vda ] && what=virtio-blk || what=ahci
        (WHY=""; disk_run $dev $what; echo "$WHY" > "$RUN/$dev.why") \
            > "$RUN/$dev.log" 2>&1 &
    done
    wait
    for dev in vda sda; do
        cat "$RUN/$dev.log"
        [ -z "$(cat "$RUN/$dev.why")" ] || why "$(cat "$RUN/$dev.why")"
    done
}

# ---- NICs --------------------------------------------------------------

# nic_up <if> <subnet prefix> <what>: 10.0.x.15/24 on it, ping .2.
nic_up() {
    ip link set dev "$1" up || why "$3: cannot bring $1 up"
    ip addr add "$2.15/24" dev "$1" || why "$3: cannot set $2.15 on $1"
    wait_for_carrier "$1"
    if ping -c 3 -W 5 "$2.2" > "$RUN/ping.$1" 2>&1; then
        say "$3: $1 $2.15 pings gateway $2.2:" \
            "$(grep -o '[0-9]* packets received' "$RUN/ping.$1")"
    else
        cat "$RUN/ping.$1"
        why "$3: $1 cannot ping gateway $2.2"
    fi
}

# nic_tcp <if> <subnet prefix> <what>: download the host's file and check
# its sha256; upload random data, the host sends back its sha256.
nic_tcp() {
    local t got sum
    t=$(now)
    got=$(nc "$2.100" 7000 < /dev/null | sha256sum | cut -d' ' -f1)
    say "$3: TCP download: $(since "$t" 0)"
    expect_eq "$3: sha256 of the download" "$got" "$DL_SUM"
    head -c $((UL_MIB * 1048576)) /dev/urandom > "$RUN/upload"
    sum=$(sha256sum < "$RUN/upload" | cut -d' ' -f1)
    t=$(now)
    got=$(nc "$2.100" 7001 < "$RUN/upload" | cut -d' ' -f1)
    say "$3: TCP upload of $UL_MIB MiB: $(since "$t" "$UL_MIB")"
    rm -f "$RUN/upload"
    expect_eq "$3: the host's sha256 of the upload" "$got" "$sum"
}

# ---- interrupts --------------------------------------------------------

# irqs_of <PCI address>: the device's Linux irqs, MSI/MSI-X or INTx.
irqs_of() {
    local d=/sys/bus/pci/devices/$1
    if [ -d "$d/msi_irqs" ] && [ -n "$(ls "$d/msi_irqs")" ]; then
        ls "$d/msi_irqs"
    else
        cat "$d/irq"
    fi
}

# irq_line <irq>: its /proc/interrupts line.
irq_line() {
    grep -E "^ *$1:" /proc/interrupts
}

# irq_counts <irq>: "<CPU0 count> <CPU1 count>"; 0 0 while it has no
# handler (and so no line).
irq_counts() {
    irq_line "$1" | awk '{ c0 = $2; c1 = $3 } END { print c0 + 0, c1 + 0 }'
}

# device_irqs: "<what> <irq>" lines for the four devices, in $RUN/irqs.
device_irqs() {
    local what pci irq
    : > "$RUN/irqs"
    for what in virtio-blk virtio-net ahci e1000; do
        case $what in
        virtio-blk) pci=$(virtio_pci_of virtio_blk) ;;
        virtio-net) pci=$(virtio_pci_of virtio_net) ;;
        *) pci=$(pci_of "$what") ;;
        esac
        [ -n "$pci" ] || { why "$what: no PCI device"; continue; }
        for irq in $(irqs_of "$pci"); do
            echo "$what $irq" >> "$RUN/irqs"
        done
    done
}

# spread_irqs: virtio-net's and AHCI's interrupts to CPU1; the others stay
# on CPU0 (virtio-blk's queues may be spread by the kernel itself).
spread_irqs() {
    local what irq
    while read -r what irq; do
        case $what in virtio-net|ahci) ;; *) continue ;; esac
        if echo 2 > "/proc/irq/$irq/smp_affinity" 2>/dev/null; then
            say "$what: irq $irq to CPU1"
        else
            why "$what: cannot set irq $irq's affinity to CPU1"
        fi
    done < "$RUN/irqs"
}

# snapshot <file>: "<what> <irq> <cpu0> <cpu1>" for every device irq.
snapshot() {
    local what irq
    while read -r what irq; do
        echo "$what $irq $(irq_counts "$irq")"
    done < "$RUN/irqs" > "$1"
}

# msix_of <what>: its /proc/interrupts lines that are MSI-X ones.
msix_of() {
    local what irq
    while read -r what irq; do
        [ "$what" = "$1" ] && irq_line "$irq"
    done < "$RUN/irqs" | grep 'msi-x'
}

# check_irqs: after the traffic, every device's interrupts are xen-pirq
# events that arrived, virtio's on MSI-X, and CPU0 and CPU1 both took some.
check_irqs() {
    local what irq n
    snapshot "$RUN/irqs.after"
    while read -r what irq; do
        say "irq: $what: $(irq_line "$irq" | tr -s ' ')"
        irq_line "$irq" | grep -q xen-pirq ||
            why "$what: irq $irq is not a xen-pirq"
    done < "$RUN/irqs"
    for what in virtio-blk virtio-net; do
        msix_of $what > /dev/null || why "$what: no MSI-X interrupt"
    done
    for what in SPU ERR MIS; do
        n=$(awk -v r="$what:" '$1 == r { print $2 + $3 }' /proc/interrupts)
        expect_eq "/proc/interrupts $what" "${n:-0}" 0
    done
    # Per device, then per CPU column: the counts' growth in the traffic.
    awk 'NR == FNR { b0[$2] = $3; b1[$2] = $4; next }
        { d0 = $3 - b0[$2]; d1 = $4 - b1[$2]; dev[$1] += d0 + d1
          c0 += d0; c1 += d1 }
        END {
            for (w in dev) printf "%s %d\n", w, dev[w]
            printf "CPU0 %d\nCPU1 %d\n", c0, c1 }' \
        "$RUN/irqs.before" "$RUN/irqs.after" > "$RUN/irqs.delta"
    while read -r what n; do
        say "irq: $what took $n device interrupts during the traffic"
        [ "$n" -gt 0 ] || why "$what took no device interrupts"
    done < "$RUN/irqs.delta"
}

# check_keelmap: its lines, and its first FAIL as the reason.
check_keelmap() {
    local rc=0
    /bin/keelmap > "$RUN/keelmap" 2>&1 || rc=$?
    cat "$RUN/keelmap"
    [ $rc = 0 ] && return
    why "keelmap (exit $rc):" \
        "$(grep -m 1 'FAIL: ' "$RUN/keelmap" | sed 's/^keelmap: FAIL: //')"
}

# check_com1_kernel: dom0's 8250 driver found no UART at 0x3f8.
check_com1_kernel() {
    local line
    line=$(grep -E '^0:' /proc/tty/driver/serial 2>/dev/null)
    say "ttyS0: ${line:-none}"
    case $line in
    ''|*uart:unknown*) ;;
    *) why "dom0's ttyS0 found a UART at COM1: $line" ;;
    esac
}

# ---- the check ---------------------------------------------------------

check_xen
check_cpus
device_irqs
spread_irqs
snapshot "$RUN/irqs.before"
check_disks
nic=$(nic_of virtio_net) || why "no virtio-net interface"
nic2=$(nic_of e1000) || why "no e1000 interface"
if [ -n "$nic" ] && [ -n "$nic2" ]; then
    nic_up "$nic" 10.0.2 virtio-net
    nic_up "$nic2" 10.0.3 e1000
    nic_tcp "$nic" 10.0.2 virtio-net
    nic_tcp "$nic2" 10.0.3 e1000
fi
check_irqs
check_keelmap
check_com1_kernel
check_dmesg "$IRQ_BAD"
finish "$(karg keeltest_next poweroff)"
