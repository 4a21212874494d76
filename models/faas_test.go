package models_test

import (
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

const (
	lambdaGBs    = 0.0000166667 // USD per GB-second (AWS Lambda x86, first tier)
	lambdaPerReq = 0.20         // USD per million requests
)

func lambdaBilling(initBilled bool) models.FaaSBilling {
	return models.FaaSBilling{
		PricePerGBSecond:        lambdaGBs,
		PricePerMillionRequests: lambdaPerReq,
		Granularity:             time.Millisecond,
		InitBilled:              initBilled,
	}
}

// TestFaaSBillHandComputed: constant 1 req/s for 100 s (arrivals at 0, 1,
// ..., 99 s), execution 123.4 ms, 512 MB, cold start 250 ms, keep-alive
// forever. One instance serves everything: the request at 0 s is the only
// cold one. The arithmetic is written out per row, not taken from the
// program; the tolerance (1e-12 USD) is far below one granule (1 ms × 0.5 GB
// × price = 8.3e-9 USD).
func TestFaaSBillHandComputed(t *testing.T) {
	const gbs = 0.5 // 512 MB / 1024
	tests := []struct {
		name    string
		billing models.FaaSBilling
		ms      float64 // billed milliseconds, by hand
	}{
		// init billed: the cold request is ceil(250 + 123.4) = 374 ms, the 99
		// warm ones ceil(123.4) = 124 ms: 374 + 99·124 = 12650 ms.
		{"init billed", lambdaBilling(true), 374 + 99*124},
		// init not billed: 100 · 124 ms = 12400 ms.
		{"init not billed", lambdaBilling(false), 100 * 124},
		// 100 ms granularity, init billed: 373.4 -> 400 ms, 123.4 -> 200 ms:
		// 400 + 99·200 = 20200 ms.
		{"100 ms granularity", models.FaaSBilling{PricePerGBSecond: lambdaGBs, PricePerMillionRequests: lambdaPerReq,
			Granularity: 100 * time.Millisecond, InitBilled: true}, 400 + 99*200},
		// 1 s minimum: every request billed 1000 ms: 100 000 ms.
		{"1 s minimum", models.FaaSBilling{PricePerGBSecond: lambdaGBs, PricePerMillionRequests: lambdaPerReq,
			Granularity: time.Millisecond, MinimumBilled: time.Second, InitBilled: true}, 100 * 1000},
		// 1 ns granularity: 373.4 + 99·123.4 = 12590 ms exactly.
		{"1 ns granularity", models.FaaSBilling{PricePerGBSecond: lambdaGBs, PricePerMillionRequests: lambdaPerReq,
			Granularity: 1, InitBilled: true}, 373.4 + 99*123.4},
		// granularity 0 is the default, 1 ms, as in a scenario: as "init billed".
		{"default granularity", models.FaaSBilling{PricePerGBSecond: lambdaGBs, PricePerMillionRequests: lambdaPerReq,
			InitBilled: true}, 374 + 99*124},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1234})}
			w := models.Window{Horizon: 100 * time.Second}
			f := newFaaS(t, models.FaaSConfig{
				Functions: fns,
				ColdStart: dist.Constant{Value: 0.25},
				KeepAlive: models.ForeverKeepAlive{},
				Billing:   tt.billing,
			})
			s, c := simulate(t, f, 1, workloads.NewConstant(1), fns, w, true)
			if c.ended != 100 || c.cold != 1 || c.completed() != 100 {
				t.Fatalf("%d ended, %d cold, %d completed; want 100, 1, 100", c.ended, c.cold, c.completed())
			}
			// e.g. init billed: 12.650 s × 0.5 GB × 0.0000166667 = 1.054168775e-4,
			// plus 100 × 0.20 / 1e6 = 2e-5: 1.254168775e-4 USD.
			compute := tt.ms / 1000 * gbs * lambdaGBs
			requests := 100 * lambdaPerReq / 1e6
			if tt.name == "init billed" && math.Abs(compute+requests-1.254168775e-4) > 1e-15 {
				t.Fatalf("hand arithmetic: %v", compute+requests)
			}
			got := map[string]float64{}
			for _, it := range s.Cost.Items {
				got[it.Name] = it.USD
			}
			if math.Abs(got["compute"]-compute) > 1e-12 || math.Abs(got["requests"]-requests) > 1e-12 {
				t.Errorf("compute %.12g requests %.12g, want %.12g and %.12g", got["compute"], got["requests"], compute, requests)
			}
			if math.Abs(s.Cost.Total()-(compute+requests)) > 1e-12 {
				t.Errorf("total %.12g, want %.12g", s.Cost.Total(), compute+requests)
			}
			if len(s.FunctionCost) != 1 || math.Abs(s.FunctionCost[0]-s.Cost.Total()) > 1e-15 {
				t.Errorf("function cost %v, want [%v]", s.FunctionCost, s.Cost.Total())
			}
			// The records: latency 373.4 ms cold, 123.4 ms warm.
			for i, r := range c.records {
				want := 123400 * time.Microsecond
				if r.Cold {
					want += 250 * time.Millisecond
					if r.Init != 250*time.Millisecond || r.Arrival != 0 {
						t.Errorf("cold record %+v", r)
					}
				}
				if r.Latency() != want || r.Wait != 0 {
					t.Errorf("record %d latency %v wait %v, want %v and 0", i, r.Latency(), r.Wait, want)
				}
			}
		})
	}
}

// TestServerBillHandComputed: 2 instances × $0.096/h, per second with a 60 s
// minimum per instance.
func TestServerBillHandComputed(t *testing.T) {
	tests := []struct {
		name string
		w    models.Window
		usd  float64
	}{
		// 2 × 0.096 × 100/3600 = 0.00533333 USD
		{"100 s", models.Window{Horizon: 100 * time.Second}, 2 * 0.096 * 100 / 3600},
		// 30 s is billed the 60 s minimum: 2 × 0.096 × 60/3600 = 0.0032 USD
		{"30 s", models.Window{Horizon: 30 * time.Second}, 0.0032},
		// 100.2 s rounds up to 101 s: 2 × 0.096 × 101/3600
		{"100.2 s", models.Window{Horizon: 100200 * time.Millisecond}, 2 * 0.096 * 101 / 3600},
		// warm-up 20 s of 100: the window is 80 s: 2 × 0.096 × 80/3600
		{"warm-up", models.Window{Warmup: 20 * time.Second, Horizon: 100 * time.Second}, 2 * 0.096 * 80 / 3600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
			s := newServer(t, models.ServerConfig{
				Instances: 2,
				Billing:   models.ServerBilling{PricePerHour: 0.096, MinimumBilled: time.Minute, Granularity: time.Second},
			})
			sum, c := simulate(t, s, 1, workloads.NewConstant(1), fns, tt.w, false)
			if math.Abs(sum.Cost.Total()-tt.usd) > 1e-12 {
				t.Errorf("bill %.12g, want %.12g", sum.Cost.Total(), tt.usd)
			}
			if len(sum.Cost.Items) != 1 || sum.Cost.Items[0].Name != "servers" {
				t.Errorf("items %+v", sum.Cost.Items)
			}
			// Arrivals at whole seconds in [warm-up, horizon).
			want := int(math.Ceil(tt.w.Horizon.Seconds())) - int(tt.w.Warmup.Seconds())
			if c.arrived != want || c.ended != want {
				t.Errorf("%d arrived, %d ended, want %d", c.arrived, c.ended, want)
			}
		})
	}
}

// TestFaaSWarmup: arrivals before the warm-up (0..49 s) are neither recorded
// nor billed; the instance started for them serves the measured ones warm.
func TestFaaSWarmup(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1234})}
	w := models.Window{Warmup: 50 * time.Second, Horizon: 100 * time.Second}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns,
		ColdStart: dist.Constant{Value: 0.25},
		KeepAlive: models.ForeverKeepAlive{},
		Billing:   lambdaBilling(true),
	})
	s, c := simulate(t, f, 1, workloads.NewConstant(1), fns, w, true)
	if c.arrived != 50 || c.ended != 50 || c.cold != 0 {
		t.Fatalf("%d arrived, %d ended, %d cold; want 50, 50, 0", c.arrived, c.ended, c.cold)
	}
	if c.records[0].Arrival != 50*time.Second {
		t.Errorf("first record arrived at %v, want 50s", c.records[0].Arrival)
	}
	// 50 warm requests × 124 ms × 0.5 GB × price + 50 × 0.2e-6.
	want := 50*0.124*0.5*lambdaGBs + 50*lambdaPerReq/1e6
	if math.Abs(s.Cost.Total()-want) > 1e-12 {
		t.Errorf("bill %.12g, want %.12g", s.Cost.Total(), want)
	}
	// One instance alive for the whole window; 50 × 0.1234 s in service over 50 s.
	if s.Instances.Mean != 1 || s.Instances.Max != 1 {
		t.Errorf("instances mean %v max %d, want 1 and 1", s.Instances.Mean, s.Instances.Max)
	}
	if math.Abs(s.Instances.MeanBusySlots-0.1234) > 1e-12 {
		t.Errorf("mean busy slots %v, want 0.1234", s.Instances.MeanBusySlots)
	}
}

// TestFaaSTimeout: two functions of 0.5 s and 2 s under a 1.5 s timeout,
// cold start 0.25 s (not counted against the timeout). Every slow request is
// timed out at 1.5 s of execution, billed 1.5 s (+ its init), and kept out of
// the completed latencies.
func TestFaaSTimeout(t *testing.T) {
	fns := []workloads.Function{
		fn("fast", 1024, dist.Constant{Value: 0.5}),
		fn("slow", 1024, dist.Constant{Value: 2}),
	}
	w := models.Window{Horizon: 1000 * time.Second}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns,
		ColdStart: dist.Constant{Value: 0.25},
		KeepAlive: models.FixedKeepAlive{Idle: time.Second},
		Timeout:   1500 * time.Millisecond,
		Billing:   lambdaBilling(true),
	})
	s, c := simulate(t, f, 9, workloads.NewPoisson(9, 2), fns, w, true)
	var ms [2]float64 // billed ms per function, by hand
	var n [2]int
	var fastLat float64
	for _, r := range c.records {
		run := 500 * time.Millisecond
		out := models.Completed
		if r.Fn == 1 {
			run, out = 1500*time.Millisecond, models.TimedOut
		}
		if r.Outcome != out || r.Latency() != r.Wait+r.Init+run || r.Wait != 0 {
			t.Fatalf("record %+v: want outcome %v, latency init + %v", r, out, run)
		}
		if r.Cold != (r.Init > 0) || (r.Cold && r.Init != 250*time.Millisecond) {
			t.Fatalf("record %+v: cold and init disagree", r)
		}
		ms[r.Fn] += math.Ceil((run+r.Init).Seconds()*1000 - 1e-9)
		n[r.Fn]++
		if r.Fn == 0 {
			fastLat += r.Latency().Seconds()
		}
	}
	if c.timedOut() != n[1] || c.completed() != n[0] || n[0] < 800 || n[1] < 800 {
		t.Fatalf("timed out %d completed %d; per function %v", c.timedOut(), c.completed(), n)
	}
	if math.Abs(c.latSum-fastLat) > 1e-9 {
		t.Errorf("completed latency sum %v includes timed-out requests (fast only: %v)", c.latSum, fastLat)
	}
	for i := range fns {
		want := ms[i]/1000*1*lambdaGBs + float64(n[i])*lambdaPerReq/1e6
		if math.Abs(s.FunctionCost[i]-want) > 1e-12 {
			t.Errorf("function %s billed %.12g, want %.12g", fns[i].Name, s.FunctionCost[i], want)
		}
	}
}

// TestServerTimeout: the server's timeout is a deadline from arrival,
// queueing included. One worker, execution 1 s, timeout 1.5 s, arrivals at 0
// and 0.1 s: the first completes at 1 s; the second waits 0.9 s, runs from 1 s
// and is cut at 1.6 s (latency 1.5 s though it ran only 0.6 s). Two arrivals
// at 0 with execution 2 s and timeout 1 s: the first is cut at 1 s, the second
// leaves the queue at its deadline, 1 s, never served.
func TestServerTimeout(t *testing.T) {
	type rec struct {
		lat, wait time.Duration
		out       models.Outcome
	}
	tests := []struct {
		name    string
		arr     *times
		exec    float64
		timeout time.Duration
		want    []rec // in end order
	}{
		{"cut in service", secs(0, 0.1), 1, 1500 * time.Millisecond, []rec{
			{time.Second, 0, models.Completed},
			{1500 * time.Millisecond, 900 * time.Millisecond, models.TimedOut},
		}},
		{"expires in queue", secs(0, 0), 2, time.Second, []rec{
			{time.Second, 0, models.TimedOut},
			{time.Second, time.Second, models.TimedOut},
		}},
		{"no timeout", secs(0, 0), 2, 0, []rec{
			{2 * time.Second, 0, models.Completed},
			{4 * time.Second, 2 * time.Second, models.Completed},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := models.Window{Horizon: 10 * time.Second}
			s := newServer(t, models.ServerConfig{Instances: 1, Timeout: tt.timeout})
			_, c := simulate(t, s, 1, tt.arr, []workloads.Function{fn("f", 128, dist.Constant{Value: tt.exec})}, w, true)
			if len(c.records) != len(tt.want) {
				t.Fatalf("%d records, want %d", len(c.records), len(tt.want))
			}
			for i, r := range c.records {
				got := rec{r.Latency(), r.Wait, r.Outcome}
				if got != tt.want[i] {
					t.Errorf("record %d: %+v, want %+v", i, got, tt.want[i])
				}
			}
		})
	}
}

// TestInstanceConcurrency: with instance_concurrency K, up to K requests
// share one instance start and each of them is cold; the K+1-th starts a
// second instance; a request arriving after the start finds a free slot warm.
func TestInstanceConcurrency(t *testing.T) {
	tests := []struct {
		name      string
		arr       *times
		instances int
		cold      int
		init      []time.Duration // per record, in end order
		billedS   float64         // seconds billed: 0.1 s per request + 0.25 s init once per instance start
	}{
		// 4 simultaneous: one start, all cold, each waits the whole 250 ms
		{"K at once", secs(0, 0, 0, 0), 1, 4, []time.Duration{250, 250, 250, 250}, 4*0.1 + 0.25},
		// 5 simultaneous: the fifth starts a second instance
		{"K+1 at once", secs(0, 0, 0, 0, 0), 2, 5, []time.Duration{250, 250, 250, 250, 250}, 5*0.1 + 2*0.25},
		// during the start: cold, each waits the rest of the start
		// (250, 150, 50 ms); at 0.3 s the instance is ready with a free slot: warm
		{"staggered", secs(0, 0.1, 0.2, 0.3), 1, 3, []time.Duration{250, 150, 50, 0}, 4*0.1 + 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.1})}
			w := models.Window{Horizon: 10 * time.Second}
			f := newFaaS(t, models.FaaSConfig{
				Functions:           fns,
				ColdStart:           dist.Constant{Value: 0.25},
				KeepAlive:           models.ForeverKeepAlive{},
				InstanceConcurrency: 4,
				Billing:             models.FaaSBilling{PricePerGBSecond: 1, Granularity: time.Millisecond, InitBilled: true},
			})
			s, c := simulate(t, f, 1, tt.arr, fns, w, true)
			if s.Instances.Max != tt.instances || c.cold != tt.cold {
				t.Errorf("%d instances, %d cold; want %d and %d", s.Instances.Max, c.cold, tt.instances, tt.cold)
			}
			// One instance start is billed once (to the request that caused
			// it), not once per request that waited for it. 128 MB = 1/8 GB.
			if got, want := s.Cost.Items[0].USD, tt.billedS*128/1024; math.Abs(got-want) > 1e-12 {
				t.Errorf("compute $%v, want $%v", got, want)
			}
			inits := map[time.Duration]int{}
			for _, d := range tt.init {
				inits[d*time.Millisecond]++
			}
			for _, r := range c.records {
				inits[r.Init]--
				if r.Latency() != r.Init+100*time.Millisecond || r.Cold != (r.Init > 0) {
					t.Errorf("record %+v", r)
				}
			}
			for d, k := range inits {
				if k != 0 {
					t.Errorf("init %v: %d records too few", d, k)
				}
			}
		})
	}
}

// TestKeepAlivePolicies: with no keep-alive every request is cold; with
// keep-alive forever, cold starts == peak instances (each start is a cold
// request, and no instance ever ends). Poisson 20/s, lognormal execution and
// cold start, 20 000 s (400k requests).
func TestKeepAlivePolicies(t *testing.T) {
	t.Parallel()
	exec := dist.LogNormalMedianP99(0.08, 0.4)
	fns := []workloads.Function{fn("f", 128, exec)}
	w := models.Window{Horizon: 20000 * time.Second}
	for _, ka := range []models.KeepAlive{models.NoKeepAlive{}, models.ForeverKeepAlive{}, models.FixedKeepAlive{Idle: 10 * time.Second}} {
		t.Run(ka.String(), func(t *testing.T) {
			f := newFaaS(t, models.FaaSConfig{
				Functions: fns,
				ColdStart: dist.LogNormalMedianP99(0.25, 1.2),
				KeepAlive: ka,
				Seed:      5,
			})
			s, c := simulate(t, f, 5, workloads.NewPoisson(5, 20), fns, w, false)
			switch ka.(type) {
			case models.NoKeepAlive:
				if c.cold != c.ended || c.ended < 390000 {
					t.Errorf("%d cold of %d", c.cold, c.ended)
				}
				// Alive instances are exactly those starting or busy, an
				// M/G/∞ with D = cold start + exec: mean alive = λE[D] = 8.309.
				// The time average over T has variance λE[D²]/T
				// (E[D²] = 0.2354 s²): SE 0.0153, tolerance 0.065.
				within(t, "mean alive", s.Instances.Mean, 20*(exec.Mean()+dist.LogNormalMedianP99(0.25, 1.2).Mean()), 0.065, 0)
			case models.ForeverKeepAlive:
				if c.cold != s.Instances.Max || c.cold == 0 {
					t.Errorf("%d cold, peak %d instances: want equal", c.cold, s.Instances.Max)
				}
				if s.Instances.Mean > float64(s.Instances.Max) {
					t.Errorf("mean alive %v above max %d", s.Instances.Mean, s.Instances.Max)
				}
			default:
				if !(c.cold > s.Instances.Max) || c.cold > c.ended/100 {
					t.Errorf("fixed 10 s: %d cold of %d, peak %d", c.cold, c.ended, s.Instances.Max)
				}
			}
		})
	}
}

// TestDeterminism: the same configuration and seed give identical records
// and summary; another seed does not.
func TestDeterminism(t *testing.T) {
	fns := []workloads.Function{
		fn("a", 256, dist.LogNormalMedianP99(0.08, 0.4)),
		fn("b", 1024, dist.Gamma{MeanS: 0.3, CV: 2}),
	}
	w := models.Window{Warmup: 10 * time.Second, Horizon: 300 * time.Second}
	run := func(seed sim.Seed, server bool) (models.Summary, []models.Record) {
		var sys models.System
		if server {
			sys = newServer(t, models.ServerConfig{Functions: 2, Instances: 2, WorkersPerInstance: 4, QueueLimit: 50,
				Timeout: 3 * time.Second, Billing: models.ServerBilling{PricePerHour: 0.1}})
		} else {
			sys = newFaaS(t, models.FaaSConfig{
				Functions: fns, ColdStart: dist.LogNormalMedianP99(0.25, 1.2),
				KeepAlive: models.FixedKeepAlive{Idle: 5 * time.Second}, MaxConcurrency: 20, OnThrottle: models.ThrottleQueue,
				Timeout: 2 * time.Second, Billing: lambdaBilling(true), Seed: seed,
			})
		}
		s, c := simulate(t, sys, seed, workloads.NewPoisson(seed, 30), fns, w, true)
		return s, c.records
	}
	for _, server := range []bool{false, true} {
		s1, r1 := run(1, server)
		s2, r2 := run(1, server)
		if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(r1, r2) {
			t.Errorf("server=%v: two runs with seed 1 differ", server)
		}
		s3, r3 := run(2, server)
		if reflect.DeepEqual(r1, r3) || reflect.DeepEqual(s1.Instances, s3.Instances) {
			t.Errorf("server=%v: seeds 1 and 2 give the same run", server)
		}
	}
}

// runPoisson1000 simulates BenchmarkFaaSPoisson1000's system for d: Poisson 1000 req/s,
// execution lognormal (median 80 ms, p99 400 ms), cold start lognormal
// (median 250 ms, p99 1.2 s), keep-alive fixed 10 min, AWS-like billing.
func runPoisson1000(tb testing.TB, d time.Duration) {
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	w := models.Window{Horizon: d}
	f := newFaaS(tb, models.FaaSConfig{
		Functions: fns,
		ColdStart: dist.LogNormalMedianP99(0.25, 1.2),
		KeepAlive: models.FixedKeepAlive{Idle: 10 * time.Minute},
		Billing:   lambdaBilling(true),
		Seed:      1,
	})
	src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, w.Horizon)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := models.Simulate(contextBG, f, src, w, nop{}); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkFaaSPoisson1000 simulates 60 s (60 000 requests) per op and
// reports simulated requests per wall second.
func BenchmarkFaaSPoisson1000(b *testing.B) {
	const d = 60 * time.Second
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		runPoisson1000(b, d)
	}
	b.ReportMetric(float64(b.N)*1000*d.Seconds()/b.Elapsed().Seconds(), "req/s")
}

// TestMemoryDoesNotGrowWithRequests: the bytes allocated for 600 s of the
// benchmark's workload (600k requests) are under twice those for 60 s (60k
// requests): state is per instance and per request in flight, never per
// request served. (Not parallel: TotalAlloc is process-wide.)
func TestMemoryDoesNotGrowWithRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(time.Duration)
	}{
		{"faas", func(d time.Duration) { runPoisson1000(t, d) }},
		{"server", func(d time.Duration) { runServer1000(t, d) }},
	} {
		var m0, m1, m2 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		tc.run(60 * time.Second)
		runtime.ReadMemStats(&m1)
		tc.run(600 * time.Second)
		runtime.ReadMemStats(&m2)
		base, long := m1.TotalAlloc-m0.TotalAlloc, m2.TotalAlloc-m1.TotalAlloc
		t.Logf("%s: allocated %d bytes for 60 s, %d bytes for 600 s (ratio %.2f)", tc.name, base, long, float64(long)/float64(base))
		if long >= 2*base {
			t.Errorf("%s: allocated %d bytes for 600 s, %d for 60 s: memory grows with the number of requests", tc.name, long, base)
		}
	}
}

// runServer1000 is the benchmark's workload on a fleet of 20 × 8 workers (ρ ≈ 0.64).
func runServer1000(tb testing.TB, d time.Duration) {
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	w := models.Window{Horizon: d}
	s := newServer(tb, models.ServerConfig{Instances: 20, WorkersPerInstance: 8, Timeout: 5 * time.Second})
	src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, w.Horizon)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := models.Simulate(contextBG, s, src, w, nop{}); err != nil {
		tb.Fatal(err)
	}
}

// TestSimulateRejectsEmptyWindow: the window is given once, to Simulate,
// which refuses one with nothing to measure instead of reporting zeros.
func TestSimulateRejectsEmptyWindow(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.1})}
	for _, w := range []models.Window{{}, {Warmup: 10 * time.Second, Horizon: 10 * time.Second}, {Warmup: -1, Horizon: time.Second}} {
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{}, KeepAlive: models.ForeverKeepAlive{}, InstanceConcurrency: 1})
		src, err := workloads.NewMixed(1, workloads.NewConstant(1), fns, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.Simulate(contextBG, f, src, w, nop{}); err == nil {
			t.Errorf("window %+v accepted", w)
		}
	}
}
