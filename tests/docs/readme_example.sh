#!/bin/sh
# The README's complete plugin is examples/minimal/minimal.c, verbatim (that
# file is built by the install test against the installed SDK), and stays
# under 60 lines.
set -eu
src=$1
block=$(awk '/^## A complete plugin/{inside=1} inside && /^```c$/{grab=1; next} grab && /^```$/{exit} grab{print}' "$src/README.md")
if [ "$block" != "$(cat "$src/examples/minimal/minimal.c")" ]; then
    echo "FAIL: README's complete plugin differs from examples/minimal/minimal.c"
    exit 1
fi
lines=$(printf '%s\n' "$block" | wc -l)
[ "$lines" -lt 60 ] || { echo "FAIL: README's plugin has $lines lines (limit 60)"; exit 1; }
grep -q '^## Quick start' "$src/README.md" || { echo "FAIL: no Quick start heading"; exit 1; }
echo "README example: $lines lines, identical to examples/minimal/minimal.c"
