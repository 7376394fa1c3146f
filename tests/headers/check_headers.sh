#!/bin/sh
# Every public header compiles on its own as C11 and as C++11, with
# -Wall -Wextra -Wpedantic -Werror, under the compiler given ($1: C, $2: C++).
set -u
cc=$1
cxx=$2
inc=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
count=0
for h in "$inc"/falco/*.h; do
    name=$(basename "$h")
    printf '#include <falco/%s>\n#include <falco/%s>\nint falco_header_check_%s;\n' "$name" "$name" \
        "$(echo "$name" | tr -c 'a-zA-Z0-9' '_')" >"$work/t.c"
    if ! "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$inc" -fsyntax-only "$work/t.c"; then
        echo "FAIL (C11): falco/$name"; status=1
    fi
    cp "$work/t.c" "$work/t.cpp"
    if ! "$cxx" -std=c++11 -Wall -Wextra -Wpedantic -Werror -I"$inc" -fsyntax-only "$work/t.cpp"; then
        echo "FAIL (C++11): falco/$name"; status=1
    fi
    count=$((count + 1))
done
[ "$status" -eq 0 ] && echo "headers: $count public headers compile standalone as C11 and C++11"
exit $status
