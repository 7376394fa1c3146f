#!/usr/bin/env python3
"""Generates the capture converter's rule table from conversions.tsv.

Output (committed, so the build never needs python):
  capture/convert_rules.c   the falco__conv_rules array, sorted by (event code, nparams)

Usage:
  tools/gen_conversions.py [--tsv PATH] [--events PATH] [--out-dir DIR]

--tsv defaults to tools/event_table/conversions.tsv, --events to
tools/event_table/event_table.tsv (the enum names, parameter counts and types
the rules are checked against), --out-dir to the repository root. The output
depends only on the two TSVs, so re-running it reproduces the committed file
byte for byte (test_convert_table checks). See conversions.tsv for the format.
Stdlib only.
"""

import os
import sys

sys.dont_write_bytecode = True  # importing the sibling must not leave __pycache__ in tools/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import TableError, run, tsv_rows  # noqa: E402
from gen_event_table import parse_tsv  # noqa: E402

ACTIONS = {"pass": "PASS", "store": "STORE", "store_pass": "STORE_PASS", "add": "ADD",
           "change": "CHANGE"}
CALLBACKS = {"container_json": "CONTAINER_JSON"}


def parse_instr(tok, where):
    """Returns (kind, param, fallback_empty, callback)."""
    if tok == "empty":
        return ("EMPTY", 0, False, None)
    if tok == "default":
        return ("DEFAULT", 0, False, None)
    base, _, fallback = tok.partition("|")
    if fallback not in ("", "empty"):
        raise TableError(f"{where}: unknown fallback {fallback!r} in {tok!r}")
    kind, _, arg = base.partition(":")
    if kind == "callback":
        if arg not in CALLBACKS:
            raise TableError(f"{where}: unknown callback {arg!r}")
        return ("CALLBACK", 0, fallback == "empty", CALLBACKS[arg])
    if kind not in ("old", "enter") or not arg.isdigit():
        raise TableError(f"{where}: bad instruction {tok!r}")
    if kind == "old" and fallback:
        raise TableError(f"{where}: old:N has no fallback ({tok!r})")
    return ("OLD" if kind == "old" else "ENTER", int(arg), fallback == "empty", None)


def parse_rules(path, events):
    by_enum = {e["enum"]: e for e in events}
    rules, seen = [], set()
    for where, cols in tsv_rows(path):
        if len(cols) < 4:
            raise TableError(f"{where}: expected enum, nparams, action, target")
        enum, nparams, action, target = cols[:4]
        if enum not in by_enum:
            raise TableError(f"{where}: unknown event {enum}")
        ev = by_enum[enum]
        if "EF_CONVERTER_MANAGED" not in ev["flags"]:
            raise TableError(f"{where}: {enum} is not EF_CONVERTER_MANAGED in the event table")
        n = int(nparams)
        if n > len(ev["params"]):
            raise TableError(f"{where}: {enum} has {len(ev['params'])} params, not {n}")
        if (ev["code"] % 2 and n == len(ev["params"]) and "EF_OLD_VERSION" not in ev["flags"]):
            raise TableError(f"{where}: {enum} with all its {n} params is current: the rule never applies")
        if (ev["code"], n) in seen:
            raise TableError(f"{where}: second rule for {enum} with {n} params")
        seen.add((ev["code"], n))
        if action not in ACTIONS:
            raise TableError(f"{where}: unknown action {action!r}")
        instrs = [parse_instr(t, f"{where} instruction {i}") for i, t in enumerate(cols[4:])]
        is_enter = ev["code"] % 2 == 0
        enter_ev = events[ev["code"] - 1] if not is_enter else None
        if action == "change":
            if target not in by_enum:
                raise TableError(f"{where}: unknown target {target!r}")
            out_ev = by_enum[target]
            first = 0
        else:
            if target != "-":
                raise TableError(f"{where}: only 'change' takes a target")
            out_ev = ev
            first = n
        if action in ("pass", "store", "store_pass") and instrs:
            raise TableError(f"{where}: {action} takes no instructions")
        if action in ("add", "change") and first + len(instrs) > len(out_ev["params"]):
            raise TableError(f"{where}: {first + len(instrs)} params but {out_ev['enum']} has "
                             f"{len(out_ev['params'])}")
        for i, (kind, p, _, _) in enumerate(instrs):
            if kind == "OLD" and p >= n:
                raise TableError(f"{where} instruction {i}: old:{p} but the event has {n} params")
            if kind == "ENTER":
                if enter_ev is None:
                    raise TableError(f"{where} instruction {i}: enter:N on an enter event")
                if p >= len(enter_ev["params"]):
                    raise TableError(f"{where} instruction {i}: enter:{p} but {enter_ev['enum']} "
                                     f"has {len(enter_ev['params'])} params")
        rules.append({"code": ev["code"], "enum": enum, "nparams": n, "action": ACTIONS[action],
                      "target": by_enum[target]["code"] if action == "change" else ev["code"],
                      "target_enum": target if action == "change" else enum, "instrs": instrs})
    # Every layout a rule produces must be current or have a rule of its own:
    # libscap fails on a layout it cannot convert further.
    keys = {(r["code"], r["nparams"]) for r in rules}
    for r in rules:
        if r["action"] not in ("ADD", "CHANGE"):
            continue
        n = (r["nparams"] if r["action"] == "ADD" else 0) + len(r["instrs"])
        out = events[r["target"]]
        current = ("EF_OLD_VERSION" not in out["flags"] and
                   (r["target"] % 2 or "EF_CONVERTER_MANAGED" not in out["flags"]) and
                   (n == len(out["params"]) or "EF_CONVERTER_MANAGED" not in out["flags"]))
        if not current and (r["target"], n) not in keys:
            raise TableError(f"{path}: {r['enum']} with {r['nparams']} params becomes {out['enum']} with {n} "
                             f"params, which is not current and has no rule")
    rules.sort(key=lambda r: (r["code"], r["nparams"]))
    return rules


def gen_rules_c(schema, rules):
    out = []
    w = out.append
    w("/*")
    w(" * capture/convert_rules.c - GENERATED by tools/gen_conversions.py; do not edit.")
    w(f" * libscap's savefile conversion rules for event schema {schema}, from")
    w(" * tools/event_table/conversions.tsv, sorted by (event code, nparams).")
    w(" */")
    w("#include \"convert_internal.h\"")
    w("")
    w("static const falco__conv_instr instrs[] = {")
    starts = []
    k = 0
    for r in rules:
        starts.append(k)
        for kind, p, fb, cb in r["instrs"]:
            fields = [f"FALCO__CONV_FROM_{kind}", str(p), "1" if fb else "0",
                      f"FALCO__CONV_CB_{cb}" if cb else "FALCO__CONV_CB_NONE"]
            w(f"    {{{', '.join(fields)}}}, /* {r['enum']}/{r['nparams']} */")
            k += 1
    if k == 0:
        w("    {FALCO__CONV_FROM_EMPTY, 0, 0, FALCO__CONV_CB_NONE},")
    w("};")
    w("")
    w(f"const falco__conv_rule falco__conv_rules[{len(rules)}] = {{")
    for r, s in zip(rules, starts):
        w(f"    {{{r['code']}, {r['nparams']}, FALCO__CONV_{r['action']}, {r['target']}, {s}, "
          f"{len(r['instrs'])}}}, /* {r['enum']} -> {r['target_enum']} */")
    w("};")
    w(f"const size_t falco__conv_rule_count = {len(rules)};")
    w("const falco__conv_instr *const falco__conv_instrs = instrs;")
    return "\n".join(out) + "\n"


OUTPUT = "capture/convert_rules.c"


def generate(args):
    schema, events = parse_tsv(args.events)
    rules = parse_rules(args.tsv, events)
    path = os.path.join(args.out_dir, *OUTPUT.split("/"))
    return {OUTPUT: gen_rules_c(schema, rules)}, f"schema {schema}, {len(rules)} rules -> {path}"


def main(argv):
    inputs = [("--tsv", "tools/event_table/conversions.tsv"), ("--events", "tools/event_table/event_table.tsv")]
    return run("gen_conversions", __doc__, argv, inputs, generate)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
