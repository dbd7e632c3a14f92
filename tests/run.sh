#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: O=build tests/run.sh [--unit name...] [--system].  Runs host unit
# tests and tests/system/*.sh; ends with "N passed, N failed, N skipped".
set -eu

O=${O:-build}
cd "$(dirname "$0")/.."
LOGS=$O/tests/logs
export O LOGS
mkdir -p "$LOGS"
RESULTS=$LOGS/results.txt
: > "$RESULTS"

UNIT_TIMEOUT=${UNIT_TIMEOUT:-120}
SYSTEM_TIMEOUT=${SYSTEM_TIMEOUT:-3600}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

usage() {
    echo "usage: O=build $0 [--unit name...] [--system]" >&2
    exit 2
}

units=()
system=0
mode=""
while [ $# -gt 0 ]; do
    case $1 in
    --unit) mode=unit ;;
    --system) system=1; mode="" ;;
    -*) usage ;;
    *) [ "$mode" = unit ] || usage; units+=("$1") ;;
    esac
    shift
done

# emit <line>: print a result line and keep it for the count.
emit() {
    printf '%s\n' "$*" | tee -a "$RESULTS"
}

# excerpt <log>: a sanitizer report's start if there is one, else the tail.
excerpt() {
    local n
    local re='ERROR: [A-Za-z]+Sanitizer|runtime error:|Sanitizer:DEADLYSIGNAL'
    n=$(grep -a -n -m 1 -E "$re" "$1" | cut -d: -f1) || true
    echo "  --- $1 ---"
    if [ ! -s "$1" ]; then
        echo "(no output)"
    elif [ -n "$n" ]; then
        sed -n "${n},$((n + 14))p" "$1"
    else
        tail -n 15 "$1"
    fi | awk '{ print "  | " $0 }'
}

# tap_results <name> <log>: one result line per TAP line of a cmocka binary;
# a failure's "# message" lines (after "not ok") become its reason.
tap_results() {
    awk -v unit="unit/$1" '
        function flush() {
            if (pending != "") print "FAIL " unit "/" pending ": " \
                (msg != "" ? msg : "failed")
            pending = ""; msg = ""
        }
        /^(not )?ok [0-9]+ # SKIP/ {
            flush(); c = $0; sub(/^(not )?ok [0-9]+ # SKIP */, "", c)
            print "SKIP " unit "/" c ": skipped"; next
        }
        /^ok [0-9]+ - / {
            flush(); c = $0; sub(/^ok [0-9]+ - /, "", c)
            print "PASS " unit "/" c; next
        }
        /^not ok [0-9]+ - / {
            flush(); pending = $0; sub(/^not ok [0-9]+ - /, "", pending)
            next
        }
        /^# (not )?ok - / { flush(); next }
        /^# / && pending != "" {
            m = substr($0, 3); msg = (msg == "" ? m : msg "; " m); next
        }
        /^1\.\.[0-9]+/ { flush() }
        END { flush() }' "$2"
}

run_unit() {
    local name=$1 bin=$O/tests/unit/$1 log=$LOGS/unit-$1.log
    local rc=0 planned seen nfail line
    if [ ! -x "$bin" ]; then
        emit "FAIL unit/$name: $bin not built (make unit-build)"
        return 0
    fi
    CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 5 "$UNIT_TIMEOUT" "$bin" \
        </dev/null >"$log" 2>&1 || rc=$?
    while IFS= read -r line; do
        emit "$line"
    done < <(tap_results "$name" "$log")
    planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" |
              awk '{ s += $1 } END { print s + 0 }')
    seen=$(grep -c -E '^(not )?ok [0-9]+' "$log") || true
    nfail=$(grep -c -E '^not ok [0-9]+ - ' "$log") || true
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        emit "FAIL unit/$name: timeout after ${UNIT_TIMEOUT}s"
    elif [ "$seen" -lt "$planned" ] || [ "$seen" = 0 ]; then
        emit "FAIL unit/$name: crashed (exit $rc) after $seen of $planned cases"
    elif [ "$rc" != 0 ] && [ "$nfail" = 0 ]; then
        emit "FAIL unit/$name: exit $rc with no failed case"
    else
        return 0
    fi
    excerpt "$log"
}

run_system() {
    local script=$1 name out rc=0
    name=$(basename "$script" .sh)
    out=$LOGS/system-$name.out
    echo "--- system: $script"
    timeout -k 10 "$SYSTEM_TIMEOUT" bash "$script" </dev/null 2>&1 |
        tee "$out"
    rc=${PIPESTATUS[0]}
    grep -a -E '^(PASS|FAIL|SKIP) ' "$out" >> "$RESULTS" || true
    if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$out"; then
        emit "FAIL system/$name: exit $rc$([ "$rc" = 124 ] &&
              echo ": no end within ${SYSTEM_TIMEOUT}s")"
    fi
}

if [ ${#units[@]} -gt 0 ]; then
    echo "--- unit: ${units[*]}"
    for u in "${units[@]}"; do
        run_unit "$u"
    done
fi

if [ $system = 1 ]; then
    for s in tests/system/*.sh; do
        [ "$s" = tests/system/lib.sh ] || run_system "$s"
    done
fi

npass=$(grep -c '^PASS ' "$RESULTS") || true
nfail=$(grep -c '^FAIL ' "$RESULTS") || true
nskip=$(grep -c '^SKIP ' "$RESULTS") || true
echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" = 0 ]
