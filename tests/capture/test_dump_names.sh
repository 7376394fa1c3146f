#!/bin/sh
# falcoplug names generic syscall events after their syscall, as libsinsp
# does: the evt.num and type word of every `dump --converted` line against the
# evt.num and evt.type libsinsp printed for the same capture
# (tests/data/golden/<capture>.evt_args.txt); the raw dump's generic events,
# enters and exits, with their syscall IDs named; --type by syscall name.
# With two plugins (4th and 5th arguments), the same --type selection in
# `run --capture` (the first alone, then with the second through --with).
#   test_dump_names.sh <falcoplug> <tests/data dir> <scratch dir> [plugin other]
set -u
fp=$1; data=$2; tmp=$3/dump_names_$$; plugin=${4:-}; other=${5:-}
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for c in curl_google curl_google_comments; do
    "$fp" dump --converted "$data/$c.scap" >"$tmp/out" 2>"$tmp/err" || fail "$c: exit status $?: $(cat "$tmp/err")"
    cut -d' ' -f1,5 "$tmp/out" >"$tmp/ours"
    cut -d' ' -f1,2 "$data/golden/$c.evt_args.txt" >"$tmp/libsinsp"
    [ "$(wc -l <"$tmp/ours")" -eq 939 ] || fail "$c: expected 939 events, got $(wc -l <"$tmp/ours")"
    if ! cmp -s "$tmp/libsinsp" "$tmp/ours"; then
        diff "$tmp/libsinsp" "$tmp/ours" | head -n 20 >&2
        fail "$c: type names differ from libsinsp's (< libsinsp, > falcoplug dump --converted)"
    fi
done

cap=$data/curl_google.scap
"$fp" dump --converted "$cap" >"$tmp/conv" 2>/dev/null || fail "dump --converted failed"
grep -q '^564 [0-9]* 17497 < arch_prctl ID=296(arch_prctl) nativeID=158$' "$tmp/conv" ||
    fail "evt.num 564 is not arch_prctl: $(grep '^564 ' "$tmp/conv")"
"$fp" dump "$cap" >"$tmp/raw" 2>/dev/null || fail "dump failed"
n=$(grep -c ' > mprotect ID=75(mprotect) nativeID=10$' "$tmp/raw")
[ "$n" -eq 78 ] || fail "expected 78 mprotect enter events, got $n"
n=$(grep -c ' < mprotect ID=75(mprotect)$' "$tmp/raw")
[ "$n" -eq 78 ] || fail "expected 78 mprotect exit events (old layout: ID only), got $n"
n=$(grep -c ' < clock_gettime ID=176(clock_gettime)$' "$tmp/raw")
[ "$n" -eq 94 ] || fail "expected 94 clock_gettime exit events, got $n"
awk '$4 == "syscall"' "$tmp/raw" >"$tmp/unnamed"
[ -s "$tmp/unnamed" ] && fail "generic events still named syscall: $(head -n 1 "$tmp/unnamed")"

# --type with a syscall name selects the generic events named after it
"$fp" dump "$cap" --type mprotect >"$tmp/sel" 2>/dev/null || fail "--type mprotect failed"
[ "$(wc -l <"$tmp/sel")" -eq 156 ] || fail "--type mprotect: expected 156 lines, got $(wc -l <"$tmp/sel")"
"$fp" dump "$cap" --converted --type mprotect --type=clock_gettime >"$tmp/sel" 2>/dev/null ||
    fail "--converted --type mprotect --type=clock_gettime failed"
[ "$(wc -l <"$tmp/sel")" -eq $((78 + 94)) ] || fail "--type mprotect, clock_gettime: got $(wc -l <"$tmp/sel") lines"
awk '$5 != "mprotect" && $5 != "clock_gettime"' "$tmp/sel" >"$tmp/other"
[ -s "$tmp/other" ] && fail "--type mprotect selected $(head -n 1 "$tmp/other")"
"$fp" dump "$cap" --type open >"$tmp/sel" 2>/dev/null || fail "--type open failed"
[ "$(wc -l <"$tmp/sel")" -eq 96 ] || fail "--type open: expected the 96 open events, got $(wc -l <"$tmp/sel")"

if [ -n "$plugin" ]; then
    for with in "" "--with $other"; do
        # shellcheck disable=SC2086 # $with is an option and its value, or nothing
        "$fp" run "$plugin" --capture "$cap" --type mprotect $with >"$tmp/run" 2>"$tmp/err" ||
            fail "run --capture --type mprotect $with: $(cat "$tmp/err")"
        [ "$(grep -c ' < mprotect ID=75(mprotect) nativeID=10$' "$tmp/run")" -eq 78 ] ||
            fail "run --capture --type mprotect $with: expected the 78 mprotect exits, got $(grep -c . "$tmp/run") lines"
        grep -v -e ' < mprotect ' -e '^EOF after 78 events$' "$tmp/run" >"$tmp/other"
        [ -s "$tmp/other" ] && fail "run --type mprotect $with printed: $(head -n 1 "$tmp/other")"
    done
fi
echo "ok"
