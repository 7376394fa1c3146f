#!/usr/bin/env python3
"""Generates the SDK's compiled scap event table from event_table.tsv.

Outputs (both committed, so the build never needs python):
  include/falco/event_codes.h      FALCO_PPME_* codes, FALCO_EVT_COUNT, schema version
  src/events/event_table_data.c    the falco_evt_info array and its parameter data

Usage:
  tools/gen_event_table.py [--tsv PATH] [--out-dir DIR]

--tsv defaults to tools/event_table/event_table.tsv in the repository (a copy
of the reference table, kept in the repo as the source of the generated files);
--out-dir defaults to the repository root. The output depends only on the TSV,
so re-running it reproduces the committed files byte for byte (a test checks).

TSV format: '#' comment lines (one says "event schema version X.Y.Z"), then one
row per event code: code, enum, name, category, flags, nparams, then one column
per parameter "name:PT_TYPE:PF_FORMAT[:info]" where info is a flag table
"{NAME=0x1,...}", "dirfd=N" for PT_FSRELPATH, or "dyn{0=:PT_X,1=:PT_Y}" for PT_DYN.
Stdlib only.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # importing the sibling must not leave __pycache__ in tools/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_common import TableError, run, tsv_rows  # noqa: E402

# Names the hand-written falco/event_table.h defines; a new schema using others
# needs them added there first.
CATEGORIES = {
    "EC_UNKNOWN", "EC_OTHER", "EC_FILE", "EC_IPC", "EC_IO_BASE", "EC_IO_READ", "EC_WAIT",
    "EC_SCHEDULER", "EC_INTERNAL", "EC_SYSCALL", "EC_TRACEPOINT", "EC_PLUGIN", "EC_METAEVENT",
    "EC_SYSTEM", "EC_ITER",
}
FLAGS = {
    "EF_NONE", "EF_CREATES_FD", "EF_DESTROYS_FD", "EF_USES_FD", "EF_READS_FROM_FD",
    "EF_WRITES_TO_FD", "EF_MODIFIES_STATE", "EF_UNUSED", "EF_WAITS", "EF_SKIPPARSERESET",
    "EF_OLD_VERSION", "EF_LARGE_PAYLOAD", "EF_CONVERTER_MANAGED",
}
TYPES = {
    "PT_NONE", "PT_INT8", "PT_INT16", "PT_INT32", "PT_INT64", "PT_UINT8", "PT_UINT16",
    "PT_UINT32", "PT_UINT64", "PT_CHARBUF", "PT_BYTEBUF", "PT_ERRNO", "PT_SOCKADDR",
    "PT_SOCKTUPLE", "PT_FD", "PT_PID", "PT_FDLIST", "PT_FSPATH", "PT_SYSCALLID", "PT_SIGTYPE",
    "PT_RELTIME", "PT_ABSTIME", "PT_PORT", "PT_L4PROTO", "PT_SOCKFAMILY", "PT_BOOL",
    "PT_IPV4ADDR", "PT_DYN", "PT_FLAGS8", "PT_FLAGS16", "PT_FLAGS32", "PT_UID", "PT_GID",
    "PT_DOUBLE", "PT_SIGSET", "PT_CHARBUFARRAY", "PT_CHARBUF_PAIR_ARRAY", "PT_IPV4NET",
    "PT_IPV6ADDR", "PT_IPV6NET", "PT_IPADDR", "PT_IPNET", "PT_MODE", "PT_FSRELPATH",
    "PT_ENUMFLAGS8", "PT_ENUMFLAGS16", "PT_ENUMFLAGS32", "PT_FD32", "PT_PID32",
}
FORMATS = {"PF_NA", "PF_DEC", "PF_HEX", "PF_10_PADDED_DEC", "PF_ID", "PF_DIR", "PF_OCT"}
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_param(col, where):
    parts = col.split(":", 3)
    if len(parts) < 3:
        raise TableError(f"{where}: expected name:PT_TYPE:PF_FORMAT, got {col!r}")
    name, ptype, fmt = parts[0], parts[1], parts[2]
    info = parts[3] if len(parts) == 4 else None
    if ptype not in TYPES:
        raise TableError(f"{where}: unknown parameter type {ptype}")
    if fmt not in FORMATS:
        raise TableError(f"{where}: unknown print format {fmt}")
    p = {"name": name, "type": ptype, "fmt": fmt, "flags": None, "dirfd": -1, "dyn": None}
    if info is None:
        return p
    if info.startswith("{") and info.endswith("}"):
        flags = []
        for item in info[1:-1].split(","):
            fname, _, value = item.partition("=")
            if not IDENT.match(fname) or not value:
                raise TableError(f"{where}: bad flag entry {item!r}")
            flags.append((fname, int(value, 0)))
        p["flags"] = tuple(flags)
    elif info.startswith("dirfd="):
        p["dirfd"] = int(info[len("dirfd="):])
    elif info.startswith("dyn{") and info.endswith("}"):
        variants = []
        for item in info[4:-1].split(","):
            idx, _, rest = item.partition("=")
            vtype = rest.split(":")[-1]
            if int(idx) != len(variants) or vtype not in TYPES:
                raise TableError(f"{where}: bad dynamic variant {item!r}")
            variants.append(vtype)
        p["dyn"] = tuple(variants)
    else:
        raise TableError(f"{where}: unknown parameter info {info!r}")
    return p


def parse_tsv(path):
    schema = []
    events = []

    def comment(line):
        m = re.search(r"event schema version (\d+\.\d+\.\d+)", line)
        if m and not schema:
            schema.append(m.group(1))

    for where, cols in tsv_rows(path, comment):
        if len(cols) < 6:
            raise TableError(f"{where}: expected at least 6 columns")
        code, enum, name, cat, flags, nparams = cols[:6]
        if int(code) != len(events):
            raise TableError(f"{where}: code {code} out of order (expected {len(events)})")
        if not enum.startswith("PPME_") or not IDENT.match(enum):
            raise TableError(f"{where}: bad enum name {enum!r}")
        params = [parse_param(c, f"{where} param {i}") for i, c in enumerate(cols[6:])]
        if int(nparams) != len(params):
            raise TableError(f"{where}: nparams {nparams} but {len(params)} param columns")
        for tok in cat.split("|"):
            if tok not in CATEGORIES:
                raise TableError(f"{where}: unknown category {tok}")
        for tok in flags.split("|"):
            if tok not in FLAGS:
                raise TableError(f"{where}: unknown flag {tok}")
        for i, p in enumerate(params):
            if p["type"] == "PT_FSRELPATH" and not 0 <= p["dirfd"] < len(params):
                raise TableError(f"{where} param {i}: PT_FSRELPATH without a valid dirfd")
        events.append({"code": int(code), "enum": enum, "name": name, "cat": cat.split("|"),
                       "flags": flags.split("|"), "params": params})
    if not schema:
        raise TableError(f"{path}: no 'event schema version X.Y.Z' comment")
    return schema[0], events


def bits(tokens, none):
    used = [f"FALCO_{t}" for t in tokens if t != none]
    return " | ".join(used) if used else f"FALCO_{none}"


def gen_codes_h(schema, events):
    major, minor, patch = schema.split(".")
    maxp = max(len(e["params"]) for e in events)
    out = []
    w = out.append
    w("/*")
    w(" * falco/event_codes.h - GENERATED by tools/gen_event_table.py; do not edit.")
    w(" *")
    w(" * One constant per scap event code of the event schema below, and the")
    w(" * table's dimensions. See falco/event_table.h for what each code carries.")
    w(" *")
    w(" * Since: 0.1.0")
    w(" */")
    w("#ifndef FALCO_EVENT_CODES_H")
    w("#define FALCO_EVENT_CODES_H")
    w("")
    w("/* The event schema version the compiled table corresponds to. */")
    w(f'#define FALCO_EVT_SCHEMA_VERSION "{schema}"')
    w(f"#define FALCO_EVT_SCHEMA_VERSION_MAJOR {major}")
    w(f"#define FALCO_EVT_SCHEMA_VERSION_MINOR {minor}")
    w(f"#define FALCO_EVT_SCHEMA_VERSION_PATCH {patch}")
    w("")
    w("/* Number of event codes (codes are 0 .. FALCO_EVT_COUNT - 1). */")
    w(f"#define FALCO_EVT_COUNT {len(events)}")
    w("/* Largest parameter count of any event in the table. */")
    w(f"#define FALCO_EVT_MAX_PARAMS {maxp}")
    w("")
    w("/* Event codes: FALCO_PPME_<suffix> is libs' PPME_<suffix>. */")
    w("enum falco_ppme_code {")
    for e in events:
        w(f"    FALCO_{e['enum']} = {e['code']},")
    w("};")
    w("")
    w("#endif /* FALCO_EVENT_CODES_H */")
    return "\n".join(out) + "\n"


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gen_data_c(schema, events):
    out = []
    w = out.append
    w("/*")
    w(" * src/events/event_table_data.c - GENERATED by tools/gen_event_table.py; do not edit.")
    w(f" * The scap event table of event schema {schema} as static data.")
    w(" */")
    w("#include <falco/event_table.h>")
    w("")
    w("#include \"events/event_internal.h\"")
    w("")
    # Flag tables and dynamic variant lists are shared between events; emit each once.
    flag_ids, dyn_ids = {}, {}
    for e in events:
        for p in e["params"]:
            if p["flags"] is not None and p["flags"] not in flag_ids:
                fid = len(flag_ids)
                flag_ids[p["flags"]] = fid
                w(f"static const falco_evt_flag_name flags_{fid}[] = {{")
                for fname, value in p["flags"]:
                    w(f"    {{{c_str(fname)}, 0x{value:x}u}},")
                w("};")
            if p["dyn"] is not None and p["dyn"] not in dyn_ids:
                did = len(dyn_ids)
                dyn_ids[p["dyn"]] = did
                types = ", ".join(f"FALCO_{t}" for t in p["dyn"])
                w(f"static const falco_evt_param_type dyn_{did}[] = {{{types}}};")
    w("")
    for e in events:
        if not e["params"]:
            continue
        w(f"static const falco_evt_param_info params_{e['code']}[] = {{")
        for p in e["params"]:
            fields = [f".name = {c_str(p['name'])}", f".type = FALCO_{p['type']}",
                      f".format = FALCO_{p['fmt']}"]
            if p["flags"] is not None:
                fid = flag_ids[p["flags"]]
                fields += [f".flags = flags_{fid}", f".nflags = {len(p['flags'])}"]
            fields.append(f".dirfd_param = {p['dirfd']}")
            if p["dyn"] is not None:
                did = dyn_ids[p["dyn"]]
                fields += [f".dyn_types = dyn_{did}", f".ndyn = {len(p['dyn'])}"]
            w("    {" + ", ".join(fields) + "},")
        w("};")
    w("")
    w(f"const falco_evt_info falco__evt_table[{len(events)}] = {{")
    for e in events:
        params = f"params_{e['code']}" if e["params"] else "NULL"
        w(f"    {{{e['code']}, {c_str(e['name'])}, {c_str(e['enum'])}, "
          f"{bits(e['cat'], 'EC_UNKNOWN')}, {bits(e['flags'], 'EF_NONE')}, "
          f"{len(e['params'])}, {params}}},")
    w("};")
    return "\n".join(out) + "\n"


def generate(args):
    schema, events = parse_tsv(args.tsv)
    outputs = {
        "include/falco/event_codes.h": gen_codes_h(schema, events),
        "src/events/event_table_data.c": gen_data_c(schema, events),
    }
    return outputs, f"schema {schema}, {len(events)} events -> {args.out_dir}"


def main(argv):
    return run("gen_event_table", __doc__, argv, [("--tsv", "tools/event_table/event_table.tsv")], generate)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
