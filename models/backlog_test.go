package models_test

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// The backlog budget (backlog.go). The tests measure the memory a run
// allocates in all (runtime.MemStats.TotalAlloc, process-wide: they are not
// parallel), a bound on its peak whatever the garbage collector does.

// allocated runs f and returns the bytes allocated meanwhile.
func allocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

const testBudget = 16 << 20 // bytes: 699,050 queued requests

// maxQueued is what testBudget holds: one more stops the run.
const maxQueued = testBudget / models.BytesPerQueued

// conserved checks requests = completed + rejected + timed out + in flight,
// with in flight the requests queued at the stop and those in service.
func conserved(t *testing.T, c *collector, inService int, st *models.Stop) {
	t.Helper()
	inFlight := c.arrived - c.ended
	if want := int(st.Queued) + inService; inFlight != want {
		t.Errorf("%d arrived, %d ended: %d in flight at the stop, want %d queued + %d in service", c.arrived, c.ended, inFlight, st.Queued, inService)
	}
	if c.ended != c.completed()+c.rejected()+c.timedOut() {
		t.Errorf("ended %d != completed %d + rejected %d + timed out %d", c.ended, c.completed(), c.rejected(), c.timedOut())
	}
}

// checkStop checks that a run of testBudget stopped at want seconds
// (within 1%) with one request more than the budget holds queued, having
// allocated at most 1.5 times the budget, and returns the stop.
func checkStop(t *testing.T, s models.Summary, c *collector, alloc uint64, want float64) *models.Stop {
	t.Helper()
	st := s.Stopped
	if st == nil {
		t.Fatal("not stopped")
	}
	t.Logf("stopped at %v with %d queued (hand: %.2f s); %d arrivals, %.1f MB allocated", st.At, st.Queued, want, c.arrived, float64(alloc)/(1<<20))
	if got := st.At.Seconds(); math.Abs(got-want) > 0.01*want {
		t.Errorf("stopped at %.2f s, want %.2f s within 1%%", got, want)
	}
	if st.Queued != maxQueued+1 || st.Budget != testBudget {
		t.Errorf("stop %+v: want %d queued of a %d-byte budget", st, maxQueued+1, testBudget)
	}
	if alloc > testBudget*3/2 {
		t.Errorf("the run allocated %.1f MB for a %d MB budget", float64(alloc)/(1<<20), testBudget>>20)
	}
	return st
}

// TestBacklogStopsUndersizedFleet: the fleet, 1,000 requests a
// second (Poisson) on one worker of 100 ms for 24 h. The worker serves 10 a
// second, so the queue grows at 990 a second and, holding 24 bytes a
// request, passes the 16 MB budget when it reaches 699,051:
//
//	t* = (699,051 + 1 in service) / (1,000 − 10) s = 706.11 s
//
// (the Poisson count's standard deviation there is √706,000 ≈ 840
// arrivals, 0.85 s: the 1% tolerance is 8 of them). It stops there: the
// run allocates about the budget (at most 1.5 times), not the 2 GB a day of queue would
// take; the requests it saw are conserved; its bill is the instance's up
// to the stop.
func TestBacklogStopsUndersizedFleet(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	srv := newServer(t, models.ServerConfig{Instances: 1, BacklogBudget: testBudget,
		Billing: models.ServerBilling{PricePerHour: 0.096, MinimumBilled: time.Minute, Granularity: time.Second}})
	var s models.Summary
	var c *collector
	alloc := allocated(func() {
		s, c = simulate(t, srv, 1, workloads.NewPoisson(1, 1000), fns, models.Window{Horizon: 24 * time.Hour}, false)
	})
	st := checkStop(t, s, c, alloc, float64(maxQueued+1+1)/(1000-10))
	conserved(t, c, 1, st)
	// Every completion is a 100 ms service back to back from the first
	// arrival (within a few ms of 0): 10 a second up to the stop.
	if n := float64(c.completed()); math.Abs(n-10*st.At.Seconds()) > 1 {
		t.Errorf("%.0f completed by %v, want %.1f", n, st.At, 10*st.At.Seconds())
	}
	// Billed per second (at least a minute) up to the stop, not for the day.
	if got, want := s.Cost.Total(), 0.096*math.Ceil(st.At.Seconds())/3600; math.Abs(got-want) > 1e-12 {
		t.Errorf("bill $%.9f, want $%.9f (the stop's seconds)", got, want)
	}
	if s.Instances.Mean != 1 || math.Abs(s.Instances.MeanBusySlots-1) > 1e-4 {
		t.Errorf("instances %+v over the window up to the stop: want mean 1, about 1 busy", s.Instances)
	}
}

// TestBacklogStopsFaaSQueue: the FaaS case, on_throttle: queue
// under overload. Ten instances (max_concurrency) start cold (200 ms) for
// the first ten requests and serve 100 ms each: 100 a second from 0.3 s on.
// Arrivals at 1,000 a second queue from the eleventh, so the queue is
// A(t) − 10 − 100 (t − 0.3) and passes the budget (699,051 queued) at
//
//	t* = (699,051 + 10 − 30) / (1,000 − 100) s = 776.70 s.
func TestBacklogStopsFaaSQueue(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.2}, MaxConcurrency: 10,
		OnThrottle: models.ThrottleQueue, KeepAlive: models.FixedKeepAlive{Idle: 10 * time.Minute},
		Billing: lambdaBilling(true), BacklogBudget: testBudget})
	var s models.Summary
	var c *collector
	alloc := allocated(func() {
		s, c = simulate(t, f, 1, workloads.NewPoisson(1, 1000), fns, models.Window{Horizon: 24 * time.Hour}, false)
	})
	st := checkStop(t, s, c, alloc, float64(maxQueued+1+10-30)/(1000-100))
	conserved(t, c, 10, st)
	// Billed per request completed up to the stop: 100 ms and the fee each,
	// the first ten with their 200 ms start.
	n := float64(c.completed())
	gbs := (n*0.1 + 10*0.2) * 0.5
	if got, want := s.Cost.Total(), gbs*lambdaGBs+n*lambdaPerReq/1e6; math.Abs(got-want) > 1e-9*want {
		t.Errorf("bill $%.9f for %.0f completed, want $%.9f", got, n, want)
	}
	if math.Abs(s.Instances.Mean-10) > 0.01 {
		t.Errorf("instances alive %v up to the stop, want 10", s.Instances.Mean)
	}
}

// TestBacklogMillionRunsToTheEnd: a million requests queued (constant 1,000
// a second for 1,000 s at a worker busy for hours) is below the default
// budget: the run goes to the horizon, with every request still in flight,
// in about 24 bytes each.
func TestBacklogMillionRunsToTheEnd(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 36000})}
	srv := newServer(t, models.ServerConfig{Instances: 1})
	var s models.Summary
	var c *collector
	alloc := allocated(func() {
		s, c = simulate(t, srv, 1, workloads.NewConstant(1000), fns, models.Window{Horizon: 1000 * time.Second}, false)
	})
	t.Logf("%d arrivals, %.1f MB allocated", c.arrived, float64(alloc)/(1<<20))
	if s.Stopped != nil {
		t.Fatalf("stopped: %+v", s.Stopped)
	}
	if c.arrived != 1_000_000 || c.ended != 0 {
		t.Errorf("%d arrived, %d ended; want 1,000,000 and none", c.arrived, c.ended)
	}
	if alloc > 2*models.BytesPerQueued*1_000_000+4<<20 {
		t.Errorf("allocated %.1f MB for a million queued requests of %d bytes", float64(alloc)/(1<<20), models.BytesPerQueued)
	}
}

// TestBacklogStopInWarmup: a backlog past the budget before the warm-up
// ends leaves an empty window: nothing reported, nothing billed, and no
// figure divided by it.
func TestBacklogStopInWarmup(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	for _, sys := range []models.System{
		newServer(t, models.ServerConfig{Instances: 1, BacklogBudget: 1 << 20,
			Billing: models.ServerBilling{PricePerHour: 0.096, Granularity: time.Second}}),
		newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.2}, MaxConcurrency: 10,
			OnThrottle: models.ThrottleQueue, Billing: lambdaBilling(true), BacklogBudget: 1 << 20}),
	} {
		s, c := simulate(t, sys, 1, workloads.NewPoisson(1, 1000), fns, models.Window{Warmup: time.Hour, Horizon: 2 * time.Hour}, false)
		if s.Stopped == nil || s.Stopped.At >= time.Hour {
			t.Fatalf("%T: stop %+v, want one in the warm-up", sys, s.Stopped)
		}
		if c.arrived != 0 || c.ended != 0 || s.Cost.Total() != 0 || s.Cost.MonthlyUSD != 0 || s.Instances.Mean != 0 {
			t.Errorf("%T: %d arrived, %d ended, cost %+v, instances %+v; want nothing", sys, c.arrived, c.ended, s.Cost, s.Instances)
		}
	}
}

// TestBacklogStopSeriesAndFrontDoor: behind a load balancer billed by the
// hour, the fleet's stop ends the front door's window too (hours billed up
// to the stop), and a sampled run's last sample is at the stop, with the
// summary's bill.
func TestBacklogStopSeriesAndFrontDoor(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	srv := newServer(t, models.ServerConfig{Instances: 1, BacklogBudget: testBudget,
		Billing: models.ServerBilling{PricePerHour: 0.096, Granularity: time.Second}})
	alb := models.FrontDoorConfig{Name: "alb", Pricing: models.FrontDoorLoadBalancer, PricePerHour: 0.0225, RequestsPerConnection: 1,
		Unit: models.LCU{NewConnectionsPerSecond: 25, ActiveConnections: 3000, ProcessedGBPerHour: 1, RuleEvaluationsPerSec: 1000}}
	sys := frontDoor(t, alb, srv)
	src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var last sim.Time
	var lastCost float64
	rows := 0
	s, err := models.SimulateWith(context.Background(), sys, src, models.Window{Horizon: 24 * time.Hour}, &collector{}, models.SimulateOptions{
		Interval: time.Minute, Sample: func(now sim.Time, sn models.Snapshot) { last, lastCost, rows = now, sn.CostUSD, rows+1 }})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stopped
	if st == nil {
		t.Fatal("not stopped")
	}
	if last != st.At || lastCost != s.Cost.Total() || rows != int(st.At/time.Minute)+1 {
		t.Errorf("%d samples, the last at %v with $%v; want %d, the last at the stop %v with the bill $%v",
			rows, last, lastCost, int(st.At/time.Minute)+1, st.At, s.Cost.Total())
	}
	for _, it := range s.Cost.Items {
		if it.Name == "load_balancer" {
			if want := st.At.Hours() * 0.0225; math.Abs(it.USD-want) > 1e-12 {
				t.Errorf("load balancer $%.9f, want $%.9f for the hours up to the stop", it.USD, want)
			}
			return
		}
	}
	t.Error("no load_balancer line")
}

// TestBacklogStopDeterministic: the stop is a function of the seed.
func TestBacklogStopDeterministic(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	run := func(seed sim.Seed) models.Stop {
		srv := newServer(t, models.ServerConfig{Instances: 1, BacklogBudget: 1 << 20})
		s, _ := simulate(t, srv, seed, workloads.NewPoisson(seed, 1000), fns, models.Window{Horizon: time.Hour}, false)
		return *s.Stopped
	}
	if a, b, c := run(1), run(1), run(2); a != b || a == c {
		t.Errorf("seed 1 twice: %+v, %+v; seed 2: %+v", a, b, c)
	}
}

// maxHeld is the events an invocation layer may hold in testBudget.
const maxHeld = testBudget / models.BytesPerHeld

// TestBacklogStopsSQSQueue: an SQS queue its pollers cannot drain grows as
// a fleet's queue does, and counts against the system's budget. Messages
// arrive at 1,000 a second (Poisson) for a function of 100 ms; two pollers
// at most (maximum concurrency 2), batches of one, so about 20 a second are
// served and the queue grows at about 980 a second. The layer holds 40
// bytes an event (BytesPerHeld): the 16 MB budget holds 419,430, and one
// more stops the run near (419,431 + 2 running) / 980 = 428 s. Checked
// exactly: held at the stop = arrived − reported, one over the budget; the
// stop near 428 s (within 2%: the pollers' rate is 20 less its polling
// gaps); the memory bounded; the bill only to the stop.
func TestBacklogStopsSQSQueue(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	q := models.QueueInvocation{BatchSize: 1, MaxConcurrency: 2, VisibilityTimeout: time.Minute, Retention: 96 * time.Hour}
	inner := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{}, KeepAlive: models.ForeverKeepAlive{},
		Billing: lambdaBilling(true), BacklogBudget: testBudget})
	x := invoked(t, inner, fns, models.FunctionCalls{Type: q})
	var s models.Summary
	var c *collector
	alloc := allocated(func() {
		s, c = simulate(t, x, 1, workloads.NewPoisson(1, 1000), fns, models.Window{Horizon: 24 * time.Hour}, false)
	})
	st := s.Stopped
	if st == nil {
		t.Fatal("not stopped")
	}
	t.Logf("stopped at %v with %d held; %d arrived, %d reported, %.1f MB allocated", st.At, st.Queued, c.arrived, c.ended, float64(alloc)/(1<<20))
	if st.Queued != maxHeld+1 || c.arrived-c.ended != maxHeld+1 {
		t.Errorf("held %d at the stop (%d arrived − %d reported = %d), want %d", st.Queued, c.arrived, c.ended, c.arrived-c.ended, maxHeld+1)
	}
	if want := float64(maxHeld+3) / 980; math.Abs(st.At.Seconds()-want) > 0.02*want {
		t.Errorf("stopped at %v, want %.1f s within 2%%", st.At, want)
	}
	if alloc > testBudget*3/2 {
		t.Errorf("the run allocated %.1f MB for a %d MB budget", float64(alloc)/(1<<20), testBudget>>20)
	}
	// Two pollers busy back to back up to the stop: about 20 requests of
	// 100 ms each a second, billed to the stop, not for the day.
	if n := float64(s.Calls.Invocations); math.Abs(n-20*st.At.Seconds()) > 0.02*20*st.At.Seconds() {
		t.Errorf("%.0f invocations by %v, want about %.0f", n, st.At, 20*st.At.Seconds())
	}
}
