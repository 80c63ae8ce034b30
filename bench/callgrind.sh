#!/bin/sh
# callgrind.sh - instruction counts of the core C benchmarks (make
# bench-callgrind). valgrind --tool=callgrind counts the instructions run
# inside main() at small sizes: unlike seconds, the counts do not move with
# the machine's load, so a regression shows as a bigger number. The counts
# of record are in docs/performance.md.
set -u
BUILD=${BUILD:-build}
B=$BUILD/bench
command -v valgrind >/dev/null 2>&1 || {
    echo "callgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/deferlab-cg.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

printf '| %-9s | %-16s | %14s | %12s |\n' benchmark "arguments" "instructions" "per op"
printf '|%s|%s|%s|%s|\n' ----------- ------------------ ---------------- --------------
status=0
# count NAME OPS SHOWN PROGRAM ARGS...: one row of the table.
count() {
    name=$1 ops=$2 shown=$3
    shift 3
    if ! valgrind --tool=callgrind --toggle-collect=main --callgrind-out-file="$TMP/cg.out" \
        "$@" >/dev/null 2>"$TMP/err"; then
        echo "callgrind.sh: $name failed:" >&2
        cat "$TMP/err" >&2
        status=1
        return
    fi
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$TMP/cg.out")
    printf '| %-9s | %-16s | %14s | %12.1f |\n' "$name" "$shown" "$ir" "$(echo "$ir $ops" | awk '{ print $1 / $2 }')"
}
while read -r name ops args; do
    # shellcheck disable=SC2086
    count "$name" "$ops" "$(echo "$args" | sed "s|$TMP/||")" "$B/$name" $args
done <<LIST
chain10 300000 30000
deep 100000 100000
dlist 100000 100000
mem 100000 100000
trace 64000 2000 $TMP/t.jsonl 50
paint 5 5
LIST
# Lua-level chain10 (bench/chain10.lua, N = 10,000: 100,000 callbacks)
# through `deferlab run --quiet`, start-up and teardown included.
sed 's/^local N = 100000$/local N = 10000/' bench/chain10.lua >"$TMP/chain10.lua"
count chain10.lua 100000 "N=10000" "$BUILD/deferlab" run --quiet --budget 4000000000 "$TMP/chain10.lua"
exit $status
