package reports

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/workloads"
)

// full is a system result with every optional part present: a scaled
// fleet's keys, a keep-alive section, bill items, several functions.
func full() []SystemResult {
	a := NewAccumulator(2)
	feed(a, rand.New(rand.NewPCG(5, 6)), 2000)
	for _, cold := range []bool{true, false} { // function b: 1 cold start in 2
		inv := workloads.Invocation{Fn: 1}
		a.Arrived(&inv)
		a.Ended(&models.Record{Fn: 1, End: 5e6, Outcome: models.Completed, Cold: cold})
	}
	fs := &models.FleetStats{BilledSeconds: 7200, IdleSeconds: 1800.5, BootSeconds: 90, ScaleOuts: 3, ScaleIns: 1, Launched: 5, Terminated: 2}
	cost := models.Cost{Items: []models.CostItem{{Name: "compute", USD: 3}, {Name: "requests", USD: 1}, {Name: "provisioned", USD: 0.5}}, MonthlyUSD: 90}
	faas := a.Result(SystemInfo{Name: "f", Type: "faas", Functions: []string{"a", "b"}}, models.Summary{Cost: cost, FunctionCost: []float64{3, 1.5},
		Policy:      models.PolicyStats{Policy: "fixed", IdleInstanceSeconds: 10, IdleGBSeconds: 5, Prewarms: 1, PrewarmHits: 2, ProvisionedServed: 3, ProvisionedSeconds: 4, Pings: 5},
		RequestCost: &models.CostQuantiles{P50: 2e-6, P90: 3e-6, P99: 9e-6},
		Calls: &models.CallStats{Attempts: 10, Retries: 2, Invocations: 8, Throttled: 1, Expired: 1, StateRoundTrips: 30, CacheHits: 4,
			MaxConcurrentBatches: 5, EventAge: &models.AgeStats{Mean: 1, P50: 0.5, P99: 3, Max: 4}}})
	met := true
	faas.SLOMet = &met
	srv := a.Result(SystemInfo{Name: "s", Type: "server", Functions: []string{"a", "b"}},
		models.Summary{Cost: models.Cost{Items: []models.CostItem{{Name: "servers", USD: 2}, {Name: "load_balancer", USD: 0.25}}},
			Instances: models.InstanceStats{Mean: 2, Max: 3, MeanBusy: 1, MeanBusySlots: 4, Fleet: fs},
			FrontDoor: &models.FrontDoorStats{Name: "aws-alb", Requests: 2002, TimedOut: 1, LCUHours: 0.5},
			Purchase: &models.PurchaseStats{Option: "savings-plan-1y", Discount: 0.365, CommittedSeconds: 7200, CoveredSeconds: 3600,
				UsedSeconds: 5400, Interruptions: 2, InterruptedRequests: 1},
			Stopped: &models.Stop{At: 3 * time.Hour, Queued: 1500, Budget: 256 << 20}})
	return []SystemResult{faas, srv}
}

// jsonNumbers are the numeric (and bool) leaves of a system object as
// results.json holds them, by dotted path, outside functions and warnings.
func jsonNumbers(t *testing.T, s *SystemResult) map[string]float64 {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if prefix == "" && (k == "functions" || k == "warnings") {
					continue
				}
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
		case float64:
			out[prefix] = v
		case bool:
			out[prefix] = map[bool]float64{false: 0, true: 1}[v]
		}
	}
	walk("", doc)
	return out
}

// TestValueMirrorsJSON: every numeric field of results.json is addressable
// by its path with the same value, is defined in Metrics (label, unit,
// direction), and Numbers lists exactly those the system has.
func TestValueMirrorsJSON(t *testing.T) {
	for _, s := range full() {
		js := jsonNumbers(t, &s)
		if len(js) < 30 {
			t.Fatalf("%s: only %d numeric fields in JSON", s.Name, len(js))
		}
		nums := map[string]float64{}
		for _, n := range s.Numbers() {
			nums[n.Path] = n.Value
		}
		for path, want := range js {
			if _, ok := LookupMetric(path); !ok {
				t.Errorf("results.json field %s has no entry in Metrics", path)
			}
			got, ok := s.Value(path)
			m, _ := metricFor(path, &s)
			switch {
			case !ok && m.Has(&s):
				t.Errorf("%s: Value(%q) missing", s.Name, path)
			case ok && got != want:
				t.Errorf("%s: Value(%q) = %v, results.json %v", s.Name, path, got, want)
			}
			if n, in := nums[path]; in != ok || in && n != want {
				t.Errorf("%s: Numbers has %s = %v (%v), want %v (%v)", s.Name, path, n, in, want, ok)
			}
		}
		for path := range nums {
			if _, ok := js[path]; !ok {
				t.Errorf("%s: Numbers has %s, which is not in results.json", s.Name, path)
			}
		}
	}
	// The other way: every metric is a field of results.json.
	all := map[string]bool{}
	for _, s := range full() {
		for p := range jsonNumbers(t, &s) {
			all[p] = true
		}
	}
	for _, m := range Metrics {
		if !strings.HasSuffix(m.Path, "*") && !all[m.Path] {
			t.Errorf("metric %s (%q) is not a field of results.json", m.Path, m.Label)
		}
		if m.format == nil || m.Label == "" || m.Unit == "" {
			t.Errorf("metric %s lacks a label, unit or format", m.Path)
		}
	}
	if _, ok := full()[0].Value("latency_ms.p98"); ok {
		t.Error("Value of a field that does not exist")
	}
	if v, ok := full()[0].Value("slo_met"); !ok || v != 1 {
		t.Errorf("slo_met = %v, %v; want 1 (true)", v, ok)
	}
}

// TestFiguresPerType: a figure is read for the system types that have it
// only, under the label of its meaning for that type.
func TestFiguresPerType(t *testing.T) {
	sys := full()
	if _, ok := sys[1].Value("keep_alive.idle_gb_seconds"); ok {
		t.Error("a server has a keep-alive figure")
	}
	if _, ok := sys[0].Value("instances.billed_seconds"); ok {
		t.Error("a FaaS system has a fleet figure")
	}
	fm, _ := metricFor("instances.mean_busy", &sys[0])
	sm, _ := metricFor("instances.mean_busy", &sys[1])
	if fm.Label == sm.Label || !strings.Contains(fm.Label, "serving") || !strings.Contains(sm.Label, "workers") {
		t.Errorf("instances.mean_busy labels %q (faas), %q (server): want one per meaning", fm.Label, sm.Label)
	}
	res := &Results{Systems: sys}
	labels := map[string]string{}
	for _, row := range Rows(res, -1) {
		labels[row.Label] = strings.Join(cellTexts(row), "|")
	}
	if labels[fm.Label] != "0.00|-" || labels[sm.Label] != "-|1.00" {
		t.Errorf("busy rows %q %q", labels[fm.Label], labels[sm.Label])
	}
}

func cellTexts(r Row) []string {
	var out []string
	for _, c := range r.Cells {
		out = append(out, c.Text)
	}
	return out
}

// sys is a system result with the figures the marks read.
func sys(name string, completed int64, p99, cost float64) SystemResult {
	return SystemResult{Name: name, Type: "faas", Counts: Counts{Requests: 100_000, Completed: completed},
		LatencyMS: Latency{P99: p99, Mean: p99 / 2}, CostUSD: CostResult{Total: cost, Breakdown: map[string]float64{}}}
}

// stoppedAt is s stopped by its backlog budget at seconds.
func stoppedAt(s SystemResult, seconds float64) SystemResult {
	q := int64(1)
	s.StoppedAtSeconds, s.QueuedAtStop = &seconds, &q
	return s
}

// TestMarks: the best value is starred only when the figures resolve it.
func TestMarks(t *testing.T) {
	p99, _ := LookupMetric("latency_ms.p99")
	total, _ := LookupMetric("cost_usd.total")
	mean, _ := LookupMetric("latency_ms.mean")
	for _, tc := range []struct {
		name    string
		m       Metric
		systems []SystemResult
		want    string
	}{
		// Exact figures: the lowest wins, equal lowest values all win.
		{"cheapest", total, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 100, 2)}, "* "},
		{"exact tie", total, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 100, 1), sys("c", 1e5, 100, 3)}, "** "},
		{"all equal", total, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 100, 1)}, "  "},
		{"one system", total, []SystemResult{sys("a", 1e5, 100, 1)}, " "},
		// Exact but printed alike (50.82 against 50.82): no difference to a reader.
		{"printed alike", mean, []SystemResult{sys("a", 1e5, 101.642, 1), sys("b", 1e5, 101.646, 1)}, "  "},
		// Sketch percentiles (±0.5% each): 0.9% apart is no difference.
		{"p99 resolved", p99, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 102, 1)}, "* "},
		{"p99 within the error", p99, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 100.9, 1), sys("c", 1e5, 200, 1)}, "~~ "},
		{"p99 all within", p99, []SystemResult{sys("a", 1e5, 100, 1), sys("b", 1e5, 100.9, 1)}, "  "},
		// A p99 from under 1,000 completions is never marked, nor is a
		// system without completions (its latency is "-", not 0).
		{"p99 from too few", p99, []SystemResult{sys("a", 500, 50, 1), sys("b", 1e5, 100, 1), sys("c", 1e5, 150, 1)}, " * "},
		{"no completions", p99, []SystemResult{sys("a", 0, 0, 1), sys("b", 1e5, 100, 1), sys("c", 1e5, 150, 1)}, " * "},
		// A system stopped by its backlog budget billed part of the run:
		// its cheaper bill is no best, and of two, one left competes.
		{"stopped cheapest", total, []SystemResult{stoppedAt(sys("a", 1e5, 100, 0.01), 428), sys("b", 1e5, 100, 0.2), sys("c", 1e5, 100, 0.3)}, " * "},
		{"stopped, one left", total, []SystemResult{stoppedAt(sys("a", 1e5, 100, 0.01), 428), sys("b", 1e5, 100, 0.2)}, "  "},
	} {
		r := &Results{Systems: tc.systems}
		var got []byte
		for _, mk := range tc.m.marks(r) {
			got = append(got, " *~"[mk])
		}
		if string(got) != tc.want {
			t.Errorf("%s: marks %q, want %q", tc.name, got, tc.want)
		}
	}
	r := &Results{Systems: []SystemResult{sys("a", 0, 0, 1), sys("b", 1e5, 100, 1)}}
	for _, row := range Rows(r, -1) {
		if strings.HasPrefix(row.Label, "latency") && row.Cells[0].Text != "-" {
			t.Errorf("%s without completions shows %q, want -", row.Label, row.Cells[0].Text)
		}
	}
}

// TestCSVColumns: the CSV's columns are the metrics' paths; a function row
// has the figures a function has and leaves the others empty.
func TestCSVColumns(t *testing.T) {
	r := &Results{Systems: full()}
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	head := strings.Split(lines[0], ",")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, p := range []string{"latency_ms.p99", "cost_usd.breakdown.servers", "cost_usd.per_million_completed", "instances.billed_seconds", "rejected_ratio"} {
		if _, ok := col[p]; !ok {
			t.Errorf("no column %s in %v", p, head)
		}
	}
	if len(lines) != 1+2*3 {
		t.Fatalf("%d lines, want header + 2 systems × (system + 2 functions):\n%s", len(lines), b.String())
	}
	fn := strings.Split(lines[2], ",")
	if fn[2] != "a" || fn[col["instances.mean"]] != "" || fn[col["cost_usd.total"]] != "3" || fn[col["latency_ms.p99"]] == "" {
		t.Errorf("function row %v", fn)
	}
	srv := strings.Split(lines[4], ",")
	if srv[col["keep_alive.idle_gb_seconds"]] != "" || srv[col["instances.billed_seconds"]] != "7200" || srv[col["instances.mean_busy"]] != "1" {
		t.Errorf("server row %v", srv)
	}
	keys := make([]string, 0, len(col))
	for k := range col {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) != len(head) {
		t.Errorf("duplicate columns: %v", head)
	}
}
