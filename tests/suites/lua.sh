#!/bin/sh
# lua.sh - the Lua behaviour suite: run every tests/lua/*.lua and *.md with
# `deferlab run` and compare with the expected output beside it.
#
#   NAME.out        what `deferlab run --quiet NAME` prints (stdout and
#                   stderr), then "[exit N]"
#   NAME.narrative  the same without --quiet (optional); also run twice to
#                   prove the output is byte-for-byte deterministic
#
# A script's first line "-- args: ..." adds options (--budget, --strict ...).
# UPDATE=1 rewrites the expected files from the current output (review the
# diff before committing them; create an empty NAME.narrative to start one).
BUILD=${BUILD:-build}
BIN="$BUILD/deferlab"
DIR=tests/lua
if [ ! -x "$BIN" ]; then
    echo "lua.sh: $BIN is missing (build it first)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# run SCRIPT OUT [--quiet]: capture everything the run prints, and its status
run() {
    script=$1
    out=$2
    shift 2
    args=$(sed -n '1s/^-- args: //p' "$script")
    # shellcheck disable=SC2086 # args are words on purpose
    "$BIN" run "$@" $args "$script" >"$out" 2>&1
    echo "[exit $?]" >>"$out"
}

# check NAME EXPECTED ACTUAL
check() {
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$3" "$2"
        pass=$((pass + 1))
    elif [ ! -f "$2" ]; then
        echo "FAIL $1: no expected output $2"
        fail=$((fail + 1))
    elif cmp -s "$2" "$3"; then
        pass=$((pass + 1))
    else
        echo "FAIL $1: output differs from $2"
        diff -u "$2" "$3" | head -60
        fail=$((fail + 1))
    fi
}

for script in "$DIR"/*.lua "$DIR"/*.md; do
    [ -f "$script" ] || continue
    base=${script%.*}
    name=$(basename "$script")
    run "$script" "$tmp/quiet" --quiet
    check "$name" "$base.out" "$tmp/quiet"
    if [ -f "$base.narrative" ]; then
        run "$script" "$tmp/narr1"
        run "$script" "$tmp/narr2"
        if ! cmp -s "$tmp/narr1" "$tmp/narr2"; then
            echo "FAIL $name: two runs printed different narratives"
            diff -u "$tmp/narr1" "$tmp/narr2" | head -20
            fail=$((fail + 1))
        fi
        check "$name (narrative)" "$base.narrative" "$tmp/narr1"
    fi
done

echo "lua: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
