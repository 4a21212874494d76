package reports

import (
	"encoding/json"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepFigures draws the figures that answer a sweep's question, chosen
// from its axes, its goal and its metrics (docs/reports.md#which-figures):
//
//   - tradeoff (cost against p99, the frontier, the SLO) when no axis
//     changes the load: every point is an alternative way to serve it;
//   - break_even (cost against request rate per system) when
//     workload.rate is an axis and there are two systems or more;
//   - power_tuning (latency and cost against memory) when a memory_mb is
//     an axis;
//   - keep_alive_frontier (cold starts against idle memory) when a
//     keep_alive is an axis;
//   - sweep (each of the sweep's metrics against its main axis, with
//     confidence bands) when the main axis, the goal's vary or else the
//     first, is numeric and no figure above already plots against it.
func SweepFigures(s *Sweep, o PlotOptions) ([]Figure, error) {
	d, err := sweepData(s, o.Systems)
	if err != nil {
		return nil, err
	}
	w, h := o.size()
	var figs []Figure
	add := func(f Figure, ok bool) {
		if ok {
			figs = append(figs, f)
		}
	}
	alternatives := !slices.ContainsFunc(d.axes, func(a SweepAxis) bool { return !alternativeKey(a.Key) })
	if alternatives {
		add(tradeoff(d, w, h))
	}
	drawn := map[string]bool{} // axes an answer figure plots against
	if a, ok := d.axis("workload.rate"); ok && numericAxis(a) {
		f, ok := breakEven(d, a, w, h)
		add(f, ok)
		drawn[a.Key] = ok
	}
	for _, a := range d.axes {
		if memoryKey.MatchString(a.Key) && numericAxis(a) {
			f, ok := powerTuning(d, a, w, h)
			add(f, ok)
			drawn[a.Key] = drawn[a.Key] || ok
			break
		}
	}
	for _, a := range d.axes {
		if keepAliveKey.MatchString(a.Key) {
			add(keepAliveFrontier(d, nil, w, h))
			break
		}
	}
	if a, ok := d.mainAxis(); ok && numericAxis(a) && !drawn[a.Key] {
		add(metricsAgainst(d, a, d.metrics, "sweep", w, h))
	}
	return figs, nil
}

// SweepAxisFigure draws metric (PATH for every system that has it, or
// SYSTEM.PATH) against the sweep axis key, with confidence bands: faasim
// plot DIR --x KEY --y METRIC. Its file name is sweep_KEY_METRIC made
// file-safe.
func SweepAxisFigure(s *Sweep, key, metric string, o PlotOptions) (Figure, error) {
	d, err := sweepData(s, o.Systems)
	if err != nil {
		return Figure{}, err
	}
	a, ok := d.axis(key)
	if !ok {
		var keys []string
		for _, x := range d.axes {
			keys = append(keys, x.Key)
		}
		return Figure{}, fmt.Errorf("--x %s --y %s: %s is not an axis of the sweep; axes: %s", key, metric, key, strings.Join(keys, ", "))
	}
	var refs []string
	for _, sys := range d.systems {
		if path, ok := strings.CutPrefix(metric, sys+"."); ok {
			refs = []string{sys + "." + path}
			break
		}
	}
	if refs == nil {
		for _, sys := range d.systems {
			refs = append(refs, sys+"."+metric)
		}
	}
	if !slices.ContainsFunc(d.obs, func(o obs) bool {
		return slices.ContainsFunc(refs, func(r string) bool {
			_, ok := o.value(strings.TrimPrefix(r, o.name+"."))
			return strings.HasPrefix(r, o.name+".") && ok
		})
	}) {
		return Figure{}, fmt.Errorf("--y %s: no system of the sweep has that metric (write PATH, like latency_ms.p99, or SYSTEM.PATH with SYSTEM one of %s)",
			metric, strings.Join(d.systems, ", "))
	}
	w, h := o.size()
	f, ok := metricsAgainst(d, a, refs, fileSafe("sweep_"+shortKey(a.Key, d.axes)+"_"+metric), w, h)
	if !ok {
		return Figure{}, fmt.Errorf("--x %s --y %s: nothing to draw", key, metric)
	}
	return f, nil
}

// size is the options' figure size, 16 cm × 10 cm by default.
func (o PlotOptions) size() (vg.Length, vg.Length) {
	w, h := o.Width, o.Height
	if w <= 0 {
		w = 16 * vg.Centimeter
	}
	if h <= 0 {
		h = 10 * vg.Centimeter
	}
	return w, h
}

// sweepData reads s as sweep.json holds it (numbers as float64, whatever
// the sweep had in memory: a figure drawn after the run is the one faasim
// plot redraws), keeping the systems named (all when none is).
func sweepData(s *Sweep, systems []string) (*answerData, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var back Sweep
	if err := json.Unmarshal(b, &back); err != nil {
		return nil, err
	}
	d := fromSweep(&back)
	if len(systems) == 0 {
		return d, nil
	}
	for _, n := range systems {
		if !slices.Contains(d.systems, n) {
			return nil, fmt.Errorf("no system %q in the sweep; systems: %v", n, d.systems)
		}
	}
	d.obs = slices.DeleteFunc(d.obs, func(o obs) bool { return !slices.Contains(systems, o.name) })
	return d, nil
}

// alternativeKey: a key that changes how the load is served, not the load:
// a system's keys, or a function's memory.
func alternativeKey(key string) bool {
	return strings.HasPrefix(key, "systems[") || memoryKey.MatchString(key)
}

// mainAxis is the axis a sweep is about: the goal's vary, else the first.
func (d *answerData) mainAxis() (SweepAxis, bool) {
	if d.goal != nil {
		if a, ok := d.axis(d.goal.Vary); ok {
			return a, true
		}
	}
	if len(d.axes) == 0 {
		return SweepAxis{}, false
	}
	return d.axes[0], true
}

// fileSafe keeps letters, digits, '-', '_' and '.'.
func fileSafe(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			return c
		}
		return '_'
	}, s)
}

// series are one system's observations along an axis at one combination
// of the other axes, in the axis' order.
type series struct {
	sys   int
	name  string
	other string // the other axes' values, "" without other axes
	obs   []obs
}

// alongAxis groups the observations of the named systems into series
// along a; x gives each value's position.
func (d *answerData) alongAxis(a SweepAxis, systems []string) []series {
	var out []series
	for _, o := range d.obs {
		if !slices.Contains(systems, o.name) {
			continue
		}
		if _, ok := o.params.Get(a.Key); !ok {
			continue
		}
		var other []string
		for _, p := range o.params {
			if p.Key != a.Key {
				other = append(other, shortKey(p.Key, d.axes)+"="+axisLabel(p.Key, p.Value))
			}
		}
		key := strings.Join(other, ", ")
		k := slices.IndexFunc(out, func(s series) bool { return s.name == o.name && s.other == key })
		if k < 0 {
			out = append(out, series{sys: o.sys, name: o.name, other: key})
			k = len(out) - 1
		}
		out[k].obs = append(out[k].obs, o)
	}
	pos := axisPositions(a)
	for k := range out {
		slices.SortStableFunc(out[k].obs, func(x, y obs) int {
			vx, _ := x.params.Get(a.Key)
			vy, _ := y.params.Get(a.Key)
			return cmpFloat(pos(vx), pos(vy))
		})
	}
	return out
}

// axisPositions places an axis' values: a number at itself, anything else
// at its index among the axis' values (a categorical axis).
func axisPositions(a SweepAxis) func(v any) float64 {
	numeric := numericAxis(a)
	return func(v any) float64 {
		if f, ok := v.(float64); ok && numeric {
			return f
		}
		return float64(slices.IndexFunc(a.Values, func(x any) bool { return ParamLabel(x) == ParamLabel(v) }))
	}
}

// styleFor is a series' line: its system's colour, dashed for every other
// combination of the other axes.
func styleFor(s series, k int) draw.LineStyle {
	st := draw.LineStyle{Color: SystemColor(s.sys), Width: vg.Points(1.5)}
	if k%2 == 1 {
		st.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	return st
}

// minSweepPanel is the least height of one metric's panel, points.
const minSweepPanel = 95

// metricsAgainst draws each metric of refs (SYSTEM.PATH) against axis a,
// one panel per path stacked over the shared axis, one line per system
// and combination of the other axes, its band the confidence interval;
// the goal's answer ringed, the constraints on each metric drawn.
func metricsAgainst(d *answerData, a SweepAxis, refs []string, name string, w, h vg.Length) (Figure, bool) {
	var paths []string
	systemsOf := map[string][]string{}
	for _, r := range refs {
		for _, sys := range d.systems {
			if path, ok := strings.CutPrefix(r, sys+"."); ok {
				if !slices.Contains(paths, path) {
					paths = append(paths, path)
				}
				systemsOf[path] = append(systemsOf[path], sys)
				break
			}
		}
	}
	pos := axisPositions(a)
	numeric := numericAxis(a)
	var xs []float64
	for _, v := range a.Values {
		xs = append(xs, pos(v))
	}
	logX := numeric && spans(xs, 10) && !slices.ContainsFunc(xs, func(x float64) bool { return x <= 0 })

	var panels []panel
	var paths0 []string // each panel's metric
	var legend []legendEntry
	seenSys := map[string]bool{}
	warned, ringed := false, false
	for _, path := range paths {
		ss := d.alongAxis(a, systemsOf[path])
		pn := panel{m: &marks{}, unit: metricUnit(path)}
		for k, s := range ss {
			st := styleFor(s, k)
			var lx, ly, lo, hi []float64
			for _, o := range s.obs {
				e, ok := o.get(path)
				if !ok || !finite(e.mean) {
					continue
				}
				v, _ := o.params.Get(a.Key)
				x := pos(v)
				lx, ly, lo, hi = append(lx, x), append(ly, e.mean), append(lo, e.lo), append(hi, e.hi)
				pn.ys = append(pn.ys, e.lo, e.hi)
				answer := d.isAnswer(o)
				dm := dotMark{x: pointEst(x), y: est{e.mean, e.mean, e.mean}, c: SystemColor(s.sys), hollow: len(o.warn) > 0, ring: answer, first: answer}
				if answer && len(panels) == 0 {
					dm.label = "answer: " + axisLabel(a.Key, v) // once, in the top panel
				}
				ringed = ringed || answer
				warned = warned || dm.hollow
				pn.m.dots = append(pn.m.dots, dm)
			}
			if len(lx) == 0 {
				continue
			}
			pn.m.bands = append(pn.m.bands, bandMark{xs: lx, lo: lo, hi: hi, c: SystemColor(s.sys)})
			pn.m.lines = append(pn.m.lines, lineMark{xs: lx, ys: ly, style: st})
			label := s.name
			if s.other != "" {
				label += ", " + s.other
			}
			if !seenSys[label] {
				seenSys[label] = true
				legend = append(legend, legendEntry{label, []plot.Thumbnailer{lineThumb(st)}})
			}
		}
		for _, t := range d.thresholds(path) {
			pn.m.guides = append(pn.m.guides, guideMark{at: t.bound, label: t.from + " " + t.label(metricUnit(path))})
			pn.ys = append(pn.ys, t.bound)
		}
		if len(pn.m.dots) == 0 {
			continue
		}
		pn.log = spans(pn.ys, 10) && !slices.ContainsFunc(pn.ys, func(y float64) bool { return y < 0 })
		pn.heading = metricHeading(path)
		if len(systemsOf[path]) == 1 && len(d.systems) > 1 {
			pn.heading = systemsOf[path][0] + " " + pn.heading
		}
		if pn.log {
			pn.heading += " (log scale)"
		}
		panels = append(panels, pn)
		paths0 = append(paths0, path)
	}
	if len(panels) == 0 {
		return Figure{}, false
	}
	if len(legend) == 1 {
		legend = nil // one line: the headings and title name it
	}
	if d.reps > 1 {
		legend = append(legend, legendEntry{fmt.Sprintf("band: the %g%% confidence interval over %d replications", 100*d.conf, d.reps),
			[]plot.Thumbnailer{boxThumb{bandTint(SystemColor(0))}}})
	}
	if ringed {
		legend = append(legend, legendEntry{"ringed: the goal's answer", []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: frontierInk,
			Radius: vg.Points(ringRadius), Shape: draw.RingGlyph{}}}}})
	}
	if warned {
		legend = append(legend, hollowEntry("hollow: the system has a warning there ("+warningCodes(d)+")"))
	}
	xl := axisName(a.Key)
	if logX {
		xl += " (log scale)"
	}
	return frame{
		title:  metricsTitle(d, a, paths0[0], systemsOf[paths0[0]]),
		legend: legend,
		body: stackedBody(panels, xl, func(x *plot.Axis, length vg.Length) {
			setCategoryAxis(x, a, xs, numeric, logX, length)
		}),
	}.figure(name, w, h, vg.Length(len(panels))*minSweepPanel), true
}

// setCategoryAxis sets an axis over a sweep axis' values: numbers on a
// linear or log scale, anything else evenly spaced with its label.
func setCategoryAxis(x *plot.Axis, a SweepAxis, xs []float64, numeric, log bool, length vg.Length) {
	if numeric {
		setAxis(x, xs, axisUnit(a.Key), log, length, vg.Points(55))
		if lo, hi := slices.Min(xs), slices.Max(xs); !log && lo >= 0 {
			pad := (hi - lo) * 0.05
			x.Min, x.Max = lo-pad, hi+pad
		}
		return
	}
	ticks := make(plot.ConstantTicks, len(a.Values))
	for i, v := range a.Values {
		ticks[i] = plot.Tick{Value: float64(i), Label: axisLabel(a.Key, v)}
	}
	x.Tick.Marker = ticks
	x.Min, x.Max = -0.5, float64(len(a.Values))-0.5
}

// axisUnit is the unit of a sweep axis' values.
func axisUnit(key string) string {
	switch {
	case key == "workload.rate":
		return "req/s"
	case strings.HasSuffix(key, "memory_mb"):
		return "MB"
	}
	return ""
}

// axisName names a sweep axis for its label: "memory (MB) of lambda",
// "request rate (per second)", "instances of vms", else the key.
func axisName(key string) string {
	last := key
	if i := strings.LastIndexAny(key, ".]"); i >= 0 {
		last = key[i+1:]
	}
	what := map[string]string{"memory_mb": "memory (MB)", "rate": "request rate (per second)", "instances": "instances",
		"workers_per_instance": "workers per instance", "idle": "keep-alive idle time", "keep_alive": "keep-alive policy"}[last]
	if what == "" {
		return key
	}
	if m := systemKey.FindStringSubmatch(key); m != nil {
		return what + " of " + m[1]
	}
	return what
}

// metricHeading names a metric for a panel: its table label without the
// unit ("latency p99", "cost total"), else its path.
func metricHeading(path string) string {
	m, ok := LookupMetric(path)
	if !ok {
		return path
	}
	l := strings.TrimSuffix(strings.TrimSuffix(m.Label, " ms"), " $")
	switch m.Unit {
	case "ms":
		l += " (ms)"
	case "USD":
		l += " (US dollars)"
	}
	return l
}

// bandTint is a confidence band's fill.
func bandTint(c color.RGBA) color.NRGBA { return color.NRGBA{R: c.R, G: c.G, B: c.B, A: 0x30} }

// goalHeadline is one of the goal's answers in a sentence: "3 instances
// is the fewest instances of vms meeting every constraint", with the
// warnings of the system there beside it.
func goalHeadline(d *answerData, ans GoalAnswer) string {
	g := d.goal
	at := ""
	if len(ans.Params) > 0 {
		var l []string
		for _, p := range ans.Params {
			l = append(l, shortKey(p.Key, d.axes)+" = "+axisLabel(p.Key, p.Value))
		}
		at = " at " + strings.Join(l, ", ")
	}
	noun := axisNoun(g.Vary)
	if !ans.Met || ans.Answer == nil {
		return "no " + noun + " meets the goal" + at
	}
	v := valueName(g.Vary, ans.Answer)
	var t string
	switch g.Find {
	case "min":
		t = fmt.Sprintf("%s is the smallest %s meeting every constraint%s", v, noun, at)
	case "max":
		t = fmt.Sprintf("%s is the largest %s meeting every constraint%s", v, noun, at)
	case "root":
		t = fmt.Sprintf("%s changes sign at %s%s", g.Expr, v, at)
	default:
		what := map[string]string{"cost": "cheapest", "speed": "fastest", "balanced": "best-balanced"}[g.Strategy]
		if what == "" {
			what = "best"
		}
		t = fmt.Sprintf("%s is the %s %s", v, what, noun)
		if len(g.SubjectTo) > 0 {
			t += " meeting every constraint"
		}
		t += at
	}
	// The system's warnings at the answer, as the goal's sentence gives them.
	for _, o := range d.obs {
		if d.isAnswer(o) && sameParams(o.params, ans.Params) && len(o.warn) > 0 && strings.Contains(g.Vary, "["+o.name+"]") {
			t += fmt.Sprintf(" (%s is %s there)", o.name, strings.Join(o.warn, " and "))
		}
	}
	return t
}

// axisNoun names what a sweep axis varies: "memory size of lambda",
// "request rate", "instances of vms", else the key.
func axisNoun(key string) string {
	sys := ""
	if m := systemKey.FindStringSubmatch(key); m != nil {
		sys = " of " + m[1]
	}
	switch {
	case strings.HasSuffix(key, ".keep_alive.instances"):
		return "provisioned concurrency" + sys
	case systemKey.MatchString(key) && strings.HasSuffix(key, "].instances"):
		return "fleet" + sys
	}
	name := axisName(key)
	return strings.NewReplacer("memory (MB)", "memory size", "request rate (per second)", "request rate").Replace(name)
}

// metricsTitle states the answer: the goal's on this axis, else the range
// of the first metric.
func metricsTitle(d *answerData, a SweepAxis, path string, systems []string) string {
	if g := d.goal; g != nil && g.Vary == a.Key {
		var parts []string
		for _, ans := range d.goal.Answers {
			parts = append(parts, goalHeadline(d, ans))
		}
		return capitalize(strings.Join(parts, "; "))
	}
	// The range of the first metric, for its first system.
	var lo, hi *obs
	for k := range d.obs {
		o := &d.obs[k]
		if len(systems) == 0 || o.name != systems[0] {
			continue
		}
		v, ok := o.value(path)
		if !ok {
			continue
		}
		if lo == nil || v < must(lo.value(path)) {
			lo = o
		}
		if hi == nil || v > must(hi.value(path)) {
			hi = o
		}
	}
	if lo == nil {
		return metricHeading(path) + " against " + axisName(a.Key)
	}
	label := func(o *obs) string { v, _ := o.params.Get(a.Key); return axisLabel(a.Key, v) }
	unit := metricUnit(path)
	return fmt.Sprintf("%s's %s ranges from %s (%s) to %s (%s)", lo.tag(), strings.Split(metricHeading(path), " (")[0],
		unitValue(must(lo.value(path)), unit), label(lo), unitValue(must(hi.value(path)), unit), label(hi))
}

func must(v float64, _ bool) float64 { return v }

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
