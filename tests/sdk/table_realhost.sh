#!/bin/sh
# An SDK plugin's exported table (tabx) and another's import of it (taby),
# run by real libsinsp (plughost): libsinsp accepts the table (add_table
# checks), lists its visible fields with the importer's dynamic field, and
# the importer's reads, writes and phase refusals behave.
# The same with a nested exported table (tabnx) imported with its nested
# fields by tabny.
# Usage: table_realhost.sh libtabx.so libtaby.so libtabnx.so libtabny.so capture.scap
# plughost is $FALCO_REALHOST_DIR/plughost, set only by the real-host stage
# (scripts/realhost-test); exit 77 (skipped) without it.
set -eu
tabx=$1 taby=$2 tabnx=$3 tabny=$4 cap=$5
[ -n "${FALCO_REALHOST_DIR:-}" ] || { echo "skipped: FALCO_REALHOST_DIR is not set (scripts/realhost-test runs this check)"; exit 77; }
plughost=$FALCO_REALHOST_DIR/plughost
[ -x "$plughost" ] || { echo "skipped: no $plughost"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
out=$("$plughost" -p "$tabx" -p "$taby" -s "$cap" -f 'evt.type=read' -o '%evt.num %ty.info' 2>&1) || fail "plughost: $out"
echo "$out" | head -4
first=$(echo "$out" | grep -m1 '^[0-9]')
[ "$first" = "223 type7:1:seen-by-ty:write=FALCO_EMISUSE[table 'sdk_counts': write of field 'count' during extraction (the host grants read-only access there)]:held=1" ] ||
    fail "first read event: $first"
[ "$(echo "$out" | grep -c '^[0-9]')" -eq 50 ] || fail "expected 50 read events"
dump=$("$plughost" -p "$tabx" -p "$taby" -s "$cap" -q -T list --table sdk_counts --max-entries 100 2>&1) || fail "plughost -T: $dump"
echo "$dump" | grep -q '"size" : 32' || fail "sdk_counts size: $dump"
echo "$dump" | grep -q '"key_type" : "uint64"' || fail "key type: $dump"
[ "$(echo "$dump" | grep -c '"ty.dyn" : "seen-by-ty"')" -eq 32 ] || fail "ty.dyn in every entry: $dump"
! echo "$dump" | grep -q secret || fail "a private member is listed: $dump"
echo "$dump" | grep -A3 '"count" : 315,' | grep -q '"name" : "type234"' || fail "type234 count: $dump"

# nested: libsinsp reads the nested table through the table input the SDK
# hands over; the importer's dynamic field lands in the nested layout
out=$("$plughost" -p "$tabnx" -p "$tabny" -s "$cap" -f 'evt.type=read' -o '%evt.num %thread.tid %ny.info' 2>&1) ||
    fail "plughost nested: $out"
first=$(echo "$out" | grep -m1 '^[0-9]')
[ "$first" = "223 17497 n=9 type7:1:ny" ] || fail "nested, first read event: $first"
dump=$("$plughost" -p "$tabnx" -p "$tabny" -s "$cap" -q -T list --table sdk_procs --max-entries 100 2>&1 | tr -d ' \n') ||
    fail "plughost nested -T: $dump"
echo "$dump" | grep -q '"key_type":"int64","name":"sdk_procs","size":37' || fail "sdk_procs: $dump"
echo "$dump" | grep -q '{"fds":{"entries":\[{"flags":9,"ny.tag":"ny","path":"type234"}\],"key_type":"int64","name":"fds","size":1},"n":9,"name":"t"}' ||
    fail "nested entry: $dump"
echo ok
