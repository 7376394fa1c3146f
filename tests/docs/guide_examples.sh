#!/bin/sh
# The guide's C examples compile: every ```c block of docs/guide.md that is a
# complete plugin (includes <falco/plugin.h> and declares FALCO_PLUGIN) or
# follows a "<!-- compile -->" line is built as a plugin against the SDK
# (-Wall -Wextra -Werror) and must pass `falcoplug check`.
# usage: guide_examples.sh SOURCE_DIR CC SDK_LIB FALCOPLUG WORK_DIR
set -eu
src=$1 cc=$2 lib=$3 falcoplug=$4 work=$5
guide=$src/docs/guide.md
rm -rf "$work"
mkdir -p "$work"
# One file per block: block_<n>_<line>.c, and a .marked file when marked.
awk -v dir="$work" '
    /^```c[ \t]*$/ { n++; start = NR; file = sprintf("%s/block_%d_%d.c", dir, n, NR + 1); inside = 1;
                     if (prev ~ /^<!-- compile -->[ \t]*$/) { print "" > (file ".marked"); close(file ".marked") }
                     next }
    inside && /^```[ \t]*$/ { inside = 0; close(file); next }
    inside { print > file; next }
    NF { prev = $0 }
' "$guide"
built=0 failed=0
for c in "$work"/block_*.c; do
    [ -e "$c" ] || continue
    name=$(basename "$c" .c)
    line=${name##*_}
    if [ ! -e "$c.marked" ]; then
        grep -q '^#include <falco/plugin.h>' "$c" && grep -q '^FALCO_PLUGIN(' "$c" || continue
    fi
    so=$work/lib$name.so
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -I"$src/include" \
            -o "$so" "$c" "$lib" -lpthread -Wl,--no-undefined 2>"$work/$name.log"; then
        echo "FAIL: docs/guide.md block at line $line does not compile:"
        sed 's/^/    /' "$work/$name.log"
        failed=$((failed + 1))
        continue
    fi
    if ! "$falcoplug" check "$so" >"$work/$name.check" 2>&1; then
        echo "FAIL: docs/guide.md block at line $line compiles but falcoplug check fails:"
        sed 's/^/    /' "$work/$name.check"
        failed=$((failed + 1))
        continue
    fi
    built=$((built + 1))
done
[ "$failed" -eq 0 ] || exit 1
if [ "$built" -eq 0 ]; then
    echo "FAIL: no compilable C block in docs/guide.md (mark complete ones with <!-- compile -->)"
    exit 1
fi
echo "docs/guide.md: $built C examples compile and pass falcoplug check"
