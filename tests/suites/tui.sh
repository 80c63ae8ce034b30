#!/bin/sh
# tui.sh - drive the real workbench in tmux and read its screen.
# Covers: open a lesson, step forward and back, the diagram changing, a
# predict prompt, help, resize, the too-small screen, NO_COLOR, replay of a
# trace file, the REPL updating a chain, and the terminal restored on quit
# and on SIGTERM.
BUILD=${BUILD:-build}
BIN=$(pwd)/$BUILD/deferlab
SOCK=dl-e2e-$$
NSOCK=0
TMP=$(mktemp -d)
export XDG_STATE_HOME=$TMP/state
pass=0
fail=0

t() { tmux -L "$SOCK" "$@"; }
cleanup() { t kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# start COLS ROWS COMMAND...: run a command in a fresh session; its exit
# status and the terminal's settings afterwards land in $TMP/after.
start() {
    cols=$1 rows=$2
    shift 2
    t kill-server 2>/dev/null
    NSOCK=$((NSOCK + 1))
    SOCK=dl-e2e-$$-$NSOCK # a fresh server: tmux races if a new session joins one shutting down
    rm -f "$TMP/after"
    t new-session -d -x "$cols" -y "$rows" \
        "cd $(pwd); LANG=C.UTF-8 $*; echo \"exit=\$?\" > $TMP/after; stty -a >> $TMP/after; sleep 60"
    wait_for "" 1
}
screen() { t capture-pane -p; }
keys() { t send-keys "$@"; sleep 0.15; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    n=$(( ${2:-5} * 10 ))
    while [ "$n" -gt 0 ]; do
        screen 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() {
    fail=$((fail + 1))
    echo "FAIL - $1"
    screen | sed 's/^/    | /'
}
expect() { if wait_for "$1" "${3:-3}"; then ok "$2"; else bad "$2 (wanted: $1)"; fi; }
expect_not() { if screen | grep -qF -- "$1"; then bad "$2 (unwanted: $1)"; else ok "$2"; fi; }
# after: the program exited and left the terminal sane.
expect_restored() {
    n=50
    while [ ! -s "$TMP/after" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
    if grep -q "$1" "$TMP/after" && grep -q " icanon " "$TMP/after" && grep -q " echo " "$TMP/after"; then
        ok "$2"
    else
        fail=$((fail + 1))
        echo "FAIL - $2"
        sed 's/^/    | /' "$TMP/after" 2>/dev/null | head -5
    fi
}

command -v tmux >/dev/null || { echo "tui: tmux is missing"; exit 1; }
LESSON=tests/e2e/sample.md

# --- a lesson: step, diagram, predict, back ------------------------------
start 140 50 "$BIN" learn $LESSON
expect "A sample lesson" "lesson opens with its title"
expect "A first cell with a callback" "prose pane shows the lesson text"
keys l l l l l l l l
expect "d1" "a Deferred appears in the chains pane"
keys G
expect "your prediction" "jumping ahead stops at the predict prompt"
keys "v nil" Enter
expect "you predicted" "the prediction is checked against the engine"
expect "= \"v\"" "the diagram shows outer's final result"
expect "continuation: result handed" "the inner shows the hand-off"
keys g
expect "step 1/" "g goes back to the first step"
expect_not "= \"v\"" "stepping back removes later state from the diagram"
keys l l l l l l l l l l l l
expect "raised" "the events pane narrates the raise"
keys h h
expect "step 11/" "h steps back one event at a time"
keys t
expect "Twisted twin" "t shows the Python twin"
keys t '?'
expect "Help: keys" "? opens the help generated from the action table"
expect "previous event of the same kind" "help lists every action"
keys Escape
expect_not "Help: keys" "any key closes help"

# --- resize and too small --------------------------------------------------
t resize-window -x 70 -y 20
expect "Terminal too small: 70x20" "a small terminal gets the too-small screen"
t resize-window -x 100 -y 30
expect "Lesson" "growing the terminal brings the panes back"
keys q
expect "Lessons" "q leaves the lesson for the home screen"
keys q
expect_restored "exit=0" "q on the home screen quits and the terminal is restored"

# --- both chainDeferred semantics side by side -----------------------------
start 160 44 "$BIN" learn lessons/06-chain-deferred.md
expect "chainDeferred and its five edge cases" "lesson 06 opens"
keys s
expect "proposed chainDeferred (same step)" "s splits the chains pane: the other semantics on the right"
keys l l l l l l l l l l l l l l l
expect "result: \"hey\"" "the proposed side passes the value through"
expect "result: nil" "Twisted's side shows d1 holding nil"
keys s
expect_not "proposed chainDeferred (same step)" "s again closes the comparison"
keys q

# --- NO_COLOR: no colour escapes at all ------------------------------------
start 100 30 NO_COLOR=1 "$BIN" learn $LESSON
wait_for "A sample lesson" 3
if t capture-pane -p -e | grep -q '\[3[0-7]m\|\[3[0-7];\|38;5;\|\[4[0-7]m'; then
    bad "NO_COLOR draws without colours"
else
    ok "NO_COLOR draws without colours"
fi
keys q

# --- home ----------------------------------------------------------------
start 100 30 "$BIN" --lessons=tests/e2e
expect "sample" "home lists the lessons of the folder"
keys Enter
expect "A first cell" "Enter opens the selected lesson"
keys q
expect "Lessons" "q goes back home"
keys q
expect_restored "exit=0" "quitting home restores the terminal"

# --- replay a trace ---------------------------------------------------------
"$BIN" run --quiet --trace "$TMP/t.jsonl" $LESSON >/dev/null 2>&1
start 100 30 "$BIN" replay "$TMP/t.jsonl"
expect "t.jsonl" "replay opens the trace"
keys G
expect "= \"v\"" "the replayed diagram reaches the final state"
keys q

# --- REPL --------------------------------------------------------------------
start 100 30 "$BIN" repl
expect "lua>" "the REPL prompts"
keys "d = Deferred()" Enter
keys "d:addCallback(function(v) return v * 2 end)" Enter
keys "d:callback(21)" Enter
expect "= 42" "REPL lines update the chain live"
keys "print(d.result)" Enter
expect "42" "REPL output is shown"
keys Escape
expect_restored "exit=0" "Esc leaves the REPL and restores the terminal"

# --- a challenge: starter copied, checks fail, a save re-checks, pass -----
start 120 36 "$BIN" challenge 01
expect "Share an in-flight call" "a challenge opens with its task"
expect "First failure:" "the starter fails and the failure is explained"
WORK=$XDG_STATE_HOME/deferlab/work/01-memoize.lua
if [ -f "$WORK" ]; then ok "the starter is copied to the working file"; else bad "the starter is copied to the working file"; fi
keys h
expect "Hint 1:" "h shows the first hint"
cp solutions/01-memoize.lua "$WORK.tmp" && mv "$WORK.tmp" "$WORK"
expect "all 3 checks pass" "saving by rename re-checks automatically" 5
expect "Explanation" "after a pass the explanation is shown"
keys q
expect "Challenges" "q goes back to the challenge list"
keys q
expect_restored "exit=0" "quitting restores the terminal"
if grep -q "challenge 01-memoize passed hints 1" "$XDG_STATE_HOME/deferlab/progress"; then
    ok "the pass and the hint are recorded in progress"
else
    bad "the pass and the hint are recorded in progress"
fi
echo "-- changed by the learner" >> "$WORK"
start 120 36 "$BIN" challenge 01
expect "Share an in-flight call" "reopening the challenge"
if grep -q "changed by the learner" "$WORK"; then ok "the learner's file is never overwritten"; else bad "the learner's file is never overwritten"; fi
keys q

# --- SIGTERM restores the terminal ------------------------------------------
start 100 30 "$BIN" learn $LESSON
wait_for "A sample lesson" 3
pkill -TERM -f "^$BIN learn $LESSON"
expect_restored "exit=143" "SIGTERM leaves a sane terminal"

# --- no terminal at all -----------------------------------------------------
if "$BIN" learn $LESSON </dev/null 2>"$TMP/err" >/dev/null; then
    bad "without a terminal the workbench refuses"
elif grep -q "needs a terminal" "$TMP/err"; then
    ok "without a terminal the workbench says it needs one"
else
    bad "without a terminal the workbench says it needs one"
fi

echo "tui: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
