#!/bin/sh
# Installs the SDK into a temporary prefix, then builds the minimal example
# out of tree twice: with find_package(FalcoPluginSDK) + falco_add_plugin, and
# with plain cc + pkg-config. Both .so files must export exactly the plugin_*
# symbols and need only libc.
set -eu
build_dir=$1
src_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" --component sdk >/dev/null

check_plugin() {
    so=$1
    exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
    bad=$(printf '%s\n' "$exported" | grep -v '^plugin_' || true)
    if [ -n "$bad" ]; then echo "FAIL: $so exports non-plugin symbols: $bad"; exit 1; fi
    for sym in plugin_init plugin_get_fields plugin_next_batch plugin_get_id; do
        printf '%s\n' "$exported" | grep -qx "$sym" || { echo "FAIL: $so lacks $sym"; exit 1; }
    done
    needed=$(readelf -d "$so" | awk '/NEEDED/ {print $5}' | tr -d '[]' | sort | tr '\n' ' ')
    case "$needed" in
        "ld-linux-x86-64.so.2 libc.so.6 "|"libc.so.6 "|"ld-linux-aarch64.so.1 libc.so.6 ") ;;
        *) echo "FAIL: $so needs: $needed"; exit 1 ;;
    esac
}

cmake -S "$src_dir/tests/install/project" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DMINIMAL_SOURCE="$src_dir/examples/minimal/minimal.c" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
check_plugin "$work/cmake-build/libminimal.so"

PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib64/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig" \
    sh -c 'cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -o "$1" "$2" $(pkg-config --cflags --libs falcoplugin)' \
    _ "$work/libminimal-pc.so" "$src_dir/examples/minimal/minimal.c"
check_plugin "$work/libminimal-pc.so"
echo "install test: find_package and pkg-config builds OK"
