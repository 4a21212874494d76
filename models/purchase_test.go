package models_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// A static fleet of 3 at $0.096/h for 2 h, bought four ways, by hand:
// on demand 3 × 2 × 0.096 = $0.576; a commitment of 3 instances at 36.5%
// off, 3 × 2 × 0.096 × 0.635 = $0.36576 and nothing on demand; of 2,
// 2 × 2 × 0.096 × 0.635 = $0.24384 plus the third instance on demand,
// 1 × 2 × 0.096 = $0.192; of 5, 5 × 2 × 0.096 × 0.635 = $0.6096 (paid,
// 3/5 used); spot at 70% off, 0.576 × 0.3 = $0.1728.
func TestPurchaseStaticFleet(t *testing.T) {
	fns := []workloads.Function{fn("api", 512, dist.Constant{Value: 0.05})}
	w := models.Window{Horizon: 2 * time.Hour}
	for _, tc := range []struct {
		name                string
		p                   models.Purchase
		commitment, servers float64
		monthly             float64
		utilisation         float64
	}{
		{"on demand", models.Purchase{}, 0, 0.576, 3 * 720 * 0.096, 0},
		{"commit 3", models.Purchase{Option: models.Commitment, Name: "savings-plan-1y", Discount: 0.365, Committed: 3}, 0.36576, 0, 3 * 720 * 0.096 * 0.635, 1},
		{"commit 2", models.Purchase{Option: models.Commitment, Name: "reserved-1y", Discount: 0.365, Committed: 2}, 0.24384, 0.192, (2*0.635 + 1) * 720 * 0.096, 1},
		{"commit 5", models.Purchase{Option: models.Commitment, Name: "savings-plan-3y", Discount: 0.365, Committed: 5}, 0.6096, 0, 5 * 720 * 0.096 * 0.635, 0.6},
		{"spot", models.Purchase{Option: models.Spot, Name: "spot", Discount: 0.7}, 0, 0.1728, 3 * 720 * 0.096 * 0.3, 0},
	} {
		cfg := models.DefaultServerConfig()
		cfg.Instances, cfg.WorkersPerInstance = 3, 4
		cfg.Billing.PricePerHour = 0.096
		cfg.Purchase = tc.p
		s, c := simulate(t, newServer(t, cfg), 1, workloads.NewConstant(2), fns, w, false)
		if c.completed() < 14000 {
			t.Fatalf("%s: %d completed", tc.name, c.completed())
		}
		got := []float64{costItem(s, "commitment"), costItem(s, "servers"), s.Cost.MonthlyUSD}
		want := []float64{tc.commitment, tc.servers, tc.monthly}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Errorf("%s: commitment, servers, monthly $%v, want $%v", tc.name, got, want)
				break
			}
		}
		switch ps := s.Purchase; {
		case tc.p.Option == models.OnDemand && ps != nil:
			t.Errorf("%s: purchase stats %+v, want none", tc.name, ps)
		case tc.p.Option == models.Commitment && (ps == nil || math.Abs(ps.CoveredSeconds/ps.CommittedSeconds-tc.utilisation) > 1e-12):
			t.Errorf("%s: purchase stats %+v, want utilisation %v", tc.name, ps, tc.utilisation)
		}
	}
}

// Spot with deterministic interruptions, $1/h at half price, 4 h. Every
// instance is interrupted 90 min after its launch and ends 2 min later;
// the replacement starts at the notice: lives [0, 92m), [90m, 182m) and
// [180m, 4h) (its interruption would come at 270 min). Each life of an
// hour or more is billed: 92 + 92 + 60 = 244 min, $2.0333 at $0.50/h.
// Interrupted every 30 min instead, every life is 32 min, interrupted in
// its first hour and free; only the one alive at the horizon, launched at
// 210 min, is billed: 30 min, $0.25.
func TestSpotInterruptionBilling(t *testing.T) {
	fns := []workloads.Function{fn("api", 512, dist.Constant{Value: 0.05})}
	w := models.Window{Horizon: 4 * time.Hour}
	for _, tc := range []struct {
		after         float64 // seconds
		usd           float64
		interruptions int
		free          bool // EC2's first hour
	}{{90 * 60, 244.0 / 60 * 0.5, 2, true}, {30 * 60, 0.5 * 0.5, 7, true},
		// Fargate Spot bills every second: seven lives of 32 min and the
		// last 30 min, 254 min.
		{30 * 60, 254.0 / 60 * 0.5, 7, false}} {
		cfg := models.DefaultServerConfig()
		cfg.Instances = 1
		cfg.Billing.PricePerHour = 1
		cfg.Purchase = models.Purchase{Option: models.Spot, Name: "spot", Discount: 0.5,
			Interruption: models.Interruption{After: dist.Constant{Value: tc.after}, Notice: 2 * time.Minute}, FreeFirstHour: tc.free}
		s, _ := simulate(t, newServer(t, cfg), 1, secs(), fns, w, false)
		if math.Abs(s.Cost.Total()-tc.usd) > 1e-9 || s.Purchase == nil || s.Purchase.Interruptions != tc.interruptions {
			t.Errorf("interrupted after %v s: $%v, %+v; want $%v and %d interruptions", tc.after, s.Cost.Total(), s.Purchase, tc.usd, tc.interruptions)
		}
		if s.Instances.Fleet == nil || s.Instances.Fleet.Launched != tc.interruptions+1 {
			t.Errorf("interrupted after %v s: fleet %+v, want %d launches", tc.after, s.Instances.Fleet, tc.interruptions+1)
		}
	}
}

// A request still running when the notice ends is cut. One instance, one
// worker, 5-minute requests, interrupted 10 min after launch with a
// 2-minute notice. The request of 500 s runs on the first instance until
// its reclaim at 720 s: cut (timed out), after 220 s. The request of 650 s
// finds the replacement launched at the notice (600 s) and completes at
// 950 s. Billing to the 1,000 s horizon: the first instance is free
// (interrupted in its first hour), the replacement billed 400 s: at $3.60/h
// and half price, $0.20.
func TestSpotInterruptionCuts(t *testing.T) {
	fns := []workloads.Function{fn("api", 512, dist.Constant{Value: 300})}
	w := models.Window{Horizon: 1000 * time.Second}
	cfg := models.DefaultServerConfig()
	cfg.Instances = 1
	cfg.Billing.PricePerHour = 3.6
	cfg.Purchase = models.Purchase{Option: models.Spot, Name: "spot", Discount: 0.5,
		Interruption: models.Interruption{After: dist.Constant{Value: 600}, Notice: 2 * time.Minute}, FreeFirstHour: true}
	s, c := simulate(t, newServer(t, cfg), 1, secs(500, 650), fns, w, true)
	if c.completed() != 1 || c.timedOut() != 1 || s.Purchase.InterruptedRequests != 1 || s.Purchase.Interruptions != 1 {
		t.Fatalf("completed %d, timed out %d, %+v; want 1, 1, 1 interrupted request, 1 interruption", c.completed(), c.timedOut(), s.Purchase)
	}
	for _, r := range c.records {
		want := 300 * time.Second
		if r.Outcome == models.TimedOut {
			want = 220 * time.Second
		}
		if r.End-r.Arrival != want {
			t.Errorf("%v request of %v: took %v, want %v", r.Outcome, r.Arrival, r.End-r.Arrival, want)
		}
	}
	if math.Abs(s.Cost.Total()-0.2) > 1e-9 {
		t.Errorf("bill $%v, want $0.20", s.Cost.Total())
	}
}

// Exponential interruptions (mean m = 1 h, notice n = 2 min) on 10
// instances for 400 h: each slot is interrupted as a Poisson process of
// rate 1/m (the replacement starts at the notice), so 4,000 expected
// interruptions (sd 63). A life L + n is billed when it reaches an hour:
// E[(L+n)·1{L+n ≥ H}] = e^{-(H-n)/m}(H + m) = 0.7607 h per life with
// m = H, E[X²] = e^{(n-H)/m}(H² + 2Hm + 2m²) = 1.902 h², so about
// 3,043 h billed (sd √(4000 × 1.902) = 87 h); without the first-hour rule
// it would be 4,000 × (1 h + 2 min) = 4,133 h.
func TestSpotInterruptionRate(t *testing.T) {
	fns := []workloads.Function{fn("api", 512, dist.Constant{Value: 0.05})}
	w := models.Window{Horizon: 400 * time.Hour}
	cfg := models.DefaultServerConfig()
	cfg.Instances = 10
	cfg.Billing.PricePerHour = 1
	cfg.Purchase = models.Purchase{Option: models.Spot, Name: "spot",
		Interruption: models.Interruption{After: dist.Exponential{MeanS: 3600}, Notice: 2 * time.Minute}, FreeFirstHour: true}
	s, _ := simulate(t, newServer(t, cfg), 1, secs(), fns, w, false)
	if n := float64(s.Purchase.Interruptions); math.Abs(n-4000) > 4*math.Sqrt(4000) {
		t.Errorf("%v interruptions, want 4000 ± %.0f", n, 4*math.Sqrt(4000))
	}
	perLife := math.Exp(-58.0/60) * 2
	second := math.Exp(-58.0/60) * 5
	want, sd := 4000*perLife, math.Sqrt(4000*second)
	if got := s.Cost.Total(); math.Abs(got-want) > 4*sd {
		t.Errorf("billed %.0f h, want %.0f ± %.0f", got, want, 4*sd)
	}
}

// A Lambda Compute Savings Plan takes its discount off duration and
// provisioned concurrency, not requests: 3 provisioned instances for an
// hour and 7,200 requests of 200 ms on them (TestProvisionedSteadyBill's
// bill), at 15% off.
func TestLambdaSavingsPlan(t *testing.T) {
	fns := []workloads.Function{fn("api", 1024, dist.Constant{Value: 0.2})}
	w := models.Window{Horizon: time.Hour}
	b := pcBilling()
	b.SavingsPlan, b.SavingsPlanDiscount = "savings-plan-1y", 0.15
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0.5},
		KeepAlive: models.ProvisionedKeepAlive{Instances: 3, OnDemand: models.FixedKeepAlive{Idle: 10 * time.Minute}},
		Billing:   b})
	s, _ := simulate(t, f, 1, workloads.NewConstant(2), fns, w, false)
	capacity := 3 * 3600 * 1.0 * pcCapacity * 0.85
	run := 7200 * 0.2 * 1.0 * pcRun * 0.85
	reqs := 7200 * perReq
	if math.Abs(costItem(s, "provisioned")-capacity) > 1e-12 || math.Abs(costItem(s, "provisioned_compute")-run) > 1e-12 ||
		math.Abs(costItem(s, "requests")-reqs) > 1e-12 {
		t.Errorf("provisioned $%v, provisioned_compute $%v, requests $%v; want $%v, $%v, $%v",
			costItem(s, "provisioned"), costItem(s, "provisioned_compute"), costItem(s, "requests"), capacity, run, reqs)
	}
	if s.Purchase == nil || s.Purchase.Option != "savings-plan-1y" || s.Purchase.Discount != 0.15 {
		t.Errorf("purchase %+v", s.Purchase)
	}
	// On-demand duration: one 1 s request at 1 GB, 15% off.
	g := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.NoKeepAlive{}, Billing: b})
	s, _ = simulate(t, g, 1, secs(1), []workloads.Function{fn("api", 1024, dist.Constant{Value: 1})}, models.Window{Horizon: 10 * time.Second}, false)
	if want := 1 * odGBs * 0.85; math.Abs(costItem(s, "compute")-want) > 1e-15 {
		t.Errorf("compute $%v, want $%v", costItem(s, "compute"), want)
	}
}
