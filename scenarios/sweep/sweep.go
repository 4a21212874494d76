package sweep

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Options tune a sweep from the command line.
type Options struct {
	Sets         []string // --set KEY=VALUE, in order
	Replications int      // > 0: replaces sweep.replications
	Seed         *uint64  // replaces the scenario's seed as the base of the replication seeds
	Jobs         int      // runs at once (default: GOMAXPROCS); never changes the output
	// Progress, if set, is called after each run with the runs done and the
	// runs expected (a goal's search grows the estimate as it goes).
	Progress func(done, total int)
}

// Limits keep a typo from asking for a year of computing.
const (
	maxPoints = 100_000
	maxRuns   = 1_000_000
)

// Sweep is a checked sweep, ready to run: its axes expanded and every
// point decoded.
type Sweep struct {
	File         string
	Name         string
	Seed         uint64
	Replications int
	Confidence   float64
	Axes         []Axis  // the sweep's axes; a goal's vary is not one of them
	Points       []Point // the grid of the axes (one point without axes)
	Metrics      []string
	Goal         *Goal
	Warnings     []reports.SweepWarning

	base    *scenarios.Raw // the file with --set applied, without its sweep and goal
	loader  *scenarios.Loader
	info    *systemsInfo
	systems []string
	opts    Options
}

// Point is one point of the grid: the axes' values and the scenario there.
type Point struct {
	Index    int
	Params   reports.Params
	raw      *scenarios.Raw
	scenario *scenarios.Scenario
}

// Open reads nameOrPath (a file or an embedded example) and prepares its
// sweep. A scenario without `sweep:` or `goal:` is a one-point sweep: its
// replications alone.
func Open(nameOrPath string, o Options) (*Sweep, error) {
	raw, err := scenarios.Read(nameOrPath)
	if err != nil {
		return nil, err
	}
	return Prepare(raw, o)
}

// Prepare checks raw's sweep and goal, lays the --set values over it,
// expands the axes and decodes every point. Every problem is reported at
// once, as scenarios.Problems with key paths.
func Prepare(raw *scenarios.Raw, o Options) (*Sweep, error) {
	raw = raw.Clone()
	added, fromSet, err := applySets(raw, o.Sets)
	if err != nil {
		return nil, err
	}
	spec, gspec, err := raw.Sweep(added...)
	if err != nil {
		return nil, renameSetProblems(err, fromSet)
	}
	delete(raw.Map, "sweep")
	delete(raw.Map, "goal")
	s := &Sweep{File: raw.File, base: raw, loader: scenarios.NewLoader(), opts: o, Replications: 1, Confidence: 0.95}
	base, err := s.loader.Decode(raw)
	if err != nil {
		return nil, err
	}
	s.Name, s.Seed = base.Name, base.Seed
	if o.Seed != nil {
		s.Seed = *o.Seed
	}
	s.info = newSystemsInfo(base)
	s.systems = s.info.names
	if spec != nil {
		s.Replications, s.Confidence, s.Metrics = spec.Replications, spec.Confidence, spec.Metrics
	}
	if o.Replications > 0 {
		s.Replications = o.Replications
	}
	var probs scenarios.Problems
	problem := func(path, format string, args ...any) {
		probs = append(probs, scenarios.Problem{File: raw.File, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if spec != nil {
		s.axes(spec, problem)
		s.zip(spec, problem)
	}
	if gspec != nil {
		s.Goal = s.goal(gspec, problem)
	}
	for _, m := range s.Metrics {
		if _, err := s.metricColumns(m); err != nil {
			problem("sweep.metrics", "%v", err)
		}
	}
	if len(probs) > 0 {
		return nil, renameSetProblems(probs, fromSet)
	}
	units, total := grid(s.Axes)
	if total > maxPoints || total*s.Replications > maxRuns {
		return nil, scenarios.Problems{{File: raw.File, Path: "sweep",
			Msg: fmt.Sprintf("%d points × %d replications = %d runs; want at most %d points and %d runs (fewer values, or a goal to search)",
				total, s.Replications, total*s.Replications, maxPoints, maxRuns)}}
	}
	for i := range total {
		p := Point{Index: i, Params: params(s.Axes, units, i)}
		if p.raw, p.scenario, err = s.decodePoint(p.Params); err != nil {
			probs = append(probs, s.pointProblems(err, p, "")...)
		}
		s.Points = append(s.Points, p)
	}
	if s.Goal != nil && len(probs) == 0 {
		probs = append(probs, s.checkGoalEnds()...)
	}
	if len(probs) > 0 {
		return nil, renameSetProblems(dedupe(probs), fromSet)
	}
	s.warn()
	return s, nil
}

// axes expands each axis spec into its values.
func (s *Sweep) axes(spec *scenarios.SweepSpec, problem func(string, string, ...any)) {
	for _, as := range spec.Axes {
		a := Axis{Key: as.Key, Where: as.Where, Values: as.Values}
		if as.Range != nil {
			a.Values = rangeValues(as.Range)
		}
		if err := s.checkKey(a.Key, a.Values[0]); err != nil {
			problem(a.Where, "%v", err)
			continue
		}
		if as.Range != nil && !allIntegers(a.Values) && s.takesIntegers(a.Key, a.Values) {
			a.Values, a.Rounded = roundToIntegers(a.Values), true
		}
		s.Axes = append(s.Axes, a)
	}
}

// checkKey reports a key path that does not lead anywhere in the scenario
// (a system name that is not there, an index past the end).
func (s *Sweep) checkKey(key string, v any) error {
	if _, err := scenarios.ParsePath(key); err != nil {
		return fmt.Errorf("not a key path: %v", err)
	}
	return s.base.Clone().Set(key, v)
}

func allIntegers(values []any) bool {
	for _, v := range values {
		if f, ok := number(v); ok && f != math.Trunc(f) {
			return false
		}
	}
	return true
}

// takesIntegers reports whether the scenario refuses a non-integer at key
// (its first non-integer value) but takes that value rounded: the key
// wants integers, and a range over it (a log scale, say) is rounded.
func (s *Sweep) takesIntegers(key string, values []any) bool {
	for _, v := range values {
		f, ok := number(v)
		if !ok || f == math.Trunc(f) {
			continue
		}
		_, _, errF := s.decodePoint(reports.Params{{Key: key, Value: f}})
		_, _, errR := s.decodePoint(reports.Params{{Key: key, Value: int64(math.Round(f))}})
		return errF != nil && errR == nil
	}
	return false
}

// zip numbers the axes of each zip group and checks the groups.
func (s *Sweep) zip(spec *scenarios.SweepSpec, problem func(string, string, ...any)) {
	for gi, g := range spec.Zip {
		where := fmt.Sprintf("%s[%d]", spec.ZipPath, gi)
		n := -1
		for _, k := range g {
			i := s.axisIndex(k)
			switch {
			case i < 0:
				problem(where, "%s is not an axis; axes: %s", k, strings.Join(s.axisKeys(), ", "))
			case s.Axes[i].Zip != 0:
				problem(where, "%s is already in zip group %d; an axis advances with one group", k, s.Axes[i].Zip-1)
			case n >= 0 && len(s.Axes[i].Values) != n:
				problem(where, "%s has %d values and %s %d; axes that advance together need as many values each",
					k, len(s.Axes[i].Values), g[0], n)
			default:
				n = len(s.Axes[i].Values)
				s.Axes[i].Zip = gi + 1
			}
		}
	}
}

func (s *Sweep) axisIndex(key string) int {
	for i, a := range s.Axes {
		if strings.EqualFold(a.Key, key) {
			return i
		}
	}
	return -1
}

func (s *Sweep) axisKeys() []string {
	var l []string
	for _, a := range s.Axes {
		l = append(l, a.Key)
	}
	return l
}

// decodePoint is the base scenario with params laid over it, decoded.
func (s *Sweep) decodePoint(ps reports.Params) (*scenarios.Raw, *scenarios.Scenario, error) {
	r := s.base.Clone()
	for _, p := range ps {
		if err := r.Set(p.Key, p.Value); err != nil {
			return nil, nil, scenarios.Problems{{File: r.File, Path: p.Key, Msg: err.Error()}}
		}
	}
	sc, err := s.loader.Decode(r)
	return r, sc, err
}

// pointProblems names a point's decoding problems by the axis that caused
// them (the axis whose key path the problem is at or under), else by the
// point; extra names a goal value.
func (s *Sweep) pointProblems(err error, p Point, extra string) scenarios.Problems {
	var inner scenarios.Problems
	if !errors.As(err, &inner) {
		return scenarios.Problems{{File: s.File, Path: "sweep", Msg: err.Error()}}
	}
	var out scenarios.Problems
	for _, ip := range inner {
		where, what := "sweep", fmt.Sprintf("point %d (%s)", p.Index, paramsLabel(p.Params))
		for _, a := range s.Axes {
			v, _ := p.Params.Get(a.Key)
			if s.causes(a.Key, ip.Path) {
				where, what = a.Where, "value "+reports.ParamLabel(v)
				break
			}
		}
		if extra != "" {
			where, what = s.Goal.Spec.Within.Where, extra
			if p.Index >= 0 && len(p.Params) > 0 {
				what += " at point " + paramsLabel(p.Params)
			}
		}
		msg := ip.Msg
		if ip.Path != "" {
			msg = ip.Path + ": " + msg
		}
		if ip.File != s.File {
			msg = ip.File + ": " + msg
		}
		out = append(out, scenarios.Problem{File: s.File, Path: where, Msg: what + ": " + msg})
	}
	return out
}

// causes reports whether a problem at path comes from the key an axis sets.
func (s *Sweep) causes(key, path string) bool {
	res, err := s.base.Resolve(key)
	if err != nil {
		return path == key
	}
	for _, k := range []string{res, key} {
		if path == k || strings.HasPrefix(path, k+".") || strings.HasPrefix(path, k+"[") {
			return true
		}
	}
	return false
}

func paramsLabel(ps reports.Params) string {
	var l []string
	for _, p := range ps {
		l = append(l, p.Key+"="+reports.ParamLabel(p.Value))
	}
	return strings.Join(l, ", ")
}

// dedupe keeps the first of identical problems (a bad value of one axis
// fails at every point of the others).
func dedupe(ps scenarios.Problems) scenarios.Problems {
	seen := map[string]bool{}
	var out scenarios.Problems
	for _, p := range ps {
		if k := p.Path + "\x00" + p.Msg; !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// renameSetProblems names an axis made by --set as "--set KEY" rather than
// by the sweep.axes entry the user never wrote.
func renameSetProblems(err error, fromSet map[string]bool) error {
	var ps scenarios.Problems
	if !errors.As(err, &ps) || len(fromSet) == 0 {
		return err
	}
	out := make(scenarios.Problems, len(ps))
	for i, p := range ps {
		for k := range fromSet {
			prefix := "sweep.axes[" + k + "]"
			if strings.HasPrefix(strings.ToLower(p.Path), prefix) {
				p.Path = "--set " + k + p.Path[len(prefix):]
				break
			}
		}
		out[i] = p
	}
	return out
}

// warn adds the footnotes that hold whatever the runs show.
func (s *Sweep) warn() {
	switch {
	case s.Replications == 1:
		s.Warnings = append(s.Warnings, reports.SweepWarning{Code: "no_interval",
			Message: "one replication: no confidence interval, and goals judge each figure by its single run (--replications 5 or more for intervals)"})
	case s.Replications < 5:
		s.Warnings = append(s.Warnings, reports.SweepWarning{Code: "few_replications",
			Message: fmt.Sprintf("%d replications: the Student-t intervals are wide (t = %.2f at %g%%) and rest on normality; 5 or more are better",
				s.Replications, tQuantile(s.Replications, s.Confidence), 100*s.Confidence)})
	}
	for _, a := range s.Axes {
		if a.Rounded {
			s.Warnings = append(s.Warnings, reports.SweepWarning{Code: "rounded",
				Message: fmt.Sprintf("%s takes integers: its range is rounded to %s", a.Key, valuesLabel(a.Values))})
		}
	}
}

func valuesLabel(vs []any) string {
	var l []string
	for _, v := range vs {
		l = append(l, reports.ParamLabel(v))
	}
	return strings.Join(l, ", ")
}

// tQuantile is the two-sided Student-t factor for n replications.
func tQuantile(n int, c float64) float64 { return reports.StudentT(n, c) }
