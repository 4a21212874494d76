package reports

import (
	"bytes"
	"context"
	"math"
	"math/bits"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// TestSum128: sums past int64 stay exact, merge in any order, and divide
// correctly.
func TestSum128(t *testing.T) {
	var a, b, whole sum128
	const big = math.MaxInt64 // 292 years in ns
	for i := 0; i < 6; i++ {
		whole.add(big)
		if i%2 == 0 {
			a.add(big)
		} else {
			b.add(big)
		}
	}
	b.merge(a)
	hi, lo := bits.Mul64(6, big)
	if whole != (sum128{hi, lo}) || b != whole {
		t.Errorf("sum %+v, merged %+v, want %d·2^64 + %d", whole, b, hi, lo)
	}
	if got := whole.div(6); got != float64(big) {
		t.Errorf("mean %v, want %v", got, float64(big))
	}
	if got := (sum128{0, 7}).div(2); got != 3.5 {
		t.Errorf("7/2 = %v", got)
	}
	if got := (sum128{1, 0}).div(1 << 32); got != 1<<32 {
		t.Errorf("2^64 / 2^32 = %v", got)
	}
}

// mm1 runs an M/M/c fleet (exponential service, mean 1 s) at arrival rate
// lambda for d, and returns its result.
func mmc(t *testing.T, c int, lambda float64, d time.Duration, seed sim.Seed) SystemResult {
	t.Helper()
	fns := []workloads.Function{{Name: "f", MemoryMB: 128, Weight: 1, Exec: dist.Exponential{MeanS: 1}}}
	srv, err := models.NewServer(models.ServerConfig{Functions: 1, Seed: seed, Instances: c, WorkersPerInstance: 1,
		Billing: models.ServerBilling{PricePerHour: 1, Granularity: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	w := models.Window{Warmup: time.Minute, Horizon: d}
	src, err := workloads.NewMixed(seed, workloads.NewPoisson(seed, lambda), fns, w.Horizon)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAccumulator(1)
	a.WatchBacklog(w)
	sum, err := models.Simulate(context.Background(), srv, src, w, a)
	if err != nil {
		t.Fatal(err)
	}
	return a.Result(SystemInfo{Name: "fleet", Type: "server"}, sum)
}

// TestSaturated: a fleet whose arrivals outpace it is saturated (and
// unfinished); a stable one is not, even near capacity, where its queue
// wanders widely: at utilisation 0.95 an M/M/1 queue holds 19 on average
// with a standard deviation of about 19, and relaxes over ~1/(μ(1-√ρ)²) =
// 1,600 s, so over 6 h it drifts by tens, under the threshold of 3√(second
// half's arrivals) + 10 = 360. Ten seeds each way.
func TestSaturated(t *testing.T) {
	for seed := sim.Seed(1); seed <= 10; seed++ {
		// ρ = 1.1: the backlog grows by 0.4 requests/s, 4,300 over the second half.
		if s := mmc(t, 4, 4.4, 6*time.Hour, seed); !s.Has(Saturated) || !s.Has(Unfinished) {
			t.Errorf("seed %d: ρ 1.1: warnings %v, want saturated and unfinished", seed, s.Warnings)
		}
		if s := mmc(t, 1, 0.95, 6*time.Hour, seed); s.Has(Saturated) {
			t.Errorf("seed %d: ρ 0.95: saturated: %v", seed, s.Warnings)
		}
	}
	// Without WatchBacklog, no checkpoint is taken and no warning given.
	a := NewAccumulator(1)
	for i := 0; i < 1000; i++ {
		inv := workloads.Invocation{At: sim.Time(i) * time.Second}
		a.Arrived(&inv)
	}
	if s := a.Result(SystemInfo{Name: "x", Type: "server"}, models.Summary{}); s.Has(Saturated) || !s.Has(Unfinished) {
		t.Errorf("unwatched: %v", s.Warnings)
	}
}

// TestCountWarnings: each warning at its threshold.
func TestCountWarnings(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Counts
		want []string
	}{
		{"healthy", Counts{Requests: 100_000, Completed: 100_000}, nil},
		{"0.1% unfinished is not", Counts{Requests: 100_000, Completed: 99_900, InFlight: 100}, nil},
		{"0.11% unfinished", Counts{Requests: 100_000, Completed: 99_890, InFlight: 110}, []string{Unfinished}},
		{"1% failed is not", Counts{Requests: 100_000, Completed: 99_000, Rejected: 600, TimedOut: 400}, nil},
		{"1.01% failed", Counts{Requests: 100_000, Completed: 98_990, Rejected: 1010}, []string{Failing}},
		{"p99.9 from 9,999", Counts{Requests: 9_999, Completed: 9_999}, []string{FewSamples}},
		{"nothing completed", Counts{Requests: 10, Rejected: 10}, []string{FewSamples, Failing}},
		{"no requests", Counts{}, nil},
	} {
		s := SystemResult{Counts: tc.c}
		var got []string
		for _, w := range s.countWarnings() {
			got = append(got, w.Code)
		}
		if len(got) != len(tc.want) || len(got) > 0 && !equalStrings(got, tc.want) {
			t.Errorf("%s: warnings %v, want %v", tc.name, got, tc.want)
		}
	}
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestStoppedSystem: a system stopped by its backlog budget says so in
// results.json (stopped_at_seconds, queued_at_stop, the saturated warning
// with the time and the budget, unfinished "at the stop"), never meets an
// SLO its figures would meet, is never the cheaper in the verdict (its
// bill is of part of the run), and the table shows where it stopped and
// what its figures cover; so does the cost figure's title.
func TestStoppedSystem(t *testing.T) {
	feedRun := func(stop *models.Stop, usd float64) SystemResult {
		a := NewAccumulator(1)
		for i := range 20_000 {
			inv := workloads.Invocation{At: sim.Time(i) * time.Millisecond}
			a.Arrived(&inv)
			if i < 15_000 {
				a.Ended(&models.Record{Arrival: inv.At, End: inv.At + 50*time.Millisecond})
			}
		}
		return a.Result(SystemInfo{Name: "x", Type: "server"}, models.Summary{
			Cost: models.Cost{Items: []models.CostItem{{Name: "servers", USD: usd}}}, Stopped: stop})
	}
	stopped := feedRun(&models.Stop{At: 3*time.Hour + 8*time.Minute + 18406*time.Millisecond, Queued: 4_999, Budget: 256 << 20}, 0.01)
	if stopped.StoppedAtSeconds == nil || *stopped.StoppedAtSeconds != 11298.406 || *stopped.QueuedAtStop != 4_999 {
		t.Fatalf("stopped_at_seconds %v, queued_at_stop %v", stopped.StoppedAtSeconds, stopped.QueuedAtStop)
	}
	w, _ := warning(&stopped, Saturated)
	for _, s := range []string{"max_backlog_mb 256", "4,999 requests queued", "at 3h8m18.406s", "cover the measured window up to then"} {
		if !strings.Contains(w.Message, s) {
			t.Errorf("saturated warning %q lacks %q", w.Message, s)
		}
	}
	if u, _ := warning(&stopped, Unfinished); !strings.Contains(u.Message, "at the stop") {
		t.Errorf("unfinished: %q", u.Message)
	}
	whole := feedRun(nil, 1)
	whole.Name = "y"
	if whole.Has(Saturated) || whole.StoppedAtSeconds != nil {
		t.Fatalf("a run to the end: %+v", whole.Warnings)
	}

	r := &Results{Scenario: "s", SimulatedSeconds: 86400, Systems: []SystemResult{stopped, whole}}
	c, err := ParseConstraint("latency_ms.p99 < 100", nil)
	if err != nil {
		t.Fatal(err)
	}
	Assess(r, []*Expr{c})
	if met := r.Systems[0].SLOMet; met == nil || *met {
		t.Errorf("the stopped system meets the SLO its figures meet: %v", met)
	}
	if met := r.Systems[1].SLOMet; met == nil || !*met {
		t.Errorf("the whole run: slo_met %v", met)
	}
	Assess(r, nil)
	v := Verdict(r)
	if strings.Contains(v, "costs less") || !strings.Contains(v, "x was stopped at 3h8m18.406s") || !strings.Contains(v, "is the only system that serves the load") {
		t.Errorf("verdict: %s", v)
	}
	if ct := costTitle(r, []int{0, 1}); strings.Contains(ct, "cheaper") || !strings.Contains(ct, "x's bill covers its run up to its stop at 3h8m18.406s") {
		t.Errorf("cost figure's title: %s", ct)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"stopped at (backlog over budget)", "3h8m18.406s", "queued at the stop", "x's only the 3 h 8 min up to its stop"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
}
