# SPDX-License-Identifier: GPL-2.0-only
# reboot: the basic checks, then reboot -f.  Every boot does the same, so
# the runner counts: it wants a PASS, the hypervisor's banner again, and a
# second PASS, then ends QEMU (there is no disk to remember a boot by).
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

check_xen
check_cpus
check_dmesg
finish reboot
