#!/usr/bin/env python3
"""Compares `falcoplug run --tables --table-entries N` with real libsinsp's
dump of the same tables (plughost -T brief and -T list --max-entries N) after
the same capture (or both stopped after the same number of events, -n N):
table names, key types, sizes, fields (name, type, read-only) and the values
of the entries both show (threads matched by tid, file descriptors by fd,
other tables by position), nested tables included; where both list every
entry of a table, the same entries. Prints what it compared (nested entries
too), each difference, and exits 1 when there is one.

usage: tables_compare.py FALCOPLUG_OUT PLUGHOST_BRIEF PLUGHOST_LIST
"""
import json
import re
import sys


def read_falcoplug(path):
    tables, cur = {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"table (\S+) key=(\S+) size=(\d+) fields=(\d+)$", line)
        if m:
            cur = tables[m[1]] = {"key": m[2], "size": int(m[3]), "fields": {}, "entries": []}
            continue
        m = re.match(r"  field (\S+) (\S+)( read-only)?$", line)
        if m and cur is not None:
            cur["fields"][m[1]] = (m[2], bool(m[3]))
            continue
        if line.startswith("  entry ") and cur is not None:
            cur["entries"].append(json.loads(line[8:]))
    return tables


def read_brief(path):
    tables, cur = {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"Table: (\S+)  key=(\S+)  size=(\d+)$", line.rstrip("\n"))
        if m:
            cur = tables[m[1]] = {"key": m[2], "size": int(m[3]), "fields": {}}
            continue
        m = re.match(r"    (\S+) \(type: (\S+), read_only: (true|false)\)$", line.rstrip("\n"))
        if m and cur is not None:
            cur["fields"][m[1]] = (m[2], m[3] == "true")
    return tables


def read_list(path):
    text = "".join(l for l in open(path, encoding="utf-8", errors="replace") if not l.startswith("-- "))
    return {t["name"]: t for t in json.loads(text)["tables"]}


diffs = []
nested = {}  # nested table name -> entries compared


def differ(where, ours, theirs):
    diffs.append(f"{where}: falcoplug {ours!r}, libsinsp {theirs!r}")


def by_key(entries, key):
    return {e.get(key): e for e in entries} if key else dict(enumerate(entries))


def compare_table(where, ours, theirs):
    for k in ("key_type", "size"):
        if ours.get(k) != theirs.get(k) and ours.get(k) != "unknown":
            differ(f"{where}.{k}", ours.get(k), theirs.get(k))
    key = {"threads": "tid", "file_descriptors": "fd"}.get(theirs.get("name"))
    mine, real = by_key(ours["entries"], key), by_key(theirs["entries"], key)
    complete = len(ours["entries"]) == ours.get("size") and len(theirs["entries"]) == theirs.get("size")
    if complete and set(mine) != set(real):  # both list every entry: the same ones
        differ(f"{where} entries", sorted(set(mine) - set(real), key=str), sorted(set(real) - set(mine), key=str))
    for k in sorted(set(mine) & set(real), key=str):
        compare_entry(f"{where}[{k}]", mine[k], real[k])
    if "." in where:  # a nested table: count what was compared
        name = theirs.get("name", where)
        nested[name] = nested.get(name, 0) + len(set(mine) & set(real))
    return len(set(mine) & set(real))


def compare_entry(where, ours, theirs):
    for f in sorted(set(ours) & set(theirs)):
        a, b = ours[f], theirs[f]
        if isinstance(a, dict) and isinstance(b, dict):
            compare_table(f"{where}.{f}", a, b)
        elif a != b:
            differ(f"{where}.{f}", a, b)


def main():
    fp, brief, lst = read_falcoplug(sys.argv[1]), read_brief(sys.argv[2]), read_list(sys.argv[3])
    if not fp:
        print("no table in falcoplug's output")
        return 1
    for name, t in fp.items():
        b = brief.get(name)
        if b is None:
            differ(f"table {name}", "present", "absent")
            continue
        if (t["key"], t["size"]) != (b["key"], b["size"]):
            differ(f"{name} key/size", (t["key"], t["size"]), (b["key"], b["size"]))
        if t["fields"] != b["fields"]:
            for f in sorted(set(t["fields"]) | set(b["fields"])):
                if t["fields"].get(f) != b["fields"].get(f):
                    differ(f"{name} field {f}", t["fields"].get(f), b["fields"].get(f))
        l = lst.get(name)
        if l is not None:
            nested.clear()
            n = compare_table(name, {"key_type": t["key"], "size": t["size"], "entries": t["entries"]}, l)
            inner = "".join(f", {c} {k} entries" for k, c in sorted(nested.items()))
            print(f"{name}: {len(t['fields'])} fields, size {t['size']}, {n} entries compared{inner}")
    for d in diffs:
        print(d)
    print(f"tables_compare: {len(diffs)} differences")
    return 1 if diffs else 0


sys.exit(main())
