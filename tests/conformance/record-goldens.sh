#!/bin/sh
# record-goldens.sh - regenerate tests/conformance/golden/*.out from the Python twins.
#
# Each golden is the stdout of NNN-slug.py run by Debian's python3 with Debian's Twisted
# 22.4 (python3-twisted). The `python3` on PATH may be a build without Twisted, so this
# always uses /usr/bin/python3. Installs python3-twisted if missing (apt-get, through sudo
# when not root). Fails loudly if a twin raises, does not end with "done", or prints a
# different number of UNHANDLED reports than its "# expect-unhandled: N" marker says.
#
#   tests/conformance/record-goldens.sh            all scenarios
#   tests/conformance/record-goldens.sh 012 040    only scenarios whose names start so
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1  # keep __pycache__ out of the source tree

if ! "$PY" -c 'import twisted' 2>/dev/null; then
    echo "record-goldens: installing python3-twisted"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends python3-twisted
fi
ver=$("$PY" -c 'import twisted; print(twisted.__version__)')
case "$ver" in
    22.4.*) ;;
    *) echo "record-goldens: warning: Twisted $ver, the reference is 22.4" >&2 ;;
esac

mkdir -p "$here/golden"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
n=0
bad=0
for py in "$here"/[0-9]*.py; do
    name=$(basename "$py" .py)
    if [ $# -gt 0 ]; then
        keep=0
        for p in "$@"; do case "$name" in "$p"*) keep=1 ;; esac; done
        [ "$keep" -eq 1 ] || continue
    fi
    if ! (cd "$here" && PYTHONHASHSEED=0 "$PY" "$py") >"$tmp" 2>"$tmp.err"; then
        echo "record-goldens: FAILED: $name.py raised:" >&2
        cat "$tmp.err" >&2
        bad=$((bad + 1))
        continue
    fi
    if [ -s "$tmp.err" ]; then
        echo "record-goldens: FAILED: $name.py wrote to stderr:" >&2
        cat "$tmp.err" >&2
        bad=$((bad + 1))
        continue
    fi
    if [ "$(tail -n 1 "$tmp")" != "done" ]; then
        echo "record-goldens: FAILED: $name.py does not end by printing done" >&2
        bad=$((bad + 1))
        continue
    fi
    want=$(sed -n '1s/^# expect-unhandled: *\([0-9]*\).*/\1/p' "$py")
    got=$(grep -c '^UNHANDLED: ' "$tmp" || true)
    if [ "${want:-0}" -ne "$got" ]; then
        echo "record-goldens: FAILED: $name.py printed $got UNHANDLED report(s), marker says ${want:-0}" >&2
        bad=$((bad + 1))
        continue
    fi
    cp "$tmp" "$here/golden/$name.out"
    n=$((n + 1))
done
rm -f "$tmp.err"
echo "record-goldens: $n golden(s) written with Twisted $ver, $bad failure(s)"
[ "$bad" -eq 0 ]
