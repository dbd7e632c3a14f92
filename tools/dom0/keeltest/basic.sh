# SPDX-License-Identifier: GPL-2.0-only
# basic: dom0 runs on Xen (or Keel) as the control domain with the Xen
# modules and devices, the expected vCPUs, and a clean kernel log.
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

check_xen
check_cpus
check_dmesg
finish "$(karg keeltest_next poweroff)"
