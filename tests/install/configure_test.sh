#!/bin/sh
# Configure-only checks of the build options:
#  - -Werror is opt-in: configuring with default options compiles nothing
#    with -Werror; FALCO_WERROR=ON (scripts/test) compiles everything with it.
#  - bench/run's configuration (no tests, no examples) configures.
#   configure_test.sh <source dir> <C compiler>
set -eu
src_dir=$1
cc=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

configure() {
    dir=$1
    shift
    cmake -S "$src_dir" -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
        -DBUILD_TESTING=OFF "$@" >"$dir.log" 2>&1 || { cat "$dir.log"; fail "configure $*"; }
    grep -q '"command"' "$dir/compile_commands.json" || fail "no compile command in $dir"
}

sdk_only="-DFALCO_BUILD_TOOLS=OFF -DFALCO_BUILD_EXAMPLES=OFF -DFALCO_BUILD_BENCH=OFF"
configure "$work/default" $sdk_only
if grep -q -- '-Werror' "$work/default/compile_commands.json"; then
    fail "a default build compiles with -Werror: $(grep -m1 -- '-Werror' "$work/default/compile_commands.json")"
fi
configure "$work/werror" $sdk_only -DFALCO_WERROR=ON
total=$(grep -c '"command"' "$work/werror/compile_commands.json")
with=$(grep '"command"' "$work/werror/compile_commands.json" | grep -c -- '-Werror' || true)
[ "$with" -eq "$total" ] || fail "FALCO_WERROR=ON: $with of $total compile commands have -Werror"
echo "configure test: default build without -Werror; FALCO_WERROR=ON: $total of $total commands with it"

configure "$work/bench" -DCMAKE_BUILD_TYPE=Release -DFALCO_BUILD_EXAMPLES=OFF
grep -q 'bench_decode.c' "$work/bench/compile_commands.json" || fail "bench/run's configuration has no benchmarks"
echo "configure test: bench/run's configuration (BUILD_TESTING=OFF, no examples) configures"
