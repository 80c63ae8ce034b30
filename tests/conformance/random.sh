#!/bin/sh
# random.sh - seeded random conformance scenarios: Twisted 22.4 vs deferlab.
#
#   tests/conformance/random.sh SEED N        (BUILD=build by default: uses $BUILD/deferlab)
#
# Generates N random scenario pairs from SEED (tests/conformance/random_scenarios.py), runs
# each Python twin under Debian's /usr/bin/python3 + python3-twisted (installed with apt-get,
# through sudo when not root, if missing: like record-goldens.sh) and each Lua twin under
# `$BUILD/deferlab run --quiet`, and compares them as tests/suites/conformance.sh does.
# Exits non-zero on any mismatch, printing each one (seed, index, diff) and the paths of the
# minimal (shrunk) failing pair, kept in $RANDOM_OUT (default: a fresh temp folder).
# Extra environment: RANDOM_JOBS (parallel runs, default: CPU count).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3
SEED=${1:-1}
N=${2:-200}
BUILD=${BUILD:-build}
case "$BUILD" in /*) BIN=$BUILD/deferlab ;; *) BIN=$root/$BUILD/deferlab ;; esac
export PYTHONDONTWRITEBYTECODE=1

if [ ! -x "$BIN" ]; then
    echo "random: $BIN is not built (make BUILD=$BUILD $BUILD/deferlab)" >&2
    exit 2
fi
if ! "$PY" -c 'import twisted' 2>/dev/null; then
    echo "random: installing python3-twisted"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends python3-twisted
fi
ver=$("$PY" -c 'import twisted; print(twisted.__version__)')
case "$ver" in
    22.4.*) ;;
    *) echo "random: warning: Twisted $ver, the reference is 22.4" >&2 ;;
esac

out=${RANDOM_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/deferlab-random.XXXXXX")}
set -- --seed "$SEED" --count "$N" --bin "$BIN" --out "$out"
[ -n "${RANDOM_JOBS:-}" ] && set -- "$@" --jobs "$RANDOM_JOBS"
if "$PY" "$here/random_scenarios.py" "$@"; then
    [ -n "${RANDOM_OUT:-}" ] || rm -rf "$out"
    exit 0
fi
echo "random: mismatching pairs kept in $out (copy one into tests/conformance/ as NNN-slug.py/.lua to track it)" >&2
exit 1
