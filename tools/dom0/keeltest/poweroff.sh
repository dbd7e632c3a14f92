# SPDX-License-Identifier: GPL-2.0-only
# poweroff: the basic checks, then poweroff -f; the runner wants QEMU to
# exit by itself (on Xen 4.17 see tests/system/linux.sh).
# shellcheck shell=dash source=tools/dom0/keeltest/lib.sh
. /keeltest/lib.sh

check_xen
check_cpus
check_dmesg
finish poweroff
