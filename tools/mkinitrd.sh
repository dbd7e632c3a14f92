#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: mkinitrd.sh <out.cpio.gz> <linux cache dir> <keelstress> <keelmap>.
# Builds dom0's initramfs without root: busybox-static, the kernel's Xen
# modules (xenfs, xen-evtchn, xen-gntdev, xen-privcmd), the drivers of the
# hardware test (virtio-pci, -blk, -net, ahci, sd, e1000, ext4, crc32c) and
# what they depend on, the host's mke2fs with its libraries, the static
# keelstress and keelmap helpers, and tools/dom0/: /init and the self-checks.
set -eu

die() { echo "mkinitrd: $*" >&2; exit 1; }

[ $# = 4 ] || { echo "usage: $0 <out.cpio.gz> <linux cache dir>" \
                     "<keelstress> <keelmap>" >&2
                exit 2; }
out=$1 linux=$2 keelstress=$3 keelmap=$4
busybox=${BUSYBOX:-/bin/busybox}
mke2fs=${MKE2FS:-/usr/sbin/mke2fs}
src=$(cd "$(dirname "$0")/dom0" && pwd)
MODULES="xenfs xen_evtchn xen_gntdev xen_privcmd"
# The disks and NICs of the hw self-check (tools/dom0/keeltest/hw.sh).
MODULES="$MODULES virtio_pci virtio_blk virtio_net ahci sd_mod e1000"
# ext4 asks the crypto API for "crc32c" at mount; with no modprobe in the
# initramfs nothing would load an implementation, so load the generic one.
MODULES="$MODULES crc32c_generic ext4"

if [ ! -x "$busybox" ] || readelf -l "$busybox" | grep -q INTERP; then
    die "$busybox: not a static busybox (busybox-static)"
fi
[ -s "$linux/RELEASE" ] || die "no $linux/RELEASE (make fetch)"
rel=$(cat "$linux/RELEASE")
mods=$linux/modules/$rel
[ -d "$mods/kernel" ] || die "no $mods/kernel (make fetch)"
[ -x "$keelstress" ] || die "no $keelstress"
[ -x "$keelmap" ] || die "no $keelmap"
if [ ! -x "$mke2fs" ] || [ ! -f /etc/mke2fs.conf ]; then
    die "no $mke2fs or /etc/mke2fs.conf (apt-get install e2fsprogs)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"

# Module files by name ("xen-evtchn.ko.xz" is module xen_evtchn).
declare -A modpath=()
while IFS= read -r f; do
    m=${f##*/}
    m=${m%.xz}
    m=${m%.ko}
    modpath[${m//-/_}]=$f
done < <(find "$mods/kernel" -name '*.ko' -o -name '*.ko.xz')

# modinfo <file.ko> <field>: a field of the module's .modinfo section.
modinfo() {
    objcopy -O binary --only-section=.modinfo "$1" "$tmp/modinfo"
    tr '\0' '\n' < "$tmp/modinfo" | sed -n "s/^$2=//p"
}

# add_module <name>: its dependencies first (the "depends=" that modpost
# wrote; Debian ships no modules.dep), then the module, as a plain .ko
# since busybox's insmod reads no .xz.  Appends to lib/modules/load.
declare -A added=()
add_module() {
    local m=$1 f ko dep deps
    [ -z "${added[$m]:-}" ] || return 0
    added[$m]=1
    f=${modpath[$m]:-}
    [ -n "$f" ] || die "module $m not in $mods/kernel"
    ko="$root/lib/modules/${f##*/}"
    ko=${ko%.xz}
    case $f in
    *.xz) xz -dc "$f" > "$ko" ;;
    *) cp "$f" "$ko" ;;
    esac
    [ "$(modinfo "$ko" vermagic | cut -d' ' -f1)" = "$rel" ] ||
        die "$f: vermagic is not $rel"
    deps=$(modinfo "$ko" depends)
    for dep in ${deps//,/ }; do
        add_module "${dep//-/_}"
    done
    echo "${ko##*/}" >> "$root/lib/modules/load"
}

# add_program <path>: a dynamically linked host program into /sbin (busybox
# sh prefers its own applet of the name: call it by path), with the shared
# libraries ldd finds and the dynamic loader at the paths it names (the
# loader searches /lib/x86_64-linux-gnu without ld.so.cache).
add_program() {
    local f libs
    libs=$(ldd "$1" | grep -o '/[^ ]*') || die "ldd $1 found no libraries"
    cp "$1" "$root/sbin/${1##*/}"
    for f in $libs; do
        [ -e "$root$f" ] && continue
        mkdir -p "$root$(dirname "$f")"
        cp -L "$f" "$root$f"
    done
}

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,mnt,lib/modules}
cp "$busybox" "$root/bin/busybox"
for app in $("$busybox" --list); do
    [ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done
: > "$root/lib/modules/load"
for m in $MODULES; do
    add_module "$m"
done
cp "$keelstress" "$root/bin/keelstress"
cp "$keelmap" "$root/bin/keelmap"
add_program "$mke2fs"
cp /etc/mke2fs.conf "$root/etc/mke2fs.conf"
ln -s /proc/mounts "$root/etc/mtab"
cp "$src/init" "$root/init"
mkdir -p "$root/keeltest"
cp "$src"/keeltest/*.sh "$src/keeltest/dmesg.allow" "$root/keeltest/"
chmod 755 "$root/init" "$root/bin/keelstress" "$root/bin/keelmap"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

mkdir -p "$(dirname "$out")"
# Owner root, fixed mtimes: the archive depends only on its inputs.
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
     cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitrd: $out ($(du -k "$out" | cut -f1) KiB; Linux $rel modules:" \
     "$(tr '\n' ' ' < "$root/lib/modules/load"| sed 's/ $//'))"
