#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: mkinitrd.sh <out.cpio.gz> <linux cache dir> <keelstress>.  Builds
# dom0's initramfs without root: busybox-static, the kernel's Xen modules
# (xenfs, xen-evtchn, xen-gntdev, xen-privcmd and what they depend on), the
# static keelstress helper, and tools/dom0/: /init and the self-checks.
set -eu

die() { echo "mkinitrd: $*" >&2; exit 1; }

[ $# = 3 ] || { echo "usage: $0 <out.cpio.gz> <linux cache dir> <keelstress>" >&2
                exit 2; }
out=$1 linux=$2 keelstress=$3
busybox=${BUSYBOX:-/bin/busybox}
src=$(cd "$(dirname "$0")/dom0" && pwd)
MODULES="xenfs xen_evtchn xen_gntdev xen_privcmd"

if [ ! -x "$busybox" ] || readelf -l "$busybox" | grep -q INTERP; then
    die "$busybox: not a static busybox (busybox-static)"
fi
[ -s "$linux/RELEASE" ] || die "no $linux/RELEASE (make fetch)"
rel=$(cat "$linux/RELEASE")
mods=$linux/modules/$rel
[ -d "$mods/kernel" ] || die "no $mods/kernel (make fetch)"
[ -x "$keelstress" ] || die "no $keelstress"

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

mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,lib/modules}
cp "$busybox" "$root/bin/busybox"
for app in $("$busybox" --list); do
    [ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
done
: > "$root/lib/modules/load"
for m in $MODULES; do
    add_module "$m"
done
cp "$keelstress" "$root/bin/keelstress"
cp "$src/init" "$root/init"
mkdir -p "$root/keeltest"
cp "$src"/keeltest/*.sh "$src/keeltest/dmesg.allow" "$root/keeltest/"
chmod 755 "$root/init" "$root/bin/keelstress"
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
