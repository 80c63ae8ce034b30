#!/bin/sh
# crash.sh - crash safety and hostile terminals.
#   * kill -9 at random moments of a progress save and of the first copy of a
#     challenge's starter: the file is always absent, the old or the new
#     complete version, never a torn one;
#   * SIGSEGV and SIGABRT delivered to the workbench leave a sane terminal
#     (icanon, echo), like SIGTERM in tui.sh;
#   * a 1x1 terminal, a resize storm, LANG=C (ASCII glyphs, no mojibake),
#     TERM=dumb (a clear refusal), no terminal at all (run and check work,
#     the workbench says it needs one).
BUILD=${BUILD:-build}
BIN=$(pwd)/$BUILD/deferlab
[ -x "$BIN" ] || { echo "crash: $BIN not built"; exit 1; }
SOCK=dl-crash-$$
NSOCK=0
TMP=$(mktemp -d)
LESSON=tests/e2e/sample.md
KILLS=${CRASH_KILLS:-40}
pass=0
fail=0

t() { tmux -L "$SOCK" "$@"; }
cleanup() { t kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

# A random delay of 0..N-1 milliseconds, as a sleep argument.
rand_delay() { awk -v n="$1" -v s="$2" 'BEGIN { srand(s); printf "0.%03d\n", int(rand() * n) }'; }

# --- kill -9 during progress saves -----------------------------------------
# Each `deferlab hint 01` reads the progress file and writes it back with the
# hint count one higher. Killed anywhere, the file must parse and hold a
# count of either the old or the new value.
export XDG_STATE_HOME=$TMP/state-kill
P=$XDG_STATE_HOME/deferlab/progress
mkdir -p "$XDG_STATE_HOME/deferlab"
"$BIN" hint 01 >/dev/null 2>&1
torn=0
i=0
while [ "$i" -lt "$KILLS" ]; do
    before=$(sed -n 's/^challenge 01-memoize.* hints \([0-9]*\).*/\1/p' "$P")
    "$BIN" hint 01 >/dev/null 2>&1 &
    pid=$!
    sleep "$(rand_delay 12 "$i")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    after=$(sed -n 's/^challenge 01-memoize.* hints \([0-9]*\).*/\1/p' "$P")
    if ! head -n 1 "$P" | grep -q '^# deferlab progress' || ! grep -q '^version 1$' "$P" ||
        [ -z "$after" ] || [ "$(tail -c 1 "$P" | od -An -c | tr -d ' ')" != '\n' ]; then
        torn=$((torn + 1))
        echo "    torn progress file after a kill at round $i:"
        sed 's/^/    | /' "$P"
    elif [ "$after" != "$before" ] && [ "$after" != "$((before + 1))" ] &&
        ! { [ "$before" = 3 ] && [ "$after" = 3 ]; }; then
        torn=$((torn + 1))
        echo "    hint count went from $before to $after"
    fi
    ls "$XDG_STATE_HOME/deferlab" | grep -q 'corrupt' && torn=$((torn + 1))
    i=$((i + 1))
done
if [ "$torn" -eq 0 ]; then ok "progress survives $KILLS kill -9 at random moments of a save"; else bad "progress torn $torn times in $KILLS kills"; fi

# --- kill -9 while the starter is first copied -----------------------------
export XDG_STATE_HOME=$TMP/state-work
W=$XDG_STATE_HOME/deferlab/work/01-memoize.lua
"$BIN" check 01 >/dev/null 2>&1
cp "$W" "$TMP/starter.lua"
torn=0
i=0
while [ "$i" -lt "$KILLS" ]; do
    rm -f "$W"
    "$BIN" check 01 >/dev/null 2>&1 &
    pid=$!
    sleep "$(rand_delay 8 "$((i + 1000))")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -e "$W" ] && ! cmp -s "$W" "$TMP/starter.lua"; then
        torn=$((torn + 1))
        echo "    a partial working copy after a kill at round $i ($(wc -c <"$W") bytes)"
    fi
    i=$((i + 1))
done
if [ "$torn" -eq 0 ]; then ok "the working copy is never half written ($KILLS kills)"; else bad "partial working copies: $torn of $KILLS"; fi
echo "-- mine" >>"$W"
"$BIN" check 01 >/dev/null 2>&1
if grep -q -- "-- mine" "$W"; then ok "an existing working copy is kept"; else bad "an existing working copy is kept"; fi

# --- no terminal at all ---------------------------------------------------
export XDG_STATE_HOME=$TMP/state-nott
if "$BIN" run --quiet $LESSON </dev/null >"$TMP/out" 2>&1 && [ -s "$TMP/out" ]; then
    ok "run works without a terminal"
else
    bad "run works without a terminal"
fi
"$BIN" check 01 solutions/01-memoize.lua </dev/null >"$TMP/out" 2>&1
if [ $? -eq 0 ]; then ok "check works without a terminal"; else bad "check works without a terminal"; sed 's/^/    | /' "$TMP/out" | head -5; fi
for cmd in "" "learn $LESSON"; do
    # shellcheck disable=SC2086
    "$BIN" $cmd </dev/null >/dev/null 2>"$TMP/err"
    st=$?
    if [ "$st" -ne 0 ] && grep -q "needs a terminal" "$TMP/err"; then
        ok "'deferlab $cmd' without a terminal says it needs one"
    else
        bad "'deferlab $cmd' without a terminal says it needs one (status $st)"
        sed 's/^/    | /' "$TMP/err" | head -3
    fi
done

command -v tmux >/dev/null || { echo "crash: tmux is missing: terminal cases not run"; echo "crash: $pass passed, $((fail + 1)) failed"; exit 1; }
export XDG_STATE_HOME=$TMP/state-tui

# start COLS ROWS ENV COMMAND...: run in a fresh tmux session. The command's
# pid lands in $TMP/pid; its exit status and `stty -a` afterwards in $TMP/after.
start() {
    cols=$1 rows=$2 env=$3
    shift 3
    t kill-server 2>/dev/null
    NSOCK=$((NSOCK + 1))
    SOCK=dl-crash-$$-$NSOCK # a fresh server: tmux races if a new session joins one shutting down
    rm -f "$TMP/after" "$TMP/pid"
    t new-session -d -x "$cols" -y "$rows" \
        "cd $(pwd); sh -c 'echo \$\$ > $TMP/pid; exec env $env $*'; echo \"exit=\$?\" > $TMP/after; stty -a >> $TMP/after; sleep 60"
    n=50
    while [ ! -s "$TMP/pid" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
}
screen() { t capture-pane -p; }
wait_for() {
    n=$(( ${2:-5} * 10 ))
    while [ "$n" -gt 0 ]; do
        screen 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
wait_after() {
    n=100
    while [ ! -s "$TMP/after" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
    [ -s "$TMP/after" ]
}
# sane NAME: the program ended (not with status 0) and left icanon and echo on.
sane() {
    if wait_after && ! grep -q "exit=0" "$TMP/after" && grep -q " icanon " "$TMP/after" &&
        grep -q " echo " "$TMP/after"; then
        ok "$1"
    else
        bad "$1"
        sed 's/^/    | /' "$TMP/after" 2>/dev/null | head -4
        screen | tail -n 5 | sed 's/^/    | /'
    fi
}

# --- fatal signals ------------------------------------------------------
for sig in SEGV ABRT TERM; do
    start 100 30 LANG=C.UTF-8 "$BIN" learn $LESSON
    if wait_for "A sample lesson" 15; then
        kill -"$sig" "$(cat "$TMP/pid")"
        sane "SIG$sig leaves a sane terminal (icanon, echo)"
    else
        bad "the workbench opens (for SIG$sig)"
    fi
done

# --- 1x1, then a resize storm ------------------------------------------------
start 1 1 LANG=C.UTF-8 "$BIN" learn $LESSON
sleep 1
if kill -0 "$(cat "$TMP/pid")" 2>/dev/null; then ok "a 1x1 terminal does not crash the workbench"; else bad "a 1x1 terminal does not crash the workbench"; fi
t resize-window -x 100 -y 30
if wait_for "A sample lesson" 15; then ok "growing from 1x1 draws the lesson"; else bad "growing from 1x1 draws the lesson"; fi
i=0
while [ "$i" -lt 60 ]; do
    t resize-window -x $((20 + (i * 37) % 150)) -y $((3 + (i * 11) % 50))
    i=$((i + 1))
done
t resize-window -x 110 -y 32
if wait_for "A sample lesson" 15 && kill -0 "$(cat "$TMP/pid")" 2>/dev/null; then
    ok "a storm of 60 resizes leaves a working screen"
else
    bad "a storm of 60 resizes leaves a working screen"
fi
t send-keys q
# q leaves the lesson; from the lesson list (when it opens one) q again quits.
sleep 0.5
[ -s "$TMP/after" ] || t send-keys q
if wait_after && grep -q "exit=0" "$TMP/after" && grep -q " icanon " "$TMP/after"; then
    ok "q after the storm quits cleanly"
else
    bad "q after the storm quits cleanly"
fi

# --- LANG=C: ASCII only ---------------------------------------------------------
start 100 30 "LANG=C LC_ALL=C" "$BIN" learn $LESSON
if wait_for "A sample lesson" 15; then
    t send-keys l l l l l l l l
    sleep 0.5
    if screen | LC_ALL=C grep -q '[^ -~]'; then
        bad "LANG=C draws ASCII only"
        screen | LC_ALL=C grep '[^ -~]' | head -3 | sed 's/^/    | /'
    else
        ok "LANG=C draws ASCII only (no mojibake)"
    fi
else
    bad "the workbench opens under LANG=C"
fi
t send-keys q

# --- TERM=dumb ------------------------------------------------------------------
start 100 30 "TERM=dumb LANG=C.UTF-8" "$BIN" learn $LESSON
if wait_after && ! grep -q "exit=0" "$TMP/after" && wait_for "TERM" 2; then
    ok "TERM=dumb is refused with a message naming TERM"
else
    bad "TERM=dumb is refused with a message naming TERM"
    screen | head -n 5 | sed 's/^/    | /'
fi

echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
