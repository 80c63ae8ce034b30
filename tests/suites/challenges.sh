#!/bin/sh
# challenges.sh - `deferlab lint` over the repository, and the challenge
# commands (check, hint, list, reset, watch, lint) on a small fixture, with
# the exit codes they promise: 0 pass, 1 fail, 2 error.
# Called by tests/run-all.sh with BUILD set; uses a temporary XDG_STATE_HOME.
#
#   BUILD=build sh tests/suites/challenges.sh
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
BIN=${DEFERLAB:-$BUILD/deferlab}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac

if [ ! -x "$BIN" ]; then
    echo "challenges: $BIN is not built"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
LC_ALL=C
export LC_ALL
have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1
t() { if [ $have_timeout -eq 1 ]; then timeout 120 "$@"; else "$@"; fi; }

failed=0
passed=0
fail() {
    echo "FAIL: $1"
    [ -f "$tmp/out" ] && sed 's/^/    | /' "$tmp/out" | head -40
    failed=$((failed + 1))
}
ok() { passed=$((passed + 1)); }

# expect_exit CODE NAME CMD...: run CMD (output in $tmp/out), compare the exit code.
expect_exit() {
    want=$1
    name=$2
    shift 2
    t "$@" >"$tmp/out" 2>&1 </dev/null
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, expected $want"
        return 1
    fi
    ok
    return 0
}

# expect_out TEXT NAME: the last command's output contains TEXT.
expect_out() {
    if grep -qF -- "$1" "$tmp/out"; then ok; else fail "$2: output lacks \"$1\""; fi
}

if ! "$BIN" check --help >/dev/null 2>&1; then
    echo "challenges: $BIN has no \`check\` command (src/cli/challenges.h is not wired into cli.c)"
    exit 1
fi

# ---- the repository's own lessons and challenges -------------------------
expect_exit 0 "lint of the repository" "$BIN" lint
tail -1 "$tmp/out"

# ---- a fixture ---------------------------------------------------------------
root=$tmp/root
mkdir -p "$root/lessons" "$root/challenges" "$root/solutions"
cat >"$root/lessons/01-basics.md" <<'MD'
---
id: 01-basics
title: Basics
level: 1
requires: []
source: tests
---

```lua
print(succeed(1).result)
```
MD
cat >"$root/challenges/01-double.md" <<'MD'
---
id: 01-double
title: Double it
difficulty: 1
kind: implement
lesson: 01-basics
hints:
  - Add a callback.
  - It returns the value times two.
---

Write `double(d)`: add a callback to `d` that doubles its result.

```lua starter
function double(d)
  return d
end
```

```lua check "doubles a fired Deferred"
local d = double(succeed(21))
expect_result(d, 42, "double(succeed(21))")
```

```lua check "doubles many values"
for _, n in ipairs(random_ops(5, {1, 2, 3, 10})) do
  expect_result(double(succeed(n)), 2 * n, "double(succeed(" .. n .. "))")
end
```

## Explanation

A callback's return value becomes the next result.
MD
cat >"$root/solutions/01-double.lua" <<'LUA'
function double(d)
  return d:addCallback(function(v) return v * 2 end)
end
LUA
work=$XDG_STATE_HOME/deferlab/work/01-double.lua

expect_exit 0 "lint of the fixture" "$BIN" lint --dir "$root"
expect_out "lint: 1 lessons, 1 challenges: 0 problems" "lint of the fixture"

expect_exit 1 "the starter fails" "$BIN" check 01 --dir "$root"
expect_out "Created your working copy from the starter: $work" "first check"
expect_out "x doubles a fired Deferred" "first check"
expect_out "check \`doubles a fired Deferred\` (${root}/challenges/01-double.md:22): double(succeed(21)): expected 42, got 21" "first check"
[ -f "$work" ] && ok || fail "the working copy was not created"

# The learner's work is never overwritten.
echo "-- my own work" >>"$work"
expect_exit 1 "second check" "$BIN" check 01-double --dir "$root"
if grep -q "Created your working copy" "$tmp/out"; then fail "created the working copy twice"; else ok; fi
grep -q -- "-- my own work" "$work" && ok || fail "the working copy was overwritten"

cp "$root/solutions/01-double.lua" "$work"
echo 'print("stray print")' >>"$work"
expect_exit 0 "a solved working copy passes" "$BIN" check 01 --dir "$root"
expect_out "+ doubles many values  (5 seeds)" "pass"
expect_out "A callback's return value becomes the next result." "pass shows the explanation"
expect_out "${root}/solutions/01-double.lua" "pass names the reference solution"
grep -q "^challenge 01-double passed" "$XDG_STATE_HOME/deferlab/progress" && ok ||
    fail "the pass was not recorded in progress"

expect_exit 0 "an explicit solution file" "$BIN" check "$root/challenges/01-double.md" "$root/solutions/01-double.lua"
expect_exit 0 "--seed replays one seed" "$BIN" check 01 --dir "$root" --seed 7
expect_exit 2 "a missing solution file" "$BIN" check 01 "$tmp/nope.lua" --dir "$root"
expect_out "nope.lua: cannot read" "missing solution"
expect_exit 2 "an unknown challenge" "$BIN" check 99 --dir "$root"
expect_exit 2 "a bad --seed" "$BIN" check 01 --dir "$root" --seed -3

expect_exit 0 "first hint" "$BIN" hint 01 --dir "$root"
expect_out "hint 1 of 2" "first hint"
expect_exit 0 "second hint" "$BIN" hint 01 --dir "$root"
expect_out "It returns the value times two." "second hint"
grep -q "^challenge 01-double passed hints 2" "$XDG_STATE_HOME/deferlab/progress" && ok ||
    fail "hints were not recorded"

expect_exit 0 "list" "$BIN" list --dir "$root"
expect_out "+ 01-double" "list"
expect_out "(hints 2/2)" "list"
expect_out "0 of 1 lessons done, 1 of 1 challenges passed" "list"

expect_exit 2 "reset without a terminal wants --yes" "$BIN" reset 01 --dir "$root"
expect_exit 0 "reset --yes" "$BIN" reset 01 --yes --dir "$root"
if grep -q "01-double" "$XDG_STATE_HOME/deferlab/progress"; then fail "reset kept the progress"; else ok; fi
[ ! -f "$work" ] && ls "$work".reset-* >/dev/null 2>&1 && ok || fail "the working copy was not moved aside"

# A broken challenge is an error (2) named by file:line.
sed 's/kind: implement/kind: guess/' "$root/challenges/01-double.md" >"$root/challenges/02-broken.md"
sed -i 's/id: 01-double/id: 02-broken/' "$root/challenges/02-broken.md"
expect_exit 2 "a broken challenge" "$BIN" check 02 --dir "$root"
expect_out "02-broken.md:5: unknown kind \`guess\` (implement, predict or fix)" "a broken challenge"
expect_exit 1 "lint finds the broken challenge" "$BIN" lint --dir "$root"
rm "$root/challenges/02-broken.md"

# A lesson whose cell raises: lint runs every lesson.
sed 's/id: 01-basics/id: 02-raises/; s/print(succeed(1).result)/local t = nil; print(t.x)/' \
    "$root/lessons/01-basics.md" >"$root/lessons/02-raises.md"
expect_exit 1 "lint runs the lessons" "$BIN" lint --dir "$root"
expect_out "02-raises.md:10: attempt to index a nil value (local 't') (cell 1 does not run)" "lint runs the lessons"
rm "$root/lessons/02-raises.md"

# A starter that already passes, and a solution that fails: lint says so.
cp "$root/solutions/01-double.lua" "$root/solutions/03-lazy.lua"
sed 's/id: 01-double/id: 03-lazy/; s/  return d$/  return d:addCallback(function(v) return v * 2 end)/' \
    "$root/challenges/01-double.md" >"$root/challenges/03-lazy.md"
echo 'function double(d) return d end' >"$root/solutions/01-double.lua"
expect_exit 1 "lint: passing starter, failing solution" "$BIN" lint --dir "$root"
expect_out "03-lazy.md:14: the starter passes every check" "lint: passing starter"
expect_out "solutions/01-double.lua: the reference solution fails 2 of 2 checks" "lint: failing solution"

# watch: a first check, `r` re-checks, `q` quits.
if [ $have_timeout -eq 1 ]; then
    (sleep 1; echo r; sleep 1; echo q) | timeout 30 "$BIN" watch 03 --dir "$root" >"$tmp/out" 2>&1
    got=$?
    [ "$got" -eq 0 ] && ok || fail "watch: exit $got"
    n=$(grep -c "^---- " "$tmp/out")
    [ "$n" -eq 2 ] && ok || fail "watch: $n checks instead of 2 (first + r)"
    expect_out "check requested" "watch r"
fi

echo "challenges: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
