package models_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

func frontDoor(t *testing.T, cfg models.FrontDoorConfig, inner models.System) *models.FrontDoor {
	t.Helper()
	d, err := models.NewFrontDoor(cfg, inner)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestFrontDoorLatencyAndTimeout: a gateway adding 5 ms to every response,
// with a 1 s integration timeout, in front of a function billed $1 per GB-s
// (1 GB, no start-up). Functions run 0.5 s ("fast"), exactly 1 s ("edge")
// and 2 s ("slow"), one request a second for 60 s:
//   - fast: completed, latency 0.5 + 0.005 s;
//   - edge: the backend answers exactly at the deadline: completed, 1.005 s;
//   - slow: the gateway answers at arrival + 1 s + 5 ms with a timeout, and
//     the function runs its 2 s on, billed in full; its own answer later is
//     not a second record.
//
// The bill is each function's requests × its seconds: the slow ones pay 2 s
// though their clients saw a timeout.
func TestFrontDoorLatencyAndTimeout(t *testing.T) {
	fns := []workloads.Function{fn("fast", 1024, dist.Constant{Value: 0.5}), fn("edge", 1024, dist.Constant{Value: 1}),
		fn("slow", 1024, dist.Constant{Value: 2})}
	f := newFaaS(t, models.FaaSConfig{
		Functions: fns, ColdStart: dist.Constant{Value: 0}, KeepAlive: models.ForeverKeepAlive{},
		Billing: models.FaaSBilling{PricePerGBSecond: 1, Granularity: time.Millisecond},
	})
	d := frontDoor(t, models.FrontDoorConfig{Name: "gw", Latency: dist.Constant{Value: 0.005}, Timeout: time.Second}, f)
	at := make([]float64, 60)
	for i := range at {
		at[i] = float64(i)
	}
	s, c := simulate(t, d, 1, secs(at...), fns, models.Window{Horizon: 100 * time.Second}, true)
	if c.ended != 60 {
		t.Fatalf("%d records for 60 requests", c.ended)
	}
	n := [3]int{}
	for _, r := range c.records {
		n[r.Fn]++
		want, outcome := map[int32]time.Duration{0: 505 * time.Millisecond, 1: 1005 * time.Millisecond, 2: 1005 * time.Millisecond}[r.Fn],
			map[int32]models.Outcome{0: models.Completed, 1: models.Completed, 2: models.TimedOut}[r.Fn]
		if r.Latency() != want || r.Outcome != outcome {
			t.Errorf("%s at %v: %v %v, want %v %v", fns[r.Fn].Name, r.Arrival, r.Outcome, r.Latency(), outcome, want)
		}
	}
	if got := s.FrontDoor; got == nil || got.Requests != 60 || got.TimedOut != int64(n[2]) {
		t.Errorf("front door stats %+v, want 60 requests, %d timed out", got, n[2])
	}
	if want := float64(n[0])*0.5 + float64(n[1])*1 + float64(n[2])*2; math.Abs(s.Cost.Total()-want) > 1e-9 {
		t.Errorf("bill $%v, want $%v: the timed-out requests' 2 s billed in full", s.Cost.Total(), want)
	}
	if n[0] == 0 || n[1] == 0 || n[2] == 0 {
		t.Errorf("requests per function %v: want some of each", n)
	}
}

// TestFrontDoorPerRequestBill: API Gateway's REST tiers, $3.50 per million
// for the first 333 M requests a month, $2.80 to 1 B, thresholds pro rata:
// 200 requests/s for 100 s = 20,000 requests in a window of 100 s, whose
// thresholds are 333e6 × 100 / 2,592,000 = 12,847.2 and 38,580.2 requests:
// 12,847.2 × $3.50/M + 7,152.8 × $2.80/M.
func TestFrontDoorPerRequestBill(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.01})}
	srv := newServer(t, models.ServerConfig{Instances: 10, WorkersPerInstance: 10})
	d := frontDoor(t, models.FrontDoorConfig{Name: "rest", Pricing: models.FrontDoorPerRequest, Timeout: 29 * time.Second,
		PricePerMillionRequests: 3.5, Tiers: []models.VolumeTier{{333e6, 2.8}, {1e9, 2.38}, {20e9, 1.51}}}, srv)
	s, _ := simulate(t, d, 1, workloads.NewConstant(200), fns, models.Window{Horizon: 100 * time.Second}, false)
	frac := 100.0 / (30 * 24 * 3600)
	t1 := 333e6 * frac
	want := t1*3.5/1e6 + (20000-t1)*2.8/1e6
	var got float64
	for _, it := range s.Cost.Items {
		if it.Name == "api_gateway" {
			got = it.USD
		}
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("api_gateway $%.9g, want $%.9g", got, want)
	}
	// The month: the same requests at the same rate all month, tiers and all.
	if m := want / frac; math.Abs(s.Cost.MonthlyUSD-m) > 1e-6*m {
		t.Errorf("monthly $%.6g, want $%.6g (server $0 here)", s.Cost.MonthlyUSD, m)
	}
}

// TestFrontDoorLoadBalancerLCU: an ALB ($0.0225 an hour, $0.008 per
// LCU-hour) bills each clock hour the largest of its LCU dimensions. Three
// cases, each hour written out:
//
//   - processed bytes: 10 requests/s of 100 KB for 2.5 h, 2 requests per
//     connection, 12 rules: bytes 10 × 100,000 × 3,600 = 3.6 GB an hour ->
//     3.6 LCU (new connections 5/s -> 0.2, rules (12 − 10) × 10 = 20/s ->
//     0.02, in flight 10 × 0.2 s = 2 -> 0.0007); the last half hour at the
//     same rates: 3.6 × 2.5 = 9 LCU-hours, + 2.5 h.
//   - new connections: the same without bytes or rules, one request per
//     connection: 10/25 = 0.4 LCU an hour, 1 LCU-hour in all.
//   - active connections: 100 requests/s of 30 s, 100 per connection, for
//     2 h. Hour 2 has exactly 3,000 in flight throughout (3,000 / 3,000 = 1
//     LCU; new connections 1/s -> 0.04). Hour 1 ramps up: arrivals at 0.01k
//     s add min(30, 3,600 − 0.01k) s each, 357,001 × 30 + 0.01 × (1 + ... +
//     2,999) = 10,755,015 request-s -> 10,755,015 / 3,600 / 3,000 LCU. The
//     requests still running at the horizon count up to it.
func TestFrontDoorLoadBalancerLCU(t *testing.T) {
	alb := models.FrontDoorConfig{Name: "alb", Pricing: models.FrontDoorLoadBalancer, Timeout: 60 * time.Second,
		PricePerHour: 0.0225, PricePerLCUHour: 0.008,
		Unit: models.LCU{NewConnectionsPerSecond: 25, ActiveConnections: 3000, ProcessedGBPerHour: 1, RuleEvaluationsPerSec: 1000, FreeRules: 10}}
	run := func(cfg models.FrontDoorConfig, rate, exec float64, horizon time.Duration) (lcu, usd float64) {
		fns := []workloads.Function{fn("f", 128, dist.Constant{Value: exec})}
		srv := newServer(t, models.ServerConfig{Instances: 4000})
		s, _ := simulate(t, frontDoor(t, cfg, srv), 1, workloads.NewConstant(rate), fns, models.Window{Horizon: horizon}, false)
		for _, it := range s.Cost.Items {
			if it.Name == "load_balancer" {
				usd = it.USD
			}
		}
		return s.FrontDoor.LCUHours, usd
	}
	bytes := alb
	bytes.BytesPerRequest, bytes.RequestsPerConnection, bytes.Rules = 100_000, 2, 12
	conns := alb
	conns.RequestsPerConnection = 1
	active := alb
	active.RequestsPerConnection = 100
	hour1 := (357_001*30 + 0.01*2999*3000/2) / 3600 / 3000
	for _, tc := range []struct {
		name      string
		cfg       models.FrontDoorConfig
		rate, sec float64
		horizon   time.Duration
		lcuHours  float64
	}{
		{"processed bytes", bytes, 10, 0.2, 150 * time.Minute, 3.6 * 2.5},
		{"new connections", conns, 10, 0.2, 150 * time.Minute, 0.4 * 2.5},
		{"active connections", active, 100, 30, 2 * time.Hour, hour1 + 1},
	} {
		lcu, usd := run(tc.cfg, tc.rate, tc.sec, tc.horizon)
		want := tc.horizon.Hours()*0.0225 + tc.lcuHours*0.008
		if math.Abs(lcu-tc.lcuHours) > 1e-9*tc.lcuHours || math.Abs(usd-want) > 1e-12 {
			t.Errorf("%s: %.9f LCU-hours, $%.9f; want %.9f and $%.9f", tc.name, lcu, usd, tc.lcuHours, want)
		}
	}
}

// BenchmarkFrontDoorPoisson1000 is BenchmarkFaaSPoisson1000's system behind
// an HTTP API (per-request tiers, a 30 s timeout, so every request passes
// the pending FIFO and its timer): the front door's cost per request.
func BenchmarkFrontDoorPoisson1000(b *testing.B) {
	const d = 60 * time.Second
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	w := models.Window{Horizon: d}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f := newFaaS(b, models.FaaSConfig{Functions: fns, ColdStart: dist.LogNormalMedianP99(0.25, 1.2),
			KeepAlive: models.FixedKeepAlive{Idle: 10 * time.Minute}, Billing: lambdaBilling(true), Seed: 1})
		fd, err := models.NewFrontDoor(models.FrontDoorConfig{Name: "aws-api-gateway-http", Pricing: models.FrontDoorPerRequest,
			PricePerMillionRequests: 1, Timeout: 30 * time.Second, Seed: 1}, f)
		if err != nil {
			b.Fatal(err)
		}
		src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, w.Horizon)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := models.Simulate(contextBG, fd, src, w, nop{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000*d.Seconds()/b.Elapsed().Seconds(), "req/s")
}
