"""faasim_nb: what the teaching notebooks need to drive the faasim command.

The notebooks run the `faasim` binary and read only its stable outputs
(results.json, sweep.json, sweep.csv: docs/semantics.md and docs/sweeps.md),
never the engine's internals, so they keep working as the simulator changes.

    import faasim_nb as nb
    r = nb.run(SCENARIO_YAML, "workload.rate=5")    # results.json as a dict
    s = nb.sweep(SCENARIO_YAML)                      # sweep.json, sweep.csv
    nb.check("break-even rate", my_answer, s.goal["answer"], rel=0.02, unit="req/s")

The binary: $FAASIM if set, else `go build` of ../cmd/faasim into a cache
folder (once per kernel).

Answers and checks. FAASIM_SOLUTIONS in the environment decides what a
check does with a wrong answer:
    unset        a student: print whether the answer is right; never stop the notebook
    1            the answer key (CI): a wrong or missing answer raises AssertionError
    wrong        CI's test of the checks: solution cells (`key`) give a typical
                 mistake instead of the right answer, and a check that accepts it raises
FAASIM_NB_REPORT=FILE appends one JSON line per check ({"what", "status"}) for
the CI runner. FAASIM_NB_CACHE=DIR reuses the outputs of identical faasim
commands (same binary, same scenario text, same arguments): a run is a pure
function of scenario and seed, so CI executes each notebook in three modes for
the price of one.
"""

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TRACES = REPO / "scenarios" / "traces"

MODE = os.environ.get("FAASIM_SOLUTIONS", "").strip().lower()
if MODE in ("", "0", "no", "false"):
    MODE = "student"
elif MODE in ("1", "yes", "true", "on"):
    MODE = "key"
elif MODE != "wrong":
    raise ValueError(f"FAASIM_SOLUTIONS={MODE!r}: want unset, 1 or wrong")

_work = Path(tempfile.mkdtemp(prefix="faasim-nb-"))
_binary = None
_count = 0


class FaasimError(RuntimeError):
    """faasim refused the scenario or failed; the message is faasim's own."""


def binary():
    """The faasim binary: $FAASIM, else built once from this repository."""
    global _binary
    if _binary:
        return _binary
    env = os.environ.get("FAASIM")
    if env:
        p = Path(env).expanduser()
        if not p.is_file() or not os.access(p, os.X_OK):
            raise FileNotFoundError(f"FAASIM={env}: not an executable file")
        _binary = str(p.resolve())
        return _binary
    go = shutil.which("go")
    if not go:
        raise FileNotFoundError(
            "faasim not found: set FAASIM=/path/to/faasim, or install Go so the "
            "notebook can build it (go build ./cmd/faasim)")
    out = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "faasim-notebooks"
    out.mkdir(parents=True, exist_ok=True)
    exe = out / "faasim"
    subprocess.run([go, "build", "-o", str(exe), "./cmd/faasim"], cwd=REPO, check=True)
    _binary = str(exe)
    return _binary


def version():
    return subprocess.run([binary(), "version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _scenario_file(scenario):
    """A scenario given as YAML text is written to a file of its own; an
    embedded example's name or an existing path is used as it is. Returns
    (argument for faasim, text that identifies it for the cache)."""
    global _count
    if "\n" in scenario:
        _count += 1
        p = _work / f"scenario-{_count}.yaml"
        p.write_text(scenario)
        return str(p), scenario
    p = Path(scenario)
    if p.is_file():
        return str(p), p.read_text()
    return scenario, "example:" + scenario


def _faasim(command, scenario, sets, extra):
    """Run `faasim COMMAND SCENARIO --set ... --out DIR`; return (stdout, DIR)."""
    arg, ident = _scenario_file(scenario)
    argv = [command, arg]
    for s in sets:
        argv += ["--set", s]
    argv += list(extra)
    cache = os.environ.get("FAASIM_NB_CACHE")
    key = None
    if cache:
        h = hashlib.sha256()
        for part in [_digest(binary()), ident, command, *argv[2:]]:
            h.update(part.encode() + b"\0")
        key = Path(cache) / h.hexdigest()
        if (key / "stdout").is_file():
            return (key / "stdout").read_text(), key
    global _count
    _count += 1
    out = _work / f"out-{_count}"
    p = subprocess.run([binary(), *argv, "--out", str(out)], capture_output=True, text=True)
    if p.returncode != 0:
        raise FaasimError(f"faasim {command} exited {p.returncode}:\n{p.stderr.strip()}")
    (out / "stdout").write_text(p.stdout)
    if key is not None:
        Path(cache).mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache))
        shutil.copytree(out, tmp, dirs_exist_ok=True)
        try:
            tmp.rename(key)  # atomic: a half-copied entry is never read
        except OSError:  # another run stored it first: the same bytes
            shutil.rmtree(tmp)
    return p.stdout, out


class Run(dict):
    """results.json of one `faasim run`, with the folder its files are in."""

    def system(self, name):
        for s in self["systems"]:
            if s["name"] == name:
                return s
        raise KeyError(f"no system {name!r}; the scenario has "
                       f"{[s['name'] for s in self['systems']]}")


def run(scenario, *sets, seed=None):
    """`faasim run SCENARIO --set KEY=VALUE ...`: results.json as a dict (Run);
    Run.dir is the folder of its other files (CSVs, plots), Run.table the
    terminal table. scenario: YAML text, an example's name or a path."""
    extra = ["--seed", str(seed)] if seed is not None else []
    stdout, out = _faasim("run", scenario, sets, extra)
    r = Run(json.loads((out / "results.json").read_text()))
    r.dir, r.table = out, stdout
    return r


class Sweep:
    """sweep.json (.json), sweep.csv (.csv, a pandas DataFrame) and the
    terminal table (.table) of one `faasim sweep`."""

    def __init__(self, stdout, out):
        self.table = stdout
        self.dir = out
        self.json = json.loads((out / "sweep.json").read_text())
        self._csv = out / "sweep.csv"

    @property
    def csv(self):
        import pandas as pd
        return pd.read_csv(self._csv)

    @property
    def goal(self):
        return self.json.get("goal")

    @property
    def sentence(self):
        """The goal's answer in words, as the terminal table ends (one per search)."""
        g = self.goal or {}
        return "\n".join(a["sentence"] for a in g.get("answers", []))

    def metric(self, system, path):
        """One metric of one system at every point, as a DataFrame: the axes'
        values, then mean, ci_low, ci_high, n and the replications' values."""
        import pandas as pd
        rows = []
        for p in self.json["points"]:
            for s in p["systems"]:
                if s["name"] != system:
                    continue
                m = s["metrics"].get(path)
                if m is None:
                    continue
                row = dict(p["params"])
                row.update(mean=m["mean"], ci_low=m.get("ci_low"), ci_high=m.get("ci_high"),
                           n=m["n"], values=m.get("values"),
                           warnings=",".join(w["code"] for w in s.get("warnings", [])))
                rows.append(row)
        if not rows:
            raise KeyError(f"no metric {path!r} for system {system!r} in sweep.json")
        return pd.DataFrame(rows)


def sweep(scenario, *sets, replications=None, seed=None):
    """`faasim sweep SCENARIO --set ...`: its sweep.json, sweep.csv and table."""
    extra = []
    if replications is not None:
        extra += ["--replications", str(replications)]
    if seed is not None:
        extra += ["--seed", str(seed)]
    stdout, out = _faasim("sweep", scenario, sets, extra)
    return Sweep(stdout, out)


def plot(run_, *args):
    """`faasim plot DIR ARGS...`: redraw a run's plots (e.g. "--systems",
    "a,b") into a fresh copy of its folder; returns that folder."""
    global _count
    _count += 1
    out = _work / f"plot-{_count}"
    shutil.copytree(run_.dir, out)
    p = subprocess.run([binary(), "plot", str(out), *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise FaasimError(f"faasim plot exited {p.returncode}:\n{p.stderr.strip()}")
    return out


# ---------------------------------------------------------------- answers


def key(right, wrong):
    """The answer key in a solution cell: the right answer, or (under
    FAASIM_SOLUTIONS=wrong) a typical mistake the check must reject."""
    return wrong if MODE == "wrong" else right


def _report(what, status):
    path = os.environ.get("FAASIM_NB_REPORT")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({"what": what, "status": status}) + "\n")


last = None  # the latest check's status: "right", "wrong" or "unanswered" (for tests)


def _verdict(what, status, shown):
    """Print the check's sentence, record it, and apply the mode's rule.
    Returns nothing, so that a check cell shows only its sentence."""
    global last
    last = status
    print(shown)
    _report(what, status)
    if MODE == "key" and status != "right":
        raise AssertionError(f"answer key: {what}: {status}")
    if MODE == "wrong" and status == "right":
        raise AssertionError(f"the check of {what!r} accepted a deliberately wrong answer")


def _fmt(x):
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.4g}"


def _number(answer):
    try:
        a = float(answer)
    except (TypeError, ValueError):
        return None
    return a if math.isfinite(a) else None


def _unanswered(answer):
    return answer is None or answer is Ellipsis


def _tolerance(expected, rel, abs_):
    return max(rel * math.fabs(expected) if rel else 0.0, abs_ or 0.0)


def _band(expected, rel, abs_, u):
    tol = _tolerance(expected, rel, abs_)
    if tol == 0:
        return "exactly"
    if rel and rel * math.fabs(expected) >= (abs_ or 0.0):
        return f"±{rel * 100:g}%"
    return f"±{_fmt(tol)}{u}"


def check(what, answer, expected, rel=None, abs=None, unit="", hint=""):
    """Say whether ANSWER is EXPECTED within the tolerance: the larger of
    rel × |expected| and abs (neither: exactly). An answer of None (or ...)
    is not answered yet. nb.last holds the outcome.

    A wrong answer is told its direction and the tolerance, not the expected
    value, so that the student can try again; a right one sees the reference."""
    u = f" {unit}" if unit else ""
    if _unanswered(answer):
        return _verdict(what, "unanswered",
                        f"… {what}: not answered yet (fill in the exercise cell above, then run this cell)")
    a = _number(answer)
    if a is None:
        return _verdict(what, "wrong", f"✗ {what}: want a number, found {answer!r}")
    tol = _tolerance(expected, rel, abs)
    band = _band(expected, rel, abs, u)
    if math.fabs(a - expected) <= tol:
        ref = f"{_fmt(expected)}{u}" + ("" if tol == 0 else f" {band}")
        return _verdict(what, "right", f"✓ {what}: {_fmt(a)}{u} is right (reference {ref})")
    side = "too high" if a > expected else "too low"
    off = ""
    if expected != 0 and tol != 0 and band.endswith("%"):
        r = a / expected
        off = (f" by a factor of {_fmt(r if r > 1 else 1 / r)}" if r > 2 or 0 < r < 0.5
               else f" by {math.fabs(r - 1):.0%}")
    allows = "wants it exactly" if tol == 0 else f"allows {band}"
    msg = f"✗ {what}: {_fmt(a)}{u} is {side}{off} (the check {allows})"
    if hint:
        msg += f"\n  hint: {hint}"
    return _verdict(what, "wrong", msg)


def check_all(what, answers, expected, tolerance, labels, unit="", hint="", source="faasim"):
    """Check several numbers at once (a formula evaluated at several points):
    right when every answers[i] is within tolerance[i] of expected[i]. A wrong
    set is shown its worst point, with the reference there (the reference
    values are on screen already, in the table the lesson prints); source
    names where they come from."""
    u = f" {unit}" if unit else ""
    if _unanswered(answers):
        return _verdict(what, "unanswered",
                        f"… {what}: not answered yet (fill in the exercise cell above, then run this cell)")
    try:
        answers = list(answers)
    except TypeError:
        return _verdict(what, "wrong", f"✗ {what}: want a list of numbers, found {answers!r}")
    if isinstance(tolerance, (int, float)):
        tolerance = [tolerance] * len(expected)
    if len(answers) != len(expected):
        return _verdict(what, "wrong", f"✗ {what}: want {len(expected)} numbers, found {len(answers)}")
    worst, bad = None, 0
    for a, e, t, lab in zip(answers, expected, tolerance, labels):
        x = _number(a)
        miss = math.inf if x is None else math.fabs(x - e) / t if t else (0 if x == e else math.inf)
        if miss > 1:
            bad += 1
        if worst is None or miss > worst[0]:
            worst = (miss, a, e, t, lab)
    miss, a, e, t, lab = worst
    if bad == 0:
        return _verdict(what, "right", f"✓ {what}: right at all {len(expected)} points "
                        f"(worst {lab}: {_fmt(_number(a))}{u} against {_fmt(e)}{u} ±{_fmt(t)})")
    shown = a if _number(a) is None else _fmt(_number(a)) + u
    msg = (f"✗ {what}: off at {bad} of {len(expected)} points; worst {lab}: yours {shown}, "
           f"{source} {_fmt(e)}{u}, the check allows ±{_fmt(t)}{u}")
    if hint:
        msg += f"\n  hint: {hint}"
    return _verdict(what, "wrong", msg)


def check_choice(what, answer, expected, choices, hint=""):
    """Check a choice among named options (compared as text, case-insensitive)."""
    if _unanswered(answer):
        return _verdict(what, "unanswered",
                        f"… {what}: not answered yet (fill in the exercise cell above, then run this cell)")
    names = [str(c) for c in choices]
    a = str(answer).strip().lower()
    if a not in [n.lower() for n in names]:
        return _verdict(what, "wrong", f"✗ {what}: {answer!r} is not one of {', '.join(names)}")
    if a == str(expected).lower():
        return _verdict(what, "right", f"✓ {what}: {expected} is right")
    msg = f"✗ {what}: {answer} is not it"
    if hint:
        msg += f"\n  hint: {hint}"
    return _verdict(what, "wrong", msg)


def setup_plots():
    """matplotlib on Agg, figures inline, a readable default size."""
    import matplotlib
    if "ipykernel" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"figure.figsize": (7.5, 4), "figure.dpi": 100,
                         "axes.grid": True, "grid.alpha": 0.3})
    return plt
