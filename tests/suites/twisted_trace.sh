#!/bin/sh
# twisted_trace.sh - record a real Twisted program with tools/twisted_trace.py
# and replay the trace headless with `deferlab export`.
#
# Covers: callbacks / errbacks, a returned Deferred (waiting + hand-off), a
# stolen result, DeferredList, cancellation with a canceller, chainDeferred,
# pause / unpause and an unhandled error, recorded from Twisted itself
# (tests/twisted/chains.py); the reader accepts the file with no warnings;
# the text export matches tests/golden/export-twisted.txt; the Chrome and
# dot exports are well formed; recording is deterministic with --time none;
# a program that raises still leaves a readable trace.
#
# Skips (exit 0) when /usr/bin/python3 cannot import twisted: `make test`
# does not install Twisted (tools/deps.sh --twisted does, for `make bench`).
# DEFERLAB_UPDATE_GOLDEN=1 rewrites the golden (review the diff).
BUILD=${BUILD:-build}
BIN=${DEFERLAB_BIN:-$(pwd)/$BUILD/deferlab}
PY=${DEFERLAB_PYTHON:-/usr/bin/python3}  # the tests point it elsewhere to check the skip
TOOL=tools/twisted_trace.py
GOLDEN=tests/golden/export-twisted.txt
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    | /' "$2" | head -40; }

if ! [ -x "$PY" ] || ! "$PY" -c 'import twisted' 2>/dev/null; then
    echo "twisted_trace: skipped: python3-twisted not installed"
    exit 0
fi

# --- record -----------------------------------------------------------------
if "$PY" "$TOOL" --time none -o "$TMP/out.jsonl" tests/twisted/chains.py >"$TMP/stdout" 2>"$TMP/stderr"; then
    ok "the program runs under the recorder"
else
    bad "the program runs under the recorder" "$TMP/stderr"
fi
if [ "$(tail -n 1 "$TMP/stdout")" = "done" ] && grep -q "^stopping$" "$TMP/stdout"; then
    ok "the program's own output still reaches stdout"
else
    bad "the program's own output still reaches stdout" "$TMP/stdout"
fi
head -n 1 "$TMP/out.jsonl" | grep -q '"format":"deferlab-trace","version":1' &&
    ok "the trace starts with a deferlab header" || bad "the trace starts with a deferlab header" "$TMP/out.jsonl"
missing=""
for kind in created label added fired call return pass paused unpaused waiting handoff stolen \
    chained cancel canceller unhandled output; do
    grep -q "\"kind\":\"$kind\"" "$TMP/out.jsonl" || missing="$missing $kind"
done
[ -z "$missing" ] && ok "the trace has every kind of event the program causes" ||
    bad "the trace has every kind of event the program causes (missing:$missing)"

# --- replay headless ----------------------------------------------------------
if "$BIN" export "$TMP/out.jsonl" --format text >"$TMP/text.txt" 2>"$TMP/warn"; then
    ok "deferlab export reads the trace"
else
    bad "deferlab export reads the trace" "$TMP/warn"
fi
if [ -s "$TMP/warn" ]; then bad "the reader has no warnings" "$TMP/warn"; else ok "the reader has no warnings"; fi
[ -n "${DEFERLAB_UPDATE_GOLDEN:-}" ] && cp "$TMP/text.txt" "$GOLDEN"
if diff -u "$GOLDEN" "$TMP/text.txt" >"$TMP/diff"; then
    ok "the text export shows the expected chains ($GOLDEN)"
else
    bad "the text export shows the expected chains ($GOLDEN)" "$TMP/diff"
fi
# A few facts, so a wrong golden cannot hide them.
for want in 'o x #2 boom 10 ! Failure(ValueError: bad)' \
    '#1 continuation: result handed -> outer' \
    'taker + result: 7' \
    'both (DeferredList) + result: {{true, "A"}, {false, Failure(KeyError: k)}}' \
    'slow + result: "cancelled"  cancelled' \
    'chainDeferred -> target' \
    'lost x failed: Failure(RuntimeError: nobody listens)  ! UNHANDLED'; do
    if grep -qF -- "$want" "$TMP/text.txt"; then ok "text export shows: $want"; else bad "text export shows: $want" "$TMP/text.txt"; fi
done

# Chrome JSON parses and has a track per Deferred; dot names every Deferred.
if "$BIN" export "$TMP/out.jsonl" --format chrome -o "$TMP/out.json" 2>"$TMP/warn" &&
    "$PY" - "$TMP/out.json" >"$TMP/check" 2>&1 <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
evs = doc["traceEvents"]
for e in evs:
    for k in ("ph", "ts", "pid", "tid", "name"):
        assert k in e, (k, e)
names = {e["args"]["name"] for e in evs if e["name"] == "thread_name"}
for want in ("first (d#1)", "outer (d#3)", "both (d#8) [DeferredList]", "lost (d#13)"):
    assert want in names, (want, sorted(names))
assert any(e["ph"] == "X" and e["name"] == "#2 boom" and e["args"]["raised"] for e in evs)
assert any(e["ph"] == "i" and e["name"].startswith("UNHANDLED") for e in evs)
EOF
then
    ok "the Chrome export of a Twisted trace is valid"
else
    bad "the Chrome export of a Twisted trace is valid" "$TMP/check"
fi
if "$BIN" export "$TMP/out.jsonl" --format dot >"$TMP/out.dot" 2>"$TMP/warn" &&
    [ "$(grep -c '^  d[0-9]* \[label=' "$TMP/out.dot")" = 13 ] &&
    grep -q '^  d2 -> d3 \[label="#1 continuation' "$TMP/out.dot" &&
    grep -q '^  d4 -> d5 \[label="result taken' "$TMP/out.dot" &&
    grep -q '^  d10 -> d11 \[label="chainDeferred"' "$TMP/out.dot"; then
    ok "the dot export has every Deferred and link"
else
    bad "the dot export has every Deferred and link" "$TMP/out.dot"
fi

# --- deterministic, and robust ------------------------------------------------
"$PY" "$TOOL" --time none -o "$TMP/again.jsonl" tests/twisted/chains.py >/dev/null 2>&1
if cmp -s "$TMP/out.jsonl" "$TMP/again.jsonl"; then
    ok "two recordings with --time none are identical"
else
    bad "two recordings with --time none are identical"
fi
"$PY" "$TOOL" -o "$TMP/real.jsonl" tests/twisted/chains.py >/dev/null 2>&1
head -n 1 "$TMP/real.jsonl" | grep -q '"clock":"realtime"' &&
    "$BIN" export "$TMP/real.jsonl" --format text >/dev/null 2>"$TMP/warn" && ! [ -s "$TMP/warn" ] &&
    ok "a real-time recording replays too" || bad "a real-time recording replays too" "$TMP/warn"

cat >"$TMP/raises.py" <<'EOF'
from twisted.internet.defer import Deferred
d = Deferred()
d.addCallback(lambda v: v + 1)
d.callback(1)
raise SystemExit(3)
EOF
"$PY" "$TOOL" --time none -o "$TMP/raises.jsonl" "$TMP/raises.py" >/dev/null 2>&1
st=$?
if [ "$st" = 3 ] && "$BIN" export "$TMP/raises.jsonl" >"$TMP/raises.txt" 2>"$TMP/warn" &&
    grep -qF 'd + result: 2' "$TMP/raises.txt"; then
    ok "the program's exit status is kept and its trace is complete"
else
    bad "the program's exit status is kept and its trace is complete (status $st)" "$TMP/raises.txt"
fi
if "$PY" "$TOOL" -o "$TMP/x.jsonl" "$TMP/missing.py" >/dev/null 2>"$TMP/err"; then
    bad "a missing program is an error"
else
    grep -q "no such program" "$TMP/err" && ok "a missing program is an error" || bad "a missing program is an error" "$TMP/err"
fi

echo "twisted_trace: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
