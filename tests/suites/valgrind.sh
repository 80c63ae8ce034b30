#!/bin/sh
# valgrind.sh - `deferlab run` of every lesson under valgrind: no leak, no
# invalid access. Skipped (with a line saying so) when valgrind is missing or
# when the binary is built with AddressSanitizer (the two cannot share a
# process; ASan checks leaks itself in that build).
BUILD=${BUILD:-build}
BIN=$BUILD/deferlab
[ -x "$BIN" ] || { echo "valgrind: $BIN not built"; exit 1; }
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: skipped (valgrind is not installed)"
    exit 0
fi
if nm "$BIN" 2>/dev/null | grep -q '__asan_init'; then
    echo "valgrind: skipped ($BIN is built with AddressSanitizer)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for f in lessons/*.md; do
    name=$(basename "$f" .md)
    log=$tmp/$name.vg
    valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --log-file="$log" \
        "$BIN" run --quiet "$f" >"$tmp/out" 2>&1
    st=$?
    if [ "$st" -eq 0 ] && [ ! -s "$log" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $f: exit $st"
        head -n 20 "$log" | sed 's/^/    | /'
        tail -n 3 "$tmp/out" | sed 's/^/    | /'
    fi
done
echo "valgrind: $pass lessons clean, $fail with problems"
[ "$fail" -eq 0 ]
