package sweep

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
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
	// Budget refuses a point whose one run is estimated beyond it (events,
	// memory), before it runs; zero fields take scenarios' defaults.
	Budget scenarios.Budget
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
	Warnings     []reports.Warning
	SLO          []string // the base scenario's slo:, as written

	doc     *scenarios.Document
	base    []scenarios.Override // --set values every point has
	fromSet map[string]bool      // axes (lowercased) that --set made
	systems systemTypes
	opts    Options
}

// Point is one point of the grid: the axes' values and the scenario there.
type Point struct {
	Index    int
	Params   reports.Params
	scenario *scenarios.Scenario
}

// Open reads nameOrPath (a file or an embedded example) and prepares its
// sweep. A scenario without `sweep:` or `goal:` is a one-point sweep: its
// replications alone.
func Open(nameOrPath string, o Options) (*Sweep, error) {
	doc, err := scenarios.ReadDocument(nameOrPath)
	if err != nil {
		return nil, err
	}
	return Prepare(doc, o)
}

// Prepare checks the document's sweep and goal, lays the --set values over
// it, expands the axes and decodes every point, each as the file with the
// point's values set (scenarios.Override), so a point passes exactly the
// file's checks. Every problem is reported at once, as scenarios.Problems
// with key paths.
func Prepare(doc *scenarios.Document, o Options) (*Sweep, error) {
	st, err := parseSets(doc, o.Sets)
	if err != nil {
		return nil, err
	}
	spec, gspec, err := doc.Sweep(append(slices.Clone(st.base), st.section...), st.added...)
	if err != nil {
		return nil, renameSetProblems(err, st.fromSet)
	}
	s := &Sweep{File: doc.File, doc: doc, base: st.base, fromSet: st.fromSet, opts: o, Replications: 1, Confidence: 0.95}
	base, err := doc.Decode(st.base...)
	if err != nil {
		return nil, err
	}
	s.Name, s.Seed = base.Name, base.Seed
	for _, e := range base.SLO {
		s.SLO = append(s.SLO, e.String())
	}
	if o.Seed != nil {
		s.Seed = *o.Seed
	}
	s.systems = systemTypes{types: map[string]string{}}
	for _, sys := range base.Systems {
		s.systems.names = append(s.systems.names, sys.Name)
		s.systems.types[sys.Name] = sys.Type
	}
	if spec != nil {
		s.Replications, s.Confidence, s.Metrics = spec.Replications, spec.Confidence, spec.Metrics
	}
	if o.Replications > 0 {
		s.Replications = o.Replications
	}
	var probs scenarios.Problems
	problem := func(path, format string, args ...any) {
		probs = append(probs, scenarios.Problem{File: doc.File, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if spec != nil {
		s.axes(spec)
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
		return nil, renameSetProblems(probs, st.fromSet)
	}
	units, total := grid(s.Axes)
	if total > maxPoints || total*s.Replications > maxRuns {
		return nil, scenarios.Problems{{File: doc.File, Path: "sweep",
			Msg: fmt.Sprintf("%d points × %d replications = %d runs; want at most %d points and %d runs (fewer values, or a goal to search)",
				total, s.Replications, total*s.Replications, maxPoints, maxRuns)}}
	}
	for i := range total {
		p := Point{Index: i, Params: params(s.Axes, units, i)}
		if p.scenario, err = s.decode(p.Params, ""); err != nil {
			probs = append(probs, problems(err)...)
		}
		s.Points = append(s.Points, p)
	}
	if s.Goal != nil && len(probs) == 0 {
		probs = append(probs, s.checkGoalEnds()...)
	}
	if len(probs) > 0 {
		return nil, renameSetProblems(dedupe(probs), st.fromSet)
	}
	s.warn()
	return s, nil
}

// axes expands each axis spec into its values.
func (s *Sweep) axes(spec *scenarios.SweepSpec) {
	for _, as := range spec.Axes {
		a := Axis{Key: as.Key, Where: as.Where, Values: as.Values}
		if s.fromSet[strings.ToLower(as.Key)] {
			a.Where = "--set " + as.Key
		}
		if as.Range != nil {
			a.Values = rangeValues(as.Range)
			if !allIntegers(a.Values) && s.takesIntegers(a.Key, a.Values) {
				a.Values, a.Rounded = roundToIntegers(a.Values), true
			}
		}
		s.Axes = append(s.Axes, a)
	}
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
		_, errF := s.decode(reports.Params{{Key: key, Value: f}}, "")
		_, errR := s.decode(reports.Params{{Key: key, Value: int64(math.Round(f))}}, "")
		return errF != nil && errR == nil
	}
	return false
}

// zip numbers the axes of each zip group and checks the groups.
func (s *Sweep) zip(spec *scenarios.SweepSpec, problem func(string, string, ...any)) {
	for gi, g := range spec.Zip {
		where := fmt.Sprintf("%s[%d]", spec.ZipPath, gi)
		n, first := -1, ""
		for _, k := range g {
			i := s.axisIndex(k)
			switch {
			case i < 0:
				problem(where, "%s is not an axis; axes: %s", k, strings.Join(s.axisKeys(), ", "))
			case s.Axes[i].Zip != 0:
				problem(where, "%s is already in zip group %d; an axis advances with one group", k, s.Axes[i].Zip-1)
			case n >= 0 && len(s.Axes[i].Values) != n:
				problem(where, "%s has %d values and %s %d; axes that advance together need as many values each",
					k, len(s.Axes[i].Values), first, n)
			default:
				if n < 0 {
					n, first = len(s.Axes[i].Values), k
				}
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

// decode is the scenario at a point: the file with the --set values, then
// the point's values, each an override naming where it comes from (an
// axis, or the goal's within), so a problem it causes says so.
func (s *Sweep) decode(ps reports.Params, goalWhere string) (*scenarios.Scenario, error) {
	ovs := slices.Clone(s.base)
	for _, p := range ps {
		where := goalWhere
		if i := s.axisIndex(p.Key); i >= 0 {
			where = s.Axes[i].Where
		}
		if where == "" {
			where = "sweep.axes[" + p.Key + "]"
		}
		ovs = append(ovs, scenarios.Override{Path: p.Key, Value: p.Value, Origin: origin(where, p.Value)})
	}
	return s.doc.Decode(ovs...)
}

// problems are a decode's problems, or the error as one.
func problems(err error) scenarios.Problems {
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return scenarios.Problems{{Msg: err.Error()}}
}

// dedupe keeps the first of identical problems (a bad value of one axis
// fails at every point of the others).
func dedupe(ps scenarios.Problems) scenarios.Problems {
	seen := map[string]bool{}
	var out scenarios.Problems
	for _, p := range ps {
		if k := p.String(); !seen[k] {
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
			}
			p.Msg = strings.ReplaceAll(p.Msg, "(from "+prefix, "(from --set "+k)
		}
		out[i] = p
	}
	return out
}

// warn adds the footnotes that hold whatever the runs show.
func (s *Sweep) warn() {
	switch {
	case s.Replications == 1:
		s.Warnings = append(s.Warnings, reports.Warning{Code: "no_interval",
			Message: "one replication: no confidence interval, and goals judge each figure by its single run (--replications 5 or more for intervals)"})
	case s.Replications < 5:
		s.Warnings = append(s.Warnings, reports.Warning{Code: "few_replications",
			Message: fmt.Sprintf("%d replications: the Student-t intervals are wide (t = %.2f at %g%%) and lean on normality; 5 or more are better",
				s.Replications, reports.StudentT(s.Replications, s.Confidence), 100*s.Confidence)})
	}
	for _, a := range s.Axes {
		if a.Rounded {
			s.Warnings = append(s.Warnings, reports.Warning{Code: "rounded",
				Message: fmt.Sprintf("%s takes integers: its range is rounded to %s", a.Key, valuesLabel(a.Values))})
		}
	}
}

func valuesLabel(vs []any) string {
	var l []string
	for _, v := range vs {
		l = append(l, label(v))
	}
	return strings.Join(l, ", ")
}

// label writes a value for a sentence: a real to 6 significant digits
// (sweep.json has them all), anything else as the table does.
func label(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return reports.ParamLabel(v)
}

func paramsLabel(ps reports.Params) string {
	var l []string
	for _, p := range ps {
		l = append(l, p.Key+"="+label(p.Value))
	}
	return strings.Join(l, ", ")
}
