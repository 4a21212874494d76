package reports

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func TestHumanUnits(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{humanMS(0.35), "0.35 ms"},
		{humanMS(155.3), "155 ms"},
		{humanMS(2164), "2.16 s"},     // the p99 the issue quotes for lambda-jvm
		{humanMS(173739), "2.9 min"},  // "p99 173739 ms" no more: 2.8957 min
		{humanMS(29859), "29.9 s"},    // spiky-api's fleet-baseline
		{humanMS(5.4e6), "1.5 h"},     // 90 min
		{humanMS(1.8e8), "2.08 days"}, // 50 h
		{humanSeconds(45), "45 s"},
		{humanSeconds(60), "1 min"},
		{humanSeconds(90), "90 s"}, // not "1.5 min": a window's width is said as set
		{humanSeconds(5040), "84 min"},
		{humanSeconds(85800), "23 h 50 min"}, // autoscaled-fleet's measured window
		{humanSeconds(7200), "2 h"},
		{humanSeconds(1209600), "14 days"}, // "336h0m0s" no more
		{dollars(1041.856), "$1,041.86"},
		{dollars(6.99), "$6.99"},
		{dollars(0.02781), "$0.0278"},
		{grouped(4564934, 0), "4,564,934"},
		{grouped(-1234.5, 1), "-1,234.5"},
		{sigTrim(2.90, 3), "2.9"},
		{moneyTick(0.5, 0.25), "$0.50"},
		{moneyTick(1500, 500), "$1,500"},
		{moneyTick(7.5, 2.5), "$7.50"}, // not "$8"
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func values(ts []plot.Tick) []float64 {
	var out []float64
	for _, t := range ts {
		out = append(out, t.Value)
	}
	return out
}

func TestTickers(t *testing.T) {
	for _, c := range []struct {
		name string
		got  []string
		want string
	}{
		// Round steps, grouped digits.
		{"linear", labels(niceTicks{Max: 4}.Ticks(0, 6200)), "0 2,000 4,000 6,000"},
		{"fractions", labels(niceTicks{Max: 5}.Ticks(0, 1.1)), "0.00 0.25 0.50 0.75 1.00"}, // one precision per axis
		// Counts never get half ticks.
		{"integer", labels(niceTicks{Max: 5, Integer: true}.Ticks(0, 2.2)), "0 1 2"},
		// Hours on the hour: 0, 6, 12, 18, 24, never 2.50 / 12.50 / 22.50.
		{"clock hours", labels(niceTicks{Max: 5, Steps: clockSteps["h"]}.Ticks(0.17, 24)), "6 12 18 24"},
		{"clock days", labels(niceTicks{Max: 8, Steps: clockSteps["days"]}.Ticks(0, 14)), "0 2 4 6 8 10 12 14"},
		// A latency axis over decades labels the decades in clock units...
		{"log decades", labels(logDurationTicks{Max: 8}.Ticks(0.03, 6e5)), "0.1 ms 1 ms 10 ms 100 ms 1 s 10 s 1 min 10 min"},
		// ...and a narrow one every 1-2-5 value.
		{"log narrow", labels(logDurationTicks{Max: 8}.Ticks(40, 6000)), "50 ms 100 ms 200 ms 500 ms 1 s 2 s 5 s"},
		{"log thinned", labels(logDurationTicks{Max: 3}.Ticks(40, 6000)), "50 ms 500 ms 5 s"}, // every third of seven
		{"tail", labels(tailTicks{}.Ticks(0, 0.9999)), "0% 50% 90% 99% 99.9% 99.99%"},
		// 950 requests end at 1 - 1/950: the top is labelled, rounded down.
		{"tail top", labels(tailTicks{}.Ticks(0, 1-1.0/950)), "0% 50% 90% 99% 99.89%"},
		// 1,100 end just above p99.9: the nine labels the top.
		{"tail top near a nine", labels(tailTicks{}.Ticks(0, 1-1.0/1100)), "0% 50% 90% 99% 99.9%"},
		{"money log", labels(logTicks{Format: moneyLabel}.Ticks(0.01, 20)), "$0.01 $0.1 $1 $10"},
		{"money log fine", labels(logTicks{Format: moneyLabel}.Ticks(0.1, 5)), "$0.1 $0.2 $0.5 $1 $2 $5"},
		// A linear latency axis ticks in one unit, round in it: not 2.83 min.
		{"latency minutes", labels(msTicks{Max: 6}.Ticks(156e3, 192e3)), "2.6 min 2.8 min 3.0 min 3.2 min"},
		{"latency ms", labels(msTicks{Max: 5}.Ticks(0, 230)), "0 50 ms 100 ms 150 ms 200 ms"},
		{"percent log", labels(logTicks{Format: tickFormat("ratio")}.Ticks(0.001, 0.5)), "0.1% 1% 10%"},
		// Zeros on a log axis sit at its floor, labelled 0, the round value
		// beside it unlabelled.
		{"zero on log", labels(zeroTick{logTicks{}}.Ticks(1, 1000)), "10 100 1,000 0"},
	} {
		if got := strings.Join(c.got, " "); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// Ticks stay where their labels were dropped, as minor ticks.
	if v := values(logDurationTicks{Max: 3}.Ticks(40, 6000)); len(v) != 7 {
		t.Errorf("thinned ticks %v: the unlabelled ones must stay as minor ticks", v)
	}
}

// TestTailScale: the tail axis puts 50%, 90%, 99% and 99.9% at 0.3, 1, 2
// and 3 parts of -log10(1-p), so each "nine" of the tail gets the room of
// the whole body below p90.
func TestTailScale(t *testing.T) {
	top := 0.9999 // four nines: the axis spans 4 units
	for _, c := range []struct{ p, want float64 }{
		{0, 0}, {0.5, math.Log10(2) / 4}, {0.9, 0.25}, {0.99, 0.5}, {0.999, 0.75}, {0.9999, 1},
	} {
		if got := (tailScale{}).Normalize(0, top, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("p=%v: %v, want %v", c.p, got, c.want)
		}
	}
	// A share of 1 (the last request) is drawn at the axis' cap, not at infinity.
	if got := tail(1); math.Abs(got-6) > 1e-9 {
		t.Errorf("tail(1) = %v, want 6 (p99.9999)", got)
	}
}

// TestCoarsen: windows merge to a round width (2 h, not 1 h 24 min), counts
// add up exactly, levels and the p99 keep their peak.
func TestCoarsen(t *testing.T) {
	var ws []Window
	for i := range 20160 { // 14 days of 1-minute windows
		w := Window{Start: float64(60 * i), End: float64(60 * (i + 1)), Arrivals: 1, ColdStarts: int64(i % 2), Timeouts: 1,
			Busy: int64(i % 7), Queue: int64(i % 5), P99: float64(i % 11), Cost: 0.5}
		if i%3 == 0 {
			w.P99 = math.NaN() // no completion in the window
		}
		ws = append(ws, w)
	}
	out := coarsen(ws, 240)
	if len(out) != 168 || out[0].End-out[0].Start != 7200 {
		t.Fatalf("%d windows of %v s, want 168 of 7200 s", len(out), out[0].End-out[0].Start)
	}
	var arr, cold, to int64
	var cost float64
	for _, w := range out {
		arr, cold, to, cost = arr+w.Arrivals, cold+w.ColdStarts, to+w.Timeouts, cost+w.Cost
	}
	if arr != 20160 || cold != 10080 || to != 20160 || cost != 10080 {
		t.Errorf("sums %d %d %d %v, want 20160 10080 20160 10080", arr, cold, to, cost)
	}
	if out[0].Busy != 6 || out[0].Queue != 4 || out[0].P99 != 10 {
		t.Errorf("peaks busy %d queue %d p99 %v, want 6 4 10", out[0].Busy, out[0].Queue, out[0].P99)
	}
	// An interval that divides no round width falls back to the fewest windows.
	odd := coarsen(ws[:1000], 240)
	if len(odd) != 200 {
		t.Errorf("%d windows, want 200 (5 per merged window)", len(odd))
	}
}

// TestColours: a colour means one thing. Bill components share no colour
// with any system, and every pair is far enough apart to tell (25 units of
// RGB distance, about what separates two Okabe–Ito neighbours in grey print).
func TestColours(t *testing.T) {
	for key, c := range componentColors {
		for i, s := range Palette {
			d := math.Sqrt(sq(float64(c.R)-float64(s.R)) + sq(float64(c.G)-float64(s.G)) + sq(float64(c.B)-float64(s.B)))
			if d < 25 {
				t.Errorf("component %q %v is %.0f from system colour %d %v", key, c, d, i, s)
			}
		}
	}
	keys := make([]string, 0, len(componentColors))
	for k := range componentColors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, c := range costComponents {
		if _, ok := componentColors[c.key]; !ok {
			t.Errorf("component %q has no colour (have %q)", c.key, keys)
		}
	}
}

func sq(x float64) float64 { return x * x }

// TestCheckLayoutCatches: the layout check is not a test that cannot fail:
// each fault it looks for, drawn on purpose, is reported.
func TestCheckLayoutCatches(t *testing.T) {
	st := textStyle(10, ink)
	for _, c := range []struct {
		name string
		draw func(c draw.Canvas)
		want string
	}{
		{"clipped", func(c draw.Canvas) { c.FillText(st, vg.Point{X: -20, Y: 50}, "clipped title") }, "leaves the"},
		{"overlap", func(c draw.Canvas) {
			c.FillText(st, vg.Point{X: 10, Y: 50}, "one label")
			c.FillText(st, vg.Point{X: 20, Y: 52}, "another")
		}, "overlap"},
		{"legend over data", func(c draw.Canvas) {
			c.StrokeLine2(systemLine(0), 0, 45, 200, 45)
			c.FillText(st, vg.Point{X: 10, Y: 50}, "legend")
		}, "lies on a data mark"},
		{"rotated", func(c draw.Canvas) {
			// A y label rotated a quarter turn is as tall as it is long.
			r := st
			r.Rotation = math.Pi / 2
			c.FillText(r, vg.Point{X: 20, Y: 60}, "a y axis label far longer than the canvas is high")
		}, "leaves the"},
		{"painted over", func(c draw.Canvas) {
			c.FillText(st, vg.Point{X: 10, Y: 50}, "tick")
			c.FillPolygon(colorWhite, []vg.Point{{X: 0, Y: 30}, {X: 100, Y: 30}, {X: 100, Y: 60}, {X: 0, Y: 60}})
		}, "painted over"},
	} {
		f := Figure{Name: c.name, W: 200, H: 100, draw: c.draw}
		if err := f.CheckLayout(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	ok := Figure{Name: "clean", W: 200, H: 100, draw: func(c draw.Canvas) {
		c.StrokeLine2(systemLine(0), 0, 20, 200, 20)
		c.FillText(st, vg.Point{X: 10, Y: 50}, "one label")
		c.FillText(st, vg.Point{X: 100, Y: 50}, "another")
	}}
	if err := ok.CheckLayout(); err != nil {
		t.Errorf("clean figure: %v", err)
	}
}

// TestIdenticalNamedOnce: systems with identical distributions and time
// series are one legend entry, said to be identical; the others keep theirs.
func TestIdenticalNamedOnce(t *testing.T) {
	run := exampleRunInternal()
	for _, f := range mustFigures(t, run) {
		rc := newRecorder(f.W, f.H)
		f.draw(draw.New(rc))
		var all []string
		for _, x := range rc.texts {
			all = append(all, x.s)
		}
		text := strings.Join(all, "\n")
		switch f.Name {
		case "latency_cdf":
			if !strings.Contains(text, "a = b (identical): p50 80 ms, p99 900 ms") || strings.Count(text, "a = b") != 1 {
				t.Errorf("latency_cdf legend:\n%s", text)
			}
		case "timeline":
			if !strings.Contains(text, "a = b (identical)") || !strings.Contains(text, "\nc\n") {
				t.Errorf("timeline legend:\n%s", text)
			}
		}
	}
}

var colorWhite = color.White

// exampleRunInternal: a and b identical in every figure, c different.
func exampleRunInternal() *Run {
	sys := func(name string, p99 float64) SystemResult {
		return SystemResult{Name: name, Type: "faas", Counts: Counts{Requests: 100, Completed: 100},
			LatencyMS: Latency{P50: 80, P99: p99}, CostUSD: CostResult{Total: 1, Breakdown: map[string]float64{"compute": 1}}}
	}
	cdf := func(p99 float64) []CDFPoint {
		return []CDFPoint{{10, 10, 0.1}, {80, 40, 0.5}, {p99, 49, 0.99}, {2 * p99, 1, 1}}
	}
	ws := func(alive int64) []Window {
		return []Window{{Start: 0, End: 60, Arrivals: 10, Busy: alive, P99: 100}, {Start: 60, End: 120, Arrivals: 20, Busy: alive, P99: 90}}
	}
	return &Run{Results: &Results{SimulatedSeconds: 120, Systems: []SystemResult{sys("a", 900), sys("b", 900), sys("c", 300)}},
		CDF: [][]CDFPoint{cdf(900), cdf(900), cdf(300)}, Series: [][]Window{ws(2), ws(2), ws(3)}}
}

func mustFigures(t *testing.T, run *Run) []Figure {
	t.Helper()
	figs, err := Figures(run, PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

// TestCDFTitleClose: p99s within 10% are said to be, not "1.0x".
func TestCDFTitleClose(t *testing.T) {
	r := &Results{Systems: []SystemResult{{Name: "a", Counts: Counts{Completed: 1000}, LatencyMS: Latency{P99: 2019}}, {Name: "b", Counts: Counts{Completed: 1000}, LatencyMS: Latency{P99: 2079}}}}
	if got, want := cdfTitle(r, []int{0, 1}), "p99 latencies are within 10% of each other (2.02 s to 2.08 s)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
