package models_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// TestInstanceActiveSharedTime: Cloud Run request-based billing. Ten
// requests 0.1 s apart, 1 s each, on one instance (concurrency 80, start
// 0.5 s): the instance is busy from 0 (its start, for the first request)
// until the last ends at 0.9 + 1 = 1.9 s, 19 granules of 100 ms, billed
// once; a request at 5 s is a second busy period of 1 s. Per-request
// billing of the same run bills each request its own second.
func TestInstanceActiveSharedTime(t *testing.T) {
	run := func(model models.BillingModel) (models.Summary, *collector) {
		fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0.5}, KeepAlive: models.ForeverKeepAlive{},
			InstanceConcurrency: 80,
			Billing: models.FaaSBilling{Model: model, PricePerVCPUSecond: 1, VCPU: 1,
				Granularity: 100 * time.Millisecond},
		})
		return simulate(t, f, 1, secs(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 5), fns, models.Window{Horizon: 10 * time.Second}, false)
	}
	s, c := run(models.InstanceActive)
	if c.completed() != 11 {
		t.Fatalf("%d completed, want 11", c.completed())
	}
	if got, want := s.Cost.Total(), 1.9+1.0; math.Abs(got-want) > 1e-12 {
		t.Errorf("instance-active: %v USD at $1 per vCPU-s, want %v (shared time billed once)", got, want)
	}
	s, _ = run(models.PerRequest)
	if got, want := s.Cost.Total(), 11*1.0; math.Abs(got-want) > 1e-12 {
		t.Errorf("per-request: %v USD, want %v", got, want)
	}
}

// TestInstanceLifetime: Cloud Run instance-based billing bills an instance
// from its start to its end (keep-alive 2 s after its one 1 s request: 0 to
// 3.5 s with a 0.5 s start), and one still alive at the horizon up to it.
func TestInstanceLifetime(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns, ColdStart: dist.Constant{Value: 0.5}, KeepAlive: models.FixedKeepAlive{Idle: 2 * time.Second},
		Billing: models.FaaSBilling{Model: models.InstanceLifetime, PricePerVCPUSecond: 1, VCPU: 1,
			PricePerGBSecond: 0.5, Granularity: 100 * time.Millisecond},
	})
	// Instance 1: 0 - 3.5 s; instance 2: 8 s - horizon 10 s.
	s, _ := simulate(t, f, 1, secs(0, 8), fns, models.Window{Horizon: 10 * time.Second}, false)
	if got, want := s.Cost.Total(), (3.5+2)*(1+1*0.5); math.Abs(got-want) > 1e-12 {
		t.Errorf("instance-lifetime: %v USD, want %v", got, want)
	}
}

// TestExecFactor: where CPU follows memory (one vCPU at 1,769 MB), a
// CPU-bound function runs twice as fast at twice the memory below one
// vCPU, and no faster above the ceiling.
func TestExecFactor(t *testing.T) {
	lambda := models.CPUScaling{FullVCPUMemoryMB: 1769, Ceiling: 1}
	f := func(s float64, ref, mem int) float64 {
		return lambda.ExecFactor(workloads.Function{MemoryMB: ref, CPUBound: s}, mem)
	}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"CPU-bound, 512 -> 1024 MB", f(1, 512, 1024), 0.5},
		{"CPU-bound, 256 -> 128 MB", f(1, 256, 128), 2},
		{"half CPU-bound, 512 -> 1024 MB", f(0.5, 512, 1024), 0.5 + 0.5*0.5},
		{"I/O-bound", f(0, 512, 1024), 1},
		{"CPU-bound, 1769 -> 3538 MB (at the ceiling)", f(1, 1769, 3538), 1},
		{"CPU-bound, 1024 -> 3538 MB (capped at 1 vCPU)", f(1, 1024, 3538), 1024.0 / 1769},
		{"no ceiling: 1769 -> 3538 MB", models.CPUScaling{FullVCPUMemoryMB: 1769}.ExecFactor(
			workloads.Function{MemoryMB: 1769, CPUBound: 1}, 3538), 0.5},
		{"CPU does not follow memory", models.CPUScaling{}.ExecFactor(workloads.Function{MemoryMB: 512, CPUBound: 1}, 1024), 1},
		{"reference memory given", lambda.ExecFactor(workloads.Function{MemoryMB: 128, ExecMemoryMB: 256, CPUBound: 1}, 512), 0.5},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s: factor %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestMemoryScaling runs it: a CPU-bound 400 ms function (measured at
// 512 MB) on systems that override the memory. Warm latencies are 200 ms at
// 1,024 MB, 400 ms at 1,769 MB measured there and 3,538 MB, and the bill
// follows the system's memory.
func TestMemoryScaling(t *testing.T) {
	tests := []struct {
		ref, mem int
		want     time.Duration
	}{
		{512, 512, 400 * time.Millisecond},
		{512, 1024, 200 * time.Millisecond},
		{512, 256, 800 * time.Millisecond},
		{1769, 3538, 400 * time.Millisecond}, // above one vCPU: no faster
	}
	for _, tt := range tests {
		fns := []workloads.Function{{Name: "f", MemoryMB: tt.ref, Exec: dist.Constant{Value: 0.4}, Weight: 1, CPUBound: 1}}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0.1}, KeepAlive: models.ForeverKeepAlive{},
			MemoryMB: tt.mem, CPU: models.CPUScaling{FullVCPUMemoryMB: 1769, Ceiling: 1},
			Billing: models.FaaSBilling{PricePerGBSecond: 1, Granularity: time.Millisecond},
		})
		s, c := simulate(t, f, 1, secs(0, 2, 4), fns, models.Window{Horizon: 10 * time.Second}, true)
		for _, r := range c.records[1:] {
			if r.Latency() != tt.want {
				t.Errorf("%d MB measured at %d: warm latency %v, want %v", tt.mem, tt.ref, r.Latency(), tt.want)
			}
		}
		// Three requests (init not billed) at mem/1024 GB: below one vCPU a
		// wholly CPU-bound function costs the same at any memory.
		if got, want := s.Cost.Total(), 3*tt.want.Seconds()*float64(tt.mem)/1024; math.Abs(got-want) > 1e-9 {
			t.Errorf("%d MB: bill %v, want %v", tt.mem, got, want)
		}
	}
}

// TestBurstLimitReject: a flash crowd of 1,000 requests/s for 5 s on a
// function with a 1,000-per-10-s burst limit, requests long enough (100 s)
// that no instance frees up. The bucket holds 1,000 tokens and refills one
// per 10 ms, so by time t at most floor(1000 + 100 t) instances have
// started: the last arrival (4.999 s) sees floor(1499.9) = 1499. Every
// other request is throttled.
func TestBurstLimitReject(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 100})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns, ColdStart: dist.Constant{Value: 0.1}, KeepAlive: models.ForeverKeepAlive{},
		BurstRate: 1000, Billing: models.FaaSBilling{Granularity: time.Millisecond},
	})
	s, c := simulate(t, f, 1, workloads.NewConstant(1000), fns, models.Window{Horizon: 5 * time.Second}, true)
	if s.Instances.Max != 1499 || c.rejected() != 5000-1499 {
		t.Errorf("%d instances, %d rejected; want 1499 and %d", s.Instances.Max, c.rejected(), 5000-1499)
	}
	// Growth follows the bucket exactly: a request rejected at i ms found
	// 1000 + floor(i / 10) instances started (no more, or the bucket leaked;
	// no fewer, or it was rejected with a token left).
	rejectedBefore := 0
	for _, r := range c.records {
		if r.Outcome != models.Rejected {
			continue
		}
		i := int(r.Arrival / time.Millisecond)
		started := i - rejectedBefore // arrivals before it, less those rejected
		rejectedBefore++
		if limit := 1000 + i/10; started != limit {
			t.Fatalf("at %v: %d started, want %d", r.Arrival, started, limit)
		}
	}
}

// TestBurstLimitQueue: 1,500 requests at once, burst limit 1,000 per 10 s,
// throttled requests queued. 1,000 start at once; the k-th queued one
// starts when the k-th extra token comes, at k × 10 ms. Nothing is
// rejected, waits are 10 ms, 20 ms, ..., 5 s.
func TestBurstLimitQueue(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 20})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.ForeverKeepAlive{},
		BurstRate: 1000, OnThrottle: models.ThrottleQueue, Billing: models.FaaSBilling{Granularity: time.Millisecond},
	})
	at := make([]float64, 1500)
	s, c := simulate(t, f, 1, secs(at...), fns, models.Window{Horizon: 30 * time.Second}, true)
	if c.completed() != 1500 || c.rejected() != 0 || s.Instances.Max != 1500 {
		t.Fatalf("%d completed, %d rejected, %d instances; want 1500, 0, 1500", c.completed(), c.rejected(), s.Instances.Max)
	}
	var waits []time.Duration
	for _, r := range c.records {
		waits = append(waits, r.Wait)
	}
	slices.Sort(waits)
	for i, w := range waits {
		want := time.Duration(0)
		if i >= 1000 {
			want = time.Duration(i-999) * 10 * time.Millisecond
		}
		if w != want {
			t.Fatalf("wait #%d = %v, want %v", i, w, want)
		}
	}
}

// TestAccountConcurrency: the account limit counts instances in use across
// functions; five simultaneous 1 s requests under a limit of 3 lose two
// (reject), or run in two waves (queue: the last two wait 1 s).
func TestAccountConcurrency(t *testing.T) {
	for _, q := range []models.Throttle{models.ThrottleReject, models.ThrottleQueue} {
		fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.ForeverKeepAlive{},
			AccountConcurrency: 3, OnThrottle: q, Billing: models.FaaSBilling{Granularity: time.Millisecond},
		})
		_, c := simulate(t, f, 1, secs(0, 0, 0, 0, 0), fns, models.Window{Horizon: 10 * time.Second}, true)
		var waited int
		for _, r := range c.records {
			if r.Wait == time.Second {
				waited++
			}
		}
		switch {
		case q == models.ThrottleReject && (c.rejected() != 2 || c.completed() != 3):
			t.Errorf("reject: %d rejected, %d completed; want 2, 3", c.rejected(), c.completed())
		case q == models.ThrottleQueue && (c.completed() != 5 || waited != 2):
			t.Errorf("queue: %d completed, %d waited 1 s; want 5, 2", c.completed(), waited)
		}
	}
}

// TestMinInstances: a min instance starts at 0, is never reclaimed (even
// with keep-alive none) and serves requests warm once ready.
func TestMinInstances(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.1})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns, ColdStart: dist.Constant{Value: 0.5}, KeepAlive: models.NoKeepAlive{}, MinInstances: 1,
		Billing: models.FaaSBilling{PricePerGBSecond: 1, Granularity: time.Millisecond, BaselinePricePerGBSecond: 0.01},
	})
	s, c := simulate(t, f, 1, secs(1, 5, 9), fns, models.Window{Horizon: 10 * time.Second}, false)
	if c.cold != 0 || s.Instances.Max != 1 || math.Abs(s.Instances.Mean-1) > 1e-12 {
		t.Errorf("%d cold, max %d, mean %v instances; want 0, 1, 1", c.cold, s.Instances.Max, s.Instances.Mean)
	}
	// 3 × 0.1 s at 1 GB, plus the baseline 10 s × 1 GB × 0.01.
	if got, want := s.Cost.Total(), 3*0.1+10*0.01; math.Abs(got-want) > 1e-12 {
		t.Errorf("bill %v, want %v", got, want)
	}
}

// TestInstanceLifetimeMinimum: Cloud Run instance-based billing bills each
// instance life at least one minute. At $1 per vCPU-s, 1 vCPU, 100 ms
// granules, keep-alive none, start 0.5 s, execution 1 s:
//   - a request at 10 s: the instance lives 10 to 11.5 s, 1.5 s, billed 60 s;
//   - a request at 100 s: another life, 60 s;
//   - a request at 299.5 s: born 0.5 s before the horizon (300 s) and alive
//     there, billed the minimum it incurred at its start, 60 s;
//   - a request at 4 s with a warm-up of 10 s: that instance (4 to 5.5 s)
//     ends before the window and bills nothing.
//
// So 3 × 60 = $180. With a warm-up of 10.8 s instead, the life of a 10-s
// request (10 to 11.5 s) began before the window: its 0.7 s in the window
// round up to 0.7 s, without the minimum; the other two still bill 60 s each.
func TestInstanceLifetimeMinimum(t *testing.T) {
	run := func(warmup time.Duration) float64 {
		fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0.5}, KeepAlive: models.NoKeepAlive{},
			Billing: models.FaaSBilling{Model: models.InstanceLifetime, PricePerVCPUSecond: 1, VCPU: 1,
				Granularity: 100 * time.Millisecond, MinimumBilled: time.Minute},
		})
		s, _ := simulate(t, f, 1, secs(4, 10, 100, 299.5), fns, models.Window{Warmup: warmup, Horizon: 300 * time.Second}, false)
		return s.Cost.Total()
	}
	if got, want := run(10*time.Second), 3*60.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("warm-up 10 s: bill $%v, want $%v (three lives at the one-minute minimum)", got, want)
	}
	if got, want := run(10800*time.Millisecond), 0.7+2*60.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("warm-up 10.8 s: bill $%v, want $%v (a life begun before the window bills its part, no minimum)", got, want)
	}
}

// TestEphemeralStorage: storage configured above the free allowance is
// billed per GB-s of each request's billed duration. Two functions, six
// requests of 1.5 s shared between them by the workload's pick, at $1 per
// GB-s of storage with 512 MB free: "big" has 2,560 MB (2 GB billed, $3 a
// request), "small" 512 MB ($0). With the system overriding every function
// to 1,536 MB, 1 GB is billed on all six: 6 × 1.5 = $9.
func TestEphemeralStorage(t *testing.T) {
	run := func(override int) (usd float64, per []float64, nbig int) {
		big, small := fn("big", 128, dist.Constant{Value: 1.5}), fn("small", 128, dist.Constant{Value: 1.5})
		big.EphemeralStorageMB, small.EphemeralStorageMB = 2560, 512
		fns := []workloads.Function{big, small}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.ForeverKeepAlive{},
			EphemeralStorageMB: override,
			Billing:            models.FaaSBilling{Granularity: time.Millisecond, EphemeralPricePerGBSecond: 1, EphemeralFreeMB: 512},
		})
		s, c := simulate(t, f, 1, secs(0, 2, 4, 6, 8, 10), fns, models.Window{Horizon: 20 * time.Second}, true)
		for _, r := range c.records {
			if r.Fn == 0 {
				nbig++
			}
		}
		for _, it := range s.Cost.Items {
			if it.Name == "ephemeral_storage" {
				usd = it.USD
			}
		}
		return usd, s.FunctionCost, nbig
	}
	got, per, nbig := run(0)
	if want := float64(nbig) * 1.5 * 2; nbig == 0 || nbig == 6 || math.Abs(got-want) > 1e-9 || math.Abs(per[0]-want) > 1e-9 || per[1] != 0 {
		t.Errorf("%d of 6 requests big: ephemeral storage $%v (per function %v), want $%v, all of it the big function's", nbig, got, per, want)
	}
	if got, _, _ := run(1536); math.Abs(got-9) > 1e-9 {
		t.Errorf("system override 1,536 MB: $%v, want 6 × 1.5 s × 1 GB = $9", got)
	}
}

// TestQueueTimeout: one instance (max_concurrency 1), requests of 4 s, five
// arriving at once, queued at most 10 s. The first runs 0-4 s, the second
// waits 4 s (4-8), the third 8 s (8-12); the fourth and fifth are still
// queued at 10 s and rejected then (HTTP 429), having waited 10 s. Without
// the bound all five complete, the last after 20 s.
func TestQueueTimeout(t *testing.T) {
	for _, tc := range []struct {
		bound    time.Duration
		latency  []time.Duration // completed, in order
		rejected int
	}{
		{10 * time.Second, []time.Duration{4 * time.Second, 8 * time.Second, 12 * time.Second}, 2},
		{0, []time.Duration{4 * time.Second, 8 * time.Second, 12 * time.Second, 16 * time.Second, 20 * time.Second}, 0},
	} {
		fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 4})}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.ForeverKeepAlive{},
			MaxConcurrency: 1, OnThrottle: models.ThrottleQueue, QueueTimeout: tc.bound,
		})
		_, c := simulate(t, f, 1, secs(0, 0, 0, 0, 0), fns, models.Window{Horizon: 60 * time.Second}, true)
		var done []time.Duration
		for _, r := range c.records {
			switch r.Outcome {
			case models.Completed:
				done = append(done, r.Latency())
			case models.Rejected:
				if r.End != tc.bound || r.Wait != tc.bound {
					t.Errorf("bound %v: rejected at %v after waiting %v", tc.bound, r.End, r.Wait)
				}
			}
		}
		if !slices.Equal(done, tc.latency) || c.rejected() != tc.rejected {
			t.Errorf("bound %v: completed after %v, %d rejected; want %v, %d", tc.bound, done, c.rejected(), tc.latency, tc.rejected)
		}
	}
}

// TestMinInstancesIdleRate: with BaselineIdleOnly (Cloud Run), a min
// instance is billed the baseline only while it has no request. One min
// instance of 1 GB, started at 0 with a 0.5 s start, requests of 1 s at 2,
// 5 and 8 s, instance-active billing at $1 per GB-s active and $0.01
// idle, window 10 s: active 3 × 1 s = $3; idle the other 7 s (its start
// included), $0.07. The whole-window rule bills $0.10.
func TestMinInstancesIdleRate(t *testing.T) {
	for _, tc := range []struct {
		idleOnly bool
		baseline float64
	}{{true, 7 * 0.01}, {false, 10 * 0.01}} {
		fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
		f := newFaaS(t, models.FaaSConfig{
			Functions: fns, ColdStart: dist.Constant{Value: 0.5}, KeepAlive: models.NoKeepAlive{}, MinInstances: 1,
			Billing: models.FaaSBilling{Model: models.InstanceActive, PricePerGBSecond: 1, Granularity: time.Millisecond,
				BaselinePricePerGBSecond: 0.01, BaselineIdleOnly: tc.idleOnly},
		})
		s, c := simulate(t, f, 1, secs(2, 5, 8), fns, models.Window{Horizon: 10 * time.Second}, false)
		got := map[string]float64{}
		for _, it := range s.Cost.Items {
			got[it.Name] = it.USD
		}
		if c.cold != 0 || math.Abs(got["compute"]-3) > 1e-9 || math.Abs(got["baseline"]-tc.baseline) > 1e-12 {
			t.Errorf("idle only %v: %d cold, compute $%v, baseline $%v; want 0, $3, $%v", tc.idleOnly, c.cold, got["compute"], got["baseline"], tc.baseline)
		}
	}
}
