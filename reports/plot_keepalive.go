package reports

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// keepAliveFrontier: the cold-start ratio against the idle memory kept
// warm (idle GB-s), one point per keep-alive policy or TTL (a sweep's
// points, or a run's FaaS systems when their keep-alives differ), the
// frontier ringed and joined; a second panel gives the 75th percentile
// over functions (Shahrad et al.'s yardstick) when the workload has
// several. r is the run (nil for a sweep).
func keepAliveFrontier(d *answerData, r *Results, w, h vg.Length) (Figure, bool) {
	const xp, yp, fp = "keep_alive.idle_gb_seconds", "cold_start_ratio", "function_cold_start_ratio_p75"
	var os []obs
	for _, o := range d.obs {
		if o.typ == "faas" {
			if _, ok := o.value(xp); ok {
				os = append(os, o)
			}
		}
	}
	if len(os) < 2 {
		return Figure{}, false
	}
	if d.run {
		// A run compares keep-alives only when its systems differ in them
		// and in nothing else (not platforms, whose keep-alives differ too).
		seen := map[string]bool{}
		for _, o := range os {
			seen[ParamLabel(o.keepAlive)] = true
		}
		if len(seen) < 2 || !sameBut(r, os, "keep_alive") {
			return Figure{}, false
		}
	}
	paths := []string{yp}
	if slices.ContainsFunc(os, func(o obs) bool { v, ok := o.value(fp); return ok && v > 0 }) {
		paths = append(paths, fp)
	}
	eligible := func(o *obs) bool { return o.sound() }
	var xs []float64
	var panels []panel
	var front0 []int // the first panel's frontier, by idle memory
	warned := false
	for pi, path := range paths {
		on := frontier(os, eligible, lowerBetter(xp, path))
		pn := panel{m: &marks{}, unit: "ratio"}
		var order []int
		for k := range os {
			o := &os[k]
			x, _ := o.get(xp)
			y, ok := o.get(path)
			if !ok {
				continue
			}
			if pi == 0 {
				xs = append(xs, x.lo, x.hi)
			}
			pn.ys = append(pn.ys, y.lo, y.hi)
			pn.m.dots = append(pn.m.dots, dotMark{x: x, y: y, c: SystemColor(o.sys), hollow: !eligible(o), ring: on[k],
				first: on[k], label: d.tagLabel(*o, os)})
			warned = warned || !eligible(o)
			if on[k] {
				order = append(order, k)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(must(os[a].value(xp)), must(os[b].value(xp))) })
		if pi == 0 {
			front0 = order
		}
		if len(order) > 1 {
			var fx, fy []float64
			for _, k := range order {
				fx, fy = append(fx, must(os[k].value(xp))), append(fy, must(os[k].value(path)))
			}
			pn.m.lines = append(pn.m.lines, lineMark{xs: fx, ys: fy, style: draw.LineStyle{Color: frontierInk, Width: vg.Points(1),
				Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}})
		}
		for _, t := range d.thresholds(path) {
			pn.m.guides = append(pn.m.guides, guideMark{at: t.bound, label: t.from + " " + t.label("ratio")})
			pn.ys = append(pn.ys, t.bound)
		}
		pn.log = spans(pn.ys, 10)
		pn.heading = "cold starts, share of all requests"
		if path == fp {
			pn.heading = "cold-start ratio of the 75th-percentile function (most functions are rarely called)"
		}
		if pn.log {
			pn.heading += " (log scale)"
		}
		panels = append(panels, pn)
	}
	logX := spans(xs, 10)
	xl := "idle memory kept warm, GB-s (warm instances serving nothing)"
	if logX {
		xl += ", log scale"
	}
	legend := systemLegend(d, os)
	if len(front0) > 0 {
		legend = append(legend, legendEntry{"ringed, joined: the frontier (nothing with both fewer cold starts and less idle memory)",
			[]plot.Thumbnailer{lineThumb{Color: frontierInk, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}}})
	}
	legend = append(legend, commonNote(d, os)...)
	if warned {
		legend = append(legend, hollowEntry("hollow: failing or saturated; never on the frontier"))
	}
	return frame{
		title:  keepAliveTitle(d, os, front0),
		legend: legend,
		body: stackedBody(panels, xl, func(a *plot.Axis, length vg.Length) {
			setAxis(a, xs, "GB-s", logX, length, vg.Points(60))
		}),
	}.figure("keep_alive_frontier", w, h, vg.Length(len(panels))*minPlotBody), true
}

// keepAliveTitle states the trade along the frontier: from the least idle
// memory to the fewest cold starts.
func keepAliveTitle(d *answerData, os []obs, front []int) string {
	if len(front) == 0 {
		return "Cold starts against idle memory: every keep-alive fails or saturates"
	}
	a, b := &os[front[0]], &os[front[len(front)-1]]
	say := func(o *obs) string {
		r, _ := o.value("cold_start_ratio")
		x, _ := o.value("keep_alive.idle_gb_seconds")
		return fmt.Sprintf("%s%% (%s, %s GB-s idle)", pct(100*r), d.named(*o, os), sigTrim(x, 3))
	}
	if len(front) == 1 {
		return fmt.Sprintf("%s has both the fewest cold starts and the least idle memory: %s", d.named(*a, os), say(a))
	}
	t := fmt.Sprintf("Fewer cold starts cost idle memory: from %s to %s", say(a), say(b))
	if n := len(os) - len(front); n > 0 {
		t += fmt.Sprintf("; %d of %d off the frontier", n, len(os))
	}
	return t
}
