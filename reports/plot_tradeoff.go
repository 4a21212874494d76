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

// tradeoff: cost per million requests against p99 latency, one point per
// system (a run) or per system and point (a sweep), each with its
// confidence bars; the Pareto frontier (nothing both cheaper and faster)
// ringed and joined; the SLO's p99 (and cost) bounds drawn. Only
// alternatives for one load compare this way: a sweep that varies its
// workload does not get it.
func tradeoff(d *answerData, w, h vg.Length) (Figure, bool) {
	const xp, yp = "latency_ms.p99", "cost_usd.per_million_requests"
	os := d.obsOf(xp, yp)
	if len(os) < 2 {
		return Figure{}, false
	}
	eligible := (*obs).choosable
	mean := func(p string) func(o *obs) float64 {
		return func(o *obs) float64 { v, _ := o.value(p); return v }
	}
	on := frontier(os, eligible, lowerBetter(xp, yp))

	ths := append(d.thresholds(xp), d.thresholds(yp)...)
	// The recommendation: the goal's answer, else the cheapest eligible
	// point whose pessimistic bounds meet every drawn threshold.
	best := -1
	for k := range os {
		if d.isAnswer(os[k]) && eligible(&os[k]) {
			best = k
		}
	}
	if best < 0 && len(ths) > 0 {
		for k := range os {
			o := &os[k]
			if !eligible(o) || !meetsBounds(o, ths) {
				continue
			}
			if best < 0 || mean(yp)(o) < mean(yp)(&os[best]) {
				best = k
			}
		}
	}

	// The scales fit the points that can be chosen and the thresholds; a
	// failing point far beyond them sits on the axis' edge, its figure in
	// its label, so it does not squeeze the others into a corner.
	var coreX, coreY, allX, allY []float64
	for k := range os {
		x, _ := os[k].get(xp)
		y, _ := os[k].get(yp)
		allX, allY = append(allX, x.lo, x.hi), append(allY, y.lo, y.hi)
		if eligible(&os[k]) {
			coreX, coreY = append(coreX, x.lo, x.hi), append(coreY, y.lo, y.hi)
		}
	}
	for _, t := range ths {
		if t.path == xp {
			coreX = append(coreX, t.bound)
		} else {
			coreY = append(coreY, t.bound)
		}
	}
	offX, offY := offScale(coreX, allX), offScale(coreY, allY)

	var dots []dotMark
	var xs, ys []float64
	var fx, fy []float64 // the frontier, by latency
	var order []int
	warned := false
	for k := range os {
		o := &os[k]
		x, _ := o.get(xp)
		y, _ := o.get(yp)
		label := d.tagLabel(*o, os)
		if offX(x.mean) {
			label += ", p99 " + humanMS(x.mean) + " (off the scale)"
		} else {
			xs = append(xs, x.lo, x.hi)
		}
		if offY(y.mean) {
			label += ", " + dollars(y.mean) + " per 1M (off the scale)"
		} else {
			ys = append(ys, y.lo, y.hi)
		}
		dm := dotMark{x: x, y: y, c: SystemColor(o.sys), hollow: !eligible(o), ring: on[k] || k == best,
			label: label, first: on[k] || k == best}
		warned = warned || dm.hollow
		dots = append(dots, dm)
		if on[k] {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(mean(xp)(&os[a]), mean(xp)(&os[b])) })
	for _, k := range order {
		fx, fy = append(fx, mean(xp)(&os[k])), append(fy, mean(yp)(&os[k]))
	}
	m := &marks{dots: dots}
	if len(fx) > 1 {
		m.lines = append(m.lines, lineMark{xs: fx, ys: fy, style: draw.LineStyle{Color: frontierInk, Width: vg.Points(1),
			Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}})
	}
	for _, t := range ths {
		g := guideMark{vertical: t.path == xp, at: t.bound, label: t.from + " " + t.label(metricUnit(t.path))}
		if t.system != "" && len(d.systems) > 1 {
			g.label = t.system + " " + g.label
		}
		m.guides = append(m.guides, g)
		if g.vertical {
			xs = append(xs, t.bound)
		} else {
			ys = append(ys, t.bound)
		}
	}
	if len(xs) == 0 || len(ys) == 0 {
		xs, ys = allX, allY
	}

	legend := systemLegend(d, os)
	if slices.Contains(on, true) {
		legend = append(legend, legendEntry{"ringed, joined: the frontier (nothing both cheaper and faster)",
			[]plot.Thumbnailer{lineThumb{Color: frontierInk, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}}})
	}
	legend = append(legend, commonNote(d, os)...)
	if warned {
		legend = append(legend, hollowEntry("hollow: failing, saturated, missing the SLO, or too few requests for a p99"))
	}
	if len(ths) > 0 {
		legend = append(legend, legendEntry{"dashed: " + thresholdsName(ths), []plot.Thumbnailer{lineThumb(guideStyle())}})
	}
	logX, logY := spans(xs, 10), spans(ys, 10)
	return frame{
		title:  tradeoffTitle(d, os, on, best, ths),
		legend: legend,
		body:   scatterBody(m, xs, ys, "ms", "USD", "p99 latency of completed requests", "cost per 1M requests", logX, logY),
	}.figure("tradeoff", w, h, minPlotBody), true
}

// meetsBounds: o meets every threshold on its pessimistic side (the upper
// bound of a figure that must stay below, the lower of one that must stay
// above), as a goal judges.
func meetsBounds(o *obs, ths []threshold) bool {
	for _, t := range ths {
		if t.system != "" && t.system != o.name {
			continue
		}
		e, ok := o.get(t.path)
		if !ok {
			return false
		}
		v := e.hi
		if t.op == ">" || t.op == ">=" {
			v = e.lo
		}
		if !t.holds(v) {
			return false
		}
	}
	return true
}

// tradeoffTitle states the answer: the recommended point with its figures,
// else what is on the frontier.
func tradeoffTitle(d *answerData, os []obs, on []bool, best int, ths []threshold) string {
	var front []int
	for k := range os {
		if on[k] {
			front = append(front, k)
		}
	}
	names := make([]string, len(front))
	for n, k := range front {
		names[n] = d.named(os[k], os)
	}
	var f string
	switch {
	case len(front) == 0:
		f = "every point fails, saturates, misses the SLO or completed too few requests for a p99"
	case len(front) == 1 && fastest(os, front[0]):
		f = names[0] + " is both the cheapest and the fastest of those that serve the load"
	case len(front) == 1:
		noise := "the noise"
		if d.run {
			noise = "the sketch's error"
		}
		f = names[0] + " is the cheapest of those that serve the load, and as fast as any of them within " + noise
	case len(front) == 2:
		// The trade itself: how much faster, for how much more.
		a, b := &os[front[0]], &os[front[1]]
		pa, _ := a.value("latency_ms.p99")
		pb, _ := b.value("latency_ms.p99")
		if pb < pa {
			a, b, pa, pb = b, a, pb, pa
		}
		ca, _ := a.value("cost_usd.per_million_requests")
		cb, _ := b.value("cost_usd.per_million_requests")
		f = fmt.Sprintf("%s has the lower p99 (%s vs %s) at %s the cost of %s", d.named(*a, os), humanMS(pa), humanMS(pb),
			ratio(ca, cb), d.named(*b, os))
	case len(front) > 2 && len(front) == countTrue(os, (*obs).choosable):
		f = fmt.Sprintf("none of the %d is both cheaper and faster than another beyond the noise", len(front))
	default:
		f = "nothing is both cheaper and faster than " + listed(names, 4)
	}
	if best < 0 {
		if len(ths) > 0 && len(front) > 0 {
			var want []string
			for _, t := range ths {
				want = append(want, t.label(metricUnit(t.path)))
			}
			return fmt.Sprintf("Nothing meets %s on its confidence bound; %s", strings.Join(want, " and "), f)
		}
		return "Cost against p99 latency: " + f
	}
	o := &os[best]
	cost, _ := o.value("cost_usd.per_million_requests")
	p99, _ := o.value("latency_ms.p99")
	what := "the cheapest that meets the SLO"
	if d.isAnswer(*o) {
		what = "the goal's answer"
	}
	t := fmt.Sprintf("%s is %s: %s per 1M requests at p99 %s", d.named(*o, os), what, dollars(cost), humanMS(p99))
	if len(front) > 1 {
		t += "; " + f
	}
	return t
}

// fastest: os[k]'s p99 is below every other choosable one's by more than
// the sketch's error, and beyond the noise.
func fastest(os []obs, k int) bool {
	m, _ := LookupMetric("latency_ms.p99")
	a, _ := os[k].get("latency_ms.p99")
	for j := range os {
		b, ok := os[j].get("latency_ms.p99")
		if j != k && ok && os[j].choosable() && !(a.mean < b.mean && m.resolves(a.mean, b.mean) && a.hi < b.lo) {
			return false
		}
	}
	return true
}

// listed names up to n items: "a, b and c", "a, b, c and 4 more".
func listed(items []string, n int) string {
	switch {
	case len(items) == 0:
		return ""
	case len(items) == 1:
		return items[0]
	case len(items) > n:
		return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// systemLegend names each system shown in its colour; none for a run's
// systems or a sweep's one, whose points name them.
func systemLegend(d *answerData, os []obs) []legendEntry {
	var out []legendEntry
	if d.run || !slices.ContainsFunc(os, func(o obs) bool { return o.name != os[0].name }) {
		return nil
	}
	seen := map[int]bool{}
	for _, o := range os {
		if seen[o.sys] {
			continue
		}
		seen[o.sys] = true
		label := o.name
		out = append(out, legendEntry{label, []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: SystemColor(o.sys),
			Radius: vg.Points(dotRadius), Shape: draw.CircleGlyph{}}}}})
	}
	return out
}

// glyphThumb draws a legend swatch as one glyph.
type glyphThumb struct{ g draw.GlyphStyle }

func (t glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(t.g, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2})
}

// guideStyle is a threshold guide's dashed line.
func guideStyle() draw.LineStyle {
	return draw.LineStyle{Color: guideInk, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

// thresholdsName says where the drawn bounds come from: "the SLO", "the
// goal's constraints", or both.
func thresholdsName(ths []threshold) string {
	var slo, goal bool
	for _, t := range ths {
		slo, goal = slo || t.from == "SLO", goal || t.from == "goal"
	}
	switch {
	case slo && goal:
		return "the SLO and the goal's constraints"
	case goal:
		return "the goal's constraints"
	}
	return "the SLO"
}

// offScale tells the values an axis over core leaves off its scale: more
// than 3 times its largest positive value (or a third of its least), when
// the core spans less than that itself. Without a core (no point can be
// chosen), nothing is off.
func offScale(core, all []float64) func(v float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, v := range core {
		if v > 0 && finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi == 0 {
		return func(float64) bool { return false }
	}
	return func(v float64) bool { return v > 3*hi || v > 0 && v < lo/3 }
}

// countTrue counts the observations f holds for.
func countTrue(os []obs, f func(o *obs) bool) int {
	n := 0
	for k := range os {
		if f(&os[k]) {
			n++
		}
	}
	return n
}

// choosable: o is a point the trade-off may recommend or put on its
// frontier: sound, meeting the SLO, its p99 from enough requests.
func (o *obs) choosable() bool { return o.sound() && o.enough("latency_ms.p99") && o.meetsSLO() }
