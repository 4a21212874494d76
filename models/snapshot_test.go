package models_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

type sample struct {
	at   sim.Time
	snap models.Snapshot
}

func sampled(t *testing.T, sys models.System, arr workloads.Arrivals, fns []workloads.Function, w models.Window, every sim.Time) ([]sample, models.Summary, *collector) {
	t.Helper()
	src, err := workloads.NewMixed(7, arr, fns, w.Horizon) // the seed simulate() is given below
	if err != nil {
		t.Fatal(err)
	}
	var got []sample
	c := &collector{}
	sum, err := models.SimulateWith(context.Background(), sys, src, w, c, models.SimulateOptions{
		Interval: every,
		Sample:   func(now sim.Time, s models.Snapshot) { got = append(got, sample{now, s}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, sum, c
}

// TestFaaSSnapshots walks a hand-timed run: cold start 1 s, execution 2 s,
// keep-alive 3 s; arrivals at 0.5 s, 0.6 s (two instances start) and 5.5 s
// (served warm by the most recently used instance, the second).
func TestFaaSSnapshots(t *testing.T) {
	const p, r = 0.0000166667, 0.20 // USD per GB-s, USD per million requests
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 2})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns,
		ColdStart: dist.Constant{Value: 1},
		KeepAlive: models.FixedKeepAlive{Idle: 3 * time.Second},
		Billing:   models.FaaSBilling{PricePerGBSecond: p, PricePerMillionRequests: r, Granularity: time.Millisecond, InitBilled: true},
	})
	w := models.Window{Horizon: 9500 * time.Millisecond}
	got, sum, _ := sampled(t, f, secs(0.5, 0.6, 5.5), fns, w, time.Second)
	// A and B each bill 1 s init + 2 s run at 1 GB, ending at 3.5 s and 3.6 s; C bills 2 s at 7.5 s.
	ab := 2*3*p + 2*r/1e6
	abc := ab + 2*p + r/1e6
	want := []sample{
		{1 * time.Second, models.Snapshot{Starting: 2}},
		{2 * time.Second, models.Snapshot{Busy: 2, InService: 2}},
		{3 * time.Second, models.Snapshot{Busy: 2, InService: 2}},
		{4 * time.Second, models.Snapshot{Idle: 2, CostUSD: ab}},
		{5 * time.Second, models.Snapshot{Idle: 2, CostUSD: ab}},
		{6 * time.Second, models.Snapshot{Busy: 1, Idle: 1, InService: 1, CostUSD: ab}}, // first expires at 6.5 s
		{7 * time.Second, models.Snapshot{Busy: 1, InService: 1, CostUSD: ab}},
		{8 * time.Second, models.Snapshot{Idle: 1, CostUSD: abc}},
		{9 * time.Second, models.Snapshot{Idle: 1, CostUSD: abc}},
		{9500 * time.Millisecond, models.Snapshot{Idle: 1, CostUSD: abc}}, // after Finish
	}
	if len(got) != len(want) {
		t.Fatalf("%d samples, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, x := got[i], want[i]
		if g.at != x.at || math.Abs(g.snap.CostUSD-x.snap.CostUSD) > 1e-12*x.snap.CostUSD {
			t.Errorf("sample %d: %v %+v, want %v %+v", i, g.at, g.snap, x.at, x.snap)
		}
		g.snap.CostUSD, x.snap.CostUSD = 0, 0
		if g.snap != x.snap {
			t.Errorf("sample %d at %v: %+v, want %+v", i, g.at, g.snap, x.snap)
		}
	}
	if last := got[len(got)-1].snap.CostUSD; last != sum.Cost.Total() {
		t.Errorf("last sample cost %v, summary %v: must be equal", last, sum.Cost.Total())
	}
}

// TestServerSnapshot: 5 requests of 2 s at 0.5–0.9 s on 2 instances × 2
// workers: at 1 s four are in service (two instances' worth) and one waits;
// the fleet has accrued its 60 s minimum.
func TestServerSnapshot(t *testing.T) {
	s := newServer(t, models.ServerConfig{Instances: 2, WorkersPerInstance: 2,
		Billing: models.ServerBilling{PricePerHour: 0.096, MinimumBilled: time.Minute, Granularity: time.Second}})
	w := models.Window{Horizon: 10 * time.Minute}
	got, sum, _ := sampled(t, s, secs(0.5, 0.6, 0.7, 0.8, 0.9), []workloads.Function{fn("f", 128, dist.Constant{Value: 2})}, w, time.Second)
	want := models.Snapshot{Busy: 2, Idle: 0, InService: 4, Queued: 1, CostUSD: 2 * 60.0 / 3600 * 0.096}
	if got[0].snap != want {
		t.Errorf("at 1 s: %+v, want %+v", got[0].snap, want)
	}
	if got[2].snap.Busy != 1 || got[2].snap.Idle != 1 || got[2].snap.InService != 1 {
		t.Errorf("at 3 s: %+v, want the fifth request alone on one instance", got[2].snap)
	}
	if n := len(got); n != 600 || got[n-1].snap.CostUSD != sum.Cost.Total() || sum.Cost.Total() != 2*600.0/3600*0.096 {
		t.Errorf("%d samples, last cost %v, total %v", n, got[n-1].snap.CostUSD, sum.Cost.Total())
	}
}

// TestSamplingChangesNothing: the same run with and without sampling gives
// the same summary and the same records.
func TestSamplingChangesNothing(t *testing.T) {
	mk := func() *models.FaaS {
		return newFaaS(t, models.FaaSConfig{
			Functions: []workloads.Function{fn("f", 512, dist.Exponential{MeanS: 0.2})},
			ColdStart: dist.Constant{Value: 0.3},
			KeepAlive: models.FixedKeepAlive{Idle: 5 * time.Second},
			Billing:   models.FaaSBilling{PricePerGBSecond: 1e-5, Granularity: time.Millisecond},
		})
	}
	w := models.Window{Warmup: time.Minute, Horizon: 20 * time.Minute}
	fns := []workloads.Function{fn("f", 512, dist.Exponential{MeanS: 0.2})}
	plain, c1 := simulate(t, mk(), 7, workloads.NewPoisson(7, 20), fns, w, false)
	got, withS, c2 := sampled(t, mk(), workloads.NewPoisson(7, 20), fns, w, 7*time.Second)
	if plain.Cost.Total() != withS.Cost.Total() || plain.Instances != withS.Instances || c1.arrived != c2.arrived || c1.outcome != c2.outcome || c1.cold != c2.cold || c1.latSum != c2.latSum {
		t.Errorf("sampling changed the run: %+v %+v / %+v %+v", plain, c1, withS, c2)
	}
	// Samples at 60 s + 7 s·k before 1200 s: k = 1..162 (7·162 = 1134 s); then the horizon.
	if len(got) != 162+1 {
		t.Errorf("%d samples, want 163", len(got))
	}
}

// perWindow turns cumulative sampled costs into each window's cost.
func perWindow(got []sample) []float64 {
	var out []float64
	prev := 0.0
	for _, g := range got {
		out = append(out, g.snap.CostUSD-prev)
		prev = g.snap.CostUSD
	}
	return out
}

// near compares two cost lists to 1e-9 relative.
func near(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// TestScaledFleetSnapshots: a fleet scheduled to 1 instance, 3 from 01:00
// and 1 again from 02:00, at $3.60 an hour ($0.001 a second), no requests,
// measured from 00:10 to 03:00 and sampled every 30 min (off the scaling
// instants). Its columns follow the launches and terminations the fleet
// reports, and each window holds the instance-seconds spent in it: 1,800,
// 3,000 (A 1,800 + B, C 600 each), 5,400, 4,200, 1,800, 1,200 s. (It
// showed 1 instance throughout, 2 idle to come, and most of the bill in
// the last row.)
func TestScaledFleetSnapshots(t *testing.T) {
	var events []models.FleetEvent
	s := newServer(t, models.ServerConfig{Instances: 1, WorkersPerInstance: 4,
		Schedule: []models.ScheduledCount{{At: 0, Instances: 1}, {At: time.Hour, Instances: 3}, {At: 2 * time.Hour, Instances: 1}},
		Billing:  models.ServerBilling{PricePerHour: 3.6, MinimumBilled: time.Minute, Granularity: time.Second},
		OnFleet:  func(e models.FleetEvent) { events = append(events, e) }})
	w := models.Window{Warmup: 10 * time.Minute, Horizon: 3 * time.Hour}
	got, sum, _ := sampled(t, s, secs(), []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}, w, 30*time.Minute)
	if want := []float64{1.8, 3.0, 5.4, 4.2, 1.8, 1.2}; !near(perWindow(got), want) || sum.Cost.Total() != 17.4 {
		t.Errorf("cost per window %v, want %v; total %v, want 17.4", perWindow(got), want, sum.Cost.Total())
	}
	for _, g := range got {
		alive := 0 // from the fleet's own events up to the sample
		for _, e := range events {
			switch {
			case e.At > g.at:
			case e.Kind == models.FleetLaunch:
				alive++
			case e.Kind == models.FleetTerminate:
				alive--
			}
		}
		if g.snap.Starting+g.snap.Busy+g.snap.Idle != alive || g.snap.Idle != alive {
			t.Errorf("at %v: %+v, want %d idle instances (the fleet's events)", g.at, g.snap, alive)
		}
	}
}

// TestFleetSnapshotCounts: an autoscaled fleet under load, sampled every
// minute: every count is >= 0, what is alive matches the fleet's events,
// booting instances are Starting, and the cost column never decreases.
func TestFleetSnapshotCounts(t *testing.T) {
	var events []models.FleetEvent
	s := newServer(t, models.ServerConfig{Instances: 1, WorkersPerInstance: 2, Boot: dist.Constant{Value: 90},
		Autoscale: &models.Autoscale{Target: 0.5, Min: 1, Max: 10, Interval: time.Minute, ScaleOutCooldown: time.Minute, ScaleInCooldown: 3 * time.Minute, ScaleIn: true},
		Billing:   models.ServerBilling{PricePerHour: 0.1, MinimumBilled: time.Minute, Granularity: time.Second},
		OnFleet:   func(e models.FleetEvent) { events = append(events, e) }})
	w := models.Window{Horizon: 3 * time.Hour}
	// A load that rises and falls: 0.2 to 6 requests/s of 0.5 s, peaking at 01:30.
	arr := workloads.NewDiurnal(rand.New(sim.Seed(3).Source("arrivals")), 0.2, 6, 5400, 10800)
	got, sum, _ := sampled(t, s, arr, []workloads.Function{fn("f", 128, dist.Exponential{MeanS: 0.5})}, w, time.Minute+7*time.Second)
	prev, sizes := 0.0, map[int]bool{}
	for _, g := range got[:len(got)-1] {
		var alive, booting int
		for _, e := range events {
			switch {
			case e.At >= g.at: // events at the sample instant may fall either side; none is at one here
			case e.Kind == models.FleetLaunch:
				alive++
				booting++
			case e.Kind == models.FleetReady:
				booting--
			case e.Kind == models.FleetTerminate:
				alive--
			}
		}
		sn := g.snap
		if sn.Starting < 0 || sn.Busy < 0 || sn.Idle < 0 || sn.Starting+sn.Busy+sn.Idle != alive || sn.Starting != booting || sn.CostUSD < prev {
			t.Errorf("at %v: %+v, want %d alive, %d booting, cost >= %v", g.at, sn, alive, booting, prev)
		}
		prev = sn.CostUSD
		sizes[alive] = true
	}
	if len(sizes) < 3 || got[len(got)-1].snap.CostUSD != sum.Cost.Total() {
		t.Errorf("fleet sizes seen %v (want the scaling to show), last cost %v, total %v", sizes, got[len(got)-1].snap.CostUSD, sum.Cost.Total())
	}
}

// TestProvisionedSnapshots: provisioned capacity accrues as its periods
// run, not at the end. Two provisioned instances of 1 GB at p per GB-s,
// rounded to 5 min, over an hour sampled every 10 min: 2 × 600 s × p per
// window. With a schedule (0 until 00:20, 3 until 00:40, then 0) the
// windows hold 0, 3 × 600 s, 3 × 600 s, 0 (sampled at 00:10, 00:30, 00:50).
// (It put all the capacity in the last row.)
func TestProvisionedSnapshots(t *testing.T) {
	const p = 0.0000041667
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.1})}
	mk := func(k models.ProvisionedKeepAlive) *models.FaaS {
		k.OnDemand = models.FixedKeepAlive{Idle: time.Minute}
		return newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, KeepAlive: k,
			Billing: models.FaaSBilling{Granularity: time.Millisecond, Provisioned: models.ProvisionedRates{PricePerGBSecond: p, Rounding: 5 * time.Minute}}})
	}
	w := models.Window{Horizon: time.Hour}
	got, sum, _ := sampled(t, mk(models.ProvisionedKeepAlive{Instances: 2}), secs(), fns, w, 10*time.Minute)
	want := []float64{}
	for range 6 {
		want = append(want, 2*600*p)
	}
	if !near(perWindow(got), want) || math.Abs(sum.Cost.Total()-12*600*p) > 1e-15 {
		t.Errorf("all day: per window %v, want %v", perWindow(got), want)
	}
	got, _, _ = sampled(t, mk(models.ProvisionedKeepAlive{Schedule: []models.ScheduleStep{{At: 0}, {At: 20 * time.Minute, Instances: 3}, {At: 40 * time.Minute}}}),
		secs(), fns, w, 20*time.Minute)
	// Samples at 00:20, 00:40 and the horizon: the windows [0, 20), [20, 40), [40, 60).
	if want := []float64{0, 3 * 1200 * p, 0}; !near(perWindow(got), want) {
		t.Errorf("scheduled: per window %v, want %v", perWindow(got), want)
	}
}

// TestBaselineAccrues: a min instance's baseline (Azure Flex always-ready,
// Cloud Run min instances) is charged as time passes: 10 min of 1 GB at b
// per GB-s in each 10-minute window. (The first row held the whole run's.)
func TestBaselineAccrues(t *testing.T) {
	const b = 0.000004
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.1})}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, MinInstances: 1,
		KeepAlive: models.FixedKeepAlive{Idle: time.Minute},
		Billing:   models.FaaSBilling{Granularity: time.Millisecond, BaselinePricePerGBSecond: b}})
	got, sum, _ := sampled(t, f, secs(), fns, models.Window{Warmup: 5 * time.Minute, Horizon: 45 * time.Minute}, 10*time.Minute)
	if want := []float64{600 * b, 600 * b, 600 * b, 600 * b}; !near(perWindow(got), want) || math.Abs(sum.Cost.Total()-2400*b) > 1e-15 {
		t.Errorf("per window %v, want %v", perWindow(got), want)
	}
}

// TestInstanceLifetimeAccrues: under instance-lifetime billing (Cloud Run
// instance-based) an instance alive all run is charged window by window:
// started by a request at 0 s (1 s cold start), kept forever, billed 1 vCPU
// at v per vCPU-s from its start: 600 s a window, the first 599 s.
func TestInstanceLifetimeAccrues(t *testing.T) {
	const v = 0.000018
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.1})}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 1}, KeepAlive: models.ForeverKeepAlive{},
		Billing: models.FaaSBilling{Model: models.InstanceLifetime, Granularity: time.Millisecond, VCPU: 1, PricePerVCPUSecond: v}})
	got, _, _ := sampled(t, f, secs(0), fns, models.Window{Horizon: 30 * time.Minute}, 10*time.Minute)
	pw := perWindow(got)
	if want := []float64{600 * v, 600 * v, 600 * v}; !near(pw, want) {
		t.Errorf("per window %v, want %v", pw, want)
	}
}

// TestFleetBillNoOverflow: 400 scheduled instances for a year are 1.26e19
// instance-ns, past int64's 9.2e18: the billed time is kept in seconds and
// nanoseconds, so the bill is 400 × 8,760 h × $0.1 = $350,400.
func TestFleetBillNoOverflow(t *testing.T) {
	s := newServer(t, models.ServerConfig{Instances: 400, Schedule: []models.ScheduledCount{{At: 0, Instances: 400}},
		Billing: models.ServerBilling{PricePerHour: 0.1, MinimumBilled: time.Minute, Granularity: time.Second}})
	w := models.Window{Horizon: 8760 * time.Hour}
	sum, _ := simulate(t, s, 1, secs(), []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}, w, false)
	if got := sum.Instances.Fleet.BilledSeconds; got != 400*8760*3600 {
		t.Errorf("billed %v instance-s, want %v", got, 400*8760*3600)
	}
	if got := sum.Cost.Total(); math.Abs(got-350_400) > 1e-6 {
		t.Errorf("bill $%v, want $350,400", got)
	}
}
