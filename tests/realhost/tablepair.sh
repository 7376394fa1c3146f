#!/bin/sh
# The procgroups example pair (examples/procgroups: a parser exporting the
# procgroups table and a threads field, an extractor importing both) run in
# real libsinsp (plughost) and in falcoplug over the same capture:
#   1. the pg.* values of every event libsinsp shows, line by line with its
#      evt.num (plughost -o '*%evt.num FORMAT' vs falcoplug run -o FORMAT);
#   2. the exported table at the end: key type, size, fields with their
#      types and read-only flags (plughost -T brief), and every entry
#      (plughost -T list vs falcoplug run --table-entries), as sorted
#      one-line JSON objects.
# Usage: tablepair.sh libprocgroups.so libprocgroupfields.so falcoplug capture.scap
# plughost is $FALCO_REALHOST_DIR/plughost, set by the real-host stage;
# without it this prints why and exits 77 (skipped).
set -u
pg=$1 pgf=$2 fp=$3 cap=$4
if [ -z "${FALCO_REALHOST_DIR:-}" ]; then
    echo "skip tablepair (FALCO_REALHOST_DIR is not set)"
    exit 77
fi
ph=$FALCO_REALHOST_DIR/plughost
[ -x "$ph" ] || { echo "skip tablepair (no $ph)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
    echo "FAIL tablepair: $1"
    [ $# -gt 1 ] && head -n 40 "$2" | sed 's/^/    /'
    status=1
}
fmt='%pg.id %pg.exe %pg.threads %pg.opens %pg.execs %pg.first_ts %pg.comm'

# 1. values, line by line
timeout 120 "$ph" -p "$pg" -p "$pgf" -s "$cap" -o "*%evt.num $fmt" >"$tmp/ph.raw" 2>"$tmp/ph.err" ||
    fail "plughost exited $?" "$tmp/ph.err"
timeout 120 "$fp" run "$pg" --capture "$cap" --with "$pgf" -o "$fmt" >"$tmp/fp.raw" 2>"$tmp/fp.err" ||
    fail "falcoplug exited $?" "$tmp/fp.err"
grep -v '^-- ' "$tmp/ph.raw" >"$tmp/ph"
grep -Ev '^(EOF|stopped) after [0-9]+ events$' "$tmp/fp.raw" >"$tmp/fp"
if [ "$(grep -cv '<NA>' "$tmp/ph")" -lt 10 ]; then
    fail "libsinsp printed fewer than 10 events with pg.* values" "$tmp/ph"
elif ! diff -u --label "libsinsp (plughost)" --label "falcoplug run --with" "$tmp/ph" "$tmp/fp" >"$tmp/diff"; then
    fail "pg.* values differ" "$tmp/diff"
else
    echo "ok tablepair-values ($(wc -l <"$tmp/ph" | tr -d ' ') events, $(grep -cv '<NA>' "$tmp/ph") with values)"
fi

# 2. the exported table
timeout 120 "$ph" -p "$pg" -p "$pgf" -s "$cap" -q -T brief --table procgroups >"$tmp/brief" 2>&1 ||
    fail "plughost -T brief exited $?" "$tmp/brief"
timeout 120 "$ph" -p "$pg" -p "$pgf" -s "$cap" -q -T list --table procgroups --max-entries 1000 \
    >"$tmp/list" 2>&1 || fail "plughost -T list exited $?" "$tmp/list"
timeout 120 "$fp" run "$pg" --capture "$cap" --with "$pgf" -o '%pg.id' --table procgroups \
    --table-entries 1000 >"$tmp/fptab" 2>&1 || fail "falcoplug --table-entries exited $?" "$tmp/fptab"
# both in one form: "table NAME key=TYPE size=N", "field NAME TYPE[ read-only]"
# in declaration order, then the entries as sorted one-line JSON
python3 - "$tmp/brief" "$tmp/list" >"$tmp/tab.ph" 2>&1 <<'PY' || fail "reading plughost's tables" "$tmp/tab.ph"
import json, re, sys
out = []
for line in open(sys.argv[1]):
    m = re.match(r"Table: (\S+)  key=(\S+)  size=(\d+)$", line.rstrip("\n"))
    if m:
        out.append(f"table {m[1]} key={m[2]} size={m[3]}")
    m = re.match(r"    (\S+) \(type: (\S+), read_only: (true|false)\)$", line.rstrip("\n"))
    if m:
        out.append(f"field {m[1]} {m[2]}" + (" read-only" if m[3] == "true" else ""))
text = "".join(l for l in open(sys.argv[2]) if not l.startswith("-- "))
tables = [t for t in json.loads(text)["tables"] if t["name"] == "procgroups"]
entries = tables[0]["entries"] if tables else []
out += sorted("entry " + json.dumps(e, sort_keys=True, separators=(",", ":")) for e in entries)
print("\n".join(out))
PY
python3 - "$tmp/fptab" >"$tmp/tab.fp" 2>&1 <<'PY' || fail "reading falcoplug's tables" "$tmp/tab.fp"
import json, re, sys
out, entries, on = [], [], False
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    m = re.match(r"table (\S+) key=(\S+) size=(\d+) fields=\d+$", line)
    if m:
        on = m[1] == "procgroups"
        if on:
            out.append(f"table {m[1]} key={m[2]} size={m[3]}")
        continue
    if on and line.startswith("  field "):
        out.append(line[2:])
    elif on and line.startswith("  entry "):
        entries.append("entry " + json.dumps(json.loads(line[8:]), sort_keys=True, separators=(",", ":")))
print("\n".join(out + sorted(entries)))
PY
if ! grep -q '^table procgroups key=string size=[1-9]' "$tmp/tab.ph" || ! grep -q '^entry ' "$tmp/tab.ph"; then
    fail "libsinsp lists no procgroups table with entries" "$tmp/tab.ph"
elif ! diff -u --label "libsinsp (plughost -T brief/list)" --label "falcoplug run --table-entries" \
    "$tmp/tab.ph" "$tmp/tab.fp" >"$tmp/diff"; then
    fail "the procgroups table differs" "$tmp/diff"
else
    echo "ok tablepair-table ($(grep -c '^entry ' "$tmp/tab.ph") entries)"
fi
exit $status
