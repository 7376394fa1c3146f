#!/bin/sh
# Our writer's files read back by libscap itself: each real capture is copied
# event by event (with its metadata) by scap_copy, then sysdig (Debian's,
# built on falcosecurity libscap/libsinsp) prints the original and the copy;
# the two outputs must be identical, thread and fd names included.
set -u
scap_copy=$1
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for f in "$data"/*.scap; do
    [ -e "$f" ] || { echo "FAIL: no .scap file in $data"; exit 1; }
    name=$(basename "$f")
    "$scap_copy" "$f" "$work/$name" 2>"$work/copy.err" || { echo "FAIL: scap_copy $name"; cat "$work/copy.err"; status=1; continue; }
    sysdig -r "$f" >"$work/orig.txt" 2>&1
    orig_rc=$?
    sysdig -r "$work/$name" >"$work/copy.txt" 2>&1
    lines=$(wc -l <"$work/orig.txt")
    copied=$(wc -l <"$work/copy.txt")
    # a file this sysdig reads but prints little of (heartbeat_falco.scap:
    # scapevent and async events, which it does not print) is compared too
    if [ "$orig_rc" -ne 0 ] && [ "$lines" -lt 100 ]; then
        # This libscap cannot read the original at all (e.g. pcapng block
        # comments added by editcap): our copy must still be read in full.
        if [ "$copied" -lt 100 ]; then
            echo "FAIL: libscap cannot read our copy of $name either"; head -n 3 "$work/copy.txt"; status=1
        else
            echo "ok: $name: libscap cannot read the original ($(head -c 80 "$work/orig.txt")...), reads our copy: $copied lines"
        fi
    elif ! cmp -s "$work/orig.txt" "$work/copy.txt"; then
        echo "FAIL: libscap reads $name and our copy differently ($lines lines)"
        diff "$work/orig.txt" "$work/copy.txt" | head -n 10
        status=1
    else
        echo "ok: $name: libscap prints the same $lines lines for the original and our copy"
    fi
done
exit $status
