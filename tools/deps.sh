#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages Keel needs to build and test (as root), or
# prints the one apt-get line to run.  QEMU must be 10.x: bookworm's 7.2
# reports a wrong #GP error code for user-mode software interrupts.
set -eu

PKGS="grub-pc-bin grub-common xorriso mtools libxen-dev busybox-static cpio
      libcmocka-dev gcc make binutils xz-utils gzip gdb liblzma-dev
      zlib1g-dev e2fsprogs"

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")

qemu_ok() {
    command -v qemu-system-x86_64 >/dev/null || return 1
    local v
    v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
    [ "${v:-0}" -ge 8 ]
}

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done

need_qemu=0
qemu_ok || need_qemu=1

if [ -z "$missing" ] && [ $need_qemu = 0 ]; then
    exit 0
fi

bp_list=/etc/apt/sources.list.d/keel-backports.list
qemu_args="qemu-system-x86 qemu-utils"
if [ "$codename" = bookworm ]; then
    qemu_args="-t bookworm-backports $qemu_args"
fi

if [ "$(id -u)" != 0 ]; then
    echo "deps: missing:$missing$([ $need_qemu = 1 ] && echo ' qemu-system-x86(>=8)')"
    [ "$codename" = bookworm ] &&
        echo "deps: first: echo 'deb http://deb.debian.org/debian bookworm-backports main' | sudo tee $bp_list"
    echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" \
         "&& sudo apt-get install -y $qemu_args"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ "$codename" = bookworm ] &&
   ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' > "$bp_list"
fi
apt-get update -qq
[ -n "$missing" ] && apt-get install -y -qq --no-install-recommends $missing
[ $need_qemu = 1 ] && apt-get install -y -qq --no-install-recommends $qemu_args
qemu_ok || { echo "deps: qemu-system-x86_64 >= 8 still missing"; exit 1; }
exit 0
