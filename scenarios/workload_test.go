package scenarios

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

const vm = "systems: [{name: vm, type: server, instances: 1, price_per_hour: 0.1}]\n"

func loadString(t *testing.T, s string) (*Scenario, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(p)
}

// TestWorkloadProblems: each new type's keys are checked at their key path.
func TestWorkloadProblems(t *testing.T) {
	for _, c := range []struct{ name, workload, path, want string }{
		{"mmpp no states", "{type: mmpp}", "workload.states", "missing"},
		{"mmpp bad sojourn", "{type: mmpp, states: [{rate: 1, mean_sojourn: 0}]}", "workload.states[0].mean_sojourn", "want a duration > 0"},
		{"mmpp unknown state key", "{type: mmpp, states: [{rate: 1, mean_sojourn: 1s, p: 2}]}", "workload.states[0].p", "unknown key"},
		{"diurnal trough above peak", "{type: diurnal, trough: 5, peak: 1}", "workload.trough", "want trough <= peak"},
		{"cron jitter", "{type: cron, every: 1m, jitter: 2m}", "workload.jitter", "longer than every"},
		{"cron fanout", "{type: cron, every: 1m, fanout: 0}", "workload.fanout", "want an integer >= 1"},
		{"spike no at", "{type: spike, rate: 1, multiplier: 2, length: 1m}", "workload.at", "missing"},
		{"onoff no off", "{type: onoff, rate: 1, on: 1m}", "workload.off", "missing"},
		{"ramp zero", "{type: ramp, from: 0, to: 0, length: 1m}", "workload.to", "want from or to > 0"},
		{"mix trace part", "{type: mix, components: [{type: trace, format: csv, path: x.csv}]}", "workload.components[0].path", "cannot open"},
		{"mix bad part", "{type: mix, components: [{type: poisson}]}", "workload.components[0].rate", "missing"},
		{"zipf", "{type: poisson, rate: 1, zipf: -1}", "workload.zipf", "want a number > 0"},
		{"trace format", "{type: trace, format: azure2020, path: x}", "workload.format", "want one of azure2019 | azure2021 | csv"},
		{"trace no durations", "{type: trace, format: azure2019, path: s.yaml}", "workload.durations", "missing"},
		{"trace columns on azure", "{type: trace, format: azure2021, path: s.yaml, columns: {time: t}}", "workload.columns", "only a csv trace"},
		{"trace select", "{type: trace, format: csv, path: s.yaml, select: {top: 0}}", "workload.select.top", "want an integer >= 1"},
		{"trace window", "{type: trace, format: azure2019, path: s.yaml, durations: s.yaml, window: {from: 30s}}", "workload.window", "whole minutes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadString(t, "name: t\nduration: 1h\nworkload: "+c.workload+"\n"+vm)
			if err == nil || !strings.Contains(err.Error(), c.path+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v; want a problem at %s containing %q", err, c.path, c.want)
			}
		})
	}
	// A trace with functions, and per-function workloads beside a top-level one.
	_, err := loadString(t, "name: t\nduration: 1h\nworkload: {type: trace, format: csv, path: s.yaml}\nfunctions: [{name: a}]\n"+vm)
	if err == nil || !strings.Contains(err.Error(), "functions: a trace brings its own functions") {
		t.Errorf("trace with functions: %v", err)
	}
	_, err = loadString(t, "name: t\nduration: 1h\nworkload: {type: poisson, rate: 1}\nfunctions: [{name: a, workload: {type: poisson, rate: 1}}]\n"+vm)
	if err == nil || !strings.Contains(err.Error(), "workload: give the workload at the top or in each function, not both") {
		t.Errorf("both workloads: %v", err)
	}
	_, err = loadString(t, "name: t\nduration: 1h\nfunctions: [{name: a, workload: {type: poisson, rate: 1}}, {name: b}]\n"+vm)
	if err == nil || !strings.Contains(err.Error(), "functions[1].workload: missing") {
		t.Errorf("one function without a workload: %v", err)
	}
}

// TestWorkloadBuild: a mix, a Zipf split and per-function workloads load
// and give the expected long-run counts.
func TestWorkloadBuild(t *testing.T) {
	count := func(s *Scenario) []float64 {
		src, err := s.NewSource(sim.Seed(s.Seed))
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(s.Functions))
		var inv workloads.Invocation
		for src.Next(&inv) {
			out[inv.Fn]++
		}
		return out
	}
	// Mix of Poisson 5/s and cron every 10 s with fan-out 10 (1/s) over 1000 s.
	s, err := loadString(t, "name: t\nduration: 1000s\nworkload: {type: mix, components: [{type: poisson, rate: 5}, {type: cron, every: 10s, fanout: 10}]}\n"+vm)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(s)[0]; math.Abs(n-6000) > 4*math.Sqrt(5000) {
		t.Errorf("mix: %v arrivals, want 5000 ± %.0f + 1000", n, 4*math.Sqrt(5000))
	}
	// Zipf s=1 over 3 functions: shares 1, 1/2, 1/3 over 11/6.
	s, err = loadString(t, "name: t\nduration: 1000s\nworkload: {type: constant, rate: 60, zipf: 1}\nfunctions: [{name: a}, {name: b}, {name: c}]\n"+vm)
	if err != nil {
		t.Fatal(err)
	}
	c := count(s)
	for k, w := range []float64{1, 0.5, 1.0 / 3} {
		p := w / (11.0 / 6)
		if got := c[k] / 60000; math.Abs(got-p) > 4*math.Sqrt(p*(1-p)/60000) {
			t.Errorf("zipf share %d = %.4f, want %.4f", k, got, p)
		}
	}
	// Per function: a constant 2/s, b a cron every 100 s.
	s, err = loadString(t, "name: t\nduration: 1000s\nfunctions: [{name: a, workload: {type: constant, rate: 2}}, {name: b, workload: {type: cron, every: 100s}}]\n"+vm)
	if err != nil {
		t.Fatal(err)
	}
	if c := count(s); c[0] != 2000 || c[1] != 10 {
		t.Errorf("per-function counts %v, want [2000 10]", c)
	}
	if s.Workload.Type != "per-function" || s.Duration != 1000*time.Second {
		t.Errorf("workload %+v", s.Workload)
	}
}

// TestEmbeddedTrace: the embedded example finds its trace in the embedded
// FS, and a file scenario relative to its own folder; both replay alike.
func TestEmbeddedTrace(t *testing.T) {
	e, err := Open("azure-keepalive")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load("azure-keepalive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Functions) != 40 || e.Workload.Trace.Stats.Calls != f.Workload.Trace.Stats.Calls ||
		!strings.HasPrefix(e.Workload.trace.Invocations.Name, "embedded:traces/") {
		t.Errorf("embedded %d functions, %d calls (%s); file %d calls", len(e.Functions), e.Workload.Trace.Stats.Calls,
			e.Workload.trace.Invocations.Name, f.Workload.Trace.Stats.Calls)
	}
}
