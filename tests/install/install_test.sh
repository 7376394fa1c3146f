#!/bin/sh
# Installs the SDK into a temporary prefix the way a plugin author would use it:
#  1. the "sdk" component alone, then the minimal example built out of tree
#     twice: find_package(FalcoPluginSDK) + falco_add_plugin, and plain cc +
#     pkg-config falcoplugin. Both .so files must export exactly the plugin_*
#     symbols and need only libc. A clang -fsanitize= build of it links too.
#  2. everything (cmake --install: host, capture, tools too), then an
#     out-of-tree test program that loads that plugin through the installed
#     host library, linked with falco::host alone and with pkg-config
#     falcohost alone; it must print the counter's values 1..5. The same for
#     a program reading a capture through the installed capture library. The
#     installed falcoplug checks and runs the plugin.
#   install_test.sh <build dir> <source dir> [all|sdk]
# ("sdk": the build has no host, capture or falcoplug; part 1 only)
set -eu
build_dir=$1
src_dir=$2
parts=${3:-all}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build_dir" --prefix "$prefix" --component sdk >/dev/null
[ ! -e "$prefix/include/falco/host.h" ] || fail "the sdk component installs host.h"

check_plugin() {
    so=$1
    exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
    bad=$(printf '%s\n' "$exported" | grep -v '^plugin_' || true)
    if [ -n "$bad" ]; then fail "$so exports non-plugin symbols: $bad"; fi
    for sym in plugin_init plugin_get_fields plugin_next_batch plugin_get_id; do
        printf '%s\n' "$exported" | grep -qx "$sym" || fail "$so lacks $sym"
    done
    needed=$(readelf -d "$so" | awk '/NEEDED/ {print $5}' | tr -d '[]' | sort | tr '\n' ' ')
    case "$needed" in
        "ld-linux-x86-64.so.2 libc.so.6 "|"libc.so.6 "|"ld-linux-aarch64.so.1 libc.so.6 ") ;;
        *) fail "$so needs: $needed" ;;
    esac
}

cmake -S "$src_dir/tests/install/project" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DMINIMAL_SOURCE="$src_dir/examples/minimal/minimal.c" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
plugin=$work/cmake-build/libminimal.so
check_plugin "$plugin"
# The package adds no -Werror (nor any warning flag) to an author's build.
if grep -rq -- '-Werror' "$work/cmake-build/CMakeFiles/minimal.dir/flags.make"; then
    fail "falco_add_plugin adds -Werror to the author's flags"
fi

# A sanitizer build asked for through CMAKE_C_FLAGS links: clang leaves the
# sanitizer runtime to the host executable, so the plugin keeps undefined
# __asan_/__ubsan_ references and falco_add_plugin must not refuse them.
if command -v clang >/dev/null 2>&1; then
    cmake -S "$src_dir/tests/install/project" -B "$work/asan-build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_C_COMPILER=clang "-DCMAKE_C_FLAGS=-fsanitize=address,undefined" \
        -DMINIMAL_SOURCE="$src_dir/examples/minimal/minimal.c" >/dev/null || fail "configure with -fsanitize="
    cmake --build "$work/asan-build" >"$work/asan-build.log" 2>&1 || \
        { tail -n 5 "$work/asan-build.log"; fail "a plugin built with CMAKE_C_FLAGS=-fsanitize= does not link"; }
    nm -u "$work/asan-build/libminimal.so" | grep -q '__asan_' || fail "the sanitizer build is not instrumented"
fi

PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib64/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
export PKG_CONFIG_PATH
cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -o "$work/libminimal-pc.so" "$src_dir/examples/minimal/minimal.c" \
    $(pkg-config --cflags --libs falcoplugin)
check_plugin "$work/libminimal-pc.so"
echo "install test: plugin built with find_package (plain and sanitized) and with pkg-config"

if [ "$parts" = sdk ]; then
    exit 0
fi

# 2. the whole install
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in bin/falcoplug include/falco/host.h include/falco/capture.h; do
    [ -e "$prefix/$f" ] || fail "$f is not installed"
done
[ -n "$(find "$prefix" -name libfalcohost.a)" ] || fail "libfalcohost.a is not installed"

expected=$(printf '1 1\n2 2\n3 3\n4 4\n5 5\nevents: 5')
check_program() {
    out=$("$1" "$plugin" 5 counter.value 2>&1) || fail "$1: exit $?: $out"
    [ "$out" = "$expected" ] || fail "$1 printed:
$out
expected:
$expected"
}

cmake -S "$src_dir/tests/install/host_project" -B "$work/host-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DLOAD_PLUGIN_SOURCE="$src_dir/tests/install/load_plugin.c" \
    -DCOUNT_EVENTS_SOURCE="$src_dir/tests/install/count_events.c" >/dev/null
cmake --build "$work/host-build" >/dev/null || fail "the falco::host program does not build"
check_program "$work/host-build/load_plugin"

cc -std=c11 -Wall -Wextra -Werror -o "$work/load_plugin-pc" "$src_dir/tests/install/load_plugin.c" \
    $(pkg-config --cflags --libs falcohost) || fail "the pkg-config falcohost program does not link"
check_program "$work/load_plugin-pc"
echo "install test: host program built with falco::host and with pkg-config, reads counter.value 1..5"

# The capture library, the same two ways: every event of the reference capture.
capture=$src_dir/tests/data/curl_google.scap
out=$("$work/host-build/count_events" "$capture" 2>&1) || fail "count_events (falco::capture): $out"
[ "$out" = "events: 1536" ] || fail "count_events (falco::capture) printed: $out"
cc -std=c11 -Wall -Wextra -Werror -o "$work/count_events-pc" "$src_dir/tests/install/count_events.c" \
    $(pkg-config --cflags --libs falcocapture) || fail "the pkg-config falcocapture program does not link"
out=$("$work/count_events-pc" "$capture" 2>&1) || fail "count_events (pkg-config): $out"
[ "$out" = "events: 1536" ] || fail "count_events (pkg-config) printed: $out"
echo "install test: capture program built with falco::capture and with pkg-config, reads 1536 events"

"$prefix/bin/falcoplug" check "$plugin" >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "falcoplug check"; }
grep -q 'counter 0.1.0' "$work/check.out" || fail "falcoplug check does not name the plugin: $(cat "$work/check.out")"
out=$("$prefix/bin/falcoplug" run "$plugin" --open 2 -o 'v=%counter.value' 2>/dev/null) || fail "falcoplug run: $out"
[ "$(printf '%s\n' "$out" | grep -E '^[0-9]+ v=')" = "$(printf '1 v=1\n2 v=2')" ] || fail "falcoplug run printed: $out"
echo "install test: installed falcoplug checks and runs the plugin"
