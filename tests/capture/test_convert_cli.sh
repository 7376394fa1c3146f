#!/bin/sh
# falcoplug over the converted stream, end to end: `dump --converted` and
# `run --capture` show the events libsinsp shows, numbered as libsinsp numbers
# them (tests/data/golden/*.evt_args.txt, first column), while plain `dump`
# keeps showing the file as written; and a parsing plugin parses the events it
# parses under libsinsp (golden/*.parse_probe.txt, test_convert_probe.c).
#   test_convert_cli.sh <falcoplug> <a plugin .so> <probe plugin .so> <tests/data> <scratch dir>
set -u
fp=$1; plugin=$2; probe=$3; data=$4; tmp=$5/convert_cli_$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for base in curl_google curl_google_comments; do
    cap=$data/$base.scap
    gold=$data/golden/$base.evt_args.txt
    cut -d' ' -f1 "$gold" >"$tmp/gold.num"

    "$fp" dump "$cap" --converted >"$tmp/out" 2>"$tmp/err" || fail "$base: dump --converted: exit $?"
    cut -d' ' -f1 "$tmp/out" >"$tmp/out.num"
    cmp -s "$tmp/gold.num" "$tmp/out.num" || fail "$base: dump --converted numbers differ from libsinsp's"
    grep -q "1536 events, 939 as libsinsp sees them, 939 shown" "$tmp/err" || fail "$base: summary: $(cat "$tmp/err")"
    grep -q '^216 1534527348514682170 17497 < open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA>$' \
        "$tmp/out" || fail "$base: the first open exit is not the merged one"
    grep -q ' > open' "$tmp/out" && fail "$base: an open enter event is shown"

    "$fp" dump "$cap" --converted --type open >"$tmp/out" 2>/dev/null || fail "$base: --converted --type open"
    [ "$(wc -l <"$tmp/out")" -eq 48 ] || fail "$base: --converted --type open: $(wc -l <"$tmp/out") lines, not 48"

    "$fp" dump "$cap" >"$tmp/out" 2>/dev/null || fail "$base: dump: exit $?"
    [ "$(wc -l <"$tmp/out")" -eq 1536 ] || fail "$base: plain dump must show the 1536 events as written"

    "$fp" run "$plugin" --capture "$cap" >"$tmp/out" 2>"$tmp/err" || fail "$base: run --capture: exit $? $(cat "$tmp/err")"
    grep -q '^EOF after 939 events$' "$tmp/out" || fail "$base: run --capture: $(tail -1 "$tmp/out")"
    grep -v '^EOF after' "$tmp/out" | cut -d' ' -f1 >"$tmp/out.num"
    cmp -s "$tmp/gold.num" "$tmp/out.num" || fail "$base: run --capture numbers differ from libsinsp's"
    grep -q '^216 ts=1534527348514682170 < open fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=<NA> ino=<NA>' \
        "$tmp/out" || fail "$base: run --capture does not feed the merged open exit"

    "$fp" run "$probe" --capture "$cap" -o '%probe.count %probe.last %probe.type %probe.enters' \
        >"$tmp/out" 2>"$tmp/err" || fail "$base: probe run: exit $? $(cat "$tmp/err")"
    grep -v '^EOF after' "$tmp/out" >"$tmp/probe"
    cmp -s "$data/golden/$base.parse_probe.txt" "$tmp/probe" ||
        fail "$base: the probe plugin parsed other events than under libsinsp: $(diff "$data/golden/$base.parse_probe.txt" "$tmp/probe" | head -3)"
done

"$fp" dump --converted >/dev/null 2>&1
[ $? -eq 2 ] || fail "dump --converted without a file must exit 2"
echo "ok"
