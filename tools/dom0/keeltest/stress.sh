# SPDX-License-Identifier: GPL-2.0-only
# stress: keelstress's four workers side by side for keeltest_secs=N
# seconds (60 by default), `sleep 1` timed on its own, then the basic
# checks, the kernel log included.
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

secs=$(karg keeltest_secs 60)
expect_eq clocksource \
    "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
    xen
say "stress for $secs s: fork/exec, memory, ping-pong, clock"
/bin/keelstress -t "$secs" || why "keelstress failed under stress"
# `sleep 1` on its own: under load its fork/exec would count as sleep.
/bin/keelstress -t 3 sleep || why "keelstress: sleep 1 is not 1 s"
check_xen
check_cpus
check_dmesg
finish "$(karg keeltest_next poweroff)"
