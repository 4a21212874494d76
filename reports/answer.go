package reports

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The answer figures (trade-off, break-even, power tuning, keep-alive
// frontier, a metric against an axis) read one shape of data: systems
// observed at points, each figure with a mean and, over replications, an
// interval. A sweep gives one observation per point and system; a run one
// per system, with no interval. This file turns both into that shape and
// decides which figures the data can answer (docs/reports.md#which-figures).

// est is one figure of an observation: its mean and interval (lo = hi =
// mean with one replication).
type est struct{ mean, lo, hi float64 }

func pointEst(v float64) est { return est{v, v, v} }

func sweepEst(e Estimate) est {
	lo, hi := e.Interval()
	return est{e.Mean, lo, hi}
}

// obs is one system at one point.
type obs struct {
	sys    int    // the system's index in the scenario: its colour
	name   string // the system's name
	typ    string // faas | server
	point  int    // the sweep point's index; -1 for a run's system
	params Params // the sweep axes' values at the point; a run's: none
	get    func(path string) (est, bool)
	// warn are the warning codes that bear on the figures (all but
	// few_samples), "saturated (in 2 of 5 replications)"-style counts dropped.
	warn []string
	// completed is the completions behind the latencies (a sweep's mean).
	completed float64
	// keepAlive and memory describe a run's system (its params) for the
	// figures that tell systems apart by them.
	keepAlive any
	memory    float64
}

// sound: the figures describe a system that served its load; a failing or
// saturated one is drawn hollow and never on a frontier or marked best.
func (o *obs) sound() bool {
	return !slices.Contains(o.warn, Failing) && !slices.Contains(o.warn, Saturated)
}

// value is o's mean of path.
func (o *obs) value(path string) (float64, bool) {
	e, ok := o.get(path)
	return e.mean, ok && finite(e.mean)
}

// enough: o's percentile at path rests on the completions it needs
// (Metrics' MinSamples); a p99 of 200 requests is their maximum.
func (o *obs) enough(path string) bool {
	m, ok := LookupMetric(path)
	return !ok || o.completed >= float64(m.MinSamples)
}

// tag is o's name with its warnings, as titles name a warned system.
func (o *obs) tag() string {
	if len(o.warn) == 0 {
		return o.name
	}
	return o.name + " (" + strings.Join(o.warn, ", ") + ")"
}

// answerData is a sweep or a run as the answer figures read it.
type answerData struct {
	systems []string
	axes    []SweepAxis
	obs     []obs
	goal    *GoalResult
	// constraints are the SLO's (no system prefix: every system) and the
	// goal's subject_to (SYSTEM.PATH).
	slo, subjectTo []string
	metrics        []string // SYSTEM.PATH: what the sweep is about
	conf           float64
	reps           int
	run            bool
}

// fromSweep reads a sweep.
func fromSweep(s *Sweep) *answerData {
	d := &answerData{axes: s.Axes, goal: s.Goal, slo: s.SLO, metrics: s.Metrics, conf: s.Confidence, reps: s.Replications}
	if s.Goal != nil {
		d.subjectTo = s.Goal.SubjectTo
	}
	for _, p := range s.Points {
		for _, sys := range p.Systems {
			if !slices.Contains(d.systems, sys.Name) {
				d.systems = append(d.systems, sys.Name)
			}
			ss := sys
			o := obs{sys: slices.Index(d.systems, sys.Name), name: sys.Name, typ: sys.Type, point: p.Index, params: p.Params,
				get: func(path string) (est, bool) {
					e, ok := ss.Metric(path)
					if !ok || e.N == 0 {
						return est{}, false
					}
					return sweepEst(e), true
				}}
			for _, w := range sys.Warnings {
				if w.Code != FewSamples && !slices.Contains(o.warn, w.Code) {
					o.warn = append(o.warn, w.Code)
				}
			}
			if e, ok := sys.Metric("completed"); ok {
				o.completed = e.Mean
			}
			d.obs = append(d.obs, o)
		}
	}
	return d
}

// fromRun reads a run's systems among idx.
func fromRun(r *Results, idx []int) *answerData {
	d := &answerData{slo: r.SLO, run: true, conf: 0, reps: 1}
	for i := range r.Systems {
		d.systems = append(d.systems, r.Systems[i].Name)
	}
	for _, i := range idx {
		s := &r.Systems[i]
		o := obs{sys: i, name: s.Name, typ: s.Type, point: -1, completed: float64(s.Completed),
			get: func(path string) (est, bool) {
				v, ok := s.Value(path)
				if !ok {
					return est{}, false
				}
				return pointEst(v), true
			}}
		for _, w := range s.Warnings {
			if w.Code != FewSamples {
				o.warn = append(o.warn, w.Code)
			}
		}
		if s.Params != nil {
			o.keepAlive = s.Params["keep_alive"]
			o.memory, _ = s.Params["memory_mb"].(float64)
		}
		d.obs = append(d.obs, o)
	}
	return d
}

// threshold is one constraint on one metric: the line a figure draws.
type threshold struct {
	system string // "" for every system (an SLO)
	path   string
	op     string
	bound  float64
	src    string // as written
	from   string // "SLO" (the scenario's slo:) or "goal" (its subject_to)
}

// thresholds are the constraints that bound path by a number, from the
// SLO and the goal's subject_to, each once.
func (d *answerData) thresholds(path string) []threshold {
	var out []threshold
	add := func(src string, systems []string, from string) {
		e, err := ParseConstraint(src, systems)
		if err != nil {
			return
		}
		if ref, op, n, ok := e.Threshold(); ok && ref.Path == path &&
			!slices.ContainsFunc(out, func(t threshold) bool { return t.op == op && t.bound == n }) {
			out = append(out, threshold{ref.System, ref.Path, op, n, src, from})
		}
	}
	for _, c := range d.slo {
		add(c, nil, "SLO")
	}
	for _, c := range d.subjectTo {
		add(c, d.systems, "goal")
	}
	return out
}

// holds reports whether v meets t.
func (t threshold) holds(v float64) bool {
	switch t.op {
	case "<":
		return v < t.bound
	case "<=":
		return v <= t.bound
	case ">":
		return v > t.bound
	}
	return v >= t.bound
}

// label is what the figure writes beside the line: "SLO p99 < 2 s".
func (t threshold) label(unit string) string {
	what := strings.TrimPrefix(strings.TrimPrefix(t.path, "latency_ms."), "cost_usd.")
	if m, ok := LookupMetric(t.path); ok && !strings.HasPrefix(t.path, "latency_ms.") {
		what = strings.TrimSuffix(strings.TrimSuffix(m.Label, " $"), " ms")
	}
	op := map[string]string{"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[t.op]
	return fmt.Sprintf("%s %s %s", what, op, unitValue(t.bound, unit))
}

// obsOf are the observations of the named systems that have every path.
func (d *answerData) obsOf(paths ...string) []obs {
	var out []obs
	for _, o := range d.obs {
		ok := true
		for _, p := range paths {
			if _, has := o.value(p); !has {
				ok = false
			}
		}
		if ok {
			out = append(out, o)
		}
	}
	return out
}

// axisLabel is an axis value as a figure labels a point: "1024 MB",
// "3 inst", "16.5 req/s", "fixed 10m", "hybrid".
func axisLabel(key string, v any) string {
	f, isNum := v.(float64)
	last := key
	if i := strings.LastIndexAny(key, ".]"); i >= 0 {
		last = key[i+1:]
	}
	switch {
	case isNum && last == "memory_mb":
		return sigTrim(f, 6) + " MB"
	case isNum && last == "rate":
		return sigTrim(f, 3) + " req/s"
	case isNum && last == "instances":
		return sigTrim(f, 6) + " inst"
	case isNum && last == "idle":
		return humanMS(f * 1e3)
	case isNum:
		return sigTrim(f, 4)
	}
	if m, ok := v.(map[string]any); ok {
		return policyLabel(m)
	}
	return ParamLabel(v)
}

// valueName is an axis value as a sentence says it: "3 instances",
// "1,024 MB", "16.5 req/s", "fixed 10m".
func valueName(key string, v any) string {
	if f, ok := v.(float64); ok && strings.HasSuffix(key, ".instances") {
		if f == 1 {
			return "1 instance"
		}
		return sigTrim(f, 6) + " instances"
	}
	return axisLabel(key, v)
}

// policyLabel names a keep-alive (or any sub-object) briefly: its policy
// then its values, "fixed 10m", "provisioned 10", "ping 5m"; the hybrid
// histogram policy is "hybrid".
func policyLabel(m map[string]any) string {
	head, _ := m["policy"].(string)
	if head == "" {
		return ParamLabel(m)
	}
	if head == "hybrid-histogram" {
		head = "hybrid"
	}
	parts := []string{head}
	for _, k := range []string{"idle", "instances", "every", "concurrency"} {
		switch v := m[k].(type) {
		case nil:
		case map[string]any:
		case float64:
			parts = append(parts, sigTrim(v, 6))
		default:
			parts = append(parts, ParamLabel(v))
		}
	}
	return strings.Join(parts, " ")
}

// label names o in a figure: its axis values that vary among shown (in
// axis order), with its system's name when several systems are shown or
// o is a run's system.
func (d *answerData) label(o obs, shown []obs) string { return d.naming(o, shown, axisLabel) }

// named is label as a sentence says it ("3 instances", not "3 inst").
func (d *answerData) named(o obs, shown []obs) string { return d.naming(o, shown, valueName) }

func (d *answerData) naming(o obs, shown []obs, say func(key string, v any) string) string {
	if d.run {
		return o.name
	}
	var parts []string
	for _, a := range d.axes {
		v, ok := o.params.Get(a.Key)
		if !ok {
			continue
		}
		varies := slices.ContainsFunc(shown, func(x obs) bool {
			w, _ := x.params.Get(a.Key)
			return ParamLabel(w) != ParamLabel(v)
		})
		if varies || len(shown) == 1 {
			parts = append(parts, say(a.Key, v))
		}
	}
	systems := map[string]bool{}
	for _, x := range shown {
		systems[x.name] = true
	}
	if len(systems) > 1 || len(parts) == 0 {
		parts = append([]string{o.name}, parts...)
	}
	return strings.Join(parts, " ")
}

// warningCodes lists the warning codes of the observations, sorted.
func warningCodes(d *answerData) string {
	var codes []string
	for _, o := range d.obs {
		for _, w := range o.warn {
			if !slices.Contains(codes, w) {
				codes = append(codes, w)
			}
		}
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// tagLabel is label with the system's warnings there beside it: a figure
// never names a warned system, or a warned point, without them. Warnings
// every point shown has are said once, in the legend (commonNote), not on
// each.
func (d *answerData) tagLabel(o obs, shown []obs) string {
	common := commonWarnings(shown)
	var own []string
	for _, w := range o.warn {
		if !slices.Contains(common, w) {
			own = append(own, w)
		}
	}
	l := d.label(o, shown)
	if len(own) == 0 {
		return l
	}
	return l + " (" + strings.Join(own, ", ") + ")"
}

// commonWarnings are the warning codes every observation has.
func commonWarnings(os []obs) []string {
	if len(os) < 2 {
		return nil
	}
	var out []string
	for _, w := range os[0].warn {
		if !slices.ContainsFunc(os[1:], func(o obs) bool { return !slices.Contains(o.warn, w) }) {
			out = append(out, w)
		}
	}
	return out
}

// commonNote is the legend entry for the warnings every system shown has:
// "every system shown: unfinished (see the footnotes)"; none without.
func commonNote(d *answerData, os []obs) []legendEntry {
	c := commonWarnings(os)
	if len(c) == 0 {
		return nil
	}
	what := "every system here is "
	if !d.run {
		what = "every point here is "
	}
	return []legendEntry{{what + strings.Join(c, " and ") + " (the report's warnings say why)",
		[]plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: ink, Radius: 0, Shape: draw.CircleGlyph{}}}}}}
}

// axis looks up a sweep axis by key.
func (d *answerData) axis(key string) (SweepAxis, bool) {
	for _, a := range d.axes {
		if a.Key == key {
			return a, true
		}
	}
	return SweepAxis{}, false
}

// numericAxis: every value of a is a number.
func numericAxis(a SweepAxis) bool {
	for _, v := range a.Values {
		if _, ok := v.(float64); !ok {
			return false
		}
	}
	return len(a.Values) > 0
}

var (
	memoryKey    = regexp.MustCompile(`^(systems\[([^\]]+)\]|functions(\[[^\]]+\])?)\.memory_mb$`)
	keepAliveKey = regexp.MustCompile(`^systems\[([^\]]+)\]\.keep_alive(\.[a-z_]+)?$`)
	systemKey    = regexp.MustCompile(`^systems\[([^\]]+)\]`)
)

// keySystem is the system a key path names (systems[NAME] or
// systems[INDEX]), "" for one that is not a system's.
func (d *answerData) keySystem(key string) string {
	m := systemKey.FindStringSubmatch(key)
	if m == nil {
		return ""
	}
	if i, err := strconv.Atoi(m[1]); err == nil && i >= 0 && i < len(d.systems) {
		return d.systems[i]
	}
	return m[1]
}

// goalAnswers are the goal's met answers (vary's value) at each point of
// the other axes.
func (d *answerData) goalAnswers() []GoalAnswer {
	if d.goal == nil {
		return nil
	}
	var out []GoalAnswer
	for _, a := range d.goal.Answers {
		if a.Met && a.Answer != nil {
			out = append(out, a)
		}
	}
	return out
}

// isAnswer: o is the goal's answer at its point of the other axes.
func (d *answerData) isAnswer(o obs) bool {
	for _, a := range d.goalAnswers() {
		if !sameParams(o.params, a.Params) {
			continue
		}
		if v, ok := o.params.Get(d.goal.Vary); ok && ParamLabel(v) == ParamLabel(a.Answer) {
			return true
		}
	}
	return false
}

// frontier marks the eligible observations no other eligible one
// dominates. A failing or saturated system, one that misses the SLO, or a
// percentile from too few requests is never on it.
func frontier(os []obs, eligible func(o *obs) bool, dominates func(a, b *obs) bool) []bool {
	on := make([]bool, len(os))
	for i := range os {
		if !eligible(&os[i]) {
			continue
		}
		on[i] = !slices.ContainsFunc(seqTo(len(os)), func(j int) bool {
			return j != i && eligible(&os[j]) && dominates(&os[j], &os[i])
		})
	}
	return on
}

// lowerBetter is the dominance of two figures that are better lower: a
// is no worse than b on both and better on one, where "better" is a
// difference the figures resolve: more than the sketch's error (a p99
// within it of another is the same p99) and, over replications, with
// confidence intervals apart. A difference within the noise decides
// nothing.
func lowerBetter(xp, yp string) func(a, b *obs) bool {
	mx, _ := LookupMetric(xp)
	my, _ := LookupMetric(yp)
	return func(a, b *obs) bool {
		lt := func(m *Metric, path string) bool {
			u, _ := a.get(path)
			v, _ := b.get(path)
			return u.mean < v.mean && m.resolves(u.mean, v.mean) && u.hi < v.lo
		}
		le := func(m *Metric, path string) bool {
			u, _ := a.get(path)
			v, _ := b.get(path)
			return u.mean <= v.mean || !m.resolves(u.mean, v.mean) || u.lo <= v.hi
		}
		return le(&mx, xp) && le(&my, yp) && (lt(&mx, xp) || lt(&my, yp))
	}
}

// meetsSLO: o was not judged to miss the scenario's SLO (in any
// replication).
func (o *obs) meetsSLO() bool {
	if slices.Contains(o.warn, SLOMissed) {
		return false
	}
	v, ok := o.value("slo_met")
	return !ok || v == 1
}

func seqTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// unitValue prints v in a metric's unit as a figure does.
func unitValue(v float64, unit string) string {
	switch unit {
	case "ms":
		return humanMS(v)
	case "USD":
		return dollars(v)
	case "ratio":
		return pct(100*v) + "%"
	case "req/s":
		return sigTrim(v, 3) + " req/s"
	case "GB-s":
		return sigTrim(v, 3) + " GB-s"
	case "MB":
		return sigTrim(v, 6) + " MB"
	}
	return sigTrim(v, 3)
}

// metricUnit is the unit a figure prints path in.
func metricUnit(path string) string {
	if m, ok := LookupMetric(path); ok {
		return m.Unit
	}
	return ""
}

// spans: the positive values reach over more than a factor of f, so a
// log axis reads them better.
func spans(vals []float64, f float64) bool {
	lo, hi := math.Inf(1), 0.0
	for _, v := range vals {
		if v > 0 && finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return hi > 0 && hi/lo > f
}
