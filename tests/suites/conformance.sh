#!/bin/sh
# conformance.sh - the Lua twins of tests/conformance/ must print what Twisted printed.
#
# For each tests/conformance/NNN-slug.lua: run `$BUILD/deferlab run --quiet FILE.lua` and
# compare its stdout, line for line, with golden/NNN-slug.out (the stdout of the Python twin
# under Twisted 22.4, recorded by tests/conformance/record-goldens.sh). Lines of the golden
# that start with "UNHANDLED: " or "LOGGED: " are Twisted log reports, which a Lua script
# cannot print: they are left out of the diff, and the number of UNHANDLED ones must equal
# the twin's first-line marker "-- expect-unhandled: N" (0 without a marker) and the number
# of "unhandled" events in the run's trace (`--trace`; `--quiet` prints no narrative).
# Mismatches print a unified diff (expected = golden, actual = Lua) with the scenario name.
# Called by tests/run-all.sh with BUILD set; see docs/conformance.md.
#
#   BUILD=build sh tests/suites/conformance.sh [NAME-PREFIX ...]
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
BIN=$BUILD/deferlab
DIR=tests/conformance
UNHANDLED_EV='"kind":"unhandled"'
TIMEOUT=${CONFORMANCE_TIMEOUT:-60}

if [ ! -x "$BIN" ]; then
    echo "conformance: $BIN is not built"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

passed=0
failed=0
failed_names=""
for lua in "$DIR"/[0-9]*.lua; do
    [ -f "$lua" ] || continue
    name=$(basename "$lua" .lua)
    if [ $# -gt 0 ]; then
        keep=0
        for p in "$@"; do case "$name" in "$p"*) keep=1 ;; esac; done
        [ "$keep" -eq 1 ] || continue
    fi
    golden=$DIR/golden/$name.out
    problems=""
    if [ ! -f "$golden" ]; then
        echo "--- $name: no golden (run tests/conformance/record-goldens.sh)"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        continue
    fi
    grep -v -e '^UNHANDLED: ' -e '^LOGGED: ' "$golden" >"$tmp/expected"
    if [ "$have_timeout" -eq 1 ]; then
        timeout "$TIMEOUT" "$BIN" run --quiet --trace "$tmp/trace" "$lua" >"$tmp/actual" 2>"$tmp/stderr"
    else
        "$BIN" run --quiet --trace "$tmp/trace" "$lua" >"$tmp/actual" 2>"$tmp/stderr"
    fi
    rc=$?

    want=$(sed -n '1s/^-- expect-unhandled: *\([0-9][0-9]*\).*/\1/p' "$lua")
    want=${want:-0}
    in_golden=$(grep -c '^UNHANDLED: ' "$golden")
    reported=0
    [ -f "$tmp/trace" ] && reported=$(grep -c -F -e "$UNHANDLED_EV" "$tmp/trace")
    rm -f "$tmp/trace"

    if ! cmp -s "$tmp/expected" "$tmp/actual"; then
        problems="$problems output"
    fi
    if [ "$rc" -ne 0 ]; then
        problems="$problems exit-status-$rc"
    fi
    if [ "$in_golden" -ne "$want" ]; then
        problems="$problems marker-says-$want-golden-has-$in_golden"
    fi
    if [ "$reported" -ne "$want" ]; then
        problems="$problems unhandled-reports-$reported-expected-$want"
    fi

    if [ -z "$problems" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    failed_names="$failed_names $name"
    echo "--- $name:$problems"
    case "$problems" in
        *output*)
            diff -u "$tmp/expected" "$tmp/actual" |
                sed -e "1s|^--- .*|--- $name (golden: Twisted 22.4)|" \
                    -e "2s|^+++ .*|+++ $name (deferlab run --quiet)|"
            ;;
    esac
    if [ -s "$tmp/stderr" ]; then
        echo "    stderr:"
        head -n 8 "$tmp/stderr" | sed 's/^/    | /'
    fi
done

# Every Python twin needs its Lua twin (the loop above only sees .lua files).
for py in "$DIR"/[0-9]*.py; do
    [ -f "$py" ] || continue
    name=$(basename "$py" .py)
    [ -f "$DIR/$name.lua" ] && continue
    if [ $# -gt 0 ]; then
        keep=0
        for p in "$@"; do case "$name" in "$p"*) keep=1 ;; esac; done
        [ "$keep" -eq 1 ] || continue
    fi
    echo "--- $name: no Lua twin $name.lua"
    failed=$((failed + 1))
    failed_names="$failed_names $name"
done

[ -n "$failed_names" ] && echo "conformance failures:$failed_names"
echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
