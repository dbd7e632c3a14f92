# SPDX-License-Identifier: GPL-2.0-only
# Sourced by dom0's self-checks (/keeltest/<name>.sh, busybox sh): command
# line values, the first failed check, the verdict and next action for init.
# shellcheck shell=dash

WHY=""

# karg <key> [<default>]: the value of <key>=... on the kernel command
# line, else the default; fails with neither.
karg() {
    # shellcheck disable=SC2013  # the words are what we want
    for w in $(cat /proc/cmdline); do
        case $w in "$1"=*) echo "${w#*=}"; return 0 ;; esac
    done
    [ $# -ge 2 ] || return 1
    echo "$2"
}

say() { echo "keeltest: $*"; }

# why <text>: a failed check; the first one is the verdict's reason.
why() {
    say "FAIL: $*"
    [ -n "$WHY" ] || WHY=$*
}

# expect_eq <what> <got> <want>
expect_eq() {
    if [ "$2" = "$3" ]; then
        say "$1: $2"
    else
        why "$1 is '$2', expected '$3'"
    fi
}

# check_xen: the hypervisor, dom0's privileges and the Xen devices.
check_xen() {
    local m d
    expect_eq "/sys/hypervisor/type" "$(cat /sys/hypervisor/type 2>&1)" xen
    expect_eq "/proc/xen/capabilities" \
        "$(cat /proc/xen/capabilities 2>&1)" control_d
    for m in xenfs xen_evtchn xen_gntdev xen_privcmd; do
        grep -q "^$m " /proc/modules || why "module $m not loaded"
    done
    for d in evtchn gntdev privcmd; do
        [ -c "/dev/xen/$d" ] || why "no /dev/xen/$d"
    done
}

# check_cpus: nproc equals keeltest_cpus=N, when given.
check_cpus() {
    local want
    want=$(karg keeltest_cpus) || return 0
    expect_eq nproc "$(nproc)" "$want"
}

# check_dmesg [<ERE>]: no BUG, WARNING, Oops, call trace, stall, panic,
# nor a line the extra ERE matches, and no failure or error line that
# /keeltest/dmesg.allow does not list (one ERE per line; # comments).
check_dmesg() {
    local bad='BUG|WARNING|Oops|[Cc]all [Tt]race|[Ff]ail|[Ee]rror'
    bad="$bad|Firmware Bug|INFO: |rcu.*stall|segfault|general protection"
    bad="$bad|[Pp]anic${1:+|$1}"
    local allow=/run/keeltest/dmesg.allow n
    grep -v -e '^#' -e '^[[:space:]]*$' /keeltest/dmesg.allow > "$allow"
    dmesg > /run/keeltest/dmesg
    [ -s /run/keeltest/dmesg ] || { why "dmesg is empty"; return; }
    grep -E "$bad" /run/keeltest/dmesg | grep -v -E -f "$allow" \
        > /run/keeltest/dmesg.bad
    n=$(wc -l < /run/keeltest/dmesg.bad)
    if [ "$n" -gt 0 ]; then
        sed 's/^/keeltest: dmesg: /' /run/keeltest/dmesg.bad
        why "dmesg has $n bad line(s): $(head -n 1 /run/keeltest/dmesg.bad)"
    else
        say "dmesg: clean ($(wc -l < /run/keeltest/dmesg) lines)"
    fi
}

# wait_for <path> <secs>: until the file exists.
wait_for() {
    local n=0
    while [ ! -e "$1" ]; do
        [ "$n" -lt "$(($2 * 10))" ] || return 1
        sleep 0.1
        n=$((n + 1))
    done
}

# nic_of <driver>: the network interface the driver runs.
nic_of() {
    local n
    for n in /sys/class/net/*; do
        [ "$(basename "$(readlink -f "$n/device/driver")")" = "$1" ] &&
            echo "${n##*/}" && return 0
    done
    return 1
}

# wait_for_carrier <if>: until the link is up (10 s at most).
wait_for_carrier() {
    local n=0
    until [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; do
        [ $n -lt 100 ] || return 1
        sleep 0.1
        n=$((n + 1))
    done
}

# finish <next action>: hand the verdict and the action to init.
finish() {
    if [ -z "$WHY" ]; then
        echo PASS > /run/keeltest/result
    else
        echo "FAIL: $WHY" > /run/keeltest/result
    fi
    echo "$1" > /run/keeltest/next
}
