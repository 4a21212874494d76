package models_test

import (
	"context"
	"math"
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
