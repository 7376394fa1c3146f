#!/bin/sh
# `falcoplug run --capture` with a plugin that imports `threads` (tabimp, raw
# ABI), and `--tables` after the run, against real libsinsp:
#   1. the fields tabimp reads from the threads table at the last event are
#      libsinsp's (values recorded with plughost; see test_tables_capture.c)
#   2. --tables lists threads as plughost -T brief does (recorded: int64
#      key, 54 threads at end, 33 fields with tabimp's dynamic one), and
#      --table-entries an fd's flags as plughost -T list does
#   3. when plughost (in $FALCO_REALHOST_DIR, set by scripts/realhost-test) and python3
#      are there: tables_compare.py compares --table-entries with
#      plughost -T list entry by entry
#   4. the same with both stopped after N events (-n N), at points through
#      CAPTURE and through SYNTHETIC (tests/capture's capture of every
#      converted event layout, one thread each), every thread and fd whole:
#      the table follows each event type as libsinsp's parsers do
# usage: test_tables_cli.sh FALCOPLUG LIBTABIMP CAPTURE SRCDIR [realhost|norealhost] [SYNTHETIC]
# (norealhost in sanitizer builds: plughost cannot load sanitized plugins;
# SYNTHETIC is written by test_convert_golden, part 4b is skipped without it)
set -u
FP=$1 PLUG=$2 CAP=$3 SRC=$4 REAL=${5:-realhost} SYN=${6:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$FP" run "$PLUG" --capture "$CAP" \
    -o "%tabimp.comm[17496] %tabimp.nfds[17496] %tabimp.seen[17496] (%tabimp.args[17495]) %tabimp.fdname[1:70] %tabimp.nthreads" \
    >"$tmp/run.txt" 2>"$tmp/run.err" || { cat "$tmp/run.err"; fail "falcoplug run --capture failed"; }
want="991 sysdig 8 9 (sysdig -zw curl.scap proc.name=curl) /run/systemd/initctl/fifo 54
EOF after 939 events"
got=$(tail -n 2 "$tmp/run.txt")
[ "$got" = "$want" ] || fail "last lines: got [$got], want [$want]"
# every field of three threads at the last event, as test_tables_capture.c
# asserts them (libsinsp's values)
for want in \
    "tid=17496 comm=sysdig exe=sysdig cwd=/home/ubuntu/ pid=17496 ptid=17495 vtid=17496 vpid=17496 uid=0 gid=0 args=(-zw curl.scap proc.name=curl) nenv=14 nfds=8 seen=9" \
    "tid=8671 comm=gdbus exe=/usr/lib/policykit-1/polkitd cwd= pid=8667 ptid=1 vtid=8671 vpid=8667 uid=0 gid=0 args=(--no-debug) nenv=0 nfds=10 seen=0" \
    "tid=1 comm=systemd exe=/sbin/init cwd=/ pid=1 ptid=0 vtid=1 vpid=1 uid=0 gid=0 args=() nenv=9 nfds=53 seen=9"; do
    t=${want#tid=}
    t=${t%% *}
    fmt="tid=$t"
    for f in comm exe cwd pid ptid vtid vpid uid gid; do fmt="$fmt $f=%tabimp.$f[$t]"; done
    fmt="$fmt args=(%tabimp.args[$t]) nenv=%tabimp.nenv[$t] nfds=%tabimp.nfds[$t] seen=%tabimp.seen[$t]"
    got=$("$FP" run "$PLUG" --capture "$CAP" -o "$fmt" 2>"$tmp/run.err" | tail -n 2 | head -n 1)
    [ "$got" = "991 $want" ] || fail "tid $t: got [$got], want [991 $want]"
done
echo "ok 1 threads values at the last event"

# check and info initialize the plugin in a session too: threads is there
"$FP" check "$PLUG" >"$tmp/check.txt" 2>&1 || { cat "$tmp/check.txt"; fail "falcoplug check tabimp"; }
grep -qx "clean: tabimp 0.1.0" "$tmp/check.txt" || fail "check: $(cat "$tmp/check.txt")"
"$FP" info "$PLUG" >"$tmp/info.txt" 2>&1 || fail "falcoplug info tabimp"
grep -q "init with an empty config failed" "$tmp/info.txt" && fail "info: $(cat "$tmp/info.txt")"
echo "ok 1b check and info"

"$FP" run "$PLUG" --capture "$CAP" -o x --tables --table-entries 1000 >"$tmp/fp.txt" 2>"$tmp/fp.err" ||
    { cat "$tmp/fp.err"; fail "falcoplug run --tables failed"; }
grep -qx "tables at end: 1" "$tmp/fp.txt" || fail "no 'tables at end: 1'"
grep -qx "table threads key=int64 size=54 fields=33" "$tmp/fp.txt" || fail "threads line: $(grep '^table' "$tmp/fp.txt")"
grep -qx "  field cwd string read-only" "$tmp/fp.txt" || fail "no read-only cwd"
grep -qx "  field tabimp_seen uint64" "$tmp/fp.txt" || fail "no dynamic field"
[ "$(grep -c '^  entry {' "$tmp/fp.txt")" = 54 ] || fail "entries: $(grep -c '^  entry' "$tmp/fp.txt")"
# sshd's connection (tids 3111 and 3199 share it): from the process list,
# TCP, the host its server (libsinsp's flags 1|8|0x2000)
[ "$(grep -o '"fd":3,"flags":8201,' "$tmp/fp.txt" | wc -l)" = 2 ] || fail "sshd's socket flags"
"$FP" run "$PLUG" --capture "$CAP" -o x --table nope >/dev/null 2>"$tmp/nope.err" && fail "--table nope succeeded"
grep -q "falcoplug run: --table nope: no such table" "$tmp/nope.err" || fail "--table nope: $(cat "$tmp/nope.err")"
# a plugin's table (32 event types seen, as libsinsp counts them) (tabexp_counts, read by tabimp too) beside threads
EXP=$(dirname "$PLUG")/libtabexp.so
"$FP" run "$EXP" --capture "$CAP" --with "$PLUG|imp_exp" -o x --tables --table-entries 3 >"$tmp/fp2.txt" 2>&1 ||
    { cat "$tmp/fp2.txt"; fail "falcoplug run --with --tables failed"; }
grep -qx "table tabexp_counts key=uint64 size=32 fields=1" "$tmp/fp2.txt" || fail "tabexp_counts: $(grep '^table' "$tmp/fp2.txt")"
echo "ok 2 --tables listing"

# Only the real-host stage (scripts/realhost-test) sets FALCO_REALHOST_DIR: the
# core suite reads nothing outside the repository.
rh=${FALCO_REALHOST_DIR:-}
if [ -z "$rh" ]; then
    echo "skip 3 (FALCO_REALHOST_DIR is not set: scripts/realhost-test runs this part)"
    exit 0
fi
if [ "$REAL" != realhost ]; then
    echo "skip 3 (sanitizer build: plughost cannot load these plugins)"
    exit 0
fi
if [ ! -x "$rh/plughost" ] || ! command -v python3 >/dev/null 2>&1; then
    echo "skip 3 (no plughost in $rh, or no python3)"
    exit 0
fi
"$rh/plughost" -p "$PLUG" -s "$CAP" -q -T brief >"$tmp/ph.brief" 2>&1 || fail "plughost -T brief"
"$rh/plughost" -p "$PLUG" -s "$CAP" -q -T list --table threads --max-entries 1000 >"$tmp/ph.json" 2>&1 ||
    fail "plughost -T list"
python3 "$SRC/tests/host/tables_compare.py" "$tmp/fp.txt" "$tmp/ph.brief" "$tmp/ph.json" || fail "differs from libsinsp"
# the comparison sees a difference: one comm changed
sed 's/"comm":"sysdig"/"comm":"sysdog"/' "$tmp/fp.txt" >"$tmp/bad.txt"
python3 "$SRC/tests/host/tables_compare.py" "$tmp/bad.txt" "$tmp/ph.brief" "$tmp/ph.json" >/dev/null &&
    fail "tables_compare.py missed a changed comm"
"$rh/plughost" -p "$EXP" -p "$PLUG|imp_exp" -s "$CAP" -q -T brief >"$tmp/ph2.brief" 2>&1 || fail "plughost -T brief (2)"
"$rh/plughost" -p "$EXP" -p "$PLUG|imp_exp" -s "$CAP" -q -T list --max-entries 3 >"$tmp/ph2.json" 2>&1 ||
    fail "plughost -T list (2)"
python3 "$SRC/tests/host/tables_compare.py" "$tmp/fp2.txt" "$tmp/ph2.brief" "$tmp/ph2.json" || fail "differs from libsinsp (2)"
echo "ok 3 --table-entries vs plughost -T list"

# 4. points through the captures: after N events (the evt.num of the last
# one in brackets), all entries of threads and of their fds compared
at_point() { # CAPTURE N LABEL
    "$rh/plughost" -p "$PLUG" -s "$1" -q -n "$2" -T brief >"$tmp/pt.brief" 2>&1 || fail "plughost -T brief -n $2 ($3)"
    "$rh/plughost" -p "$PLUG" -s "$1" -q -n "$2" -T list --table threads --max-entries 100000 >"$tmp/pt.json" 2>&1 ||
        fail "plughost -T list -n $2 ($3)"
    "$FP" run "$PLUG" --capture "$1" -o x -n "$2" --tables --table-entries 100000 >"$tmp/pt.txt" 2>"$tmp/pt.err" ||
        { cat "$tmp/pt.err"; fail "falcoplug run -n $2 ($3)"; }
    python3 "$SRC/tests/host/tables_compare.py" "$tmp/pt.txt" "$tmp/pt.brief" "$tmp/pt.json" >"$tmp/pt.out" ||
        { cat "$tmp/pt.out"; fail "differs from libsinsp after $2 events of $3"; }
}
# curl_google.scap: execve [211], open [613], fcntl F_GETFD/F_SETFD [614,
# 615], pipe [623], socket [650], a thread's unix connect failing [679], UDP
# connect [752] and sendto [755], recvfrom [779], the thread's procexit [782],
# TCP socket [789], connect in progress [797], sendto [817]
for n in 211 576 577 578 586 611 638 701 704 728 731 738 745 765; do
    at_point "$CAP" "$n" "$(basename "$CAP")"
done
echo "ok 4 threads and fds at 14 points of $(basename "$CAP") as libsinsp has them"
if [ -z "$SYN" ] || [ ! -f "$SYN" ]; then
    echo "skip 4b (no synthetic capture: test_convert_golden writes it)"
    exit 0
fi
# every layout once: fake threads for unknown tids, clone/execve variants,
# each fd-making syscall, uid/gid/cwd/rlimit/sid/root changes
for n in 12 24 60 120 180 253; do
    at_point "$SYN" "$n" synthetic
done
# the comparison sees a dropped fd: one thread's fds emptied
python3 - "$tmp/pt.txt" >"$tmp/bad.txt" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("  entry ") and '"tid":119,' in line:
        e = json.loads(line[8:])
        e["file_descriptors"]["entries"], e["file_descriptors"]["size"] = [], 0
        line = "  entry " + json.dumps(e, separators=(",", ":")) + "\n"
    sys.stdout.write(line)
PY
python3 "$SRC/tests/host/tables_compare.py" "$tmp/bad.txt" "$tmp/pt.brief" "$tmp/pt.json" >/dev/null &&
    fail "tables_compare.py missed a dropped fd"
echo "ok 4b threads and fds at 6 points of the synthetic capture as libsinsp has them"
