#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_events: the first event of a few types cut
out of the reference captures (format-1.0 headers rebuilt with nparams), plus a
plugin event and an async event. Stdlib only.

Usage: make_corpus.py [--shared DIR] [--out DIR]
"""
import argparse
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {3, 5, 7, 23, 35, 61, 81, 141, 152, 161, 171, 186, 223, 231, 234}


def events(path):
    data = gzip.open(path).read()
    off, old = 0, False
    while off + 12 <= len(data):
        btype, total = struct.unpack_from("<II", data, off)
        body = data[off + 8:off + total - 4]
        off += total
        if btype == 0x0A0D0D0A:
            old = struct.unpack_from("<HH", body, 4) == (1, 0)
            continue
        skip = {0x204: 2, 0x216: 2, 0x221: 2, 0x208: 6, 0x217: 6, 0x222: 6}.get(btype)
        if skip is None:
            continue
        ev = body[skip:]
        if not old:
            yield ev[:struct.unpack_from("<I", ev, 16)[0]]
            continue
        ln = struct.unpack_from("<I", ev, 16)[0]
        for n in range(0, (ln - 22) // 2 + 1):
            lens = struct.unpack_from("<%dH" % n, ev, 22)
            if 22 + 2 * n + sum(lens) == ln:
                yield ev[:16] + struct.pack("<IHI", ln + 4, struct.unpack_from("<H", ev, 20)[0], n) + ev[22:ln]
                break


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "tests", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    for ev in events(os.path.join(args.data, "curl_google.scap")):
        etype = struct.unpack_from("<H", ev, 20)[0]
        if etype in TYPES and etype not in seen:
            seen.add(etype)
            with open(os.path.join(args.out, "capture_type_%d.bin" % etype), "wb") as f:
                f.write(ev)
    hdr = lambda ln, t, n: struct.pack("<QQIHI", 1, 2, ln, t, n)
    plugin = hdr(26 + 8 + 4 + 5, 322, 2) + struct.pack("<III", 4, 5, 999) + b"hello"
    name = b"evname\0"
    asyncev = hdr(26 + 12 + 4 + len(name) + 3, 402, 3) + struct.pack("<IIII", 4, len(name), 3, 7) + name + b"xyz"
    for fname, ev in (("plugin_event.bin", plugin), ("async_event.bin", asyncev)):
        with open(os.path.join(args.out, fname), "wb") as f:
            f.write(ev)
    print("wrote %d seeds to %s" % (len(seen) + 2, args.out))


if __name__ == "__main__":
    main()
