#!/bin/sh
# Every example plugin exports only plugin_* symbols (and at least init and
# get_fields or next_batch) and needs nothing but libc at run time.
set -u
status=0
for so in "$@"; do
    bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^plugin_' || true)
    [ -z "$bad" ] || { echo "FAIL: $so exports: $bad"; status=1; }
    nm -D --defined-only "$so" | grep -q ' plugin_init$' || { echo "FAIL: $so has no plugin_init"; status=1; }
    needed=$(readelf -d "$so" | awk '/NEEDED/ {print $5}' | tr -d '[]' | grep -vE '^(libc\.so\.6|ld-linux-[a-z0-9_-]+\.so\.[0-9])$' || true)
    [ -z "$needed" ] || { echo "FAIL: $so needs $needed"; status=1; }
done
[ "$status" -eq 0 ] && echo "examples: $# plugins export only plugin_* and need only libc"
exit $status
