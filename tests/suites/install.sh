#!/bin/sh
# install.sh - `make install` lays out a package that works where it lands.
#
# Covers: make install PREFIX=/usr/local DESTDIR=stage puts the binary, the
# lessons / challenges / solutions, the man page and the bash completion
# where they belong (and nothing outside DESTDIR); the man page renders
# without warnings; the installed binary runs --version and --help; a
# second install into a real PREFIX finds its data from a folder that has
# none: `deferlab learn 01` opens the installed lesson (in tmux), `deferlab
# run` runs an installed lesson headless, `deferlab hint` finds an
# installed challenge.
#
# It builds in its own folder ($BUILD/install-test), so the compiled-in data
# folder of the test prefix never reaches the binary the other suites use.
# DEFERLAB_MAKE overrides the make command (e.g. "make -f other.mk").
BUILD=${BUILD:-build}
MAKE_CMD=${DEFERLAB_MAKE:-make}
IBUILD=$BUILD/install-test
TMP=$(mktemp -d)
SOCK=dl-install-$$
pass=0
fail=0
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    | /' "$2" | head -30; }
check() { if [ -e "$2" ]; then ok "$1"; else bad "$1 (missing: $2)"; fi; }

# --- staged install -------------------------------------------------------------
STAGE=$TMP/stage
if $MAKE_CMD --no-print-directory install BUILD="$IBUILD" PREFIX=/usr/local DESTDIR="$STAGE" \
    >"$TMP/make.log" 2>&1; then
    ok "make install PREFIX=/usr/local DESTDIR=... succeeds"
else
    bad "make install PREFIX=/usr/local DESTDIR=... succeeds" "$TMP/make.log"
    echo "install: $pass passed, $fail failed"
    exit 1
fi
P=$STAGE/usr/local
check "the binary is installed" "$P/bin/deferlab"
[ -x "$P/bin/deferlab" ] && ok "the binary is executable" || bad "the binary is executable"
for d in lessons challenges solutions; do
    n_src=$(find "$d" -type f | wc -l)
    n_dst=$(find "$P/share/deferlab/$d" -type f 2>/dev/null | wc -l)
    if [ "$n_src" -gt 0 ] && [ "$n_src" = "$n_dst" ]; then
        ok "every file of $d/ is installed ($n_dst)"
    else
        bad "every file of $d/ is installed ($n_dst of $n_src)"
    fi
done
check "the man page is installed" "$P/share/man/man1/deferlab.1"
check "the bash completion is installed" "$P/share/bash-completion/completions/deferlab"
outside=$(find "$STAGE" -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$outside" ] && ok "nothing lands outside PREFIX" || bad "nothing lands outside PREFIX: $outside"

# --- the man page ---------------------------------------------------------------
if command -v groff >/dev/null 2>&1; then
    if groff -man -Tutf8 -ww "$P/share/man/man1/deferlab.1" >"$TMP/man.txt" 2>"$TMP/man.err" &&
        ! [ -s "$TMP/man.err" ]; then
        ok "the man page renders without warnings"
    else
        bad "the man page renders without warnings" "$TMP/man.err"
    fi
    groff -man -Tascii -P-cbou "$P/share/man/man1/deferlab.1" >"$TMP/man.txt" 2>/dev/null
    missing=""
    for word in learn replay repl run export check watch hint list reset lint help \
        --version --trace --quiet --strict --budget --memory --format --step --utf8 --events \
        --width --seed --dir --all --yes --color= --theme= --lessons= --progress= --semantics \
        NO_COLOR XDG_STATE_HOME EDITOR progress FILES ENVIRONMENT; do
        grep -q -- "$word" "$TMP/man.txt" || missing="$missing $word"
    done
    [ -z "$missing" ] && ok "the man page covers every command, option and variable" ||
        bad "the man page covers every command, option and variable (missing:$missing)"
elif command -v man >/dev/null 2>&1; then
    man -l "$P/share/man/man1/deferlab.1" >/dev/null 2>&1 && ok "the man page renders" ||
        bad "the man page renders"
else
    echo "ok - (no groff or man here: the man page is not rendered)"
fi
bash -n "$P/share/bash-completion/completions/deferlab" 2>"$TMP/bash.err" &&
    ok "the bash completion parses" || bad "the bash completion parses" "$TMP/bash.err"

# --- the installed binary ---------------------------------------------------------
[ "$("$P/bin/deferlab" --version)" = "deferlab 0.1.0" ] && ok "--version prints deferlab 0.1.0" ||
    bad "--version prints deferlab 0.1.0"
"$P/bin/deferlab" --help >"$TMP/help" 2>&1 && grep -q "export" "$TMP/help" &&
    ok "--help lists the commands" || bad "--help lists the commands" "$TMP/help"
"$P/bin/deferlab" help export >"$TMP/help" 2>&1 && grep -q -- "--format" "$TMP/help" &&
    ok "help COMMAND shows its options" || bad "help COMMAND shows its options" "$TMP/help"

# --- a real prefix: the data is found from anywhere --------------------------------
REAL=$TMP/prefix
if $MAKE_CMD --no-print-directory install BUILD="$IBUILD" PREFIX="$REAL" >"$TMP/make2.log" 2>&1; then
    ok "make install PREFIX=<folder> succeeds"
else
    bad "make install PREFIX=<folder> succeeds" "$TMP/make2.log"
fi
BIN=$REAL/bin/deferlab
EMPTY=$TMP/elsewhere
mkdir -p "$EMPTY" "$TMP/state"
lesson=$(ls "$REAL/share/deferlab/lessons" | head -n 1)
if (cd "$EMPTY" && "$BIN" run --quiet "$REAL/share/deferlab/lessons/$lesson") >"$TMP/run.log" 2>&1; then
    ok "the installed binary runs an installed lesson headless"
else
    bad "the installed binary runs an installed lesson headless" "$TMP/run.log"
fi
if (cd "$EMPTY" && XDG_STATE_HOME=$TMP/state "$BIN" hint 01) >"$TMP/hint.log" 2>&1 && [ -s "$TMP/hint.log" ]; then
    ok "hint finds an installed challenge from a folder without challenges/"
else
    bad "hint finds an installed challenge from a folder without challenges/" "$TMP/hint.log"
fi
if command -v tmux >/dev/null 2>&1; then
    title=$(sed -n 's/^title: *//p' "$REAL/share/deferlab/lessons/$lesson" | head -n 1 | cut -c1-30)
    tmux -L "$SOCK" new-session -d -x 120 -y 36 \
        "cd $EMPTY; LANG=C.UTF-8 XDG_STATE_HOME=$TMP/state $BIN learn 01; sleep 30"
    found=no
    n=50
    while [ "$n" -gt 0 ]; do
        if tmux -L "$SOCK" capture-pane -p 2>/dev/null | grep -qF -- "$title"; then found=yes; break; fi
        sleep 0.1
        n=$((n - 1))
    done
    tmux -L "$SOCK" capture-pane -p >"$TMP/screen" 2>/dev/null
    tmux -L "$SOCK" send-keys q 2>/dev/null
    [ "$found" = yes ] && ok "learn 01 opens the installed lesson ($title)" ||
        bad "learn 01 opens the installed lesson ($title)" "$TMP/screen"
else
    echo "ok - (no tmux here: learn is not opened)"
fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
