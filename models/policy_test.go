package models_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// costItem returns the named cost line (0 if absent).
func costItem(s models.Summary, name string) float64 {
	for _, it := range s.Cost.Items {
		if it.Name == name {
			return it.USD
		}
	}
	return 0
}

// Lambda's provisioned concurrency rates (UNVERIFIED, see the preset).
const (
	pcCapacity = 0.0000041667 // USD per GB-s configured
	pcRun      = 0.0000097222 // USD per GB-s executed on provisioned instances
	odGBs      = 0.0000166667 // USD per GB-s on demand
	perReq     = 0.20 / 1e6   // USD per request
)

func pcBilling() models.FaaSBilling {
	return models.FaaSBilling{PricePerGBSecond: odGBs, PricePerMillionRequests: 0.20, Granularity: time.Millisecond,
		InitBilled: true, Provisioned: models.ProvisionedRates{PricePerGBSecond: pcCapacity, DurationPricePerGBSecond: pcRun,
			Rounding: 5 * time.Minute}}
}

// Provisioned 3 with steady load below 3 (2 req/s, 200 ms each: at most one
// busy): no cold start at all, and the bill is the provisioned charge plus
// execution at the provisioned rate, by hand.
func TestProvisionedSteadyBill(t *testing.T) {
	fns := []workloads.Function{fn("api", 1024, dist.Constant{Value: 0.2})}
	w := models.Window{Horizon: time.Hour}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.5},
		KeepAlive: models.ProvisionedKeepAlive{Instances: 3, OnDemand: models.FixedKeepAlive{Idle: 10 * time.Minute}},
		Billing:   pcBilling()})
	s, c := simulate(t, f, 1, workloads.NewConstant(2), fns, w, false)
	if c.cold != 0 || c.completed() != 7200 {
		t.Fatalf("%d cold, %d completed; want 0 and 7200", c.cold, c.completed())
	}
	// 3 instances × 3600 s (a whole number of 5-minute periods) × 1 GB.
	capacity := 3 * 3600 * 1.0 * pcCapacity
	run := 7200 * 0.2 * 1.0 * pcRun
	reqs := 7200 * perReq
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"provisioned", costItem(s, "provisioned"), capacity},
		{"provisioned_compute", costItem(s, "provisioned_compute"), run},
		{"compute (on demand)", costItem(s, "compute"), 0},
		{"requests", costItem(s, "requests"), reqs},
		{"total", s.Cost.Total(), capacity + run + reqs},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: $%.12f, want $%.12f", c.name, c.got, c.want)
		}
	}
	if s.Policy.ProvisionedServed != 7200 || s.Policy.ProvisionedSeconds != 3*3600 {
		t.Errorf("served %d, provisioned seconds %v", s.Policy.ProvisionedServed, s.Policy.ProvisionedSeconds)
	}
	// Idle provisioned capacity: 3 instances × 3600 s minus the busy time (7200 × 0.2 s).
	if want := 3*3600 - 7200*0.2; math.Abs(s.Policy.IdleInstanceSeconds-want) > 1e-6 {
		t.Errorf("idle instance-seconds %v, want %v", s.Policy.IdleInstanceSeconds, want)
	}
}

// Load above the provisioned count spills over to on-demand instances with
// cold starts, billed at the on-demand rate: 2 provisioned, 3 simultaneous
// requests every minute (1 s each): the third is cold once, then warm.
func TestProvisionedSpillover(t *testing.T) {
	fns := []workloads.Function{fn("api", 512, dist.Constant{Value: 1})}
	var at []float64
	for m := 0; m < 10; m++ {
		at = append(at, float64(m*60), float64(m*60), float64(m*60))
	}
	w := models.Window{Horizon: 700 * time.Second}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.5},
		KeepAlive: models.ProvisionedKeepAlive{Instances: 2, OnDemand: models.FixedKeepAlive{Idle: 10 * time.Minute}},
		Billing:   pcBilling()})
	s, c := simulate(t, f, 1, secs(at...), fns, w, false)
	if c.cold != 1 || s.Policy.ProvisionedServed != 20 || s.Instances.Max != 3 {
		t.Errorf("cold %d, served by provisioned %d, max instances %d; want 1, 20, 3", c.cold, s.Policy.ProvisionedServed, s.Instances.Max)
	}
	// On demand: 10 requests of 1 s, the first with a 0.5 s billed init, at 0.5 GB.
	if want := (10*1 + 0.5) * 0.5 * odGBs; math.Abs(costItem(s, "compute")-want) > 1e-12 {
		t.Errorf("on-demand compute $%v, want $%v", costItem(s, "compute"), want)
	}
}

// A provisioned schedule: 1 instance from 00:00, 4 from 00:07, 0 from
// 00:20. Configured periods round up to 5 minutes each: 7 min -> 10, 13 min
// -> 15; so 1×600 + 4×900 instance-seconds billed over a 30-minute run.
// Requests at 00:10 find the 4 scheduled instances (started at 00:07 with a
// 0.5 s cold start) warm; at 00:25 they are cold on-demand.
func TestProvisionedSchedule(t *testing.T) {
	fns := []workloads.Function{fn("api", 1024, dist.Constant{Value: 0.1})}
	w := models.Window{Horizon: 30 * time.Minute}
	sched := []models.ScheduleStep{{At: 0, Instances: 1}, {At: 7 * time.Minute, Instances: 4}, {At: 20 * time.Minute, Instances: 0}}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.5},
		KeepAlive: models.ProvisionedKeepAlive{Schedule: sched, OnDemand: models.NoKeepAlive{}}, Billing: pcBilling()})
	s, c := simulate(t, f, 1, secs(600, 600, 600, 600, 1500, 1500), fns, w, true)
	if got := s.Policy.ProvisionedSeconds; got != 1*600+4*900 {
		t.Errorf("provisioned seconds %v, want %v", got, 1*600+4*900)
	}
	if c.cold != 2 || s.Policy.ProvisionedServed != 4 {
		t.Errorf("cold %d, served by provisioned %d; want 2 and 4", c.cold, s.Policy.ProvisionedServed)
	}
	if want := (1*600 + 4*900) * 1.0 * pcCapacity; math.Abs(costItem(s, "provisioned")-want) > 1e-12 {
		t.Errorf("provisioned $%v, want $%v", costItem(s, "provisioned"), want)
	}
}

// Pings every 5 minutes with concurrency K keep K instances warm through a
// quiet hour: a burst of K requests after the hour has no cold start; K+1
// has exactly one. The pings are billed (first round cold: 250 ms init +
// 1 ms; the 12 others 1 ms) and are no requests.
func TestPingKeepsKWarm(t *testing.T) {
	const K = 3
	for _, burst := range []int{K, K + 1} {
		fns := []workloads.Function{fn("api", 1024, dist.Constant{Value: 0.1})}
		at := make([]float64, burst)
		for i := range at {
			at[i] = 3601
		}
		w := models.Window{Horizon: 3602 * time.Second}
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.25},
			KeepAlive: models.PingKeepAlive{Every: 5 * time.Minute, Concurrency: K, Exec: time.Millisecond,
				Idle: models.FixedKeepAlive{Idle: 10 * time.Minute}},
			Billing: pcBilling()})
		s, c := simulate(t, f, 1, secs(at...), fns, w, false)
		if want := burst - K; c.cold != want || c.arrived != burst {
			t.Errorf("burst %d: %d cold (want %d), %d requests (want %d: pings are not requests)", burst, c.cold, want, c.arrived, burst)
		}
		// 13 rounds (0, 300, ..., 3600 s) of K pings.
		pingMs := K*251 + 12*K*1
		if want := float64(pingMs)/1000*odGBs + 13*K*perReq; math.Abs(costItem(s, "pings")-want) > 1e-12 || s.Policy.Pings != 13*K {
			t.Errorf("burst %d: pings $%v (%d), want $%v (%d)", burst, costItem(s, "pings"), s.Policy.Pings, want, 13*K)
		}
	}
}

// Random keep-alive: with exponential idle lifetimes of mean T and Poisson
// arrivals of rate λ (negligible execution), a request is cold when the gap
// exceeds the drawn lifetime: P(cold) = E[exp(-λ·TTL)] = 1/(1+λT).
// λ = 1/s, T = 1 s: 0.5. 200k requests; SE ≈ 0.0011; tolerance 0.005.
// (A fixed 1 s TTL gives exp(-1) = 0.368, far outside.)
func TestRandomKeepAliveClosedForm(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 1e-6})}
	w := models.Window{Horizon: 200000 * time.Second}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{},
		KeepAlive: models.RandomKeepAlive{Idle: dist.Exponential{MeanS: 1}}, Seed: 7})
	_, c := simulate(t, f, 7, workloads.NewPoisson(7, 1), fns, w, false)
	got := float64(c.cold) / float64(c.arrived)
	if math.Abs(got-0.5) > 0.005 {
		t.Errorf("cold-start ratio %.4f, want 1/(1+λT) = 0.5 ± 0.005 (%d requests)", got, c.arrived)
	}
}

// Idle instance-seconds of a fixed keep-alive: one 100 ms request at t=0
// with a 250 ms cold start leaves one instance idle for exactly 10 minutes.
func TestIdleSecondsFixed(t *testing.T) {
	fns := []workloads.Function{fn("f", 2048, dist.Constant{Value: 0.1})}
	w := models.Window{Horizon: time.Hour}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.25},
		KeepAlive: models.FixedKeepAlive{Idle: 10 * time.Minute}})
	s, _ := simulate(t, f, 1, secs(0), fns, w, false)
	if s.Policy.IdleInstanceSeconds != 600 || s.Policy.IdleGBSeconds != 1200 {
		t.Errorf("idle %v instance-s, %v GB-s; want 600 and 1200", s.Policy.IdleInstanceSeconds, s.Policy.IdleGBSeconds)
	}
}

// Hybrid histogram on a strictly periodic function (one 100 ms call every
// 30 minutes for 3 days): it learns the period, pre-warms, and ends with
// almost no cold starts — only while the histogram has fewer than 10 idle
// times (the first 11 calls) — and far less idle memory time than a fixed
// 4-hour keep-alive (which keeps the instance all the time): a loaded window
// of about 7.1 of every 30 minutes.
func TestHybridPeriodic(t *testing.T) {
	fns := []workloads.Function{fn("cron", 1024, dist.Constant{Value: 0.1})}
	var at []float64
	for i := 0; i < 144; i++ {
		at = append(at, float64(i*1800))
	}
	w := models.Window{Horizon: 72 * time.Hour}
	run := func(k models.KeepAlive) (models.Summary, *collector) {
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, KeepAlive: k})
		return simulate(t, f, 1, secs(at...), fns, w, false)
	}
	hs, hc := run(models.HybridKeepAlive{Params: models.DefaultHybridParams()})
	fs, fc := run(models.FixedKeepAlive{Idle: 4 * time.Hour})
	if hc.cold > 11 || fc.cold != 1 {
		t.Errorf("cold starts: hybrid %d (want <= 11 of 144), fixed 4h %d (want 1)", hc.cold, fc.cold)
	}
	if hs.Policy.Prewarms < 120 || hs.Policy.PrewarmHits < 120 {
		t.Errorf("hybrid pre-warmed %d times, %d hits; want >= 120", hs.Policy.Prewarms, hs.Policy.PrewarmHits)
	}
	if r := hs.Policy.IdleInstanceSeconds / fs.Policy.IdleInstanceSeconds; r > 0.35 {
		t.Errorf("hybrid idle time is %.2f of fixed 4 h's (%.0f s vs %.0f s); want < 0.35", r,
			hs.Policy.IdleInstanceSeconds, fs.Policy.IdleInstanceSeconds)
	}
	t.Logf("hybrid: %d cold, %.0f idle instance-s; fixed 4h: %d cold, %.0f idle instance-s",
		hc.cold, hs.Policy.IdleInstanceSeconds, fc.cold, fs.Policy.IdleInstanceSeconds)
}

// Hybrid on a Poisson function whose idle times are exponential with a 2 h
// mean: the histogram is flat (expected bin-count CV ≈ 0.6 < 2), so the
// policy falls back to the fixed 4-hour keep-alive. With the default
// min_samples (10) a sparse histogram looks patterned at first (a few counts
// in 240 bins have a high CV), so it pre-warms a few times early on, and is
// back on the fallback by the end; with min_samples 100 it never leaves the
// fallback: exactly the fixed 4 h run (same cold starts, same idle time).
func TestHybridPoissonFallsBack(t *testing.T) {
	fns := []workloads.Function{fn("rare", 256, dist.Constant{Value: 0.1})}
	w := models.Window{Horizon: 30 * 24 * time.Hour}
	run := func(k models.KeepAlive) (models.Summary, *collector) {
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, KeepAlive: k})
		return simulate(t, f, 3, workloads.NewPoisson(3, 1.0/7200), fns, w, false)
	}
	ds, _ := run(models.HybridKeepAlive{Params: models.DefaultHybridParams()})
	if st := ds.Policy.Functions[0]; st.Representative || st.IdleTimes < 300 {
		t.Errorf("default parameters: representative %v after %d idle times; want the fallback after >= 300", st.Representative, st.IdleTimes)
	}
	p := models.DefaultHybridParams()
	p.MinSamples = 100
	hs, hc := run(models.HybridKeepAlive{Params: p})
	fs, fc := run(models.FixedKeepAlive{Idle: 4 * time.Hour})
	if hc.cold != fc.cold || hs.Policy.IdleInstanceSeconds != fs.Policy.IdleInstanceSeconds || hs.Policy.Prewarms != 0 {
		t.Errorf("hybrid %d cold, %.0f idle s, %d pre-warms; fixed 4h %d cold, %.0f idle s",
			hc.cold, hs.Policy.IdleInstanceSeconds, hs.Policy.Prewarms, fc.cold, fs.Policy.IdleInstanceSeconds)
	}
	if hc.arrived < 300 {
		t.Errorf("only %d requests", hc.arrived)
	}
}

// A nested random keep-alive draws its lifetimes: the on-demand instances
// of a provisioned policy with no provisioned instances behave exactly as
// under the random policy alone (same streams), not as a fixed TTL at its
// mean.
func TestNestedRandomKeepAlive(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 1e-6})}
	w := models.Window{Horizon: 20000 * time.Second}
	random := models.RandomKeepAlive{Idle: dist.Exponential{MeanS: 1}}
	cold := func(k models.KeepAlive) int {
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{}, KeepAlive: k, Seed: 7})
		_, c := simulate(t, f, 7, workloads.NewPoisson(7, 1), fns, w, false)
		return c.cold
	}
	alone := cold(random)
	fixed := cold(models.FixedKeepAlive{Idle: time.Second})
	prov := cold(models.ProvisionedKeepAlive{OnDemand: random})
	if prov != alone || alone == fixed {
		t.Errorf("cold starts: random %d, provisioned(0, on-demand random) %d, fixed at the mean %d; want the first two equal, the last apart",
			alone, prov, fixed)
	}
}

// The hybrid policy counts a rejected request as ended: a function that
// had one rejected call still learns every later idle time. One call every
// 30 minutes, and once two at the same instant with max_concurrency 1 (the
// second rejected): 47 idle times between the 48 distinct instants.
func TestHybridLearnsAfterRejection(t *testing.T) {
	fns := []workloads.Function{fn("cron", 1024, dist.Constant{Value: 0.1})}
	at := []float64{0, 0}
	for i := 1; i < 48; i++ {
		at = append(at, float64(i*1800))
	}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, MaxConcurrency: 1,
		KeepAlive: models.HybridKeepAlive{Params: models.DefaultHybridParams()}})
	s, c := simulate(t, f, 1, secs(at...), fns, models.Window{Horizon: 24 * time.Hour}, false)
	if c.rejected() != 1 || s.Policy.Functions[0].IdleTimes != 47 {
		t.Errorf("%d rejected, %d idle times learned; want 1 and 47", c.rejected(), s.Policy.Functions[0].IdleTimes)
	}
}
