package reports_test

import (
	"fmt"
	"log"
	"math"
	"os"

	"gonum.org/v1/plot/vg"

	"github.com/faasim/faasim/reports"
)

// exampleRun is a small hand-made run that exercises what the figures
// must handle: a FaaS system with a cold-start tail; a second one whose
// distribution and time series are identical (drawn once, named together);
// a fleet that costs 16× more (a log cost axis) and timed out 2% of its
// requests; twelve functions (the top ten drawn), one with a long name;
// six one-minute windows, one without completions for the fleet.
func exampleRun() *reports.Run {
	fns := func(cold func(k int) int64) []reports.FunctionResult {
		var out []reports.FunctionResult
		for k := range 12 {
			name := fmt.Sprintf("fn-%02d", k)
			if k == 3 {
				name = "a-function-with-a-rather-long-name"
			}
			c := cold(k)
			out = append(out, reports.FunctionResult{Name: name, Counts: reports.Counts{Requests: 100 + 10*int64(k),
				ColdStarts: c, ColdStartRatio: float64(c) / float64(100+10*k)}})
		}
		return out
	}
	lambdaCold := func(k int) int64 { return int64(k % 5) }
	res := &reports.Results{Scenario: "example", Seed: 1, SimulatedSeconds: 360, Version: "test",
		Systems: []reports.SystemResult{
			{Name: "lambda", Type: "faas",
				Counts:    reports.Counts{Requests: 1000, Completed: 1000, ColdStarts: 30, ColdStartRatio: 0.03},
				LatencyMS: reports.Latency{Mean: 120, P50: 80, P99: 900, Max: 1500},
				CostUSD:   reports.CostResult{Total: 0.5, PerMillionRequests: 500, Breakdown: map[string]float64{"compute": 0.4, "requests": 0.1}},
				Functions: fns(lambdaCold)},
			{Name: "lambda-arm", Type: "faas",
				Counts:    reports.Counts{Requests: 1000, Completed: 1000, ColdStarts: 30, ColdStartRatio: 0.03},
				LatencyMS: reports.Latency{Mean: 120, P50: 80, P99: 900, Max: 1500},
				CostUSD:   reports.CostResult{Total: 0.42, PerMillionRequests: 420, Breakdown: map[string]float64{"compute": 0.32, "requests": 0.1}},
				Functions: fns(lambdaCold)},
			{Name: "vms", Type: "server",
				Counts:    reports.Counts{Requests: 1000, Completed: 980, TimedOut: 20, TimedOutRatio: 0.02},
				LatencyMS: reports.Latency{Mean: 85, P50: 78, P99: 200, Max: 300},
				CostUSD:   reports.CostResult{Total: 8, PerMillionRequests: 8000, Breakdown: map[string]float64{"servers": 8}},
				Functions: fns(func(int) int64 { return 0 })},
		}}
	cdf := func(p50, p99, n float64) []reports.CDFPoint {
		return []reports.CDFPoint{{p50 / 4, n * 0.01, 0.01}, {p50 / 2, n * 0.09, 0.1}, {p50, n * 0.4, 0.5},
			{p50 * 2, n * 0.4, 0.9}, {p99, n * 0.09, 0.99}, {p99 * 1.2, n * 0.009, 0.999}, {p99 * 1.5, n * 0.001, 1}}
	}
	win := func(i int, arr, cold, alive, inSys, failed int64, p99 float64) reports.Window {
		return reports.Window{Start: float64(60 * i), End: float64(60 * (i + 1)), Arrivals: arr, Completions: arr - failed,
			ColdStarts: cold, Busy: alive, InService: inSys, Timeouts: failed, P50: p99 / 5, P99: p99}
	}
	faas := []reports.Window{win(0, 100, 20, 5, 4, 0, 1200), win(1, 200, 5, 6, 5, 0, 900), win(2, 250, 5, 6, 6, 0, 700),
		win(3, 200, 0, 4, 3, 0, 500), win(4, 150, 0, 4, 2, 0, 450), win(5, 100, 0, 3, 1, 0, 400)}
	return &reports.Run{Results: res,
		CDF: [][]reports.CDFPoint{cdf(80, 900, 1000), cdf(80, 900, 1000), cdf(78, 200, 980)},
		Series: [][]reports.Window{faas, faas,
			{win(0, 100, 0, 2, 2, 0, 150), win(1, 200, 0, 2, 9, 5, 210), win(2, 250, 0, 2, 30, 15, 260),
				win(3, 200, 0, 2, 0, 0, math.NaN()), win(4, 150, 0, 2, 2, 0, 180), win(5, 100, 0, 2, 1, 0, 160)},
		}}
}

// writeFigure renders the named figure of the example run into testdata,
// at the default size as name.png and at 10 cm × 7 cm as name_small.png.
func writeFigure(name string) {
	writeFigureOf(name, func(o reports.PlotOptions) ([]reports.Figure, error) { return reports.Figures(exampleRun(), o) })
}

// writeFigureOf renders the named figure of those figures draws at both sizes.
func writeFigureOf(name string, figures func(reports.PlotOptions) ([]reports.Figure, error)) {
	for _, size := range []struct {
		file string
		o    reports.PlotOptions
	}{
		{name + ".png", reports.PlotOptions{}},
		{name + "_small.png", reports.PlotOptions{Width: 10 * vg.Centimeter, Height: 7 * vg.Centimeter}},
	} {
		figs, err := figures(size.o)
		if err != nil {
			log.Panic(err)
		}
		found := false
		for _, f := range figs {
			if f.Name != name {
				continue
			}
			b, err := f.Render("png")
			if err != nil {
				log.Panic(err)
			}
			if err := os.WriteFile("testdata/"+size.file, b, 0o644); err != nil {
				log.Panic(err)
			}
			found = true
		}
		if !found {
			log.Panicf("no figure %q", name)
		}
	}
}

// The latency CDF of every system on a log latency axis and a tail axis,
// p50 and p99 marked; identical systems named together.
func ExampleFigures_latencyCDF() { writeFigure("latency_cdf") }

// The bill of each system: its total (log axis when totals span more than
// 10×) and the share of each component.
func ExampleFigures_costBreakdown() { writeFigure("cost_breakdown") }

// Arrivals, instances, requests in the system, cold starts, failures and
// the p99 latency per window.
func ExampleFigures_timeline() { writeFigure("timeline") }

// Cold starts of the ten functions with the most, one bar per system.
func ExampleFigures_coldStartsByFunction() { writeFigure("cold_starts_by_function") }
