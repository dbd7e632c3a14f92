#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Turns `nm -n` output (a file or -) into the assembly of Keel's symbol table:
# sorted text addresses, and name offsets into one string blob.
set -eu
in=${1:--}
awk 'BEGIN { n = 0 }
$2 ~ /^[tT]$/ && $3 !~ /^\.L/ { addr[n] = $1; name[n] = $3; n++ }
END {
    print "\t.section .rodata.ksyms, \"a\", @progbits"
    print "\t.balign 8"
    print "\t.globl ksyms_count, ksyms_addrs, ksyms_offsets, ksyms_names"
    print "ksyms_count:\t.quad " n
    print "ksyms_addrs:"
    for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
    print "ksyms_offsets:"
    off = 0
    for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
    print "ksyms_names:"
    for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}' "$in"
