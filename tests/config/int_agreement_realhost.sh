#!/bin/sh
# Rechecks int_agreement.tsv against real libsinsp: each row's config given
# to the generator example in plughost must be accepted (and give that start
# value, or that jitter's largest step) or refused as the table says.
# usage: int_agreement_realhost.sh TSV GENERATOR_SO [PLUGHOST]
# Exits 77 (skipped) when plughost is not there or cannot run.
set -u
tsv=$1 gen=$2
# Only the real-host stage (scripts/realhost-test) sets FALCO_REALHOST_DIR: the
# core suite reads nothing outside the repository.
if [ -z "${3:-}" ] && [ -z "${FALCO_REALHOST_DIR:-}" ]; then
    echo "skipped: FALCO_REALHOST_DIR is not set (scripts/realhost-test runs this check)"
    exit 77
fi
ph=${3:-$FALCO_REALHOST_DIR/plughost}
if [ ! -x "$ph" ] || ! "$ph" -h >/dev/null 2>&1; then
    echo "skipped: no runnable plughost at $ph"
    exit 77
fi
tab=$(printf '\t')
fail=0 n=0
while IFS="$tab" read -r key number accepted value; do
    case $key in '#'* | '') continue ;; esac
    n=$((n + 1))
    if [ "$key" = start ]; then
        # the first event's value is the start
        out=$("$ph" -p "$gen|{\"$key\":$number}" --open-params 1 -o '%gen.value' 2>&1)
    else
        # with start 0 and one event after the first, the value is at most the jitter
        out=$("$ph" -p "$gen|{\"start\":0,\"$key\":$number}" --open-params 1 -o '%gen.value' 2>&1)
    fi
    rc=$?
    got=$(printf '%s\n' "$out" | grep -v '^--' | head -n 1)
    if [ "$accepted" = 1 ]; then
        if [ $rc -ne 0 ] || { [ "$key" = start ] && [ "$got" != "$value" ]; }; then
            echo "FAIL {\"$key\": $number}: libsinsp: rc $rc, '$got'; table: accepted, $value"
            fail=$((fail + 1))
        fi
    elif [ $rc -eq 0 ]; then
        echo "FAIL {\"$key\": $number}: libsinsp accepts it ('$got'); table: refused"
        fail=$((fail + 1))
    fi
done <"$tsv"
[ "$fail" -eq 0 ] || exit 1
echo "int_agreement.tsv: $n rows agree with libsinsp ($ph)"
