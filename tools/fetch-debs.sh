#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: fetch-debs.sh <cachedir>.  Fetches Debian's current dom0 kernel (the
# dependency of linux-image-amd64) and Xen 4.17, keyed by version, into linux/
# {vmlinuz,config,modules/<rel>/,RELEASE,VERSION} and xen/{xen.gz,xen,VERSION}.
set -eu

[ $# = 1 ] || { echo "usage: $0 <cachedir>" >&2; exit 2; }
mkdir -p "$1/debs"
cache=$(cd "$1" && pwd)
export LC_ALL=C

is_root() { [ "$(id -u)" = 0 ]; }

# apt-cache policy's Candidate: line, empty if the lists don't know it.
candidate() {
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p' |
        grep -v '^(none)$' || true
}

updated=0
apt_update() {
    [ $updated = 0 ] || return 1
    is_root || return 1
    echo "fetch: apt-get update"
    apt-get update -qq >/dev/null
    updated=1
}

# resolve <pkg>: "<pkg> <version>" of its candidate, updating lists once.
resolve() {
    local v
    v=$(candidate "$1")
    if [ -z "$v" ] && apt_update; then
        v=$(candidate "$1")
    fi
    [ -n "$v" ] || return 1
    echo "$1 $v"
}

# The real kernel package a metapackage's candidate depends on.
resolve_meta() {
    local meta ver dep pkg pin
    read -r meta ver < <(resolve "$1") || return 1
    dep=$(apt-cache show "$meta=$ver" | sed -n 's/^Depends: //p' | head -n 1)
    dep=${dep%%,*}
    dep=${dep%%|*}
    pkg=$(echo "$dep" | awk '{ print $1 }')
    pin=$(echo "$dep" | sed -n 's/.*(= *\([^)]*\)).*/\1/p')
    case $pkg in
    linux-image-*) ;;
    *) echo "fetch: $meta $ver: unexpected dependency '$dep'" >&2; return 1 ;;
    esac
    if [ -n "$pin" ]; then
        echo "$pkg $pin"
    else
        resolve "$pkg"
    fi
}

# download <pkg> <ver>: prints the path of the cached .deb.
download() {
    local pkg=$1 ver=$2 deb tmp opts=()
    deb="$cache/debs/${pkg}_${ver//:/%3a}_amd64.deb"
    if [ -s "$deb" ]; then
        echo "$deb"
        return 0
    fi
    echo "fetch: downloading $pkg $ver" >&2
    tmp=$(mktemp -d "$cache/debs/dl.XXXXXX")
    is_root && opts=(-o APT::Sandbox::User=root)
    if ! (cd "$tmp" && apt-get download -qq "${opts[@]}" "$pkg=$ver" \
              >/dev/null 2>"$tmp/err"); then
        if apt_update; then
            (cd "$tmp" && apt-get download -qq "${opts[@]}" "$pkg=$ver" \
                 >/dev/null 2>"$tmp/err") || true
        fi
    fi
    set -- "$tmp"/*.deb
    if [ ! -s "$1" ]; then
        echo "fetch: apt-get download $pkg=$ver failed:" \
             "$(grep -m1 -E '^(E|W):' "$tmp/err" || true)" >&2
        rm -rf "$tmp"
        return 1
    fi
    mv "$1" "$deb"
    rm -rf "$tmp"
    echo "$deb"
}

# Drop other versions of <pkg> from debs/ once <keep> is installed.
prune() {
    local f
    for f in "$cache/debs/${1}"_*.deb; do
        [ -e "$f" ] && [ "$f" != "$2" ] && rm -f "$f"
    done
    return 0
}

install_linux() {
    local deb=$1 dir=$2 x rel
    x="$dir/x"
    dpkg -x "$deb" "$x"
    set -- "$x"/boot/vmlinuz-*
    [ -f "$1" ] || { echo "fetch: no /boot/vmlinuz-* in $deb" >&2; return 1; }
    rel=${1##*/vmlinuz-}
    mv "$1" "$dir/vmlinuz"
    # Debian's own System.map is a one-line stub pointing at the -dbg package.
    set -- "$x/boot/System.map-$rel"
    if [ -f "$1" ] && [ "$(wc -l < "$1")" -gt 1 ]; then
        mv "$1" "$dir/System.map"
    fi
    [ -f "$x/boot/config-$rel" ] && mv "$x/boot/config-$rel" "$dir/config"
    mkdir -p "$dir/modules"
    for m in "$x/lib/modules/$rel" "$x/usr/lib/modules/$rel"; do
        [ -d "$m" ] && mv "$m" "$dir/modules/$rel"
    done
    echo "$rel" > "$dir/RELEASE"
    rm -rf "$x"
}

install_xen() {
    local deb=$1 dir=$2 x
    x="$dir/x"
    dpkg -x "$deb" "$x"
    set -- "$x"/boot/xen-*-amd64.gz
    [ -f "$1" ] || { echo "fetch: no /boot/xen-*.gz in $deb" >&2; return 1; }
    mv "$1" "$dir/xen.gz"
    gzip -dc "$dir/xen.gz" > "$dir/xen"
    set -- "$x"/boot/xen-*-amd64.config
    [ -f "$1" ] && mv "$1" "$dir/config"
    rm -rf "$x"
}

# update <name> <resolver> <pkg> <installer>: one cache entry.
update() {
    local name=$1 resolver=$2 pkg=$3 installer=$4 dir="$cache/$1" key ver deb
    if ! key=$($resolver "$pkg"); then
        if [ -s "$dir/VERSION" ]; then
            echo "fetch: cannot resolve $pkg; keeping $(cat "$dir/VERSION")"
            is_root || echo "fetch: to refresh, run: sudo apt-get update"
            return 0
        fi
        echo "fetch: apt-cache cannot resolve $pkg" >&2
        is_root || echo "fetch: run: sudo apt-get update" >&2
        return 1
    fi
    if [ -s "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$key" ]; then
        echo "fetch: $name: $key (cached)"
        return 0
    fi
    read -r pkg ver <<<"$key"
    deb=$(download "$pkg" "$ver")
    echo "fetch: $name: unpacking $pkg $ver"
    rm -rf "$dir.new"
    mkdir -p "$dir.new"
    $installer "$deb" "$dir.new"
    echo "$key" > "$dir.new/VERSION"
    # dpkg -x keeps the package's mtimes: make new files newer than users.
    find "$dir.new" -maxdepth 1 -type f -exec touch {} +
    rm -rf "$dir"
    mv "$dir.new" "$dir"
    prune "$pkg" "$deb"
}

update linux resolve_meta linux-image-amd64 install_linux
update xen resolve xen-hypervisor-4.17-amd64 install_xen
