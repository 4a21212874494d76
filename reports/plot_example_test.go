package reports_test

import (
	"log"
	"os"

	"gonum.org/v1/plot/vg"

	"github.com/faasim/faasim/reports"
)

// exampleRun is a small hand-made run: a FaaS system with a cold-start tail
// and a fleet, two functions, four one-minute windows.
func exampleRun() *reports.Run {
	res := &reports.Results{Scenario: "example", Seed: 1, SimulatedSeconds: 240, Version: "test",
		Systems: []reports.SystemResult{
			{Name: "lambda", Type: "faas",
				Counts:    reports.Counts{Requests: 1000, Completed: 1000, ColdStarts: 30, ColdStartRatio: 0.03},
				LatencyMS: reports.Latency{Mean: 120, P50: 80, P99: 900, Max: 1500},
				CostUSD:   reports.CostResult{Total: 0.5, PerMillionRequests: 500, Breakdown: map[string]float64{"compute": 0.4, "requests": 0.1}},
				Functions: []reports.FunctionResult{{Name: "api", Counts: reports.Counts{ColdStarts: 10, ColdStartRatio: 0.02}},
					{Name: "cron", Counts: reports.Counts{ColdStarts: 20, ColdStartRatio: 0.04}}}},
			{Name: "vms", Type: "server",
				Counts:    reports.Counts{Requests: 1000, Completed: 1000},
				LatencyMS: reports.Latency{Mean: 85, P50: 78, P99: 200, Max: 300},
				CostUSD:   reports.CostResult{Total: 0.2, PerMillionRequests: 200, Breakdown: map[string]float64{"servers": 0.2}},
				Functions: []reports.FunctionResult{{Name: "api"}, {Name: "cron"}}},
		}}
	cdf := func(p50, p99 float64) []reports.CDFPoint {
		return []reports.CDFPoint{{p50 / 4, 1, 0.01}, {p50 / 2, 1, 0.1}, {p50, 1, 0.5}, {p50 * 2, 1, 0.9}, {p99, 1, 0.99}, {p99 * 1.5, 1, 1}}
	}
	win := func(i int, arr, cold, alive, queue int64) reports.Window {
		return reports.Window{Start: float64(60 * i), End: float64(60 * (i + 1)), Arrivals: arr, ColdStarts: cold, Busy: alive, Queue: queue}
	}
	return &reports.Run{Results: res,
		CDF: [][]reports.CDFPoint{cdf(80, 900), cdf(78, 200)},
		Series: [][]reports.Window{
			{win(0, 200, 20, 5, 0), win(1, 300, 5, 6, 0), win(2, 300, 5, 6, 0), win(3, 200, 0, 4, 0)},
			{win(0, 200, 0, 2, 0), win(1, 300, 0, 2, 3), win(2, 300, 0, 2, 1), win(3, 200, 0, 2, 0)},
		}}
}

// writeFigure renders the named figure of the example run, small, into testdata.
func writeFigure(name string) {
	figs, err := reports.Figures(exampleRun(), reports.PlotOptions{Width: 10 * vg.Centimeter, Height: 7 * vg.Centimeter})
	if err != nil {
		log.Panic(err)
	}
	for _, f := range figs {
		if f.Name != name {
			continue
		}
		b, err := f.Render("png")
		if err != nil {
			log.Panic(err)
		}
		if err := os.WriteFile("testdata/"+name+".png", b, 0o644); err != nil {
			log.Panic(err)
		}
		return
	}
	log.Panicf("no figure %q", name)
}

// The latency CDF of every system on a log axis, p50 and p99 marked.
func ExampleFigures_latencyCDF() { writeFigure("latency_cdf") }

// The bill of each system as stacked components.
func ExampleFigures_costBreakdown() { writeFigure("cost_breakdown") }

// Request rate, instances, cold starts and queue length over time.
func ExampleFigures_timeline() { writeFigure("timeline") }

// Cold starts per function, one bar per system.
func ExampleFigures_coldStartsByFunction() { writeFigure("cold_starts_by_function") }
