#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Serial input for dom0: Debian's Linux boots on Keel to the busybox shell
# on hvc0; a line typed on COM1 (a QEMU socket chardev) must reach it
# through CONSOLEIO_read and VIRQ_CONSOLE, and its output come back.
set -u
# shellcheck source=tests/system/lib.sh
. "$(dirname "$0")/lib.sh"

CONSOLE_TIMEOUT=${CONSOLE_TIMEOUT:-240}     # boot to the dom0# prompt
ANSWER_TIMEOUT=${ANSWER_TIMEOUT:-30}        # the typed line's output
KEEL_ARGS="console=com1 loglvl=all dom0_mem=512M noreboot"
DOM0_ARGS="console=hvc0 earlyprintk=xen acpi=off pci=off nomodeset"
DEAD_RE='Panic on CPU|Keel panic|Dom0 crashed|Kernel panic - not syncing'

# The client: connects to the socket (QEMU waits for it, so no output is
# missed), waits for the prompt, types the line, waits for the answer at
# the start of a line.  Says why on stdout and exits non-zero on failure.
# shellcheck disable=SC2016  # Python, not shell
CLIENT='
import re, socket, sys, time
path, boot_secs, answer_secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_UNIX)
end = time.time() + 20
while True:
    try:
        s.connect(path)
        break
    except OSError:
        if time.time() > end:
            sys.exit("cannot connect to QEMU serial socket " + path)
        time.sleep(0.2)
s.settimeout(0.5)
seen = b""
def wait_for(pattern, secs, start=0):
    global seen
    end = time.time() + secs
    while time.time() < end:
        if re.search(pattern, seen[start:]):
            return True
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            return False
        seen += data
    return re.search(pattern, seen[start:]) is not None
if not wait_for(rb"dom0# ", boot_secs):
    sys.exit("no dom0# prompt within %ds" % boot_secs)
if b"(KEEL) console: serial input goes to dom0" not in seen:
    sys.exit("Keel never said \"console: serial input goes to dom0\" "
             "(console_input_init() not called at boot?)")
typed = len(seen)
s.sendall(b"echo KEEL-INPUT-$((6*7))\r")
if not wait_for(rb"(^|\n)KEEL-INPUT-42\r", answer_secs, typed):
    sys.exit("no KEEL-INPUT-42 within %ds after typing; %s" % (answer_secs,
             "the line was echoed" if b"KEEL-INPUT-$((6*7))" in seen[typed:]
             else "not even the echo came back: no input reached dom0"))
'

test_dom0_input() {
    local name=console/dom0-input dir sock pid why rc=0
    command -v qemu-system-x86_64 >/dev/null ||
        { skip "$name" "no qemu-system-x86_64"; return 0; }
    command -v python3 >/dev/null || { skip "$name" "no python3"; return 0; }
    need "$name" "$DOM0_KERNEL" "make fetch" || return 0
    need "$name" "$DOM0_INITRD" "make initrd" || return 0
    [ -f "$KEEL_MB32" ] ||
        { fail "$name" "$KEEL_MB32 not built (make hv)"; return 0; }

    TEST=$name
    WHY=""
    LOG=$LOGS/${name//\//-}.log
    QEMU_TIMEOUT=$CONSOLE_TIMEOUT
    rm -f "$LOG" "$LOG.qemu"
    dir=$(mktemp -d)
    sock=$dir/serial.sock
    # shellcheck disable=SC2054  # the commas are QEMU's
    timeout -k 10 $((CONSOLE_TIMEOUT + ANSWER_TIMEOUT + 30)) \
        qemu-system-x86_64 -accel tcg -machine pc -m 1G -smp 2 \
        -display none -nodefaults -no-reboot \
        -chardev "socket,id=s0,path=$sock,server=on,wait=on,logfile=$LOG" \
        -serial chardev:s0 -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$KEEL_MB32" -append "$KEEL_ARGS" \
        -initrd "$DOM0_KERNEL $DOM0_ARGS,$DOM0_INITRD" \
        </dev/null >"$LOG.qemu" 2>&1 &
    pid=$!
    why=$(python3 -c "$CLIENT" "$sock" "$CONSOLE_TIMEOUT" \
              "$ANSWER_TIMEOUT" 2>&1) || rc=$?
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$dir"
    [ "$rc" = 0 ] || why "${why:-client exit $rc}"
    expect_no_log "$DEAD_RE" "a crash"
    expect_no_log 'input ring full' "dropped input"
    verdict
}

test_dom0_input
lib_exit
