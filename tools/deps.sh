#!/bin/sh
# deps.sh - make sure every Debian package deferlab needs is installed.
#
# Checks with pkg-config (libraries) and command -v (tools); installs what is
# missing with apt-get, through sudo when not root. Run by every make target
# that builds, so `make run` / `make test` work on a fresh Debian machine.
#
#   tools/deps.sh            build + test dependencies
#   tools/deps.sh --twisted  also python3-twisted (goldens, benchmarks)
#   tools/deps.sh --fuzz     also clang and its sanitizer/fuzzer runtimes
set -eu

missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
    need_pc libuv libuv1-dev
    need_pc ncursesw libncurses-dev
    need_pc lua5.4 liblua5.4-dev
    need_pc jansson libjansson-dev
    need_pc cmocka libcmocka-dev
    need_pc md4c libmd4c-dev
fi
need_cmd cc gcc
need_cmd make make
need_cmd tmux tmux
if [ "${1:-}" = "--twisted" ]; then
    /usr/bin/python3 -c 'import twisted' 2>/dev/null || missing="$missing python3-twisted"
fi
if [ "${1:-}" = "--fuzz" ]; then
    need_cmd clang clang
    [ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
        missing="$missing libclang-rt-14-dev"
fi

[ -z "$missing" ] && exit 0

echo "deferlab: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deferlab: need root or sudo to install:$missing" >&2
    echo "deferlab: run: apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deferlab: dependencies installed"
