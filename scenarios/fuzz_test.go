package scenarios

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Fuzz targets of the scenario decoder (one per format), the distribution
// specs and --set. Each checks the same invariant: no panic, bounded work
// for bounded input, and either a clean error (Problems, naming the file)
// or a scenario that runs a short horizon and gives finite figures whose
// counts add up. `go test` runs each on its seeds (the examples and the
// hostile catalogue); .ci/fuzz runs each for a fixed time (docs/validation.md).

// fuzzDeadline bounds one input's decoding; a run of the short horizon has
// its own budget (fuzzBudget) and context.
const fuzzDeadline = 5 * time.Second

// fuzzBudget keeps a fuzzed run to milliseconds.
var fuzzBudget = Budget{MaxEvents: 2e5, MaxMemoryMB: 64}

// hostileSeeds are the files of the hostile catalogue with extension ext
// (generated ones excepted).
func hostileSeeds(f *testing.F, ext string) [][]byte {
	b, err := os.ReadFile(filepath.Join("..", "cmd", "faasim", "testdata", "hostile.txt"))
	if err != nil {
		f.Fatal(err)
	}
	var macros []string // "macro @NAME = TEXT" lines of the header
	var texts []string
	var cur *strings.Builder
	flush := func() {
		if cur != nil && !isGenerated(cur.String()) {
			texts = append(texts, cur.String())
		}
		cur = nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "macro "):
			if name, text, ok := strings.Cut(strings.TrimPrefix(line, "macro "), " = "); ok {
				macros = append(macros, name, strings.ReplaceAll(text, `\n`, "\n"))
			}
		case strings.HasPrefix(line, "=== "):
			flush()
		case strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --"):
			flush()
			if strings.HasSuffix(strings.TrimSuffix(line, " --"), ext) {
				cur = &strings.Builder{}
			}
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	flush()
	r := strings.NewReplacer(macros...)
	out := make([][]byte, len(texts))
	for i, t := range texts {
		out[i] = []byte(r.Replace(t))
	}
	return out
}

func isGenerated(text string) bool {
	for _, g := range []string{"@gen", "@fifo", "@dir", "@symlink"} {
		if strings.HasPrefix(text, g) {
			return true
		}
	}
	return false
}

// checkDecoded is the invariant on one decoded document.
func checkDecoded(t *testing.T, file string, s *Scenario, err error, took time.Duration) {
	t.Helper()
	if took > fuzzDeadline {
		t.Fatalf("decoding took %v", took)
	}
	if err != nil {
		var probs Problems
		if !errors.As(err, &probs) {
			t.Fatalf("an error that is not Problems: %v", err)
		}
		if len(probs) == 0 || len(probs) > maxProblems+1 {
			t.Fatalf("%d problems", len(probs))
		}
		for _, p := range probs {
			if p.File != file || p.Msg == "" || len(p.Msg) > 4100 || len(p.Path) > 1000 {
				t.Fatalf("problem %q at %q of %q: want the file named and a short message", truncate(p.Msg), truncate(p.Path), p.File)
			}
		}
		return
	}
	runShort(t, s)
}

// runShort runs s for at most a second of simulated time, within a small
// budget, and checks its figures.
func runShort(t *testing.T, s *Scenario) {
	t.Helper()
	if s.Duration > time.Second {
		s.Duration = time.Second
	}
	if s.Warmup >= s.Duration {
		s.Warmup = 0
	}
	if s.CheckBudget(s.Estimate(1, 0), fuzzBudget) != nil {
		return // refused with a message: the invariant holds
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := s.Run(ctx, RunOptions{Jobs: 1})
	if err != nil {
		if ctx.Err() != nil {
			t.Fatalf("a run within the budget took over 10 s")
		}
		var probs Problems
		if errors.As(err, &probs) { // a trace file changed under it: not for a fuzzed scenario
			t.Fatalf("a valid scenario's run failed as bad input: %v", err)
		}
		t.Fatalf("a valid scenario's run failed: %v", err)
	}
	checkResults(t, res)
}

// checkResults holds for every run: finite figures, counts that add up,
// nothing negative, the cost equal to its breakdown.
func checkResults(t *testing.T, res *reports.Results) {
	t.Helper()
	if bad := reports.NonFinite(res); len(bad) > 0 {
		t.Fatalf("non-finite figures: %v", bad)
	}
	for _, sys := range res.Systems {
		c := sys.Counts
		if c.Requests != c.Completed+c.Rejected+c.TimedOut+c.InFlight {
			t.Fatalf("%s: requests %d != completed %d + rejected %d + timed out %d + in flight %d",
				sys.Name, c.Requests, c.Completed, c.Rejected, c.TimedOut, c.InFlight)
		}
		for name, v := range map[string]float64{"requests": float64(c.Requests), "completed": float64(c.Completed),
			"rejected": float64(c.Rejected), "timed_out": float64(c.TimedOut), "in_flight": float64(c.InFlight),
			"cold_starts": float64(c.ColdStarts), "cost": sys.CostUSD.Total, "latency mean": sys.LatencyMS.Mean,
			"latency max": sys.LatencyMS.Max, "instances mean": sys.Instances.Mean} {
			if v < 0 {
				t.Fatalf("%s: %s = %v < 0", sys.Name, name, v)
			}
		}
		var sum float64
		for k, v := range sys.CostUSD.Breakdown {
			if v < 0 {
				t.Fatalf("%s: cost %s = %v < 0", sys.Name, k, v)
			}
			sum += v
		}
		if d := math.Abs(sum - sys.CostUSD.Total); d > 1e-9*math.Max(1, sys.CostUSD.Total) {
			t.Fatalf("%s: cost %v != sum of its breakdown %v", sys.Name, sys.CostUSD.Total, sum)
		}
	}
}

func fuzzFormat(f *testing.F, typ, ext string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	for _, b := range hostileSeeds(f, ext) {
		f.Add(b)
	}
	file := "fuzz" + ext
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		doc, err := readBytes(file, typ, b)
		var s *Scenario
		if err == nil {
			s, err = doc.Decode()
		}
		checkDecoded(t, file, s, err, time.Since(start))
	})
}

// exampleSeeds are the embedded examples (YAML).
func exampleSeeds(f *testing.F) []string {
	var out []string
	for _, name := range Examples() {
		b, err := examples.ReadFile(name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func FuzzScenarioYAML(f *testing.F) {
	fuzzFormat(f, "yaml", ".yaml", append(exampleSeeds(f), full["s.yaml"])...)
}

func FuzzScenarioTOML(f *testing.F) { fuzzFormat(f, "toml", ".toml", full["s.toml"]) }

func FuzzScenarioJSON(f *testing.F) { fuzzFormat(f, "json", ".json", full["s.json"]) }

// FuzzDistribution decodes {dist: KIND, A: x, B: y} (the parameters as
// YAML scalars, so durations and numbers both come through) and draws from
// what validates: every draw a duration from 0 to dist.MaxSeconds, the
// quantiles non-decreasing and bounded.
func FuzzDistribution(f *testing.F) {
	for _, s := range [][3]string{
		{"constant", "value", "100ms"}, {"exponential", "mean", "1s"}, {"lognormal", "median", "80ms"},
		{"lognormal", "mu", "1000"}, {"lognormal", "sigma", "50"}, {"gamma", "cv", "1e6"}, {"gamma", "mean", "1e300s"},
		{"empirical", "percentiles", "{0: 1ms, 100: 2000000h}"}, {"lognormal", "p99", "2000000h"},
		{"lognormal", "mu", "-2"}, // with b "0": sigma 0, a point mass (quantile(0) was NaN)
	} {
		b := "1s"
		if s[1] == "mu" {
			b = "0"
		}
		f.Add(s[0], s[1], s[2], b)
	}
	f.Fuzz(func(t *testing.T, kind, key, a, b string) {
		if len(a)+len(b)+len(kind)+len(key) > 4096 {
			return
		}
		var params string
		switch kind {
		case "lognormal":
			if key == "mu" || key == "sigma" {
				params = fmt.Sprintf("mu: %s, sigma: %s", a, b)
			} else {
				params = fmt.Sprintf("median: %s, p99: %s", a, b)
			}
		case "gamma":
			params = fmt.Sprintf("mean: %s, cv: %s", b, a)
		default:
			params = fmt.Sprintf("%s: %s", key, a)
		}
		text := fmt.Sprintf("name: x\nduration: 1s\nworkload: {type: poisson, rate: 10}\nfunctions: [{name: f, exec: {dist: %s, %s}}]\n"+
			"systems: [{name: s, type: server, instances: 2, price_per_hour: 1}]\n", kind, params)
		start := time.Now()
		doc, err := readBytes("fuzz.yaml", "yaml", []byte(text))
		if err != nil {
			return // not YAML: the decoder's own fuzz target covers it
		}
		s, err := doc.Decode()
		if err != nil {
			checkDecoded(t, "fuzz.yaml", s, err, time.Since(start))
			return
		}
		spec := s.Functions[0].Exec
		r := spec.New(sim.Seed(1).Source("fuzz"))
		for range 1000 {
			d := dist.Seconds(r.Rand())
			if d < 0 || d > dist.Seconds(dist.MaxSeconds) {
				t.Fatalf("%s drew %v", spec, d)
			}
		}
		prev := math.Inf(-1)
		for _, p := range []float64{0, 0.01, 0.5, 0.9, 0.99, 1} {
			q := spec.Quantile(p)
			if q < prev || math.IsNaN(q) {
				t.Fatalf("%s: quantile(%g) = %v after %v", spec, p, q, prev)
			}
			prev = q
		}
		runShort(t, s)
	})
}

// FuzzSet parses --set arguments and applies them to an example: a clean
// error or a scenario that runs, as for a file.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"workload.rate=50", "systems[lambda].memory_mb=1024", "systems[0].keep_alive={policy: fixed, idle: 5m}",
		"workload={type: poisson, Rate: 1, rate: 2}", "workload.rate=1e308", "systems[two-vms].instances=100000000",
		"functions[api].exec.percentiles[99.9]=1s", "duration=9999999999h", "a.b.c=[1, {x: 2}]", "systems[lambda]=null"} {
		f.Add(s)
	}
	doc, err := ReadDocument("quickstart")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		start := time.Now()
		ov, err := ParseSet(arg)
		if err != nil {
			if time.Since(start) > fuzzDeadline {
				t.Fatalf("parsing took %v", time.Since(start))
			}
			return
		}
		s, err := doc.Decode(ov)
		checkDecoded(t, doc.File, s, err, time.Since(start))
	})
}
