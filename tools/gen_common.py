"""What the tools/gen_*.py generators share: the repository root, the error a
table that does not fit raises, the walk over a TSV's rows, and the command
line that reads the tables and writes the generated files. Stdlib only.

A generator imports it after setting sys.dont_write_bytecode, so that running
one leaves no __pycache__ in tools/.
"""

import argparse
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TableError(Exception):
    """A table that does not fit; the message names the file and line."""


def tsv_rows(path, comment=None):
    """Yields (where, cols) for each row of the TSV at path: where is
    "path:line", cols the tab-separated columns. Blank lines are skipped;
    '#' lines are passed to comment(line) when given, else skipped."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                if comment:
                    comment(line)
                continue
            yield f"{path}:{lineno}", line.split("\t")


def run(prog, doc, argv, inputs, generate):
    """The command line of generator prog: one option per (option, path
    relative to the repository) in inputs, defaulting to that path, and
    --out-dir (default: the repository root). generate(args) returns
    ({output path relative to --out-dir: text}, summary); nothing is written
    unless every output was made. Returns the exit status: 1 with the error
    on stderr when a table is unreadable or does not fit."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    for option, rel in inputs:
        ap.add_argument(option, default=os.path.join(REPO, *rel.split("/")))
    ap.add_argument("--out-dir", default=REPO)
    args = ap.parse_args(argv)
    try:
        outputs, summary = generate(args)
    except (OSError, ValueError, TableError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    for rel, text in outputs.items():
        path = os.path.join(args.out_dir, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print(f"{prog}: {summary}")
    return 0
