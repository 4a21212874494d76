package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// month is 30 days of seconds: a rate's requests a month.
const month = 30 * 86400

// breakEven: each system's cost per 30 days (its bill extrapolated) against
// the request rate, with its confidence band; the break-even marked where
// the cheapest system changes: the goal's root when it searched this
// axis, else interpolated between the rates tried (and said so).
func breakEven(d *answerData, a SweepAxis, w, h vg.Length) (Figure, bool) {
	const yp = "cost_usd.monthly_estimate"
	ss := d.alongAxis(a, d.systems)
	ss = slices.DeleteFunc(ss, func(s series) bool {
		return !slices.ContainsFunc(s.obs, func(o obs) bool { _, ok := o.value(yp); return ok })
	})
	names := map[string]bool{}
	for _, s := range ss {
		names[s.name] = true
	}
	if len(names) < 2 {
		return Figure{}, false
	}
	rate := func(o obs) float64 { v, _ := o.params.Get(a.Key); f, _ := v.(float64); return f }
	m := &marks{}
	var xs, ys []float64
	var legend []legendEntry
	warned := false
	for k, s := range ss {
		st := styleFor(s, k)
		var lx, ly, lo, hi []float64
		for _, o := range s.obs {
			e, ok := o.get(yp)
			if !ok {
				continue
			}
			x := rate(o)
			lx, ly, lo, hi = append(lx, x), append(ly, e.mean), append(lo, e.lo), append(hi, e.hi)
			xs, ys = append(xs, x), append(ys, e.lo, e.hi)
			m.dots = append(m.dots, dotMark{x: pointEst(x), y: pointEst(e.mean), c: SystemColor(s.sys), hollow: !o.sound()})
			warned = warned || !o.sound()
		}
		m.bands = append(m.bands, bandMark{xs: lx, lo: lo, hi: hi, c: SystemColor(s.sys)})
		m.lines = append(m.lines, lineMark{xs: lx, ys: ly, style: st})
		label := s.name
		if s.other != "" {
			label += ", " + s.other
		}
		legend = append(legend, legendEntry{label, []plot.Thumbnailer{lineThumb(st)}})
	}
	logX, logY := spans(xs, 10), spans(ys, 10)
	cross := crossings(d, a, ss, yp, logX)
	for _, c := range cross {
		label := "break-even " + sigTrim(c.at, 3) + " req/s"
		if !c.goal {
			label = "≈ " + sigTrim(c.at, 3) + " req/s (between the rates tried)"
		}
		m.guides = append(m.guides, guideMark{vertical: true, at: c.at, label: label})
		if c.cost > 0 {
			m.dots = append(m.dots, dotMark{x: pointEst(c.at), y: pointEst(c.cost), c: frontierInk, ring: true})
		}
	}
	if d.reps > 1 {
		legend = append(legend, legendEntry{fmt.Sprintf("band: the %g%% confidence interval over %d replications", 100*d.conf, d.reps),
			[]plot.Thumbnailer{boxThumb{bandTint(SystemColor(0))}}})
	}
	if warned {
		legend = append(legend, hollowEntry("hollow: the system is failing or saturated at that rate"))
	}
	return frame{
		title:  breakEvenTitle(d, a, ss, yp, cross),
		legend: legend,
		body: scatterBody(m, xs, ys, "req/s", "USD", "requests per second",
			"cost per 30 days (US dollars, the run's bill extrapolated)", logX, logY),
	}.figure("break_even", w, h, minPlotBody), true
}

// crossing is a rate where the cheapest system changes.
type crossing struct {
	at          float64 // requests per second
	cost        float64 // the bill there (per 30 days), 0 if unknown
	below, over string  // the cheaper system below and above it
	goal        bool    // the goal's root, not interpolated here
}

// crossings are where the cheapest system changes along the rates: the
// goal's root when it searched the rate for a cost difference, else each
// change of the cheapest sound system between neighbouring rates,
// interpolated (linearly in the rate's scale) where the two systems' costs
// meet.
func crossings(d *answerData, a SweepAxis, ss []series, yp string, logX bool) []crossing {
	rate := func(o obs) float64 { v, _ := o.params.Get(a.Key); f, _ := v.(float64); return f }
	// Only series without other axes compare: one line per system.
	byName := map[string]series{}
	for _, s := range ss {
		if s.other == "" {
			byName[s.name] = s
		}
	}
	costAt := func(s series, x float64) (float64, bool) {
		for k := 1; k < len(s.obs); k++ {
			x0, x1 := rate(s.obs[k-1]), rate(s.obs[k])
			if x < x0 || x > x1 {
				continue
			}
			y0, _ := s.obs[k-1].value(yp)
			y1, _ := s.obs[k].value(yp)
			t := (x - x0) / (x1 - x0)
			if logX && x0 > 0 {
				t = math.Log(x/x0) / math.Log(x1/x0)
			}
			return y0 + t*(y1-y0), true
		}
		return 0, false
	}
	if g := d.goal; g != nil && g.Find == "root" && g.Vary == a.Key && strings.Contains(g.Expr, "cost_usd") {
		var out []crossing
		for _, ans := range d.goalAnswers() {
			x, ok := ans.Answer.(float64)
			if !ok {
				continue
			}
			c := crossing{at: x, goal: true}
			for _, sys := range d.systems {
				if s, ok := byName[sys]; ok && strings.Contains(g.Expr, sys+".") {
					if y, ok := costAt(s, x); ok && c.cost == 0 {
						c.cost = y
					}
				}
			}
			c.below, c.over = cheapestAround(byName, x, rate, yp)
			out = append(out, c)
		}
		return out
	}
	// The rates tried, and the cheapest sound system at each.
	var rates []float64
	for _, s := range byName {
		for _, o := range s.obs {
			if x := rate(o); !slices.Contains(rates, x) {
				rates = append(rates, x)
			}
		}
	}
	slices.Sort(rates)
	cheapest := func(x float64) (string, float64) {
		best, cost := "", math.Inf(1)
		for _, sys := range d.systems {
			s, ok := byName[sys]
			if !ok {
				continue
			}
			for _, o := range s.obs {
				if v, ok := o.value(yp); ok && rate(o) == x && o.sound() && v < cost {
					best, cost = sys, v
				}
			}
		}
		return best, cost
	}
	var out []crossing
	for k := 1; k < len(rates); k++ {
		a0, _ := cheapest(rates[k-1])
		a1, _ := cheapest(rates[k])
		if a0 == "" || a1 == "" || a0 == a1 {
			continue
		}
		// Where a0's and a1's costs meet between the two rates.
		x0, x1 := rates[k-1], rates[k]
		f := func(x float64) float64 {
			u, _ := costAt(byName[a0], x)
			v, _ := costAt(byName[a1], x)
			return u - v
		}
		if f(x0) >= 0 || f(x1) <= 0 {
			continue // the cheapest changed because a system failed there, not because the costs crossed
		}
		lo, hi := x0, x1
		for range 60 {
			mid := (lo + hi) / 2
			if logX {
				mid = math.Sqrt(lo * hi)
			}
			if f(mid) < 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		y, _ := costAt(byName[a0], lo)
		out = append(out, crossing{at: lo, cost: y, below: a0, over: a1})
	}
	return out
}

// cheapestAround names the cheaper sound system at the rates tried just
// below and just above x.
func cheapestAround(byName map[string]series, x float64, rate func(obs) float64, yp string) (below, over string) {
	bx, ox := math.Inf(-1), math.Inf(1)
	bc, oc := math.Inf(1), math.Inf(1)
	for _, s := range byName {
		for _, o := range s.obs {
			r := rate(o)
			v, ok := o.value(yp)
			if !ok || !o.sound() {
				continue
			}
			switch {
			case r < x && (r > bx || r == bx && v < bc):
				bx, bc, below = r, v, s.name
			case r > x && (r < ox || r == ox && v < oc):
				ox, oc, over = r, v, s.name
			}
		}
	}
	return below, over
}

// breakEvenTitle states who is cheaper on each side of each crossing, and
// the rate as requests a month.
func breakEvenTitle(d *answerData, a SweepAxis, ss []series, yp string, cross []crossing) string {
	if len(cross) == 0 {
		// The same system cheapest everywhere (among the sound ones).
		var lo, hi float64 = math.Inf(1), 0
		wins := map[string]int{}
		for _, s := range ss {
			for _, o := range s.obs {
				v, _ := o.params.Get(a.Key)
				f, _ := v.(float64)
				lo, hi = math.Min(lo, f), math.Max(hi, f)
			}
		}
		for _, s := range ss {
			for _, o := range s.obs {
				if !o.sound() {
					continue
				}
				c, ok := o.value(yp)
				if !ok {
					continue
				}
				cheaper := true
				for _, t := range ss {
					for _, q := range t.obs {
						if q.point == o.point && q.name != o.name && q.sound() {
							if qc, ok := q.value(yp); ok && qc < c {
								cheaper = false
							}
						}
					}
				}
				if cheaper {
					wins[s.name]++
				}
			}
		}
		for name, n := range wins {
			if n == len(ss[0].obs) && len(wins) == 1 {
				return fmt.Sprintf("%s is the cheapest at every rate tried, %s to %s requests per second", name, sigTrim(lo, 3), sigTrim(hi, 3))
			}
		}
		return "Cost against request rate, per system"
	}
	// Where a cheaper side's system fails or saturates, it is not cheaper
	// there: say so beside its name.
	rate := func(o obs) float64 { v, _ := o.params.Get(a.Key); f, _ := v.(float64); return f }
	said := map[int]bool{}
	unsound := func(name string, lo, hi float64) string {
		var at []string
		codes := map[string]bool{}
		for k, o := range d.obs {
			if r := rate(o); o.name == name && !o.sound() && r >= lo && r <= hi {
				at = append(at, sigTrim(r, 3))
				for _, w := range o.warn {
					codes[w] = w == Failing || w == Saturated
				}
				said[k] = true
			}
		}
		if len(at) == 0 {
			return ""
		}
		var cs []string
		for _, w := range []string{Failing, Saturated} {
			if codes[w] {
				cs = append(cs, w)
			}
		}
		return fmt.Sprintf(" (%s at %s req/s)", strings.Join(cs, " and "), strings.Join(at, ", "))
	}
	var parts []string
	for k, c := range cross {
		at := fmt.Sprintf("%s requests per second (%s a month)", sigTrim(c.at, 3), millions(c.at*month))
		if !c.goal {
			at = "about " + at
		}
		next := math.Inf(1)
		if k+1 < len(cross) {
			next = cross[k+1].at
		}
		prev := math.Inf(-1)
		if k > 0 {
			prev = cross[k-1].at
		}
		switch {
		case k == 0 && c.below != "" && c.over != "":
			parts = append(parts, fmt.Sprintf("%s%s is cheaper below %s, %s%s above", c.below, unsound(c.below, prev, c.at), at,
				c.over, unsound(c.over, c.at, next)))
		case c.over != "":
			parts = append(parts, fmt.Sprintf("%s%s from %s", c.over, unsound(c.over, c.at, next), at))
		default:
			parts = append(parts, "the costs cross at "+at)
		}
	}
	t := strings.Join(parts, "; ") // it starts with a system's name, as written
	for k, o := range d.obs {
		if !o.sound() && !said[k] {
			t += "; hollow points failed or saturated and do not count"
			break
		}
	}
	return t
}

// millions prints a count as "42.7 million", "850,000".
func millions(n float64) string {
	switch {
	case n >= 1e9:
		return sigTrim(n/1e9, 3) + " billion"
	case n >= 1e6:
		return sigTrim(n/1e6, 3) + " million"
	}
	return grouped(math.Round(n), 0)
}
