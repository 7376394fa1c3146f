#!/bin/sh
# falcoplug dump end to end: one stdout line per event, type filters, the
# summary on stderr, exit 1 after every event before a truncation.
#   test_dump.sh <falcoplug> <tests/data/curl_google.scap> <scratch dir>
set -u
fp=$1; cap=$2; tmp=$3/dump_test_$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$fp" dump "$cap" >"$tmp/out" 2>"$tmp/err" || fail "exit status $? on a good file"
[ "$(wc -l <"$tmp/out")" -eq 1536 ] || fail "expected 1536 lines, got $(wc -l <"$tmp/out")"
grep -q "1536 events, 1536 shown" "$tmp/err" || fail "summary missing on stderr: $(cat "$tmp/err")"
grep -q "events" "$tmp/out" && fail "summary leaked to stdout"
grep -q "< execve res=0 exe=curl" "$tmp/out" || fail "curl execve not rendered"

"$fp" dump "$cap" --type 231 >"$tmp/out" 2>/dev/null || fail "--type 231 failed"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "--type 231: expected 1 line"
"$fp" dump "$cap" --type open --type procinfo >"$tmp/out" 2>/dev/null || fail "--type names failed"
[ "$(wc -l <"$tmp/out")" -eq $((96 + 315)) ] || fail "--type open --type procinfo: got $(wc -l <"$tmp/out")"
"$fp" dump "$cap" --type PPME_PROCINFO_E >"$tmp/out" 2>/dev/null || fail "--type enum name failed"
[ "$(wc -l <"$tmp/out")" -eq 315 ] || fail "--type PPME_PROCINFO_E: got $(wc -l <"$tmp/out")"
"$fp" dump "$cap" --type nosuch >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown type must exit 2"

# cut inside the 101st event block (the first event block starts at 54588)
gzip -dc "$cap" | head -c 60000 >"$tmp/cut.scap"
"$fp" dump "$tmp/cut.scap" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "truncated file must exit 1"
n=$(wc -l <"$tmp/out")
[ "$n" -gt 50 ] || fail "truncated file: only $n events printed"
grep -q "file ends" "$tmp/err" || fail "truncation not explained: $(cat "$tmp/err")"
echo "ok"
