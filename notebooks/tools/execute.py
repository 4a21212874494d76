#!/usr/bin/python3
"""Execute the lessons headless, as CI does, and say which pass.

Each lesson runs three times, each a fresh kernel:

  key       the solved copy (notebooks/solutions/NN-*.ipynb) with
            FAASIM_SOLUTIONS=1: every check must say the answer is right
  wrong     the solved copy with FAASIM_SOLUTIONS=wrong: the solution cells
            give a typical mistake instead, and every check must reject it
  student   the student's copy (notebooks/NN-*.ipynb), unanswered: it must run
            to the end, every check saying "not answered yet"

An error in any cell fails the lesson. faasim's outputs are cached across the
three runs (FAASIM_NB_CACHE): runs are a pure function of scenario and seed.

    /usr/bin/python3 notebooks/tools/execute.py [--faasim PATH] [--modes key,wrong,student]
                                                [--keep DIR] [NN ...]

--keep DIR writes the executed notebooks there (to look at the plots). The
kernel is /usr/bin/python3's ipykernel, named explicitly (a kernel spec in a
temporary JUPYTER_PATH), so another python3 first on PATH does not matter.
Prints one line per run with its time, then `N passed, N failed` (lessons).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent.parent  # notebooks/
REPO = HERE.parent
KERNEL = "faasim-python3"
EXPECT = {"key": "right", "wrong": "wrong", "student": "unanswered"}


def kernel_spec(root):
    """A kernel spec for this very interpreter (CI: /usr/bin/python3)."""
    d = root / "kernels" / KERNEL
    d.mkdir(parents=True)
    (d / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": f"Python 3 ({sys.executable})",
        "language": "python",
    }))


def first_error(nb):
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                return f"{o.get('ename')}: {o.get('evalue')}"
    return None


def execute(path, mode, env, keep):
    nb = nbformat.read(path, as_version=4)
    report = Path(env["FAASIM_NB_CACHE"]).parent / f"report-{path.stem}-{mode}.jsonl"
    report.unlink(missing_ok=True)
    env = dict(env, FAASIM_NB_REPORT=str(report),
               FAASIM_SOLUTIONS={"key": "1", "wrong": "wrong", "student": ""}[mode])
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=600,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.monotonic()
    problem = None
    try:
        client.execute(env=env)
    except CellExecutionError as e:
        problem = str(e).strip().splitlines()[-1] if str(e).strip() else "a cell failed"
        problem = first_error(nb) or problem
    except Exception as e:  # the kernel died, a timeout
        problem = f"{type(e).__name__}: {e}"
    took = time.monotonic() - start
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, keep / f"{path.stem}.{mode}.ipynb")
    checks = []
    if report.exists():
        checks = [json.loads(l) for l in report.read_text().splitlines() if l.strip()]
    if problem is None:
        if not checks:
            problem = "no check ran"
        else:
            off = [c for c in checks if c["status"] != EXPECT[mode]]
            if off:
                problem = "; ".join(f"{c['what']}: {c['status']}" for c in off)
    return problem, took, len(checks)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--faasim", help="the faasim binary (default: $FAASIM, else go build)")
    ap.add_argument("--modes", default="key,wrong,student")
    ap.add_argument("--keep", type=Path, help="write the executed notebooks here")
    ap.add_argument("lessons", nargs="*", help="lesson numbers (default: all)")
    a = ap.parse_args(argv)
    modes = [m for m in a.modes.split(",") if m]
    for m in modes:
        if m not in EXPECT:
            ap.error(f"--modes: {m!r}; want key, wrong or student")

    work = Path(tempfile.mkdtemp(prefix="faasim-nb-ci-"))
    try:
        faasim = a.faasim or os.environ.get("FAASIM")
        if not faasim:
            faasim = str(work / "faasim")
            subprocess.run(["go", "build", "-o", faasim, "./cmd/faasim"], cwd=REPO, check=True)
        faasim = str(Path(faasim).resolve())
        kernel_spec(work / "jupyter")
        env = dict(os.environ, FAASIM=faasim, FAASIM_NB_CACHE=str(work / "cache"),
                   JUPYTER_PATH=str(work / "jupyter"), MPLBACKEND="Agg",
                   PYTHONDONTWRITEBYTECODE="1")
        os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]  # for the kernel spec lookup here

        lessons = sorted(SOLVED for SOLVED in (HERE / "solutions").glob("[0-9][0-9]-*.ipynb"))
        if a.lessons:
            lessons = [p for p in lessons if p.name[:2] in {f"{int(n):02d}" for n in a.lessons}]
        passed = failed = 0
        for solved in lessons:
            ok = True
            for mode in modes:
                path = HERE / solved.name if mode == "student" else solved
                problem, took, n = execute(path, mode, env, a.keep)
                status = "ok  " if problem is None else "FAIL"
                print(f"{status} {solved.stem} [{mode}] {took:.1f} s, {n} checks"
                      + ("" if problem is None else f": {problem}"), flush=True)
                ok = ok and problem is None
            passed += ok
            failed += not ok
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 and passed > 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
