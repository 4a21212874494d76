package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// powerTuning is AWS Lambda Power Tuning's chart for a memory axis: the
// memory sizes tried along x (evenly spaced, as Power Tuning draws them),
// latency on the left axis (p99 solid, p50 dotted, with their bands) and
// the cost per million requests on the right (dashed, squares), the goal's
// pick and the other strategies' marked.
func powerTuning(d *answerData, a SweepAxis, w, h vg.Length) (Figure, bool) {
	var systems []string
	if sys := d.keySystem(a.Key); sys != "" {
		systems = []string{sys}
	} else {
		for _, o := range d.obs {
			if o.typ == "faas" && !slices.Contains(systems, o.name) {
				systems = append(systems, o.name)
			}
		}
	}
	return memoryChart(d, d.alongAxis(a, systems), a, func(o obs) (float64, bool) {
		v, _ := o.params.Get(a.Key)
		f, ok := v.(float64)
		return f, ok
	}, w, h)
}

// runPowerTuning draws the chart from a run whose FaaS systems differ in
// memory alone (three or more of them on one platform).
func runPowerTuning(d *answerData, r *Results, w, h vg.Length) (Figure, bool) {
	var os []obs
	for _, o := range d.obs {
		if o.typ == "faas" && o.memory > 0 {
			os = append(os, o)
		}
	}
	mems := map[float64]bool{}
	for _, o := range os {
		mems[o.memory] = true
	}
	if len(os) < 3 || len(mems) != len(os) || !sameBut(r, os, "memory_mb") {
		return Figure{}, false
	}
	slices.SortStableFunc(os, func(a, b obs) int { return cmpFloat(a.memory, b.memory) })
	var values []any
	for _, o := range os {
		values = append(values, o.memory)
	}
	// One series in the first system's colour: the systems are one
	// function at several sizes.
	s := series{sys: os[0].sys, name: "memory sizes", obs: os}
	return memoryChart(d, []series{s}, SweepAxis{Key: "memory_mb", Values: values}, func(o obs) (float64, bool) { return o.memory, true }, w, h)
}

// sameBut: the systems are on one platform and their params agree on
// every key but key: the figure compares that key, not platforms.
func sameBut(r *Results, os []obs, key string) bool {
	var first map[string]any
	for _, o := range os {
		p := r.Systems[o.sys].Params
		if p == nil || r.Systems[o.sys].Platform != r.Systems[os[0].sys].Platform {
			return false
		}
		if first == nil {
			first = p
			continue
		}
		for k, v := range p {
			if k != key && ParamLabel(v) != ParamLabel(first[k]) {
				return false
			}
		}
	}
	return true
}

// memoryChart draws the series against memory.
func memoryChart(d *answerData, ss []series, a SweepAxis, memOf func(obs) (float64, bool), w, h vg.Length) (Figure, bool) {
	const costPath = "cost_usd.per_million_requests"
	var mems []float64
	for _, s := range ss {
		for _, o := range s.obs {
			if m, ok := memOf(o); ok && !slices.Contains(mems, m) {
				mems = append(mems, m)
			}
		}
	}
	slices.Sort(mems)
	if len(mems) < 2 {
		return Figure{}, false
	}
	pos := func(o obs) float64 { m, _ := memOf(o); return float64(slices.Index(mems, m)) }

	m := &marks{}
	var lat, cost []float64
	var legend []legendEntry
	multi := len(ss) > 1
	warned := false
	for _, s := range ss {
		col := SystemColor(s.sys)
		prefix := ""
		if multi {
			prefix = s.name + " "
		}
		for _, q := range []struct {
			path, what string
			style      draw.LineStyle
			right      bool
		}{
			{"latency_ms.p99", "p99 latency (left axis)", draw.LineStyle{Color: col, Width: vg.Points(1.5)}, false},
			{"latency_ms.p50", "p50 latency (left axis)", draw.LineStyle{Color: col, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}, false},
			{costPath, "cost per 1M requests (right axis)", draw.LineStyle{Color: col, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}, true},
		} {
			var xs, ys, lo, hi []float64
			for _, o := range s.obs {
				e, ok := o.get(q.path)
				if !ok {
					continue
				}
				x := pos(o)
				xs, ys, lo, hi = append(xs, x), append(ys, e.mean), append(lo, e.lo), append(hi, e.hi)
				if q.right {
					cost = append(cost, e.lo, e.hi)
				} else {
					lat = append(lat, e.lo, e.hi)
				}
				if q.path != "latency_ms.p50" {
					answer := d.isAnswer(o)
					m.dots = append(m.dots, dotMark{x: pointEst(x), y: pointEst(e.mean), c: col, hollow: len(o.warn) > 0, square: q.right,
						ring: answer, right: q.right})
					warned = warned || len(o.warn) > 0
				}
			}
			if len(xs) == 0 {
				continue
			}
			m.bands = append(m.bands, bandMark{xs: xs, lo: lo, hi: hi, c: col, right: q.right})
			m.lines = append(m.lines, lineMark{xs: xs, ys: ys, style: q.style, right: q.right})
			thumbs := []plot.Thumbnailer{lineThumb(q.style)}
			if q.right {
				thumbs = append(thumbs, glyphThumb{draw.GlyphStyle{Color: col, Radius: vg.Points(dotRadius), Shape: draw.BoxGlyph{}}})
			}
			legend = append(legend, legendEntry{prefix + q.what, thumbs})
		}
	}
	if len(lat) == 0 || len(cost) == 0 {
		return Figure{}, false
	}
	for _, path := range []string{"latency_ms.p99", "latency_ms.p50", "latency_ms.mean"} {
		for _, t := range d.thresholds(path) {
			m.guides = append(m.guides, guideMark{at: t.bound, label: t.from + " " + t.label("ms")})
			lat = append(lat, t.bound)
		}
	}
	picks := strategyPicks(d, a)
	for _, pk := range picks {
		if k := slices.Index(mems, pk.mem); k >= 0 {
			m.guides = append(m.guides, guideMark{vertical: true, at: float64(k), label: pk.label})
		}
	}
	if warned {
		legend = append(legend, hollowEntry("hollow: the system has a warning at that size ("+warningCodes(d)+")"))
	}
	logLat, logCost := spans(lat, 10), spans(cost, 20)
	left, right := "latency", "cost per 1M requests"
	if logLat {
		left += " (log scale)"
	}
	if logCost {
		right += " (log scale)"
	}
	xl := axisName(a.Key)
	ticks := make(plot.ConstantTicks, len(mems))
	for k, v := range mems {
		ticks[k] = plot.Tick{Value: float64(k), Label: sigTrim(v, 6)}
	}
	return frame{
		title:  powerTitle(d, ss, mems, memOf, picks),
		legend: legend,
		body: func(c draw.Canvas) {
			c = twoHeadings(c, left, right)
			ra := newAxes("", "").Y
			setAxis(&ra, cost, "USD", logCost, c.Max.Y-c.Min.Y, vg.Points(28))
			// Room on the right for the cost axis' ticks and labels.
			rt := rightTicks(&ra, c.Max.Y-c.Min.Y)
			c.Max.X -= ra.Padding + ra.Tick.Length + vg.Points(3) + tickLabelWidth(ra, rt)
			p := newAxes(xl, "")
			setAxis(&p.Y, lat, "ms", logLat, c.Max.Y-c.Min.Y, vg.Points(28))
			p.X.Tick.Marker = ticks
			p.X.Min, p.X.Max = -0.4, float64(len(mems))-0.6
			m.right = &ra
			p.Add(m)
			fitAxes(p, c)
			p.Draw(c)
			drawRightAxis(c, p.DataCanvas(c), &ra, rt)
		},
	}.figure("power_tuning", w, h, minPlotBody), true
}

// pick is one memory a strategy or the goal chose.
type pick struct {
	mem   float64
	label string
}

// strategyPicks are the goal's answer ("cost: 1,024 MB") and what the
// other Power Tuning strategies pick, merged where they agree ("speed,
// balanced: 1,769 MB").
func strategyPicks(d *answerData, a SweepAxis) []pick {
	g := d.goal
	if g == nil || g.Vary != a.Key {
		return nil
	}
	var out []pick
	add := func(v any, who string) {
		f, ok := v.(float64)
		if !ok {
			return
		}
		for k := range out {
			if out[k].mem == f {
				out[k].label = strings.Replace(out[k].label, ":", " and "+who+":", 1)
				out[k].label = strings.Replace(out[k].label, " and ", ", ", strings.Count(out[k].label, " and ")-1)
				return
			}
		}
		out = append(out, pick{f, who + ": " + sigTrim(f, 6) + " MB"})
	}
	for _, ans := range d.goalAnswers() {
		who := "the goal"
		if g.Strategy != "" {
			who = g.Strategy
		}
		add(ans.Answer, who)
		for _, n := range []string{"cost", "speed", "balanced"} {
			if v, ok := ans.Strategies[n]; ok && n != g.Strategy {
				add(v, n)
			}
		}
	}
	return out
}

// powerTitle states the pick with its figures, else where cost and p99
// are least.
func powerTitle(d *answerData, ss []series, mems []float64, memOf func(obs) (float64, bool), picks []pick) string {
	find := func(mem float64) *obs {
		for _, s := range ss {
			for k := range s.obs {
				if m, _ := memOf(s.obs[k]); m == mem {
					return &s.obs[k]
				}
			}
		}
		return nil
	}
	mb := func(m float64) string { return sigTrim(m, 6) + " MB" }
	if g := d.goal; g != nil && len(picks) > 0 {
		o := find(picks[0].mem)
		if o == nil {
			return "Latency and cost against memory"
		}
		what := map[string]string{"cost": "the cheapest memory size", "speed": "the fastest memory size",
			"balanced": "the best balance of cost and speed"}[g.Strategy]
		if what == "" {
			what = "the memory size with the least " + g.Minimize
		}
		var want []string
		for _, path := range []string{"latency_ms.p99", "latency_ms.p50", "latency_ms.mean", "cost_usd.per_million_requests"} {
			for _, t := range d.thresholds(path) {
				want = append(want, t.label(metricUnit(path)))
			}
		}
		if len(want) > 0 {
			what += " with " + strings.Join(want, " and ")
		}
		cost, _ := o.value("cost_usd.per_million_requests")
		p99, _ := o.value("latency_ms.p99")
		t := fmt.Sprintf("%s is %s: %s per 1M requests at p99 %s", mb(picks[0].mem), what, dollars(cost), humanMS(p99))
		if !o.sound() {
			t = o.name + " (" + strings.Join(o.warn, ", ") + ") at " + t
		}
		for _, pk := range picks[1:] {
			who, _, _ := strings.Cut(pk.label, ":")
			t += fmt.Sprintf("; %s pick %s", who, mb(pk.mem))
		}
		return t
	}
	// Without a goal: the least cost and the least p99 among the sound.
	var cheap, fast *obs
	for _, s := range ss {
		for k := range s.obs {
			o := &s.obs[k]
			if !o.sound() {
				continue
			}
			if c, ok := o.value("cost_usd.per_million_requests"); ok && (cheap == nil || c < must(cheap.value("cost_usd.per_million_requests"))) {
				cheap = o
			}
			if l, ok := o.value("latency_ms.p99"); ok && o.enough("latency_ms.p99") && (fast == nil || l < must(fast.value("latency_ms.p99"))) {
				fast = o
			}
		}
	}
	if cheap == nil {
		return "Latency and cost against memory: every size fails or saturates"
	}
	cm, _ := memOf(*cheap)
	t := fmt.Sprintf("Cost per 1M requests is least at %s (%s)", mb(cm), dollars(must(cheap.value("cost_usd.per_million_requests"))))
	if fast != nil {
		fm, _ := memOf(*fast)
		t += fmt.Sprintf("; p99 latency is least at %s (%s)", mb(fm), humanMS(must(fast.value("latency_ms.p99"))))
	}
	return t
}

// twoHeadings names the left axis at the top left and the right axis at
// the top right, on one line where both fit, and returns c without them.
func twoHeadings(c draw.Canvas, left, right string) draw.Canvas {
	st := textStyle(headingSize, subdued)
	if st.Width(left)+st.Width(right)+vg.Points(12) > c.Max.X-c.Min.X {
		c = heading(c, left)
		rs := st
		rs.XAlign = draw.XRight
		c.FillText(rs, vg.Point{X: c.Max.X, Y: c.Max.Y}, right)
		c.Max.Y -= st.Font.Size*lineSpacing + vg.Points(4)
		return c
	}
	rs := st
	rs.XAlign = draw.XRight
	c.FillText(rs, vg.Point{X: c.Max.X, Y: c.Max.Y}, right)
	return heading(c, left)
}

// rightTicks are the right axis' ticks, thinned to fit its length.
func rightTicks(a *plot.Axis, length vg.Length) []plot.Tick {
	return spaced{Ticker: a.Tick.Marker, axis: a, length: length}.Ticks(a.Min, a.Max)
}

// tickLabelWidth is the widest tick label.
func tickLabelWidth(a plot.Axis, ts []plot.Tick) vg.Length {
	var w vg.Length
	for _, t := range ts {
		w = max(w, a.Tick.Label.Width(t.Label))
	}
	return w
}

// drawRightAxis draws a's line, ticks and labels beside the data canvas
// dc (the left plot's), on canvas c.
func drawRightAxis(c, dc draw.Canvas, a *plot.Axis, ts []plot.Tick) {
	x := dc.Max.X + a.Padding
	axis := draw.LineStyle{Color: ink, Width: vg.Points(0.5)}
	c.StrokeLine2(axis, x, dc.Min.Y, x, dc.Max.Y)
	st := a.Tick.Label
	st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
	for _, t := range ts {
		y := dc.Y(a.Norm(t.Value))
		if y < dc.Min.Y-0.01 || y > dc.Max.Y+0.01 || math.IsNaN(float64(y)) {
			continue
		}
		n := a.Tick.Length
		if t.Label == "" {
			n /= 2
		}
		c.StrokeLine2(axis, x, y, x+n, y)
		if t.Label != "" {
			c.FillText(st, vg.Point{X: x + a.Tick.Length + vg.Points(3), Y: y}, t.Label)
		}
	}
}
