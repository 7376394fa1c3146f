#!/bin/sh
# check_instructions.sh CALLGRIND_SCRIPT BUILD_DIR - the SDK bench plugin's
# instructions per operation (bench/callgrind: callgrind, deterministic for a
# given build) stay under the bounds below, so that a slower hot path fails
# here instead of hiding in the noise of timed runs. Measured (bench/callgrind)
# with gcc 12 RelWithDebInfo and Release, and clang 14 RelWithDebInfo:
#   extract u64 35/35/37, str 36/36/38, arg 47/47/46, payload 52/52/54 per
#   call; next_batch 25.4/25.4/26.4 (64) and 24.2/24.2/25.2 (512) per event;
#   the dummy workload's value 52/52/54, strvalue 171/176/205 (a copied
#   string), divisible[3] 76/76/79 per call, next_batch 50.4/50.4/54.5.
# The bounds are the largest of these plus about 10% (next_batch: less,
# so that the counts before still fail). Before the lazy
# per-call state (error record in the head state, scratch arena found from
# the event, one gate for the field id and a clean arena), the quick index
# test, res_len as the value count, the one-word payload test and the
# batch's one-compare limit (gcc RelWithDebInfo): u64 42, str 43, arg 64,
# payload 72, next_batch 27.4 and 26.2, value 72, strvalue 188, divisible
# 101, dummy next_batch 53.4. Before the string and argument fast paths:
# arg 143, strvalue 386, divisible 178.
set -eu
out=$(sh "$1" "$2")
echo "$out"
status=0
check() { # PATH BOUND
    line=$(echo "$out" | grep "^ir $1 ") || { echo "FAIL: no line for $1"; status=1; return; }
    sdk=$(echo "$line" | sed -n 's/.* sdk=\([0-9.]*\) .*/\1/p')
    raw=$(echo "$line" | sed -n 's/.* raw=\([0-9.]*\) .*/\1/p')
    if ! awk -v s="$sdk" -v r="$raw" -v b="$2" 'BEGIN { exit !(s > 0 && r > 0 && s <= b) }'; then
        echo "FAIL: $1: the SDK plugin takes $sdk instructions per operation, bound $2 (raw ABI: $raw)"
        status=1
    fi
}
check extract_u64 40
check extract_str 41
check extract_arg 52
check extract_payload 58
check next_batch_64 27
check next_batch_512 26
check dummy_value 58
check dummy_strvalue 215
check dummy_divisible 86
check dummy_next_batch_64 58
exit $status
