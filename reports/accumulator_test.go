package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/workloads"
)

// feed sends n completed requests with lognormal latencies and returns
// the exact latencies in ms, sorted.
func feed(a *Accumulator, r *rand.Rand, n int) []float64 {
	exact := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		l := time.Duration(math.Exp(math.Log(80e6)+0.7*r.NormFloat64())) + 1
		inv := workloads.Invocation{At: 0}
		a.Arrived(&inv)
		a.Ended(&models.Record{Arrival: 0, End: l, Outcome: models.Completed})
		exact = append(exact, float64(l)/1e6)
	}
	slices.Sort(exact)
	return exact
}

// lowerQuantile is the value of rank floor(q(n-1)), the definition DDSketch bounds.
func lowerQuantile(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

// TestQuantileAccuracy: every reported percentile is within RelativeAccuracy
// (0.5%, the bound the docs promise; the contract allows 1%) of the exact one.
func TestQuantileAccuracy(t *testing.T) {
	a := NewAccumulator(1)
	exact := feed(a, rand.New(rand.NewPCG(1, 2)), 200_000)
	l := a.all.latency()
	for _, c := range []struct {
		q   float64
		got float64
	}{{0.5, l.P50}, {0.9, l.P90}, {0.95, l.P95}, {0.99, l.P99}, {0.999, l.P999}} {
		want := lowerQuantile(exact, c.q)
		if rel := math.Abs(c.got-want) / want; rel > RelativeAccuracy {
			t.Errorf("p%g = %.4f ms, exact %.4f ms: relative error %.4f > %g", c.q*100, c.got, want, rel, RelativeAccuracy)
		}
	}
	var sum float64
	for _, x := range exact {
		sum += x
	}
	if math.Abs(l.Mean-sum/float64(len(exact))) > 1e-6 || l.Max != exact[len(exact)-1] {
		t.Errorf("mean %v max %v, want exact %v %v", l.Mean, l.Max, sum/float64(len(exact)), exact[len(exact)-1])
	}
}

// TestMergeExact: two halves merged equal one accumulator fed everything.
func TestMergeExact(t *testing.T) {
	whole, a, b := NewAccumulator(1), NewAccumulator(1), NewAccumulator(1)
	feed(whole, rand.New(rand.NewPCG(3, 4)), 10_000)
	feed(a, rand.New(rand.NewPCG(3, 4)), 5_000)
	r := rand.New(rand.NewPCG(3, 4))
	feed(NewAccumulator(1), r, 5_000) // skip the first half's draws
	feed(b, r, 5_000)
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	if a.all.counts() != whole.all.counts() || a.all.latency() != whole.all.latency() {
		t.Errorf("merged %+v %+v\nwhole  %+v %+v", a.all.counts(), a.all.latency(), whole.all.counts(), whole.all.latency())
	}
}

// TestWaits: the wait for capacity of completed requests, zeros included:
// mean and max exact, quantiles within RelativeAccuracy of the exact ones
// (a quantile among the zeros exactly 0); a wait that ended otherwise
// counts as waited but is not in wait_ms; two halves merge exactly.
func TestWaits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	whole, a, b := NewAccumulator(1), NewAccumulator(1), NewAccumulator(1)
	var exact []float64
	var sum time.Duration
	waited := int64(0)
	for i := range 100_000 {
		rec := models.Record{Outcome: models.Completed}
		if r.IntN(5) < 2 { // 40% wait, exponentially
			rec.Wait = time.Duration(r.ExpFloat64()*float64(20*time.Millisecond)) + 1
		}
		if i%100 == 0 { // 1%: cut by a timeout after waiting; not in wait_ms
			rec.Outcome, rec.Wait = models.TimedOut, time.Second
		}
		rec.End = rec.Wait + 50*time.Millisecond
		if rec.Wait > 0 {
			waited++
		}
		if rec.Outcome == models.Completed {
			exact = append(exact, float64(rec.Wait)/1e6)
			sum += rec.Wait
		}
		half := a
		if i%2 == 1 {
			half = b
		}
		for _, acc := range []*Accumulator{whole, half} {
			acc.Arrived(&workloads.Invocation{})
			acc.Ended(&rec)
		}
	}
	res := whole.Result(SystemInfo{Name: "s", Type: "server"}, models.Summary{})
	if res.Waited != waited || math.Abs(res.WaitedRatio-float64(waited)/1e5) > 1e-9 {
		t.Errorf("waited %d (ratio %v), want %d", res.Waited, res.WaitedRatio, waited)
	}
	slices.Sort(exact)
	w := res.WaitMS
	if want := float64(sum) / float64(len(exact)) / 1e6; math.Abs(w.Mean-want) > 1e-6*want || w.Max != exact[len(exact)-1] {
		t.Errorf("mean %v max %v, want %v and %v", w.Mean, w.Max, want, exact[len(exact)-1])
	}
	for _, c := range []struct {
		q   float64
		got float64
	}{{0.5, w.P50}, {0.9, w.P90}, {0.99, w.P99}} {
		want := lowerQuantile(exact, c.q)
		if want == 0 && c.got != 0 || math.Abs(c.got-want) > RelativeAccuracy*want {
			t.Errorf("wait p%g = %v, exact %v", 100*c.q, c.got, want)
		}
	}
	if w.P50 != 0 {
		t.Errorf("p50 %v: 60%% waited nothing, so 0", w.P50)
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	if got := a.Result(SystemInfo{Name: "s", Type: "server"}, models.Summary{}); got.WaitMS != w || got.Waited != res.Waited {
		t.Errorf("merged %+v (%d waited), whole %+v (%d)", got.WaitMS, got.Waited, w, res.Waited)
	}
	// Nobody waited: every figure 0, no sketch kept.
	none := NewAccumulator(1)
	none.Arrived(&workloads.Invocation{})
	none.Ended(&models.Record{End: time.Millisecond, Outcome: models.Completed})
	if got := none.Result(SystemInfo{Name: "s", Type: "server"}, models.Summary{}); got.WaitMS != (Wait{}) || none.wait.sk != nil {
		t.Errorf("no wait: %+v", got.WaitMS)
	}
}

// TestCountsAndFunctions: outcomes land in the right counters, per function too.
func TestCountsAndFunctions(t *testing.T) {
	a := NewAccumulator(2)
	for _, rec := range []models.Record{
		{Fn: 0, Outcome: models.Completed, Cold: true, End: 2e6}, // cold and completed
		{Fn: 0, Outcome: models.Rejected},                        // throttled
		{Fn: 1, Outcome: models.TimedOut, End: 3e6},              // cut at the timeout: not in latency
		{Fn: 1, Outcome: models.Completed, End: 1e6},
	} {
		inv := workloads.Invocation{Fn: rec.Fn}
		a.Arrived(&inv)
		a.Ended(&rec)
	}
	inv := workloads.Invocation{Fn: 1}
	a.Arrived(&inv) // still in flight at the end
	sum := models.Summary{Cost: models.Cost{Items: []models.CostItem{{Name: "compute", USD: 3}, {Name: "requests", USD: 1}}}, FunctionCost: []float64{1, 3}}
	r := a.Result(SystemInfo{Name: "s", Type: "faas", Functions: []string{"f", "g"}}, sum)
	want := Counts{Requests: 5, Completed: 2, Rejected: 1, TimedOut: 1, InFlight: 1, ColdStarts: 1, ColdStartRatio: 0.2, RejectedRatio: 0.2, TimedOutRatio: 0.2}
	if r.Counts != want {
		t.Errorf("counts %+v, want %+v", r.Counts, want)
	}
	if r.LatencyMS.Mean != 1.5 || r.LatencyMS.Max != 2 {
		t.Errorf("latency %+v: want mean 1.5 ms, max 2 ms (timed-out request excluded)", r.LatencyMS)
	}
	if r.CostUSD.Total != 4 || r.CostUSD.PerMillionRequests != 4/5.0*1e6 || r.CostUSD.PerMillionCompleted != 4/2.0*1e6 {
		t.Errorf("cost %+v", r.CostUSD)
	}
	if len(r.Functions) != 2 || r.Functions[1].Requests != 3 || r.Functions[1].TimedOut != 1 || r.Functions[1].CostUSD != 3 {
		t.Errorf("functions %+v", r.Functions)
	}
}

// TestContractKeys: results.json has every key of the public contract.
func TestContractKeys(t *testing.T) {
	a := NewAccumulator(1)
	res := &Results{Scenario: "x", Seed: 1, SimulatedSeconds: 60, Version: Version,
		Systems: []SystemResult{a.Result(SystemInfo{Name: "s", Type: "faas"}, models.Summary{})}}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "seed", "simulated_seconds", "systems"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	sys := doc["systems"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "type", "requests", "completed", "rejected", "timed_out", "cold_starts",
		"cold_start_ratio", "latency_ms", "cost_usd", "instances", "rejected_ratio", "timed_out_ratio", "warnings"} {
		if _, ok := sys[k]; !ok {
			t.Errorf("system lacks %q", k)
		}
	}
	for sub, keys := range map[string][]string{
		"latency_ms": {"mean", "p50", "p90", "p95", "p99", "p999", "max"},
		"cost_usd":   {"total", "per_million_requests", "breakdown"},
		"instances":  {"mean", "max", "mean_busy"},
	} {
		for _, k := range keys {
			if _, ok := sys[sub].(map[string]any)[k]; !ok {
				t.Errorf("system.%s lacks %q", sub, k)
			}
		}
	}
}

func TestWriteDirAtomicAndNames(t *testing.T) {
	dir := t.TempDir()
	res := &Results{Scenario: "x", Systems: []SystemResult{{Name: "a/b"}, {Name: "a_b"}, {Name: "results"}}}
	if got := strings.Join(FileNames(res), " "); got != "a_b a_b-2 results-2" {
		t.Errorf("file names %q", got)
	}
	if err := WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	if len(ents) != 4 {
		t.Errorf("%d files, want results.json and 3 CSVs", len(ents))
	}
	// A failed write leaves the old file whole.
	path := filepath.Join(dir, "results.json")
	before, _ := os.ReadFile(path)
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "results.json"), []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("results.json changed")
	}
}

// Table cells: thousands separators, plain decimals, three significant digits for small dollars.
func TestFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{count(1234567), "1,234,567"},
		{count(12), "12"},
		{usd(0.0000123456), "0.0000123"},
		{usd(0.828), "0.828"},
		{usd(12.345), "12.3"},
		{usd(1234.5), "1234.50"},
		{ms(0.0123), "0.0123"},
		{ms(39.98), "39.98"},
		{ms(200.84), "200.8"},
		{countPct(5, 100), "5 (5.00%)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestFunctionTallyLean: a function's tally (raw latencies up to rawLimit,
// then a sketch) gives exactly the quantiles of the sketch the whole system
// uses, for a function with one, a few and many latencies, and merged; a
// function holds no sketch until it passes rawLimit.
func TestFunctionTallyLean(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 5, 60, 3000} {
		dense, lean := newTally(), newFunctionTally()
		for range n {
			l := time.Duration(math.Exp(math.Log(80e6)+1.2*r.NormFloat64())) + 1
			rec := models.Record{End: l, Outcome: models.Completed}
			dense.ended(&rec)
			lean.ended(&rec)
		}
		if dense.latency() != lean.latency() {
			t.Errorf("%d latencies: lean %+v, dense %+v", n, lean.latency(), dense.latency())
		}
		m := newFunctionTally()
		if err := m.merge(&lean); err != nil || m.latency() != dense.latency() {
			t.Errorf("%d latencies merged: %+v (%v), want %+v", n, m.latency(), err, dense.latency())
		}
	}
	a := NewAccumulator(3)
	for i := range rawLimit + 1 {
		a.Ended(&models.Record{Fn: 1, End: time.Second, Outcome: models.Completed})
		if (a.fns[1].sketch != nil) != (i == rawLimit) || a.fns[0].sketch != nil {
			t.Fatalf("after %d completions of function 1 it has a sketch: %v (function 0: %v)", i+1, a.fns[1].sketch != nil, a.fns[0].sketch != nil)
		}
	}
}
