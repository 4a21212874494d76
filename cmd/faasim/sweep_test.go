package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// recipes are the embedded examples with a sweep or a goal.
func recipes(t *testing.T) []string {
	var out []string
	for _, name := range scenarios.Examples() {
		sc, err := scenarios.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Sweep {
			out = append(out, name)
		}
	}
	return out
}

// TestSweepRecipes runs every recipe as a new user would: its table (at
// most 100 columns) and sweep.json are golden, and the goal is answered.
func TestSweepRecipes(t *testing.T) {
	names := recipes(t)
	for _, want := range []string{"break-even", "servers-for-p99", "provisioned-for-cold-starts", "memory-for-cost", "keep-alive-frontier"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("no recipe %s among %v", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			stdout, stderr, code := faasim(t, "sweep", name, "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, "sweep-"+name+".table", []byte(stdout))
			js, err := os.ReadFile(filepath.Join(out, "sweep.json"))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "sweep-"+name+".json", js)
			checkSweepLayout(t, out)
			for _, l := range strings.Split(stdout, "\n") {
				if n := utf8.RuneCountInString(l); n > 100 {
					t.Errorf("table line of %d columns (want at most 100): %s", n, l)
				}
			}
			var sw reports.Sweep
			if err := json.Unmarshal(js, &sw); err != nil {
				t.Fatal(err)
			}
			// sweep.json reads back into the same bytes (plots and merges
			// work from the file alone).
			var again bytes.Buffer
			if err := reports.WriteSweepJSON(&again, &sw); err != nil || !bytes.Equal(again.Bytes(), js) {
				t.Errorf("sweep.json read and written again differs (%v)", err)
			}
			if g := sw.Goal; g != nil && (!g.Met || g.Answer == nil) {
				t.Errorf("the recipe's goal is not met: %+v", g.Answers)
			}
		})
	}
}

// The retired power-tuning example runs its sweep, memory-for-cost.
func TestPowerTuningAlias(t *testing.T) {
	a, _, code := faasim(t, "sweep", "power-tuning", "--format", "json")
	b, _, _ := faasim(t, "sweep", "memory-for-cost", "--format", "json")
	if code != 0 || a != b {
		t.Errorf("power-tuning (exit %d) differs from memory-for-cost", code)
	}
}

// sweepFile is a small sweep: 2 rates × 2 fleet sizes, 3 replications.
const sweepFile = `name: small
duration: 2m
workload: {type: poisson, rate: 10}
functions:
  - name: api
    exec: {dist: lognormal, median: 40ms, p99: 200ms}
systems:
  - name: lambda
    platform: aws-lambda-x86
  - name: vms
    platform: aws-ec2-t3.small
    instances: 1
    workers_per_instance: 4
sweep:
  replications: 3
  axes:
    workload.rate: [5, 20]
    systems[vms].instances: [1, 2]
`

func writeSweep(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSweepFormats(t *testing.T) {
	p := writeSweep(t, sweepFile)
	out := t.TempDir()
	stdout, stderr, code := faasim(t, "sweep", p, "--format", "csv", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	file, _ := os.ReadFile(filepath.Join(out, "sweep.csv"))
	if string(file) != stdout {
		t.Error("--format csv differs from sweep.csv")
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"workload.rate", "systems[vms].instances", "system", "metric", "mean", "ci_low", "ci_high", "n"}
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Errorf("csv header %v, want %v", rows[0], want)
	}
	var sw reports.Sweep
	js, _ := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err := json.Unmarshal(js, &sw); err != nil {
		t.Fatal(err)
	}
	metrics := 0
	for _, pt := range sw.Points {
		for _, s := range pt.Systems {
			metrics += len(s.Metrics)
		}
	}
	if len(sw.Points) != 4 || len(rows)-1 != metrics {
		t.Errorf("%d points, %d csv rows; want 4 points and one row per point × system × metric (%d)", len(sw.Points), len(rows)-1, metrics)
	}
	for _, r := range rows[1:] {
		if r[len(r)-1] != "3" || r[5] == "" {
			t.Errorf("row %v: want n 3 and an interval", r)
			break
		}
	}

	// bench: one line per point, system and replication, each a Go
	// benchmark result with unit pairs (golang.org/design/14313-benchmark-format).
	stdout, _, code = faasim(t, "sweep", p, "--format", "bench", "--metrics", "latency_ms.p99,cost_usd.total")
	if code != 0 {
		t.Fatal(code)
	}
	line := regexp.MustCompile(`^BenchmarkSweep/rate=(5|20)/instances=(1|2)/system=(lambda|vms) 1 [0-9.e+-]+ p99-ms [0-9.e+-]+ total-usd$`)
	config := regexp.MustCompile(`^[a-z][a-z0-9_-]*: \S`)
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		switch {
		case strings.HasPrefix(l, "Benchmark"):
			n++
			if !line.MatchString(l) {
				t.Errorf("bench line %q", l)
			}
		case !config.MatchString(l):
			t.Errorf("neither a result nor a configuration line: %q", l)
		}
	}
	if n != 4*2*3 {
		t.Errorf("%d bench lines, want 4 points × 2 systems × 3 replications", n)
	}
}

// --list prints the points and seeds without running anything.
func TestSweepList(t *testing.T) {
	p := writeSweep(t, sweepFile)
	out := t.TempDir()
	stdout, _, code := faasim(t, "sweep", p, "--list", "--out", out)
	if code != 0 || !strings.Contains(stdout, "4 point(s) × 3 replication(s), seeds 1, ") ||
		!strings.Contains(stdout, "workload.rate") || strings.Count(stdout, "\n") != 7 {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.json")); err == nil {
		t.Error("--list wrote sweep.json")
	}
}

// --set adds an axis, replaces one, or pins one; the output says so.
func TestSweepSetAxes(t *testing.T) {
	p := writeSweep(t, sweepFile)
	stdout, stderr, code := faasim(t, "sweep", p, "--format", "json", "--replications", "1",
		"--set", "workload.rate=1,10,100", "--set", "systems[vms].instances=3", "--set", "systems[lambda].memory_mb=[256, 1024]")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sw reports.Sweep
	if err := json.Unmarshal([]byte(stdout), &sw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range sw.Axes {
		keys = append(keys, a.Key)
	}
	if strings.Join(keys, " ") != "workload.rate systems[lambda].memory_mb" || len(sw.Points) != 6 || sw.Replications != 1 {
		t.Errorf("axes %v, %d points, %d replications; want rate (replaced) and memory (added), 6 points, 1", keys, len(sw.Points), sw.Replications)
	}
	if !hasCode(sw.Warnings, "no_interval") {
		t.Errorf("warnings %v: want no_interval with one replication", sw.Warnings)
	}
}

func hasCode(ws []reports.Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

func TestSweepBadInput(t *testing.T) {
	p := writeSweep(t, sweepFile+"goal:\n  find: min\n  vary: systems[vms].workers_per_instance\n  within: {from: 1, to: 8}\n  subject_to: [vms.latency_ms.p98 < 100]\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", p}, "goal.subject_to[0]: \"vms.latency_ms.p98 < 100\": vms.latency_ms.p98: unknown metric"},
		{[]string{"sweep", writeSweep(t, sweepFile), "--set", "workload.rate=1,-1"}, "workload.rate: want a number > 0, found -1 (from --set workload.rate value -1)"},
		{[]string{"sweep", writeSweep(t, sweepFile), "--format", "xml"}, "--format \"xml\""},
		{[]string{"sweep", writeSweep(t, sweepFile), "--metrics", "p99"}, "--metrics: p99 is not a metric"},
		{[]string{"validate", p}, "goal.subject_to[0]"},
	} {
		_, stderr, code := faasim(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("faasim %v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// An unmet goal is an answer (exit 0), unless --fail-unmet (exit 3).
func TestSweepUnmetGoal(t *testing.T) {
	p := writeSweep(t, strings.Replace(sweepFile, "  axes:\n    workload.rate: [5, 20]\n    systems[vms].instances: [1, 2]\n", "", 1)+
		"goal:\n  find: min\n  vary: systems[vms].instances\n  within: {from: 1, to: 4}\n  subject_to: [vms.latency_ms.p99 < 1]\n")
	stdout, _, code := faasim(t, "sweep", p)
	if code != 0 || !strings.Contains(stdout, "goal: no systems[vms].instances in 1..4 meets every constraint; closest:") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if _, stderr, code := faasim(t, "sweep", p, "--fail-unmet"); code != exitGoalUnmet || !strings.Contains(stderr, "not met") {
		t.Errorf("--fail-unmet: exit %d (%s), want %d", code, stderr, exitGoalUnmet)
	}
}

// The README's sweep example is the recipe's current golden output.
func TestReadmeSweep(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ faasim sweep servers-for-p99\n"
	_, after, ok := strings.Cut(string(b), cmd)
	if !ok {
		t.Fatal("the README has no `faasim sweep servers-for-p99` example")
	}
	shown, _, _ := strings.Cut(after, "```")
	want, err := os.ReadFile(filepath.Join("testdata", "sweep-servers-for-p99.table"))
	if err != nil {
		t.Fatal(err)
	}
	if shown != string(want) {
		t.Error("the README's sweep output is not testdata/sweep-servers-for-p99.table: paste the current one")
	}
}
