#!/usr/bin/python3
"""Keep the students' notebooks in step with the solved ones.

The solved copies in notebooks/solutions/ are the source: each exercise cell is
followed by a cell tagged "solution" that fills in the answer. The students'
copies in notebooks/ are the same notebooks without the solution cells and
without outputs.

    sync.py            rewrite notebooks/NN-*.ipynb from notebooks/solutions/
    sync.py --check    exit 1 if a student copy differs from what sync.py would
                       write, or if any notebook carries outputs (CI runs this)
    sync.py --strip    also remove outputs from the solved copies in place

Only nbformat is needed (Debian: python3-nbformat).
"""

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent.parent  # notebooks/
SOLUTIONS = HERE / "solutions"


def clean(nb):
    """Drop outputs and execution counts; keep tags; no kernel-specific noise."""
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
        md = c.get("metadata", {})
        for k in ("execution", "collapsed", "scrolled"):
            md.pop(k, None)
    nb.metadata.pop("widgets", None)
    li = nb.metadata.get("language_info")
    if li:
        nb.metadata["language_info"] = {"name": li.get("name", "python")}
    return nb


def student(solved):
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(solved), as_version=4))
    nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    return clean(nb)


def has_outputs(nb):
    return any(c.cell_type == "code" and (c.outputs or c.execution_count) for c in nb.cells)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="report differences, write nothing")
    ap.add_argument("--strip", action="store_true", help="strip outputs of the solved copies too")
    a = ap.parse_args(argv)
    solved = sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
    if not solved:
        print(f"no solved notebooks in {SOLUTIONS}", file=sys.stderr)
        return 1
    problems = []
    for path in solved:
        nb = nbformat.read(path, as_version=4)
        if not any("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
            problems.append(f"{path.relative_to(HERE)}: no cell tagged 'solution'")
        if has_outputs(nb):
            if a.strip and not a.check:
                nbformat.write(clean(nb), path)
            else:
                problems.append(f"{path.relative_to(HERE)}: has outputs (run sync.py --strip)")
        want = nbformat.writes(student(nb)) + "\n"
        target = HERE / path.name
        have = target.read_text() if target.exists() else None
        if have != want:
            if a.check:
                problems.append(f"{target.relative_to(HERE)}: out of step with "
                                f"solutions/{path.name} (run notebooks/tools/sync.py)")
            else:
                target.write_text(want)
                print(f"wrote {target.relative_to(HERE.parent)}")
    extra = {p.name for p in HERE.glob("[0-9][0-9]-*.ipynb")} - {p.name for p in solved}
    for name in sorted(extra):
        problems.append(f"{name}: no solved copy in solutions/")
    for p in problems:
        print(p, file=sys.stderr)
    if a.check and not problems:
        print(f"{len(solved)} notebooks in step with their solved copies, no outputs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
