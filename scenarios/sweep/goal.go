package sweep

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Goal is a checked `goal:`: what to find, the domain to search and the
// compiled constraints or expressions.
type Goal struct {
	Spec        *scenarios.GoalSpec
	dom         domain
	values      []any // find: best: every value to try
	constraints []*constraint
	expr        *expression // find: root
	objective   *expression // find: best with minimize
	system      string      // find: best with a strategy
}

// goal checks a goal section against the scenario.
func (s *Sweep) goal(g *scenarios.GoalSpec, problem func(string, string, ...any)) *Goal {
	goal := &Goal{Spec: g}
	if err := s.checkKey(g.Vary, 1); err != nil {
		problem("goal.vary", "%s: %v", g.Vary, err)
	}
	if i := s.axisIndex(g.Vary); i >= 0 {
		problem("goal.vary", "%s is also a sweep axis; a goal searches its own key (remove it from sweep.axes, or drop the goal to see every value)", g.Vary)
	}
	for i, src := range g.SubjectTo {
		c, err := compileConstraint(src, fmt.Sprintf("goal.subject_to[%d]", i), s.info)
		if err != nil {
			problem("", "%v", err)
			continue
		}
		goal.constraints = append(goal.constraints, c)
	}
	var err error
	switch g.Find {
	case "root":
		if goal.expr, err = compileExpr(g.Expr, "goal.expr", s.info); err != nil {
			problem("", "%v", err)
		}
	case "best":
		switch {
		case g.Minimize != "":
			if goal.objective, err = compileExpr(g.Minimize, "goal.minimize", s.info); err != nil {
				problem("", "%v", err)
			}
		default:
			goal.system = g.System
			if goal.system == "" && len(s.systems) == 1 {
				goal.system = s.systems[0]
			}
			switch {
			case goal.system == "":
				problem("goal.system", "missing; want the system whose cost and speed the strategy weighs (one of %s)", strings.Join(s.systems, ", "))
			case !slices.Contains(s.systems, goal.system):
				problem("goal.system", "%q is not a system of the scenario; systems: %s", goal.system, strings.Join(s.systems, ", "))
			}
		}
	}
	r := g.Within.Range
	switch {
	case g.Find == "best" && r == nil:
		goal.values = g.Within.Values
	case g.Find == "best":
		goal.values = rangeValues(r)
	case r != nil:
		goal.dom = domain{lo: r.From, hi: r.To, log: r.Log, tol: g.Tolerance}
		goal.dom.integer = r.From == math.Trunc(r.From) && r.To == math.Trunc(r.To) && s.takesIntegers(g.Vary, []any{r.From + 0.5})
	}
	return goal
}

// checkGoalEnds decodes the goal's end values at every point of the grid,
// so a bad within is bad input before anything runs.
func (s *Sweep) checkGoalEnds() scenarios.Problems {
	g := s.Goal
	ends := g.values
	if ends == nil {
		ends = []any{g.value(g.dom.lo), g.value(g.dom.hi)}
	}
	var probs scenarios.Problems
	for _, p := range s.Points {
		for _, v := range ends {
			if _, _, err := s.decodePoint(append(slices.Clone(p.Params), reports.Param{Key: g.Spec.Vary, Value: v})); err != nil {
				probs = append(probs, s.pointProblems(err, p, "value "+reports.ParamLabel(v))...)
			}
		}
	}
	return probs
}

// value is x as the scenario is given it: an integer for an integer key.
func (g *Goal) value(x float64) any {
	if g.dom.integer || x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return int64(x)
	}
	return x
}

// judged is one value of the goal's key, evaluated and judged.
type judged struct {
	value  float64
	point  reports.SweepPoint
	checks []reports.GoalCheck
	met    bool
	worst  float64 // the largest relative violation of a constraint (< 0: all met with margin)
	expr   reports.Estimate
	obj    []float64 // find: best: the objective per replication
	cost   []float64 // find: best with a strategy
	speed  []float64
}

// judge evaluates the goal's constraints and expressions at a point.
func (g *Goal) judge(p reports.SweepPoint, value float64, reps int, conf float64) (*judged, error) {
	j := &judged{value: value, point: p, met: true, worst: math.Inf(-1)}
	for _, c := range g.constraints {
		chk, viol, err := c.check(&p, reps, conf)
		if err != nil {
			return nil, err
		}
		j.checks = append(j.checks, chk)
		j.met = j.met && chk.Met
		j.worst = math.Max(j.worst, viol)
	}
	if len(g.constraints) == 0 {
		j.worst = 0
	}
	if g.expr != nil {
		vals, err := series(g.expr, &p, reps)
		if err != nil {
			return nil, err
		}
		j.expr = reports.NewEstimate(vals, conf)
	}
	if g.objective != nil {
		vals, err := series(g.objective, &p, reps)
		if err != nil {
			return nil, err
		}
		j.obj = vals
	}
	if g.system != "" {
		var err error
		if j.cost, err = metricSeries(&p, g.system, "cost_usd.per_million_requests", reps); err != nil {
			return nil, err
		}
		if j.speed, err = metricSeries(&p, g.system, "latency_ms.mean", reps); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// series is an expression over each replication of a point.
func series(e *expression, p *reports.SweepPoint, reps int) ([]float64, error) {
	if err := missing(e.refs, p); err != nil {
		return nil, fmt.Errorf("%q: %v", e.src, err)
	}
	out := make([]float64, reps)
	for r := range out {
		v, err := e.eval(env(p, r, e.refs))
		if err != nil {
			return nil, err
		}
		out[r] = v
	}
	return out, nil
}

func metricSeries(p *reports.SweepPoint, system, path string, reps int) ([]float64, error) {
	s := p.System(system)
	if s == nil {
		return nil, fmt.Errorf("no system %s", system)
	}
	m, ok := s.Metric(path)
	if !ok || len(m.Values) != reps {
		return nil, fmt.Errorf("system %s does not report %s", system, path)
	}
	return m.Values, nil
}

// check judges one constraint at a point on the pessimistic side of the
// interval of left − right, and says by how much it is violated relative
// to the threshold (negative when met), to rank unmet points.
func (c *constraint) check(p *reports.SweepPoint, reps int, conf float64) (reports.GoalCheck, float64, error) {
	l, err := series(c.left, p, reps)
	if err != nil {
		return reports.GoalCheck{}, 0, err
	}
	r, err := series(c.right, p, reps)
	if err != nil {
		return reports.GoalCheck{}, 0, err
	}
	d := make([]float64, reps)
	for i := range d {
		d[i] = l[i] - r[i]
	}
	de := reports.NewEstimate(d, conf)
	lo, hi := de.Interval()
	chk := reports.GoalCheck{Constraint: c.src, Left: reports.NewEstimate(l, conf).Summary(), Op: c.op,
		Right: reports.NewEstimate(r, conf).Summary()}
	var viol float64 // > 0: violated, in units of left − right
	switch c.op {
	case "<":
		chk.Bound, chk.Met, viol = hi, hi < 0, hi
	case "<=":
		chk.Bound, chk.Met, viol = hi, hi <= 0, hi
	case ">":
		chk.Bound, chk.Met, viol = lo, lo > 0, -lo
	case ">=":
		chk.Bound, chk.Met, viol = lo, lo >= 0, -lo
	}
	scale := math.Abs(chk.Right.Mean)
	if scale == 0 {
		scale = math.Max(math.Abs(chk.Left.Mean), 1e-300)
	}
	return chk, viol / scale, nil
}

// state is a judged value's state for the searches.
func (g *Goal) state(j *judged) int {
	if g.Spec.Find == "root" {
		switch m := j.expr.Mean; {
		case m > 0:
			return 1
		case m < 0:
			return -1
		}
		return 0
	}
	if j.met {
		return 1
	}
	return 0
}

// Plan says how the goal will search, for --list.
func (g *Goal) Plan() string {
	s := g.Spec
	switch s.Find {
	case "best":
		what := s.Minimize
		if what == "" {
			what = "strategy " + s.Strategy + " on system " + g.system
		}
		return fmt.Sprintf("find best %s (%s) among %s: every value runs", s.Vary, what, g.within())
	case "root":
		return fmt.Sprintf("find where %s changes sign, %s in %s: %d probes, then bisection to %g relative", s.Expr, s.Vary, g.within(), initialProbes, s.Tolerance)
	}
	how := fmt.Sprintf("%d probes, then bisection", initialProbes)
	if g.dom.integer {
		how += " to adjacent integers"
	} else {
		how += fmt.Sprintf(" to %g relative", s.Tolerance)
	}
	if s.Search == "scan" {
		how = "a scan"
	}
	return fmt.Sprintf("find %s %s in %s subject to %s: %s (a scan if the constraints are not monotone)",
		s.Find, s.Vary, g.within(), strings.Join(s.SubjectTo, ", "), how)
}
