#!/usr/bin/python3
"""Tests of faasim_nb: the checks say right and wrong when they should, the
three modes do what CI relies on, and the cache reuses only identical runs.

    /usr/bin/python3 -m unittest discover -s notebooks/tools -p 'test_*.py'
"""

import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import faasim_nb as nb  # noqa: E402


def quiet(f, *a, **k):
    """Call f, return (what it printed, nb.last)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        f(*a, **k)
    return out.getvalue(), nb.last


class Mode:
    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.old, nb.MODE = nb.MODE, self.mode

    def __exit__(self, *exc):
        nb.MODE = self.old


class TestCheck(unittest.TestCase):
    def setUp(self):
        self.mode = Mode("student")
        self.mode.__enter__()

    def tearDown(self):
        self.mode.__exit__()

    def test_relative_tolerance(self):
        # 16.46 ± 2% is [16.13, 16.79]
        for answer, want in [(16.46, "right"), (16.2, "right"), (16.78, "right"),
                             (16.0, "wrong"), (16.9, "wrong"), (18.7, "wrong")]:
            text, got = quiet(nb.check, "rate", answer, 16.46, rel=0.02)
            self.assertEqual(got, want, f"{answer}: {text}")

    def test_absolute_and_exact(self):
        self.assertEqual(quiet(nb.check, "n", 31, 32, abs=1)[1], "right")
        self.assertEqual(quiet(nb.check, "n", 30, 32, abs=1)[1], "wrong")
        self.assertEqual(quiet(nb.check, "c", 9, 9)[1], "right")
        self.assertEqual(quiet(nb.check, "c", 10, 9)[1], "wrong")
        self.assertEqual(quiet(nb.check, "c", 9.0001, 9)[1], "wrong")

    def test_wrong_says_direction_not_answer(self):
        text, _ = quiet(nb.check, "rate", 18.74, 16.46, rel=0.02, unit="req/s", hint="the mean")
        self.assertIn("too high by 14%", text)
        self.assertIn("allows ±2%", text)
        self.assertIn("hint: the mean", text)
        self.assertNotIn("16.46", text)
        text, _ = quiet(nb.check, "load", 8000, 7.2, rel=0.02)
        self.assertIn("factor of 1111", text)

    def test_right_shows_reference(self):
        text, _ = quiet(nb.check, "rate", 16.5, 16.456, rel=0.02, unit="req/s")
        self.assertIn("✓", text)
        self.assertIn("16.46 req/s ±2%", text)

    def test_unanswered_and_garbage(self):
        for answer in (None, ...):
            self.assertEqual(quiet(nb.check, "x", answer, 1.0, rel=0.1)[1], "unanswered")
        for answer in ("abc", float("nan"), float("inf"), [1]):
            self.assertEqual(quiet(nb.check, "x", answer, 1.0, rel=0.1)[1], "wrong")
        self.assertEqual(quiet(nb.check, "x", "1.05", 1.0, rel=0.1)[1], "right")  # a number as text

    def test_check_all(self):
        exp, tol, lab = [0.1, 0.25, 0.5], [0.01, 0.01, 0.02], ["a", "b", "c"]
        self.assertEqual(quiet(nb.check_all, "f", [0.105, 0.25, 0.49], exp, tol, lab)[1], "right")
        text, got = quiet(nb.check_all, "f", [0.1, 0.2, 0.5], exp, tol, lab)
        self.assertEqual(got, "wrong")
        self.assertIn("1 of 3", text)
        self.assertIn("worst b", text)
        self.assertEqual(quiet(nb.check_all, "f", [0.1, None, 0.5], exp, tol, lab)[1], "wrong")
        self.assertEqual(quiet(nb.check_all, "f", [0.1, 0.25], exp, tol, lab)[1], "wrong")
        self.assertEqual(quiet(nb.check_all, "f", None, exp, tol, lab)[1], "unanswered")
        self.assertEqual(quiet(nb.check_all, "f", 3, exp, tol, lab)[1], "wrong")
        self.assertEqual(quiet(nb.check_all, "f", [0.1, 0.25, 0.5], exp, 0.001, lab)[1], "right")

    def test_check_choice(self):
        opts = ["ping every 9 min", "provisioned 1"]
        self.assertEqual(quiet(nb.check_choice, "o", "Ping every 9 min ", opts[0], opts)[1], "right")
        self.assertEqual(quiet(nb.check_choice, "o", "provisioned 1", opts[0], opts)[1], "wrong")
        text, got = quiet(nb.check_choice, "o", "pings", opts[0], opts)
        self.assertEqual(got, "wrong")
        self.assertIn("not one of", text)
        self.assertEqual(quiet(nb.check_choice, "o", None, opts[0], opts)[1], "unanswered")


class TestModes(unittest.TestCase):
    def test_key_mode_raises_on_wrong_and_unanswered(self):
        with Mode("key"):
            quiet(nb.check, "x", 1.0, 1.0, rel=0.1)
            for answer in (2.0, None):
                with self.assertRaises(AssertionError):
                    quiet(nb.check, "x", answer, 1.0, rel=0.1)
            with self.assertRaises(AssertionError):
                quiet(nb.check_choice, "o", "b", "a", ["a", "b"])

    def test_wrong_mode_raises_when_a_wrong_answer_passes(self):
        with Mode("wrong"):
            quiet(nb.check, "x", 2.0, 1.0, rel=0.1)
            with self.assertRaises(AssertionError):
                quiet(nb.check, "x", 1.0, 1.0, rel=0.1)
            with self.assertRaises(AssertionError):
                quiet(nb.check_all, "f", [1.0], [1.0], 0.1, ["a"])

    def test_key(self):
        with Mode("student"):
            self.assertEqual(nb.key(right=1, wrong=2), 1)
        with Mode("key"):
            self.assertEqual(nb.key(right=1, wrong=2), 1)
        with Mode("wrong"):
            self.assertEqual(nb.key(right=1, wrong=2), 2)

    def test_report(self):
        with tempfile.TemporaryDirectory() as d, Mode("student"):
            path = Path(d) / "r.jsonl"
            os.environ["FAASIM_NB_REPORT"] = str(path)
            try:
                quiet(nb.check, "a", 1.0, 1.0, rel=0.1)
                quiet(nb.check, "b", None, 1.0, rel=0.1)
            finally:
                del os.environ["FAASIM_NB_REPORT"]
            lines = [json.loads(l) for l in path.read_text().splitlines()]
            self.assertEqual(lines, [{"what": "a", "status": "right"}, {"what": "b", "status": "unanswered"}])


FAKE = r"""#!/bin/sh
# A stand-in for faasim: counts its calls, writes results.json from the scenario's first line.
echo x >> "$COUNT"
if [ "$1" = version ]; then echo "fake 0"; exit 0; fi
out=""; prev=""
for a in "$@"; do [ "$prev" = --out ] && out="$a"; prev="$a"; done
mkdir -p "$out"
if grep -q broken "$2"; then echo "$2: workload.rate: want a number > 0" >&2; exit 2; fi
printf '{"scenario": "%s", "args": "%s", "systems": [{"name": "a"}]}' "$(head -n1 "$2")" "$*" > "$out/results.json"
echo table
"""


class TestCache(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        fake = self.dir / "faasim"
        fake.write_text(FAKE)
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
        self.count = self.dir / "count"
        self.env = {"FAASIM_NB_CACHE": str(self.dir / "cache"), "COUNT": str(self.count)}
        self.old = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        self.binary, nb._binary = nb._binary, str(fake)

    def tearDown(self):
        nb._binary = self.binary
        for k, v in self.old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def calls(self):
        return len(self.count.read_text().splitlines()) if self.count.exists() else 0

    def test_same_run_is_reused_other_runs_are_not(self):
        a = nb.run("name: one\n", "workload.rate=5")
        self.assertEqual(self.calls(), 1)
        self.assertEqual(a["scenario"], "name: one")
        self.assertEqual(a.system("a"), {"name": "a"})
        self.assertEqual(a.table, "table\n")
        b = nb.run("name: one\n", "workload.rate=5")
        self.assertEqual(self.calls(), 1, "an identical run must come from the cache")
        self.assertEqual(dict(a), dict(b))
        nb.run("name: one\n", "workload.rate=6")
        nb.run("name: two\n", "workload.rate=5")
        nb.run("name: one\n", "workload.rate=5", seed=2)
        self.assertEqual(self.calls(), 4, "another --set, scenario or seed must run again")

    def test_errors_are_faasims_and_not_cached(self):
        for _ in range(2):
            with self.assertRaises(nb.FaasimError) as e:
                nb.run("name: broken\n")
            self.assertIn("exited 2", str(e.exception))
            self.assertIn("workload.rate: want a number > 0", str(e.exception))
        self.assertEqual(self.calls(), 2)

    def test_missing_system_names_the_ones_there(self):
        r = nb.run("name: one\n")
        with self.assertRaises(KeyError) as e:
            r.system("b")
        self.assertIn("['a']", str(e.exception))


if __name__ == "__main__":
    unittest.main()
