#!/bin/sh
# malformed.sh - broken inputs fed to the real binary (tests/malformed/).
#
#   lessons/NAME.md      -> deferlab lint --dir ROOT   (ROOT/lessons/NAME.md alone)
#   challenges/NAME.md   -> deferlab check ROOT/challenges/NAME.md
#   traces/NAME.jsonl    -> deferlab export NAME.jsonl --format text
#   progress/NAME        -> deferlab list, with XDG_STATE_HOME=T and the file as
#                           T/deferlab/progress
#
# NAME.expect, next to each input:
#   generate: huge|binary|directory   the input is made here (10 MiB of text,
#                                     4 KiB of seeded random bytes, a folder)
#   status: N                         the exit status
#   kept: yes|no                      progress: the file was (not) moved aside;
#                                     when yes, byte for byte, and not deleted
#   anything else                     a substring of stdout+stderr (file:line: why)
# Every command must finish within 60 s, without a signal or sanitizer report.
BUILD=${BUILD:-build}
BIN=$(cd "$(dirname "$BUILD/deferlab")" && pwd)/deferlab
[ -x "$BIN" ] || { echo "malformed: $BUILD/deferlab not built"; exit 1; }
HERE=$(pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# make_input KIND DEST: create a generated input.
make_input() {
    case $1 in
    huge) head -c 10485760 /dev/zero | tr '\0' 'a' >"$2" ;;
    # The same junk every run (a seeded generator, not /dev/urandom): random
    # bytes could open with a newline or a '#', and move the line the error
    # names. The first byte, DEL, is never a valid start.
    binary) LC_ALL=C awk 'BEGIN { srand(7); printf "%c", 127
            for (i = 1; i < 4096; i++) printf "%c", 1 + int(rand() * 254) }' >"$2" ;;
    directory) mkdir -p "$2" ;;
    esac
}

# judge NAME EXPECT OUT STATUS [ASIDE_CHECK]: compare with the .expect file.
judge() {
    name=$1 expect=$2 out=$3 st=$4
    why=""
    want=$(sed -n 's/^status: *//p' "$expect")
    if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
        why="hung"
    elif [ "$st" -gt 128 ]; then
        why="killed by signal $((st - 128))"
    elif [ "$st" != "$want" ]; then
        why="exit status $st, expected $want"
    elif grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$out"; then
        why="sanitizer report"
    fi
    grep -v '^\(status\|generate\|kept\): ' "$expect" >"$tmp/lines"
    while [ -z "$why" ] && IFS= read -r line; do
        grep -qF -- "$line" "$out" || why="missing \"$line\""
    done <"$tmp/lines"
    [ -z "$why" ] && [ -n "$5" ] && why=$5
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        head -n 5 "$out" | cut -c1-200 | sed 's/^/    | /'
    fi
}

run() { timeout -k 5 60 "$@"; }

for exp in tests/malformed/lessons/*.expect; do
    n=$(basename "$exp" .expect)
    root=$tmp/lesson-$n
    mkdir -p "$root/lessons"
    gen=$(sed -n 's/^generate: *//p' "$exp")
    if [ -n "$gen" ]; then make_input "$gen" "$root/lessons/$n.md"; else cp "tests/malformed/lessons/$n.md" "$root/lessons/"; fi
    (cd "$root" && run "$BIN" lint --dir "$root") >"$tmp/out" 2>&1
    judge "lessons/$n" "$exp" "$tmp/out" $?
done

for exp in tests/malformed/challenges/*.expect; do
    n=$(basename "$exp" .expect)
    root=$tmp/chal-$n
    mkdir -p "$root/challenges" "$root/solutions"
    cp -r lessons "$root/"
    gen=$(sed -n 's/^generate: *//p' "$exp")
    if [ -n "$gen" ]; then make_input "$gen" "$root/challenges/$n.md"; else cp "tests/malformed/challenges/$n.md" "$root/challenges/"; fi
    (cd "$root" && XDG_STATE_HOME=$root/state run "$BIN" check "$root/challenges/$n.md") >"$tmp/out" 2>&1
    judge "challenges/$n" "$exp" "$tmp/out" $?
done

for exp in tests/malformed/traces/*.expect; do
    n=$(basename "$exp" .expect)
    f=$HERE/tests/malformed/traces/$n.jsonl
    gen=$(sed -n 's/^generate: *//p' "$exp")
    if [ -n "$gen" ]; then f=$tmp/$n.jsonl; make_input "$gen" "$f"; fi
    run "$BIN" export "$f" --format text >"$tmp/out" 2>&1
    judge "traces/$n" "$exp" "$tmp/out" $?
done

for exp in tests/malformed/progress/*.expect; do
    n=$(basename "$exp" .expect)
    state=$tmp/state-$n
    mkdir -p "$state/deferlab"
    p=$state/deferlab/progress
    gen=$(sed -n 's/^generate: *//p' "$exp")
    if [ -n "$gen" ]; then make_input "$gen" "$p"; else cp "tests/malformed/progress/$n" "$p"; fi
    [ -f "$p" ] && cp "$p" "$tmp/original"
    XDG_STATE_HOME=$state run "$BIN" list --dir "$HERE" >"$tmp/out" 2>&1
    st=$?
    extra=""
    kept=$(sed -n 's/^kept: *//p' "$exp")
    aside=$(ls "$state/deferlab" | grep '^progress\.corrupt-' | head -n 1)
    if [ "$kept" = yes ]; then
        if [ -z "$aside" ]; then
            extra="the corrupt file was not kept aside"
        elif ! cmp -s "$tmp/original" "$state/deferlab/$aside"; then
            extra="the file kept aside differs from the original"
        fi
    elif [ "$kept" = no ]; then
        if [ -n "$aside" ]; then extra="a readable file was moved aside"
        elif ! cmp -s "$tmp/original" "$p"; then extra="list changed the progress file"; fi
    fi
    judge "progress/$n" "$exp" "$tmp/out" "$st" "$extra"
done

# A progress folder the learner cannot write: saving fails with a clear
# message and the old file stays whole. root ignores permissions, so as root
# this runs as nobody (runuser), or is skipped.
as=""
if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1 && runuser -u nobody -- test -x "$BIN"; then
        as="runuser -u nobody --"
    else
        as=skip
    fi
fi
if [ "$as" = skip ]; then
    echo "malformed: read-only progress folder skipped (root without runuser/nobody access)"
else
    state=$tmp/state-ro
    mkdir -p "$state/deferlab"
    cp tests/malformed/progress/valid "$state/deferlab/progress"
    chmod -R a+rX "$tmp"
    chmod a-w "$state/deferlab"
    XDG_STATE_HOME=$state run $as "$BIN" hint 01 --dir "$HERE" >"$tmp/out" 2>&1
    st=$?
    printf 'status: 2\nprogress.tmp-\ncannot write progress: Permission denied\n' >"$tmp/ro.expect"
    extra=""
    cmp -s tests/malformed/progress/valid "$state/deferlab/progress" || extra="the old progress file changed"
    judge "progress/read-only-folder" "$tmp/ro.expect" "$tmp/out" "$st" "$extra"
    chmod u+w "$state/deferlab"
fi

echo "malformed: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
