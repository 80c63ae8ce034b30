#!/bin/sh
# run.sh - build every libFuzzer target with clang and run each briefly, then
# replay every saved regression input. Used by `make fuzz`.
#
#   FUZZ_BUILD   build folder (build/fuzz)
#   FUZZ_TIME    seconds per target (20)
#   FUZZ_TARGETS targets to run (all: lesson challenge trace progress engine lua)
#   FUZZ_RUNS    instead of a time: this many inputs per target, from seed
#   FUZZ_SEED    (default 1) and a fresh work folder, so the run is the same
#                every time (what CI uses: a finding is reproducible)
#
# The library is built by the project's Makefile with CC=clang and
# -fsanitize=fuzzer-no-link,address,undefined; each target links
# tests/fuzz/fuzz_driver.c + tests/fuzz/targets.c against it. New corpus
# entries go to $FUZZ_BUILD/work/<target> (the seed corpus in
# tests/fuzz/corpus/<target> is only read); crashes to $FUZZ_BUILD/artifacts.
set -u
B=${FUZZ_BUILD:-build/fuzz}
TIME=${FUZZ_TIME:-20}
TARGETS=${FUZZ_TARGETS:-lesson challenge trace progress engine lua}
command -v clang >/dev/null || { echo "fuzz: clang is missing (apt-get install clang)"; exit 1; }
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
make --no-print-directory BUILD="$B" CC=clang OPT="-O1 -g" \
    EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
    "$B/libdeferlab.a" || exit 1
PKG="$(pkg-config --cflags --libs libuv ncursesw lua5.4 jansson md4c) -lm"
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=tests/fuzz/ubsan.supp
mkdir -p "$B/artifacts"
failed=""
for t in $TARGETS; do
    # shellcheck disable=SC2086
    clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g -fsanitize=fuzzer $SAN \
        -Isrc -Itests/fuzz -DDLFZ_ENTRY="dlfz_$t" tests/fuzz/fuzz_driver.c tests/fuzz/targets.c \
        "$B/libdeferlab.a" $PKG -o "$B/fuzz_$t" || { failed="$failed $t(build)"; continue; }
    if [ -n "${FUZZ_RUNS:-}" ]; then
        rm -rf "$B/work/$t" # deterministic: start from the seed corpus only
        LIMIT="-runs=$FUZZ_RUNS -seed=${FUZZ_SEED:-1}"
    else
        LIMIT="-max_total_time=$TIME"
    fi
    mkdir -p "$B/work/$t"
    regs=$(ls tests/fuzz/regressions/$t/* 2>/dev/null)
    if [ -n "$regs" ]; then
        # shellcheck disable=SC2086
        "$B/fuzz_$t" $regs >"$B/$t.regressions.log" 2>&1 || { failed="$failed $t(regressions)"; tail -n 30 "$B/$t.regressions.log"; }
    fi
    # shellcheck disable=SC2086
    "$B/fuzz_$t" $LIMIT -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$B/artifacts/$t-" "$B/work/$t" "tests/fuzz/corpus/$t" \
        >"$B/$t.log" 2>&1
    st=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/$t.log")
    if [ "$st" -eq 0 ]; then
        echo "fuzz $t: ${FUZZ_RUNS:+seed ${FUZZ_SEED:-1}, }${runs:-?} runs, no finding"
    else
        failed="$failed $t"
        echo "fuzz $t: FOUND A PROBLEM (see $B/$t.log; input in $B/artifacts/$t-*)"
        grep -m 1 -A 12 'ERROR\|invariant broken' "$B/$t.log"
    fi
done
[ -z "$failed" ] && echo "fuzz: all targets clean" && exit 0
echo "fuzz: problems in:$failed"
exit 1
