package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// timelinePanel is one strip of the timeline: a heading, what it draws of
// each window, and how its y axis reads.
type timelinePanel struct {
	heading string
	val     func(Window) float64 // NaN: nothing to draw in the window
	shared  bool                 // one line for all systems (they see the same arrivals)
	log     bool                 // a log axis of latencies, ms
	integer bool                 // counts: integer ticks
	empty   string               // said in the heading when no system has a value above zero
}

// minPanel is the least height of a timeline panel: heading, three tick
// labels and the line between them, points.
const minPanel = 62

// timeline: arrivals, instances alive, requests in the system, cold starts,
// failures and the p99 latency per window, stacked over one time axis.
func timeline(run *Run, idx []int, w, h vg.Length) (Figure, bool) {
	var have []int
	for _, i := range idx {
		if len(run.Series[i]) > 0 {
			have = append(have, i)
		}
	}
	if len(have) == 0 {
		return Figure{}, false
	}
	r := run.Results
	series := make([][]Window, len(run.Series))
	for _, i := range have {
		series[i] = coarsen(run.Series[i], maxTimelineBins)
	}
	first := series[have[0]]
	merged := len(first) < len(run.Series[have[0]])
	iv := first[0].End - first[0].Start
	per := perWindow(iv)
	peakNote := ""
	if merged {
		peakNote = fmt.Sprintf(" (peak in each %s)", humanSeconds(iv))
	}

	// Arrivals per second, per minute or per hour: whichever makes the peak at least 1.
	peakRate := 0.0
	for _, x := range first {
		peakRate = math.Max(peakRate, float64(x.Arrivals)/(x.End-x.Start))
	}
	rateUnit, rateMul := "second", 1.0
	switch {
	case peakRate >= 1 || peakRate == 0:
	case peakRate*60 >= 1:
		rateUnit, rateMul = "minute", 60
	default:
		rateUnit, rateMul = "hour", 3600
	}
	p99Heading := "p99 latency in each window"
	if merged {
		p99Heading = fmt.Sprintf("p99 latency, the highest of the windows in each %s", humanSeconds(iv))
	}
	panels := []timelinePanel{
		{heading: "requests arriving per " + rateUnit + " (the same for every system)",
			val: func(x Window) float64 { return rateMul * float64(x.Arrivals) / (x.End - x.Start) }, shared: true},
		{heading: "instances alive" + peakNote, val: func(x Window) float64 { return float64(x.Alive()) }, integer: true},
		{heading: "requests in the system: executing and queued" + peakNote,
			val: func(x Window) float64 { return float64(x.InService + x.Queue) }, integer: true},
		{heading: "cold starts " + per, val: func(x Window) float64 { return float64(x.ColdStarts) }, integer: true,
			empty: "none"},
		{heading: "requests rejected or timed out " + per, val: func(x Window) float64 { return float64(x.Rejections + x.Timeouts) },
			integer: true, empty: "none"},
		{heading: p99Heading, val: func(x Window) float64 { return x.P99 }, log: true, empty: "no request completed"},
	}
	// Systems whose every panel coincides are drawn once.
	groups := sameGroups(have, func(a, b int) bool {
		return slices.EqualFunc(series[a], series[b], func(x, y Window) bool {
			for _, pn := range panels {
				vx, vy := pn.val(x), pn.val(y)
				if vx != vy && !(math.IsNaN(vx) && math.IsNaN(vy)) {
					return false
				}
			}
			return true
		})
	})
	var legend []legendEntry
	for _, g := range groups {
		legend = append(legend, legendEntry{groupName(r, g), []plot.Thumbnailer{lineThumb(systemLine(g[0]))}})
	}

	// The title: the peak of instances, and what failed.
	peakSys, peak := have[0], int64(-1)
	for _, i := range have {
		for _, x := range series[i] {
			if x.Alive() > peak {
				peakSys, peak = i, x.Alive()
			}
		}
	}
	title := fmt.Sprintf("Over time (%s windows): %s peaks at %s instances", humanSeconds(iv), r.Systems[peakSys].Name, count(peak))
	for _, i := range have {
		if n := failClause(&r.Systems[i]); n != "" {
			title += "; " + n
		}
	}

	t0, t1 := first[0].Start, first[len(first)-1].End
	unit, div := timeUnit(t1)
	return frame{
		title:  title,
		legend: legend,
		body: func(dc draw.Canvas) {
			plots := make([][]*plot.Plot, len(panels))
			headings := make([]string, len(panels))
			for k, pn := range panels {
				p, any := timelinePlot(pn, groups, series, t0/div, t1/div, div)
				headings[k] = pn.heading
				if !any && pn.empty != "" {
					headings[k] += ": " + pn.empty
				}
				if k == len(panels)-1 {
					p.X.Label.Text = "simulated time (" + unit + ")"
					p.X.Tick.Marker = niceTicks{Max: int((dc.Max.X - dc.Min.X) / vg.Points(50)), Steps: clockSteps[unit]}
				} else {
					// The shared time axis is labelled once, under the bottom panel;
					// the others keep its grid and give the room to their data.
					p.X.Tick.Marker = unlabelled{niceTicks{Max: int((dc.Max.X - dc.Min.X) / vg.Points(50)), Steps: clockSteps[unit]}}
					p.X.Tick.Length = 0
				}
				plots[k] = []*plot.Plot{p}
			}
			tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(4)}
			if (dc.Max.Y-dc.Min.Y)/vg.Length(len(panels)) < minPanel/2 {
				return // too small to draw six panels legibly
			}
			for k := range plots {
				// Fit each panel to its tile less its heading before aligning them.
				fitAxes(plots[k][0], headingCrop(tiles.At(dc, 0, k), headings[k]))
			}
			cs := plot.Align(plots, tiles, dc)
			for k := range plots {
				plots[k][0].Draw(heading(cs[k][0], headings[k]))
			}
		},
	}.figure("timeline", w, h, vg.Length(len(panels))*minPanel), true
}

// timelinePlot draws one panel's lines; any reports whether some value
// was above zero.
func timelinePlot(pn timelinePanel, groups [][]int, series [][]Window, xmin, xmax, div float64) (*plot.Plot, bool) {
	p := newAxes("", "")
	p.X.Min, p.X.Max = xmin, xmax
	p.X.Padding, p.Y.Padding = 0, vg.Points(2)
	p.X.Label.Padding = 0
	lo, hi := math.Inf(1), 0.0
	for _, g := range groups {
		i := g[0]
		st := systemLine(i)
		if pn.shared {
			st = draw.LineStyle{Color: color.Gray{Y: 0x44}, Width: vg.Points(1.2)}
		}
		// Steps, broken where a window has no value.
		var run plotter.XYs
		flush := func() {
			if len(run) > 0 {
				l := line(run, st.Color)
				l.LineStyle = st
				p.Add(l)
			}
			run = nil
		}
		for _, x := range series[i] {
			y := pn.val(x)
			if !finite(y) || (pn.log && y <= 0) {
				flush()
				continue
			}
			lo, hi = math.Min(lo, y), math.Max(hi, y)
			run = append(run, plotter.XY{X: x.Start / div, Y: y}, plotter.XY{X: x.End / div, Y: y})
		}
		flush()
		if pn.shared {
			break
		}
	}
	any := hi > 0
	if pn.log {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logDurationTicks{Max: 3}
		if !any {
			lo, hi = 1, 10
		}
		// At least a factor of 4 of range, so a flat p99 reads as flat.
		for hi/lo < 4 {
			lo, hi = lo/1.5, hi*1.5
		}
		p.Y.Min, p.Y.Max = lo, hi
		return p, any
	}
	p.Y.Min = 0
	p.Y.Max = math.Max(hi, 1) // an all-zero panel still shows its zero line
	if pn.integer && hi < 3 {
		p.Y.Max = 3
	}
	p.Y.Max *= 1.08
	p.Y.Tick.Marker = niceTicks{Max: 3, Integer: pn.integer}
	return p, any
}

// unlabelled keeps a ticker's marks and grid and drops its labels (the
// shared time axis is labelled under the bottom panel only).
type unlabelled struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

// maxTimelineBins is the most steps a timeline panel draws: beyond a few
// hundred, steps merge into a smear at any print size.
const maxTimelineBins = 240

// niceWindows are the merged window widths the timeline prefers, seconds:
// round clock spans, so the title can say "2 h windows".
var niceWindows = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
	14400, 21600, 43200, 86400, 2 * 86400, 7 * 86400}

// coarsen merges runs of consecutive windows so at most limit remain,
// preferring a round merged width: counts add up, instance and queue
// levels keep their peak, and so does the p99 (the highest window's).
func coarsen(ws []Window, limit int) []Window {
	k := (len(ws) + limit - 1) / limit
	if k <= 1 || len(ws) == 0 {
		return ws
	}
	if iv := ws[0].End - ws[0].Start; iv > 0 {
		for _, nw := range niceWindows {
			m := nw / iv
			if m >= float64(k) && m == math.Round(m) {
				k = int(m)
				break
			}
		}
	}
	out := make([]Window, 0, (len(ws)+k-1)/k)
	for i := 0; i < len(ws); i += k {
		b := ws[i]
		for _, x := range ws[i+1 : min(i+k, len(ws))] {
			b.End = x.End
			b.Arrivals += x.Arrivals
			b.ColdStarts += x.ColdStarts
			b.Completions += x.Completions
			b.Rejections += x.Rejections
			b.Timeouts += x.Timeouts
			b.Cost += x.Cost
			b.CostCumulative = x.CostCumulative
			if x.Alive() > b.Alive() {
				b.Starting, b.Busy, b.Idle = x.Starting, x.Busy, x.Idle
			}
			if x.InService+x.Queue > b.InService+b.Queue {
				b.InService, b.Queue = x.InService, x.Queue
			}
			b.P50 = nanMax(b.P50, x.P50)
			b.P99 = nanMax(b.P99, x.P99)
		}
		out = append(out, b)
	}
	return out
}

// nanMax is the larger of a and b, ignoring a NaN (a window without
// completions).
func nanMax(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b
	case math.IsNaN(b):
		return a
	}
	return math.Max(a, b)
}

// perWindow says "per minute", "per 2 h", "per 30 s" for a window of iv seconds.
func perWindow(iv float64) string {
	switch iv {
	case 1:
		return "per second"
	case 60:
		return "per minute"
	case 3600:
		return "per hour"
	case 86400:
		return "per day"
	}
	return "per " + humanSeconds(iv)
}
