package reports

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// latencyCDF: the share of completed requests at or below each latency,
// on a log latency axis, with each system's p50 and p99 marked.
func latencyCDF(run *Run, idx []int) *plot.Plot {
	r := run.Results
	var drawn []int
	for _, i := range idx {
		if len(run.CDF[i]) > 0 {
			drawn = append(drawn, i)
		}
	}
	if len(drawn) == 0 {
		return nil
	}
	p := newPlot(cdfTitle(r, drawn), "latency (ms, log scale)", "share of completed requests ≤ latency")
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Left = false
	p.Legend.Top = false
	p.Legend.YOffs = vg.Points(20)
	for _, i := range drawn {
		pts := run.CDF[i]
		// Steps: the CDF jumps at each bin's value.
		xys := make(plotter.XYs, 0, 2*len(pts)+1)
		prev := 0.0
		for _, q := range pts {
			if q.LatencyMS <= 0 || !finite(q.Fraction) {
				continue
			}
			xys = append(xys, plotter.XY{X: q.LatencyMS, Y: prev}, plotter.XY{X: q.LatencyMS, Y: q.Fraction})
			prev = q.Fraction
		}
		if len(xys) == 0 {
			continue
		}
		c := SystemColor(i)
		l := line(xys, c)
		l.Dashes = systemDashes(i) // curves that coincide stay visible
		p.Add(l)
		s := &r.Systems[i]
		p.Legend.Add(fmt.Sprintf("%s: p50 %s ms, p99 %s ms", s.Name, ms(s.LatencyMS.P50), ms(s.LatencyMS.P99)), l)
		marks := plotter.XYs{}
		for _, m := range []struct{ v, q float64 }{{s.LatencyMS.P50, 0.5}, {s.LatencyMS.P99, 0.99}} {
			if m.v > 0 {
				marks = append(marks, plotter.XY{X: m.v, Y: m.q})
			}
		}
		if sc, err := plotter.NewScatter(marks); err == nil {
			sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		}
	}
	// Dotted guides at the two quantiles marked.
	for _, q := range []float64{0.5, 0.99} {
		g := plotter.NewFunction(func(float64) float64 { return q })
		g.Color = color.Gray{Y: 0x99}
		g.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		g.Width = vg.Points(0.5)
		p.Add(g)
	}
	return p
}

// cdfTitle states the tail comparison: the slowest p99 against the fastest.
func cdfTitle(r *Results, idx []int) string {
	lo, hi := idx[0], idx[0]
	for _, i := range idx {
		if r.Systems[i].LatencyMS.P99 < r.Systems[lo].LatencyMS.P99 {
			lo = i
		}
		if r.Systems[i].LatencyMS.P99 > r.Systems[hi].LatencyMS.P99 {
			hi = i
		}
	}
	a, b := &r.Systems[hi], &r.Systems[lo]
	if lo == hi || b.LatencyMS.P99 == 0 {
		return fmt.Sprintf("Latency of completed requests: p99 %s ms", ms(a.LatencyMS.P99))
	}
	t := fmt.Sprintf("%s's p99 latency is %s %s's (%s vs %s ms)", a.Name, ratio(a.LatencyMS.P99, b.LatencyMS.P99),
		b.Name, ms(a.LatencyMS.P99), ms(b.LatencyMS.P99))
	if a.ColdStarts > 0 {
		t += fmt.Sprintf("; %s%% of its requests were cold starts", pct(a.ColdStartRatio*100))
	}
	return t
}

// costComponents are the stacked parts of a bill, bottom to top, with their
// colours; any other breakdown key is drawn as "idle / provisioned".
var costComponents = []struct {
	key   string
	label string
	color color.RGBA
}{
	{"compute", "compute (GB-s)", color.RGBA{0x00, 0x72, 0xB2, 0xFF}},
	{"requests", "requests (per-request fee)", color.RGBA{0x56, 0xB4, 0xE9, 0xFF}},
	{"", "idle / provisioned", color.RGBA{0xE6, 0x9F, 0x00, 0xFF}},
	{"servers", "servers (instance-hours)", color.RGBA{0x00, 0x9E, 0x73, 0xFF}},
	{"front_door", "front door (gateway, load balancer)", color.RGBA{0xCC, 0x79, 0xA7, 0xFF}},
}

// costComponent is the stacked part a breakdown key is drawn in.
func costComponent(key string) string {
	switch key {
	case "compute", "requests", "servers":
		return key
	case "api_gateway", "load_balancer":
		return "front_door"
	}
	return ""
}

// costBreakdown: one stacked bar per system.
func costBreakdown(r *Results, idx []int) *plot.Plot {
	p := newPlot(costTitle(r, idx), "", fmt.Sprintf("cost over the measured %v (USD)", seconds(r.MeasuredSeconds())))
	names := make([]string, len(idx))
	for k, i := range idx {
		names[k] = r.Systems[i].Name
	}
	p.NominalX(names...)
	p.Y.Min = 0
	var below *plotter.BarChart
	for _, c := range costComponents {
		vals := make(plotter.Values, len(idx))
		var any bool
		for k, i := range idx {
			for key, v := range r.Systems[i].CostUSD.Breakdown {
				if costComponent(key) == c.key {
					vals[k] += v
					any = any || v > 0
				}
			}
		}
		if !any {
			continue
		}
		b, err := plotter.NewBarChart(vals, vg.Points(40))
		if err != nil {
			continue
		}
		b.Color = c.color
		b.LineStyle.Width = 0
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(c.label, b)
	}
	// Totals above the bars.
	var xys []plotter.XY
	var labels []string
	for k, i := range idx {
		xys = append(xys, plotter.XY{X: float64(k), Y: r.Systems[i].CostUSD.Total})
		labels = append(labels, "$"+usd(r.Systems[i].CostUSD.Total))
	}
	if l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels}); err == nil {
		for i := range l.TextStyle {
			l.TextStyle[i].XAlign = draw.XCenter
			l.Offset.Y = vg.Points(3)
		}
		p.Add(l)
	}
	max := 0.0
	for _, i := range idx {
		max = math.Max(max, r.Systems[i].CostUSD.Total)
	}
	p.Y.Max = max * 1.6 // room above the bars for the totals and the legend
	p.Legend.Left = false
	return p
}

// costTitle states the cheapest system against the dearest.
func costTitle(r *Results, idx []int) string {
	lo, hi := idx[0], idx[0]
	for _, i := range idx {
		if r.Systems[i].CostUSD.Total < r.Systems[lo].CostUSD.Total {
			lo = i
		}
		if r.Systems[i].CostUSD.Total > r.Systems[hi].CostUSD.Total {
			hi = i
		}
	}
	a, b := &r.Systems[lo], &r.Systems[hi]
	if lo == hi {
		return fmt.Sprintf("Cost over %v: $%s", seconds(r.MeasuredSeconds()), usd(a.CostUSD.Total))
	}
	return fmt.Sprintf("%s is %s cheaper than %s ($%s vs $%s per 1M requests)", a.Name,
		ratio(b.CostUSD.Total, a.CostUSD.Total), b.Name, usd(a.CostUSD.PerMillionRequests), usd(b.CostUSD.PerMillionRequests))
}

// coldStartsByFunction: grouped bars, one group per function, one bar per
// system; only for several functions.
func coldStartsByFunction(r *Results, idx []int) *plot.Plot {
	var fnNames []string
	for _, i := range idx {
		if len(r.Systems[i].Functions) > len(fnNames) {
			fnNames = nil
			for _, f := range r.Systems[i].Functions {
				fnNames = append(fnNames, f.Name)
			}
		}
	}
	if len(fnNames) < 2 {
		return nil
	}
	// The title names the function with the highest cold-start share.
	worstF, worstS, worst := 0, idx[0], -1.0
	for _, i := range idx {
		for f, fr := range r.Systems[i].Functions {
			if fr.ColdStartRatio > worst {
				worstF, worstS, worst = f, i, fr.ColdStartRatio
			}
		}
	}
	title := "Cold starts by function"
	if worst > 0 {
		title = fmt.Sprintf("%s has the most cold starts: %s%% of its requests on %s", fnNames[worstF], pct(worst*100), r.Systems[worstS].Name)
	}
	p := newPlot(title, "function", "cold starts (count)")
	p.NominalX(fnNames...)
	p.Y.Min = 0
	w := vg.Points(math.Max(6, 60/float64(len(idx))))
	for k, i := range idx {
		vals := make(plotter.Values, len(fnNames))
		for f := range fnNames {
			if f < len(r.Systems[i].Functions) {
				vals[f] = float64(r.Systems[i].Functions[f].ColdStarts)
			}
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			continue
		}
		b.Color = SystemColor(i)
		b.LineStyle.Width = 0
		b.Offset = w * vg.Length(float64(k)-float64(len(idx)-1)/2)
		p.Add(b)
		p.Legend.Add(r.Systems[i].Name, b)
	}
	return p
}

// timeline: request rate, instances alive, cold starts and queue length per
// window, stacked with a shared time axis.
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
	span := first[len(first)-1].End - first[0].Start
	unit, div := "minutes", 60.0
	if span > 3*3600 {
		unit, div = "hours", 3600
	}
	step := func(ws []Window, v func(Window) float64) plotter.XYs {
		xys := make(plotter.XYs, 0, 2*len(ws))
		for _, x := range ws {
			y := v(x)
			if !finite(y) {
				y = 0
			}
			xys = append(xys, plotter.XY{X: x.Start / div, Y: y}, plotter.XY{X: x.End / div, Y: y})
		}
		return xys
	}
	// Peak instances, for the title.
	peakSys, peak := have[0], int64(-1)
	for _, i := range have {
		for _, x := range series[i] {
			if x.Alive() > peak {
				peakSys, peak = i, x.Alive()
			}
		}
	}
	iv := first[0].End - first[0].Start
	peakNote := ""
	if len(first) < len(run.Series[have[0]]) {
		peakNote = " (peak)"
	}
	title := fmt.Sprintf("Over time (%s windows): %s peaks at %d instances", shortDuration(iv), r.Systems[peakSys].Name, peak)

	panels := []struct {
		y   string
		val func(Window) float64
		all bool // one line for all systems (they see the same arrivals)
	}{
		{"requests/s", func(x Window) float64 { return float64(x.Arrivals) / (x.End - x.Start) }, true},
		{"instances alive" + peakNote, func(x Window) float64 { return float64(x.Alive()) }, false},
		{"cold starts / window", func(x Window) float64 { return float64(x.ColdStarts) }, false},
		{"queue length" + peakNote, func(x Window) float64 { return float64(x.Queue) }, false},
	}
	plots := make([][]*plot.Plot, len(panels))
	xmax := first[len(first)-1].End / div
	xmin := first[0].Start / div
	for k, pn := range panels {
		p := plot.New()
		p.Add(plotter.NewGrid())
		p.Y.Label.Text = pn.y
		p.Y.Min = 0
		p.X.Min, p.X.Max = xmin, xmax
		if k == 0 {
			p.Title.Text = title
			p.Title.TextStyle.Font.Size = vg.Points(11)
		}
		if k == len(panels)-1 {
			p.X.Label.Text = "simulated time (" + unit + ")"
		} else {
			p.X.Tick.Label.Font.Size = 0 // shared axis: labels on the bottom panel only
		}
		for _, i := range have {
			c := color.Color(SystemColor(i))
			if pn.all {
				c = color.Gray{Y: 0x33}
			}
			l := line(step(series[i], pn.val), c)
			l.Dashes = systemDashes(i)
			p.Add(l)
			if k == 1 {
				p.Legend.Add(r.Systems[i].Name, l)
				p.Legend.Top, p.Legend.Left = true, false
			}
			if pn.all {
				break
			}
		}
		if p.Y.Max <= 0 {
			p.Y.Max = 1 // an all-zero panel still shows its zero line
		}
		plots[k] = []*plot.Plot{p}
	}
	return Figure{Name: "timeline", Title: title, W: w, H: h, draw: func(dc draw.Canvas) {
		t := draw.Tiles{Rows: len(panels), Cols: 1, PadX: vg.Millimeter, PadY: vg.Millimeter * 2,
			PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
		cs := plot.Align(plots, t, dc)
		for k := range plots {
			plots[k][0].Draw(cs[k][0])
		}
	}}, true
}

// systemDashes: every other system is dashed, so coinciding lines show.
func systemDashes(i int) []vg.Length {
	if i%2 == 1 {
		return []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return nil
}

// shortDuration prints 60 s as "1m", 90 s as "1m30s", 1 h as "1h".
func shortDuration(sec float64) string {
	s := seconds(sec).String()
	for _, z := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, z) {
			s = strings.TrimSuffix(s, z[1:])
		}
	}
	return s
}

// maxTimelineBins is the most steps a timeline panel draws: beyond a few
// hundred, steps merge into a smear at any print size.
const maxTimelineBins = 240

// coarsen merges runs of consecutive windows so at most max remain: counts
// add up, instance and queue levels keep their peak.
func coarsen(ws []Window, limit int) []Window {
	k := (len(ws) + limit - 1) / limit
	if k <= 1 {
		return ws
	}
	out := make([]Window, 0, limit)
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
			b.Queue = max(b.Queue, x.Queue)
			b.InService = max(b.InService, x.InService)
		}
		out = append(out, b)
	}
	return out
}
