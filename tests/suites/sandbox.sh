#!/bin/sh
# sandbox.sh - escape and denial attempts (tests/sandbox/*.lua) against the
# real binary. Each file states its expected outcome in leading comments:
#     -- expect-status: N          exit status of `deferlab run`
#     -- expect: TEXT              a substring of stdout+stderr (one per line)
#     -- expect-max-bytes: N       stdout+stderr is at most N bytes
#     -- args: OPTIONS             extra options for `deferlab run` (--budget N)
# Every run must end within $SANDBOX_TIMEOUT seconds (a hang fails), never by
# a signal, and never with a sanitizer report.
BUILD=${BUILD:-build}
BIN=$BUILD/deferlab
TIMEOUT=${SANDBOX_TIMEOUT:-60}
[ -x "$BIN" ] || { echo "sandbox: $BIN not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for f in tests/sandbox/*.lua; do
    name=$(basename "$f" .lua)
    want=$(sed -n 's/^-- expect-status: *//p' "$f" | head -n 1)
    [ -n "$want" ] || { echo "FAIL $name: no expect-status line"; fail=$((fail + 1)); continue; }
    out=$tmp/$name.out
    # The narrated mode (not --quiet): every repr is built too.
    args=$(sed -n 's/^-- args: *//p' "$f" | head -n 1)
    # shellcheck disable=SC2086
    timeout -k 5 "$TIMEOUT" "$BIN" run $args "$f" >"$out" 2>&1
    st=$?
    why=""
    if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
        why="hung (no end after ${TIMEOUT}s)"
    elif [ "$st" -gt 128 ]; then
        why="killed by signal $((st - 128))"
    elif [ "$st" != "$want" ]; then
        why="exit status $st, expected $want"
    elif grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:\|UndefinedBehaviorSanitizer' "$out"; then
        why="sanitizer report"
    else
        size=$(wc -c <"$out")
        max=$(sed -n 's/^-- expect-max-bytes: *//p' "$f" | head -n 1)
        if [ -n "$max" ] && [ "$size" -gt "$max" ]; then why="output of $size bytes, over $max"; fi
        sed -n 's/^-- expect: //p' "$f" >"$tmp/expect"
        while IFS= read -r line; do
            [ -n "$why" ] && break
            grep -qF -- "$line" "$out" || why="missing \"$line\""
        done <"$tmp/expect"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        tail -n 5 "$out" | cut -c1-200 | sed 's/^/    | /'
    fi
done
echo "sandbox: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
