package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// latencyCDF: the share of completed requests at or below each latency, on
// a log latency axis and a tail axis (-log10(1-p), as HDR histogram plots
// draw it) so the p99 and p99.9 that cold starts set get as much room as
// the body; each system's p50 and p99 marked. Systems whose distributions
// are identical are drawn once and named together.
func latencyCDF(run *Run, idx []int, w, h vg.Length) (Figure, bool) {
	r := run.Results
	var drawn []int
	for _, i := range idx {
		if slices.ContainsFunc(run.CDF[i], func(q CDFPoint) bool { return q.LatencyMS > 0 && q.Count > 0 }) {
			drawn = append(drawn, i)
		}
	}
	if len(drawn) == 0 {
		return Figure{}, false
	}
	groups := sameGroups(drawn, func(a, b int) bool { return slices.Equal(run.CDF[a], run.CDF[b]) })

	type curve struct {
		xys   plotter.XYs
		marks plotter.XYs
		style draw.LineStyle
	}
	var curves []curve
	var legend []legendEntry
	lo, hi, top := math.Inf(1), 0.0, 0.5
	for _, g := range groups {
		i := g[0]
		pts := run.CDF[i]
		var n float64
		for _, q := range pts {
			n += q.Count
		}
		// The last request sits at 1 - 1/n: the highest share n requests resolve.
		last := math.Min(1-1/n, maxTailShare)
		top = math.Max(top, last)
		// Steps: the CDF jumps at each bin's value.
		xys := make(plotter.XYs, 0, 2*len(pts))
		prev := 0.0
		for _, q := range pts {
			if q.LatencyMS <= 0 || !finite(q.Fraction) {
				prev = q.Fraction
				continue
			}
			f := math.Min(q.Fraction, last)
			xys = append(xys, plotter.XY{X: q.LatencyMS, Y: prev}, plotter.XY{X: q.LatencyMS, Y: f})
			prev = f
			if q.Fraction >= 0.01 {
				lo = math.Min(lo, q.LatencyMS)
			}
			hi = math.Max(hi, q.LatencyMS)
		}
		s := &r.Systems[i]
		var marks plotter.XYs
		for _, m := range []struct{ v, q float64 }{{s.LatencyMS.P50, 0.5}, {s.LatencyMS.P99, 0.99}} {
			if m.v > 0 && m.q <= last {
				marks = append(marks, plotter.XY{X: m.v, Y: m.q})
			}
		}
		st := systemLine(i)
		curves = append(curves, curve{xys, marks, st})
		label := fmt.Sprintf("%s: p50 %s, p99 %s", groupName(r, g), humanMS(s.LatencyMS.P50), humanMS(s.LatencyMS.P99))
		var notes []string
		for _, k := range g {
			if n := failNote(&r.Systems[k]); n != "" {
				who := ""
				if len(g) > 1 {
					who = r.Systems[k].Name + " "
				}
				notes = append(notes, who+n)
			}
		}
		if len(notes) > 0 {
			label += " (" + strings.Join(notes, ", ") + ", not drawn)"
		}
		legend = append(legend, legendEntry{label, []plot.Thumbnailer{lineThumb(st)}})
	}
	if !(lo < hi) {
		lo, hi = hi/2, hi*2
	}
	xmin, xmax := lo/1.25, hi*1.1
	return frame{
		title:  cdfTitle(r, drawn),
		legend: legend,
		body: func(c draw.Canvas) {
			p := newAxes("latency (log scale)", "completed requests")
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = logDurationTicks{Max: int((c.Max.X - c.Min.X) / vg.Points(55))}
			p.X.Min, p.X.Max = xmin, xmax
			p.Y.Scale = tailScale{}
			p.Y.Tick.Marker = tailTicks{}
			p.Y.Min, p.Y.Max = 0, top
			for _, cv := range curves {
				l := line(cv.xys, cv.style.Color)
				l.LineStyle = cv.style
				p.Add(l)
				if sc, err := plotter.NewScatter(cv.marks); err == nil && len(cv.marks) > 0 {
					sc.GlyphStyle = draw.GlyphStyle{Color: cv.style.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
					p.Add(sc)
				}
			}
			fitAxes(p, c)
			p.Draw(c)
		},
	}.figure("latency_cdf", w, h, minPlotBody), true
}

// minPlotBody is the least height of a one-plot figure's body: its axes
// and enough of the data to read, points.
const minPlotBody = 130

// cdfTitle states the tail comparison: the slowest p99 against the fastest,
// and the failures a latency of completed requests leaves out.
func cdfTitle(r *Results, idx []int) string {
	// Only systems that completed requests have a latency.
	idx = slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return r.Systems[i].Completed == 0 })
	if len(idx) == 0 {
		return "Latency of completed requests: none completed"
	}
	lo, hi := extremes(r, idx, func(s *SystemResult) float64 { return s.LatencyMS.P99 })
	a, b := &r.Systems[hi], &r.Systems[lo]
	var t string
	switch {
	case len(idx) == 1:
		t = fmt.Sprintf("%s's p99 latency is %s", tagged(a), humanMS(a.LatencyMS.P99))
	case a.LatencyMS.P99 == b.LatencyMS.P99:
		t = fmt.Sprintf("Every system's p99 latency is %s", humanMS(a.LatencyMS.P99))
	case a.LatencyMS.P99 < 1.1*b.LatencyMS.P99:
		// As the verdict says it: a 1.0x ratio names no winner.
		t = fmt.Sprintf("p99 latencies are within 10%% of each other (%s to %s)", humanMS(b.LatencyMS.P99), humanMS(a.LatencyMS.P99))
	default:
		t = fmt.Sprintf("%s's p99 latency is %s %s's (%s vs %s)", tagged(a), ratio(a.LatencyMS.P99, b.LatencyMS.P99),
			tagged(b), humanMS(a.LatencyMS.P99), humanMS(b.LatencyMS.P99))
		if a.ColdStarts > 0 {
			t += fmt.Sprintf("; %s%% of its requests were cold starts", pct(a.ColdStartRatio*100))
		}
	}
	if n := failClause(b); n != "" && lo != hi {
		t += "; " + n
	}
	if n := failClause(a); n != "" {
		t += "; " + n
	}
	return t
}

// costBreakdown: the bill of each system in two panels sharing the system
// axis: the total in dollars (a log axis when totals span more than 10×, so
// a $0.02 Lambda bill stands beside a $7 server), and the share of each
// component (compute, requests, state, idle / provisioned / other, servers, front door).
func costBreakdown(r *Results, idx []int, w, h vg.Length) Figure {
	n := len(idx)
	names := make([]string, n)
	totals := make([]float64, n)
	shares := make([][]float64, n) // per system, per component of costComponents
	present := make([]bool, len(costComponents))
	minPos, maxT := math.Inf(1), 0.0
	for k, i := range idx {
		s := &r.Systems[i]
		names[k], totals[k] = s.Name, s.CostUSD.Total
		if totals[k] > 0 {
			minPos = math.Min(minPos, totals[k])
		}
		maxT = math.Max(maxT, totals[k])
		shares[k] = make([]float64, len(costComponents))
		var sum float64
		// Sorted keys: float sums must not depend on map order.
		for _, key := range slices.Sorted(maps.Keys(s.CostUSD.Breakdown)) {
			v := s.CostUSD.Breakdown[key]
			c := slices.IndexFunc(costComponents, func(c costComponent) bool { return c.key == componentOf(key) })
			if c < 0 {
				c = slices.IndexFunc(costComponents, func(c costComponent) bool { return c.key == "" })
			}
			if v > 0 {
				shares[k][c] += v
				sum += v
				present[c] = true
			}
		}
		for c := range shares[k] {
			if sum > 0 {
				shares[k][c] /= sum
			}
		}
	}
	logAxis := minPos > 0 && maxT/minPos > 10 && !slices.Contains(totals, 0)
	var legend []legendEntry
	for c, cc := range costComponents {
		if present[c] {
			legend = append(legend, legendEntry{cc.label, []plot.Thumbnailer{boxThumb{componentColors[cc.key]}}})
		}
	}
	measured := humanSeconds(r.MeasuredSeconds())
	return frame{
		title:  costTitle(r, idx),
		legend: legend,
		body: func(c draw.Canvas) {
			// y = n-1-k puts the first system at the top.
			yOf := func(k int) float64 { return float64(n - 1 - k) }
			ticks := make(plot.ConstantTicks, n)
			for k := range idx {
				ticks[k] = plot.Tick{Value: yOf(k), Label: ellipsis(names[k], textStyle(tickSize, ink), (c.Max.X-c.Min.X)/4)}
			}
			split := c.Min.X + (c.Max.X-c.Min.X)*0.58
			left, right := c, c
			left.Max.X, right.Min.X = split-vg.Points(6), split+vg.Points(6)
			left = heading(left, "total over the measured "+measured)
			right = heading(right, "what each bill is made of")
			top := min(left.Max.Y, right.Max.Y)
			left.Max.Y, right.Max.Y = top, top

			xl := "US dollars"
			if logAxis {
				xl += ", log scale"
			}
			pl := newAxes(xl, "")
			pl.Y.Tick.Marker = ticks
			pl.Y.Min, pl.Y.Max = -0.5, float64(n)-0.5
			pl.Y.Tick.Length = 0
			pl.Y.Padding = 0
			pl.X.Tick.Marker = niceTicks{Max: 4, Format: moneyTick}
			pl.X.Min = 0
			if logAxis {
				pl.X.Scale = plot.LogScale{}
				pl.X.Tick.Marker = logTicks{Format: moneyLabel}
				pl.X.Min = math.Pow10(int(math.Floor(math.Log10(minPos / 2))))
			}
			labelSt := textStyle(tickSize, ink)
			var bars []hbar
			for k := range idx {
				label := dollars(totals[k])
				if r.Systems[idx[k]].StoppedAtSeconds != nil {
					label += " (to its stop)" // a bill of part of the window
				}
				bars = append(bars, hbar{y: yOf(k), x0: pl.X.Min, x1: math.Max(totals[k], pl.X.Min), c: SystemColor(idx[k]), label: label})
			}
			// Room on the right of the longest bar for its label.
			pl.X.Max = maxT * 1.05
			if pl.X.Max <= pl.X.Min {
				pl.X.Max = pl.X.Min + 1
			}
			for range 2 {
				dw := pl.DataCanvas(left).Max.X - pl.DataCanvas(left).Min.X
				// The axis' reach: in decades on a log axis (at least one),
				// in dollars on a linear one (a $0.08 bill gets an axis to
				// about $0.10, not to $1).
				need := 0.0
				if logAxis {
					need = 1
				}
				for _, b := range bars {
					room := float64(dw-barLabelGap-labelSt.Width(b.label)) / float64(dw)
					if room <= 0.2 {
						room = 0.2
					}
					if logAxis {
						need = math.Max(need, math.Log10(b.x1/pl.X.Min)/room)
					} else {
						need = math.Max(need, b.x1/room)
					}
				}
				if logAxis {
					pl.X.Max = pl.X.Min * math.Pow(10, need)
				} else {
					pl.X.Max = math.Max(need, pl.X.Min+1e-12)
				}
			}
			pl.Add(hbars{bars: bars, thick: 0.6, label: labelSt})
			fitAxes(pl, left)
			pl.Draw(left)

			pr := newAxes("share of the bill", "")
			pr.Y.Tick.Marker = plot.ConstantTicks{}
			pr.Y.Min, pr.Y.Max = -0.5, float64(n)-0.5
			pr.Y.Padding = 0
			pr.X.Min, pr.X.Max = 0, 1
			pr.X.Tick.Marker = niceTicks{Max: 3, Format: func(v, _ float64) string { return grouped(100*v, 0) + "%" }}
			var segs []hbar
			for k := range idx {
				x := 0.0
				for cIdx, cc := range costComponents {
					if sh := shares[k][cIdx]; sh > 0 {
						segs = append(segs, hbar{y: yOf(k), x0: x, x1: x + sh, c: componentColors[cc.key]})
						x += sh
					}
				}
			}
			pr.Add(hbars{bars: segs, thick: 0.6})
			fitAxes(pr, right)
			pr.Draw(right)
		},
	}.figure("cost_breakdown", w, h, max(minPlotBody, vg.Points(16*float64(n)+70)))
}

// costComponent is one stacked part of a bill.
type costComponent struct{ key, label string }

// costComponents are the parts of a bill, left to right; any breakdown
// key not listed is drawn with the idle and provisioned charges ("idle,
// provisioned, other": ephemeral storage, pings, a baseline).
var costComponents = []costComponent{
	{"compute", "compute (GB-s)"},
	{"requests", "requests (per-request fee)"},
	{"state", "state store (round trips)"},
	{"", "idle, provisioned, other"},
	{"servers", "servers (instance-hours)"},
	{"front_door", "front door (gateway, load balancer)"},
}

// componentOf is the stacked part a breakdown key is drawn in: a front
// door's lines (api_gateway, load_balancer) together, a fleet's commitment
// with its servers, the others by name.
func componentOf(key string) string {
	switch key {
	case "api_gateway", "load_balancer":
		return "front_door"
	case "commitment":
		return "servers"
	}
	return key
}

// costTitle states the cheapest system against the dearest, and what the
// cheaper one failed to serve. A system stopped by its backlog budget is
// compared with none: its bill is of part of the window.
func costTitle(r *Results, idx []int) string {
	var whole, stopped []int
	for _, i := range idx {
		if r.Systems[i].StoppedAtSeconds != nil {
			stopped = append(stopped, i)
		} else {
			whole = append(whole, i)
		}
	}
	if len(stopped) == 0 {
		return compareCost(r, idx)
	}
	var names []string
	for _, i := range stopped {
		names = append(names, fmt.Sprintf("%s's bill covers its run up to its stop at %s", r.Systems[i].Name, stopTime(*r.Systems[i].StoppedAtSeconds)))
	}
	note := strings.Join(names, "; ") + " (backlog over budget)"
	if len(whole) == 0 {
		return note
	}
	return compareCost(r, whole) + "; " + note
}

func compareCost(r *Results, idx []int) string {
	lo, hi := extremes(r, idx, func(s *SystemResult) float64 { return s.CostUSD.Total })
	a, b := &r.Systems[lo], &r.Systems[hi]
	if lo == hi {
		return fmt.Sprintf("%s costs %s over the measured %s (%s per 1M requests)", a.Name, dollars(a.CostUSD.Total),
			humanSeconds(r.MeasuredSeconds()), dollars(a.CostUSD.PerMillionRequests))
	}
	// A system with a warning is named with it: the cheapest may be cheap
	// because it failed.
	// Within 10% a percentage, as the verdict says it: "1.0x" names no winner.
	t := fmt.Sprintf("%s is %s %s (%s vs %s per 1M requests)", tagged(a),
		cheaperThan(a.CostUSD.Total, b.CostUSD.Total), tagged(b), dollars(a.CostUSD.PerMillionRequests), dollars(b.CostUSD.PerMillionRequests))
	if share, how, ok := failure(a); ok {
		t += fmt.Sprintf(", but it %s %s of its requests", how, share)
	}
	return t
}

// barLabelGap is the space between a bar's end and its value label.
const barLabelGap = 3

// hbar is one horizontal bar from x0 to x1 centred on y, with an optional
// label after its end.
type hbar struct {
	y, x0, x1 float64
	c         color.Color
	label     string
}

// hbars draws horizontal bars thick data units high (a log axis has no
// zero for gonum's bar chart to start from, so bars start where we say).
type hbars struct {
	bars  []hbar
	thick float64
	label text.Style
}

var _ plot.Plotter = hbars{}

// Plot implements plot.Plotter.
func (hb hbars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range hb.bars {
		x0, x1 := trX(b.x0), trX(b.x1)
		y0, y1 := trY(b.y-hb.thick/2), trY(b.y+hb.thick/2)
		if x1 > x0 {
			c.FillPolygon(b.c, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
		if b.label != "" {
			st := hb.label
			st.YAlign = draw.YCenter
			c.FillText(st, vg.Point{X: x1 + barLabelGap, Y: trY(b.y)}, b.label)
		}
	}
}

// maxFunctions is how many functions the cold-start figure shows: the
// ones with the most cold starts.
const maxFunctions = 10

// coldStartsByFunction: horizontal grouped bars, the functions with the
// most cold starts (over the systems drawn) from the top, one bar per
// system; only for several functions.
func coldStartsByFunction(r *Results, idx []int, w, h vg.Length) (Figure, bool) {
	var fns []FunctionResult
	for _, i := range idx {
		if len(r.Systems[i].Functions) > len(fns) {
			fns = r.Systems[i].Functions
		}
	}
	if len(fns) < 2 {
		return Figure{}, false
	}
	cold := func(i, f int) int64 {
		if f < len(r.Systems[i].Functions) {
			return r.Systems[i].Functions[f].ColdStarts
		}
		return 0
	}
	order := make([]int, len(fns))
	total := make([]int64, len(fns))
	for f := range fns {
		order[f] = f
		for _, i := range idx {
			total[f] += cold(i, f)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(total[b], total[a]) })
	shown := order[:min(maxFunctions, len(order))]

	// The title names the function and system with the most cold starts.
	title := "No function had a cold start"
	bestF, bestS := -1, -1
	for _, f := range shown {
		for _, i := range idx {
			if c := cold(i, f); c > 0 && (bestF < 0 || c > cold(bestS, bestF)) {
				bestF, bestS = f, i
			}
		}
	}
	if bestF >= 0 {
		fr := r.Systems[bestS].Functions[bestF]
		title = fmt.Sprintf("%s has the most cold starts: %s of its %s requests on %s", fr.Name, count(fr.ColdStarts),
			count(fr.Requests), r.Systems[bestS].Name)
	}
	ylabel := "function"
	if len(shown) < len(fns) {
		ylabel = fmt.Sprintf("the %d functions of %d with the most cold starts", len(shown), len(fns))
	}
	var legend []legendEntry
	for _, i := range idx {
		legend = append(legend, legendEntry{r.Systems[i].Name, []plot.Thumbnailer{boxThumb{SystemColor(i)}}})
	}
	// Each function's row needs room for its label and a visible bar per system.
	row := vg.Points(max(14, 4*float64(len(idx))+6))
	return frame{
		title:  title,
		legend: legend,
		body: func(c draw.Canvas) {
			p := newAxes("cold starts over the measured "+humanSeconds(r.MeasuredSeconds()), ylabel)
			n := len(shown)
			ticks := make(plot.ConstantTicks, n)
			st := textStyle(tickSize, ink)
			for k, f := range shown {
				label := ellipsis(fns[f].Name, st, (c.Max.X-c.Min.X)/4)
				if fns[f].Requests > 0 {
					label += " (" + count(fns[f].Requests) + " req)"
				}
				ticks[k] = plot.Tick{Value: float64(n - 1 - k), Label: label}
			}
			p.Y.Tick.Marker = ticks
			p.Y.Tick.Length = 0
			p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
			p.Y.Padding = 0
			p.X.Min = 0
			var bars []hbar
			m := float64(len(idx))
			thick := 0.8 / m
			var peak int64
			for k, f := range shown {
				for j, i := range idx {
					y := float64(n-1-k) + 0.4 - thick*(float64(j)+0.5)
					bars = append(bars, hbar{y: y, x0: 0, x1: float64(cold(i, f)), c: SystemColor(i)})
					peak = max(peak, cold(i, f))
				}
			}
			p.X.Max = math.Max(1, float64(peak)*1.05)
			p.X.Tick.Marker = niceTicks{Max: int((c.Max.X - c.Min.X) / vg.Points(60)), Integer: true}
			p.Add(hbars{bars: bars, thick: thick * 0.9})
			fitAxes(p, c)
			p.Draw(c)
		},
	}.figure("cold_starts_by_function", w, h, row*vg.Length(len(shown))+vg.Points(50)), true
}
