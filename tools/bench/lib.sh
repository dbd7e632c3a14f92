# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the `make bench` scripts (boot.sh, io.sh): the three
# configurations on one QEMU machine, the report's header and file, and
# the statistics (median, min, max, ratios).
# shellcheck shell=bash disable=SC2034  # the variables are for its users

O=${O:-build}
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
OUT=$O/bench
LOGS=$OUT/logs
CONFIGS="keel xen native"

DOM0_KERNEL=$O/cache/linux/vmlinuz
DOM0_INITRD=$O/dom0-initrd.cpio.gz
XEN=$O/cache/xen/xen
# A copy, so a rebuild of keel.mb32 during the runs changes nothing.
KEEL=$OUT/keel.mb32
CLK_TCK=$(getconf CLK_TCK)

# The machine of tests/system/linux.sh for all three; dom0 gets 512M and
# 2 vCPUs, and the native kernel the same (mem=512M, -smp 2).  Xen 4.17
# needs SMAP off under TCG, so everyone runs without it.
# shellcheck disable=SC2054  # the comma is QEMU's
MACHINE=(-accel tcg -machine pc -cpu max,-smap -m 1G -smp 2)
XEN_ARGS="console=com1 com1=115200 dom0_mem=512M dom0_max_vcpus=2 noreboot"
KEEL_ARGS="console=com1 dom0_mem=512M dom0_max_vcpus=2 noreboot"
DOM0_ARGS="console=hvc0 earlyprintk=xen"
NATIVE_ARGS="console=ttyS0 mem=512M"

die() { echo "bench: $*" >&2; exit 1; }

# bench_setup <runs>: the checks every script needs, the output
# directories and the private copy of Keel.
bench_setup() {
    case $1 in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number" ;; esac
    command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64"
    local f
    for f in "$DOM0_KERNEL" "$DOM0_INITRD" "$XEN" "$O/keel.mb32"; do
        [ -s "$f" ] || die "no $f (make hv fetch initrd)"
    done
    mkdir -p "$LOGS"
    cp "$O/keel.mb32" "$KEEL"
}

# bench_report <file>: from here on stdout also goes to <file>; at the
# script's exit tee is waited for, so the report is complete and printed
# before make runs the next script.
bench_report() {
    exec > >(tee "$1")
    BENCH_TEE=$!
    trap 'exec >&-; wait "$BENCH_TEE" 2>/dev/null || true' EXIT
}

# boot_args <cfg> <guest args>: appends to the array `cmd` what boots
# Debian's kernel with its initramfs on Keel, on Xen or natively, the
# guest args added to dom0's (or the native kernel's) command line.  QEMU
# splits -initrd at commas: the guest args must have none.
boot_args() {
    local cfg=$1 extra=${2:+ $2}
    case $cfg in
    keel) cmd+=(-kernel "$KEEL" -append "$KEEL_ARGS"
                -initrd "$DOM0_KERNEL $DOM0_ARGS$extra,$DOM0_INITRD") ;;
    xen) cmd+=(-kernel "$XEN" -append "$XEN_ARGS"
               -initrd "$DOM0_KERNEL $DOM0_ARGS$extra,$DOM0_INITRD") ;;
    native) cmd+=(-kernel "$DOM0_KERNEL" -append "$NATIVE_ARGS$extra"
                  -initrd "$DOM0_INITRD") ;;
    *) die "no configuration $cfg" ;;
    esac
}

# bench_header <what> <runs>: the report's first lines, what ran where.
bench_header() {
    echo "bench: $1, $2 runs each, interleaved ($CONFIGS)"
    echo "  $(qemu-system-x86_64 --version | head -n 1)"
    echo "  host: $(nproc) CPUs, load average at start" \
         "$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  machine: ${MACHINE[*]}"
    echo "  keel:   $KEEL_ARGS | dom0: $DOM0_ARGS"
    echo "  xen:    $XEN_ARGS | dom0: $DOM0_ARGS"
    echo "  native: $NATIVE_ARGS (same initramfs; its insmod of the Xen" \
         "modules fails fast)"
}

# elapsed <from>: seconds since $EPOCHREALTIME was <from>, to 0.001 s.
elapsed() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

# cpu_time <pid>: the user+system seconds of a process, all its threads.
cpu_time() {
    awk -v t="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"
}

# summarize: "median min max n" of the numbers on stdin, one per line,
# to 0.01; "- - - 0" for none.
summarize() {
    sort -n | awk '{ v[NR] = $1 }
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
