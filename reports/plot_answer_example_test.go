package reports_test

import (
	"math"

	"github.com/faasim/faasim/reports"
)

// Hand-made sweeps, one per question the answer figures draw, with three
// replications each (a small spread around a formula), so that a test
// knows every figure's answer.

// reps are a figure's three replications: v and ±1%.
func reps(v float64) []float64 { return []float64{v * 0.99, v, v * 1.01} }

// system is one system at a point: each metric's replications.
func system(name, typ string, warn []string, ms map[string]float64) reports.SweepSystem {
	s := reports.SweepSystem{Name: name, Type: typ, Warnings: []reports.Warning{}}
	for _, path := range []string{"requests", "completed", "cold_start_ratio", "function_cold_start_ratio_p75", "latency_ms.p50",
		"latency_ms.p99", "cost_usd.total", "cost_usd.per_million_requests", "cost_usd.monthly_estimate", "keep_alive.idle_gb_seconds"} {
		if v, ok := ms[path]; ok {
			s.Metrics = append(s.Metrics, reports.SweepMetric{Path: path, Estimate: reports.NewEstimate(reps(v), 0.95)})
		}
	}
	for _, w := range warn {
		s.Warnings = append(s.Warnings, reports.Warning{Code: w, Message: "in 3 of 3 replications; " + w})
	}
	return s
}

func sweepOf(name string, axis string, values []any, point func(v any) []reports.SweepSystem) *reports.Sweep {
	s := &reports.Sweep{Scenario: name, Seed: 1, Replications: 3, Confidence: 0.95, Seeds: []uint64{1, 2, 3}, Version: "test",
		Axes: []reports.SweepAxis{{Key: axis, Values: values}}, Warnings: []reports.Warning{}}
	for i, v := range values {
		s.Points = append(s.Points, reports.SweepPoint{Index: i, Params: reports.Params{{Key: axis, Value: v}}, Systems: point(v)})
	}
	return s
}

func nums(xs ...float64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// memorySweep is Power Tuning's question: a function whose work takes
// 400 ms at 1,024 MB and speeds up with memory up to 1,769 MB (one vCPU);
// at 128 MB it times out (failing). The cheapest with p99 < 2 s is
// 1,024 MB: at 512 MB the p99 is 2.4 s.
func memorySweep() *reports.Sweep {
	s := sweepOf("memory", "systems[lambda].memory_mb", nums(128, 256, 512, 1024, 1769, 3008), func(v any) []reports.SweepSystem {
		m := v.(float64)
		p50 := 400 * 1024 / math.Min(m, 1769)
		var warn []string
		if m == 128 {
			warn = []string{reports.Failing}
		}
		return []reports.SweepSystem{system("lambda", "faas", warn, map[string]float64{"completed": 36000, "latency_ms.p50": p50,
			"latency_ms.p99": 3 * p50, "cost_usd.per_million_requests": m/1024*p50/1e3*16.67 + 0.2})}
	})
	s.Goal = &reports.GoalResult{Find: "best", Vary: "systems[lambda].memory_mb", Strategy: "cost",
		SubjectTo: []string{"lambda.latency_ms.p99 < 2000"}, Answer: 1024.0, Met: true,
		Answers: []reports.GoalAnswer{{Answer: 1024.0, Met: true, Method: "scan", Monotone: true,
			Strategies: map[string]any{"cost": 1024.0, "speed": 1769.0, "balanced": 1769.0},
			Sentence:   "cheapest systems[lambda].memory_mb meeting every constraint = 1024"}}}
	s.Metrics = []string{"lambda.latency_ms.p99", "lambda.cost_usd.per_million_requests"}
	return s
}

// rateSweep is the break-even question: Lambda's bill grows with the
// rate, 2 µ$ a request; two VMs cost $30.40 a month at any rate, and are
// saturated at 100 requests per second. They cost the same at
// 30.4 / (2e-6 × 2,592,000) = 5.864 requests per second.
func rateSweep() *reports.Sweep {
	s := sweepOf("rates", "workload.rate", nums(0.1, 1, 3, 5.5, 6, 10, 100), func(v any) []reports.SweepSystem {
		r := v.(float64)
		var warn []string
		if r == 100 {
			warn = []string{reports.Saturated}
		}
		return []reports.SweepSystem{
			system("lambda", "faas", nil, map[string]float64{"cost_usd.monthly_estimate": r * 2e-6 * 2592000, "latency_ms.p99": 120}),
			system("vms", "server", warn, map[string]float64{"cost_usd.monthly_estimate": 30.4, "latency_ms.p99": 90}),
		}
	})
	s.Axes[0].Goal = true
	s.Goal = &reports.GoalResult{Find: "root", Vary: "workload.rate", Expr: "lambda.cost_usd.total - vms.cost_usd.total", Answer: 5.864, Met: true,
		Answers: []reports.GoalAnswer{{Answer: 5.864, Met: true, Method: "bisection", Monotone: true,
			Sentence: "lambda.cost_usd.total - vms.cost_usd.total changes sign at workload.rate = 5.864"}}}
	return s
}

// keepAliveSweep is the keep-alive question on traffic of many rare
// functions: longer TTLs buy fewer cold starts for more idle memory; the
// hybrid policy has the 10-minute TTL's idle memory and fewer cold starts
// than it, so 10 minutes is off the frontier.
func keepAliveSweep() *reports.Sweep {
	ka := func(policy, idle string) map[string]any {
		m := map[string]any{"policy": policy}
		if idle != "" {
			m["idle"] = idle
		}
		return m
	}
	figures := map[string][3]float64{ // cold-start ratio, p75 over functions, idle GB-s
		"fixed 1m": {0.30, 0.95, 900}, "fixed 10m": {0.08, 0.60, 6000}, "fixed 60m": {0.025, 0.25, 30000}, "hybrid": {0.06, 0.22, 5800},
	}
	return sweepOf("keep-alive", "systems[lambda].keep_alive",
		[]any{ka("fixed", "1m"), ka("fixed", "10m"), ka("fixed", "60m"), ka("hybrid-histogram", "")}, func(v any) []reports.SweepSystem {
			m := v.(map[string]any)
			label := "hybrid"
			if m["policy"] == "fixed" {
				label = "fixed " + m["idle"].(string)
			}
			f := figures[label]
			return []reports.SweepSystem{system("lambda", "faas", nil, map[string]float64{"completed": 5000, "cold_start_ratio": f[0],
				"function_cold_start_ratio_p75": f[1], "keep_alive.idle_gb_seconds": f[2],
				"latency_ms.p99": 300 + 2000*f[0], "cost_usd.per_million_requests": 2.1})}
		})
}

// fleetSweep is the capacity question: a fleet of 1 to 8 instances, each
// $0.096 an hour; 1 and 2 cannot keep up (failing, p99 of 30 s); from 3
// on the p99 falls towards 150 ms. The least meeting p99 < 200 ms is 3.
func fleetSweep() *reports.Sweep {
	s := sweepOf("fleet", "systems[vms].instances", nums(1, 2, 3, 4, 6, 8), func(v any) []reports.SweepSystem {
		n := v.(float64)
		p99, warn := 140+50/(n-1.8), []string(nil)
		if n < 3 {
			p99, warn = 30000, []string{reports.Failing}
		}
		return []reports.SweepSystem{system("vms", "server", warn, map[string]float64{"completed": 300000, "latency_ms.p50": p99 / 4,
			"latency_ms.p99": p99, "cost_usd.total": 0.096 * n, "cost_usd.per_million_requests": 0.096 * n / 0.36})}
	})
	s.Axes[0].Goal = true
	s.Goal = &reports.GoalResult{Find: "min", Vary: "systems[vms].instances", SubjectTo: []string{"vms.latency_ms.p99 < 200"}, Answer: 3.0, Met: true,
		Answers: []reports.GoalAnswer{{Answer: 3.0, Met: true, Method: "bisection", Monotone: true,
			Sentence: "smallest systems[vms].instances meeting every constraint = 3"}}}
	s.Metrics = []string{"vms.latency_ms.p99", "vms.cost_usd.total"}
	return s
}

// writeSweepFigure renders the named figure of a sweep into testdata at
// both sizes.
func writeSweepFigure(s *reports.Sweep, name string) {
	writeFigureOf(name, func(o reports.PlotOptions) ([]reports.Figure, error) { return reports.SweepFigures(s, o) })
}

// Cost per million requests against p99 for each fleet size: the failing
// sizes hollow and off the scale, the frontier ringed, the goal's p99
// bound dashed.
func ExampleSweepFigures_tradeoff() { writeSweepFigure(fleetSweep(), "tradeoff") }

// Each system's bill per 30 days against the request rate, the goal's
// break-even marked.
func ExampleSweepFigures_breakEven() { writeSweepFigure(rateSweep(), "break_even") }

// Latency (left) and cost (right) against memory, each strategy's pick
// marked.
func ExampleSweepFigures_powerTuning() { writeSweepFigure(memorySweep(), "power_tuning") }

// Cold starts against idle memory per keep-alive policy, in all calls
// and for the 75th-percentile function.
func ExampleSweepFigures_keepAliveFrontier() {
	writeSweepFigure(keepAliveSweep(), "keep_alive_frontier")
}

// Each of the sweep's metrics against its axis, with confidence bands and
// the goal's answer.
func ExampleSweepFigures_sweep() { writeSweepFigure(fleetSweep(), "sweep") }
