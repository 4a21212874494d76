package scenarios

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// mmc is an M/M/10 queue two ways, on the same arrivals: a fleet of 5
// instances × 2 workers behind one FIFO queue, and a FaaS function capped
// at 10 instances that queues what finds them busy (kept forever, instant
// starts). λ = 80/s, exponential execution of mean 100 ms (μ = 10/s), so a
// = 8 Erlangs, ρ = 0.8.
const mmc = `name: mmc
duration: 2600s
warmup: 100s
workload: {type: poisson, rate: 80}
functions:
  - name: f
    exec: {dist: exponential, mean: 100ms}
systems:
  - name: fleet
    type: server
    instances: 5
    workers_per_instance: 2
    price_per_hour: 1
  - name: faas
    type: faas
    max_concurrency: 10
    on_throttle: queue
    cold_start: {dist: constant, value: 0s}
    keep_alive: {policy: forever}
    price_per_gb_second: 0.0000166667
    price_per_million_requests: 0.2
`

// erlangC is M/M/c's probability of waiting, offered load a < c: from the
// Erlang B recursion, C = c B / (c − a (1 − B)).
func erlangC(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// TestWaitedErlangC: results.json's waited_ratio is Erlang C's probability
// of waiting, and wait_ms is the M/M/c waiting time, Wq = 0 with
// probability 1 − C, else exponential of rate θ = cμ − λ = 20/s: mean C/θ,
// and the q-quantile ln(C / (1 − q)) / θ above 1 − C (0 below). C(10, 8)
// = 0.40918: mean 20.459 ms, p50 0, p90 70.44 ms, p99 185.58 ms. c = 9 or
// 11 would give C = 0.653 or 0.245.
//
// 8 replications (seeds 1..8) of 200,000 requests each (2,500 s measured):
// waits are correlated over seconds, so the standard error is taken from
// the replications' spread, not the binomial. Measured: 0.40805 (SE
// 0.0011) for the ratio, 20.18 ms (SE 0.20) for the mean, 69.7 ms (SE
// 0.68) for p90, 181.9 ms (SE 2.1) for p99. Tolerances, stated: 0.008 for
// the ratio (2% of C), 1.2 ms for the mean (6%), 3 ms for p90 and 8 ms for
// p99 (4.3%), each plus the sketch's 0.5%; each must also exceed 3 measured
// SE, or the test says its tolerance no longer covers the noise. Both
// systems see the same arrivals and execution times (common random
// numbers) and are the same queue: their figures are identical.
func TestWaitedErlangC(t *testing.T) {
	t.Parallel()
	sc, err := Load(write(t, "mmc.yaml", mmc))
	if err != nil {
		t.Fatal(err)
	}
	const (
		c, a, theta = 10, 8.0, 20.0
		reps        = 8
	)
	C := erlangC(c, a)
	quantile := func(q float64) float64 { // ms
		if q <= 1-C {
			return 0
		}
		return math.Log(C/(1-q)) / theta * 1000
	}
	figures := map[string][]float64{}
	for r := uint64(1); r <= reps; r++ {
		res, err := sc.Run(context.Background(), RunOptions{Seed: &r})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Systems {
			if s.Completed != s.Requests-s.InFlight || s.Waited == 0 {
				t.Fatalf("%s: %d of %d completed (%d in flight), %d waited: want every request served", s.Name, s.Completed, s.Requests, s.InFlight, s.Waited)
			}
			if got := float64(s.Waited) / float64(s.Requests); math.Abs(got-s.WaitedRatio) > 1e-8 {
				t.Errorf("%s: waited_ratio %v, waited ÷ requests %v", s.Name, s.WaitedRatio, got)
			}
			for k, v := range map[string]float64{"waited_ratio": s.WaitedRatio, "wait_ms.mean": s.WaitMS.Mean, "wait_ms.p50": s.WaitMS.P50,
				"wait_ms.p90": s.WaitMS.P90, "wait_ms.p99": s.WaitMS.P99} {
				figures[s.Name+" "+k] = append(figures[s.Name+" "+k], v)
			}
			if s.WaitMS.Max < s.WaitMS.P99 || s.WaitMS.Max > s.LatencyMS.Max {
				t.Errorf("%s: wait max %v ms, p99 %v, latency max %v: want p99 <= max <= latency max", s.Name, s.WaitMS.Max, s.WaitMS.P99, s.LatencyMS.Max)
			}
		}
	}
	for _, sys := range []string{"fleet", "faas"} {
		for _, tc := range []struct {
			key       string
			want, tol float64
		}{
			{"waited_ratio", C, 0.008},
			{"wait_ms.mean", C / theta * 1000, 1.2},
			{"wait_ms.p50", quantile(0.5), 0},
			{"wait_ms.p90", quantile(0.9), 3 + 0.005*quantile(0.9)},
			{"wait_ms.p99", quantile(0.99), 8 + 0.005*quantile(0.99)},
		} {
			xs := figures[sys+" "+tc.key]
			mean, se := meanSE(xs)
			t.Logf("%s %s: %.5g (SE %.2g over %d replications), theory %.5g, tolerance %.3g", sys, tc.key, mean, se, len(xs), tc.want, tc.tol)
			if math.Abs(mean-tc.want) > tc.tol {
				t.Errorf("%s %s: %.5g, Erlang C %.5g; want within %.3g", sys, tc.key, mean, tc.want, tc.tol)
			}
			if tc.tol < 3*se {
				t.Errorf("%s %s: tolerance %.3g is under 3 measured SE (%.3g)", sys, tc.key, tc.tol, se)
			}
		}
	}
	// The tolerance tells c = 10 from its neighbours.
	for _, cc := range []int{c - 1, c + 1} {
		if math.Abs(erlangC(cc, a)-C) < 3*0.008 {
			t.Errorf("C(%d) = %.4g is within 3 tolerances of C(%d)", cc, erlangC(cc, a), c)
		}
	}
	if got := fmt.Sprintf("%.5f", C); got != "0.40918" {
		t.Errorf("C(10, 8) = %s, want the published 0.40918", got)
	}
}

// meanSE is the mean of xs and its standard error (sample deviation, n − 1).
func meanSE(xs []float64) (float64, float64) {
	var m, v float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1) / float64(len(xs)))
}
