#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: mkiso.sh <out.iso> <keel.elf> "<args>" <mod1> "<mod1 args>" [<mod2>]
# Builds a BIOS GRUB2 rescue ISO that boots Keel with multiboot2 and the
# modules with module2, on the serial console (COM1, 115200).
set -eu

die() { echo "mkiso: $*" >&2; exit 1; }

[ $# = 5 ] || [ $# = 6 ] ||
    die "usage: $0 <out.iso> <keel.elf> \"<args>\" <mod1> \"<args>\" [<mod2>]"
out=$1 keel=$2 keel_args=$3 mod1=$4 mod1_args=$5 mod2=${6:-}
grub_dir=/usr/lib/grub/i386-pc
timeout=${GRUB_TIMEOUT:-1}

command -v grub-mkrescue >/dev/null || die "grub-mkrescue missing (make deps)"
command -v xorriso >/dev/null || die "xorriso missing (make deps)"
[ -f "$grub_dir/multiboot2.mod" ] || die "no $grub_dir (install grub-pc-bin)"
for f in "$keel" "$mod1" ${mod2:+"$mod2"}; do
    [ -f "$f" ] || die "no such file: $f"
done

# quote_args "<words>": each word single-quoted for grub.cfg.
quote_args() {
    local w q="" words
    read -r -a words <<<"$1"
    for w in ${words[@]+"${words[@]}"}; do
        case $w in *"'"*) die "a quote in argument: $w" ;; esac
        q="$q '$w'"
    done
    echo "$q"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/iso/boot/grub"
# Modules keep their names: GRUB passes "<path> <args>" as a module's cmdline.
m1=$(basename "$mod1")
m2=$(basename "${mod2:-/}")
case "$m1/$m2" in *[!A-Za-z0-9._/+-]*) die "odd module name: $m1 $m2" ;; esac
[ "$m1" != "$m2" ] || die "both modules are named $m1"
cp "$keel" "$tmp/iso/boot/keel.elf"
cp "$mod1" "$tmp/iso/boot/$m1"
[ -z "$mod2" ] || cp "$mod2" "$tmp/iso/boot/$m2"

# --nounzip: modules reach Keel as built (GRUB would gunzip an initrd).
{
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial console"
    echo "terminal_output serial console"
    echo "set timeout=$timeout"
    echo "set default=0"
    echo "menuentry 'Keel' {"
    echo "    multiboot2 /boot/keel.elf$(quote_args "$keel_args")"
    echo "    module2 --nounzip /boot/$m1$(quote_args "$mod1_args")"
    [ -z "$mod2" ] || echo "    module2 --nounzip /boot/$m2"
    echo "}"
} > "$tmp/iso/boot/grub/grub.cfg"

mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -d "$grub_dir" -o "$out.tmp" "$tmp/iso" \
        >"$tmp/log" 2>&1; then
    rm -f "$out.tmp"
    die "grub-mkrescue failed: $(grep -v '^xorriso : UPDATE' "$tmp/log" |
                                 tail -n 1)"
fi
mv "$out.tmp" "$out"
