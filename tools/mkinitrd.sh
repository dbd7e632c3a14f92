#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: mkinitrd.sh <out.cpio.gz>.  Builds dom0's initramfs from busybox-static
# without root: no device nodes, /init mounts devtmpfs and opens the console.
set -eu

[ $# = 1 ] || { echo "usage: $0 <out.cpio.gz>" >&2; exit 2; }
out=$1
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ] || readelf -l "$busybox" | grep -q INTERP; then
    echo "mkinitrd: $busybox: not a static busybox (busybox-static)" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,lib/modules}
cp "$busybox" "$root/bin/busybox"
for app in $("$busybox" --list); do
    [ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done

cat > "$root/init" <<'EOF'
#!/bin/sh
# Keel dom0 init: mount the pseudo file systems, greet, run a shell.
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
hostname dom0
echo
hv=$(cat /sys/hypervisor/type 2>/dev/null || echo "bare metal")
echo "Keel dom0: Linux $(uname -r) on $hv"
echo "console: $(cat /sys/class/tty/console/active 2>/dev/null)"
export PATH=/bin:/sbin HOME=/root PS1='dom0# '
cd /root
# cttyhack gives the shell the real console tty (hvc0), so job control works.
while :; do
    setsid cttyhack sh -l
    echo "shell exited; restarting"
    sleep 1
done
EOF
chmod 755 "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

mkdir -p "$(dirname "$out")"
# Owner root, fixed mtimes: the archive depends only on its inputs.
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
     cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitrd: $out ($(du -k "$out" | cut -f1) KiB)"
