#!/bin/sh
# run-all.sh - run every test suite and print one summary line.
# BUILD names the build folder (build, or build/asan for sanitizers).
BUILD=${BUILD:-build}
passed=0
failed=0
failures=""

run_suite() {
    name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $name"
    fi
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_suite "$(basename "$t")" "$t"
done

for s in tests/suites/*.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s")"
    run_suite "$(basename "$s" .sh)" env BUILD="$BUILD" sh "$s"
done

echo
[ -n "$failures" ] && echo "failed suites:$failures"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
