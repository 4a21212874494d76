package sweep

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Goal is a checked `goal:`: what to find, the domain to search and the
// compiled constraints or expressions.
type Goal struct {
	Spec        *scenarios.GoalSpec
	dom         domain
	values      []any    // find: best: every value to try
	labels      []string // their names (valueLabels), or nil
	sweep       *Sweep   // the sweep it belongs to: its axes' labels
	constraints []*reports.Expr
	expr        *reports.Expr // find: root
	objective   *reports.Expr // find: best with minimize
	system      string        // find: best with a strategy
}

// goal checks a goal section against the scenario.
func (s *Sweep) goal(g *scenarios.GoalSpec, problem func(string, string, ...any)) *Goal {
	goal := &Goal{Spec: g, sweep: s}
	names := s.systems.names
	if i := s.axisIndex(g.Vary); i >= 0 {
		problem("goal.vary", "%s is also a sweep axis; a goal searches its own key (remove it from sweep.axes, or drop the goal to see every value)", g.Vary)
	}
	compile := func(where, src string, constraint bool) *reports.Expr {
		parse := reports.ParseExpr
		if constraint {
			parse = reports.ParseConstraint
		}
		e, err := parse(src, names)
		if err == nil {
			err = s.systems.checkTypes(e)
		}
		if err != nil {
			problem(where, "%q: %v", src, err)
			return nil
		}
		return e
	}
	for i, src := range g.SubjectTo {
		if c := compile(fmt.Sprintf("goal.subject_to[%d]", i), src, true); c != nil {
			goal.constraints = append(goal.constraints, c)
		}
	}
	switch g.Find {
	case "root":
		goal.expr = compile("goal.expr", g.Expr, false)
	case "best":
		if g.Minimize != "" {
			goal.objective = compile("goal.minimize", g.Minimize, false)
			break
		}
		goal.system = g.System
		if goal.system == "" && len(names) == 1 {
			goal.system = names[0]
		}
		switch {
		case goal.system == "":
			problem("goal.system", "missing; want the system whose cost and speed the strategy weighs (one of %s)", strings.Join(names, ", "))
		case !slices.Contains(names, goal.system):
			problem("goal.system", "%q is not a system of the scenario; systems: %s", goal.system, strings.Join(names, ", "))
		}
	}
	r := g.Within.Range
	switch {
	case g.Find == "best" && r == nil:
		goal.values = g.Within.Values
		goal.labels = valueLabels(g.Within.Values, g.Within.Labels)
	case g.Find == "best":
		goal.values = rangeValues(r)
	case r != nil:
		goal.dom = domain{lo: r.From, hi: r.To, log: r.Log, tol: g.Tolerance, duration: r.Duration}
		goal.dom.integer = !r.Duration && r.From == math.Trunc(r.From) && r.To == math.Trunc(r.To) && s.takesIntegers(g.Vary, []any{r.From + 0.5})
	}
	return goal
}

// checkGoalEnds decodes the goal's end values (every value, for find:
// best) at every point of the grid, so a bad within is bad input before
// anything runs.
func (s *Sweep) checkGoalEnds() scenarios.Problems {
	g := s.Goal
	ends := g.values
	if ends == nil {
		ends = []any{g.value(g.dom.lo), g.value(g.dom.hi)}
	}
	var probs scenarios.Problems
	for _, p := range s.Points {
		for _, v := range ends {
			if _, err := s.decode(append(slices.Clone(p.Params), reports.Param{Key: g.Spec.Vary, Value: v}), "goal.within"); err != nil {
				probs = append(probs, problems(err)...)
			}
		}
	}
	return probs
}

// value is x as the scenario is given it: an integer for an integer key,
// else a number (5.0 stays a float: the answer of a real search).
func (g *Goal) value(x float64) any {
	switch {
	case g.dom.integer:
		return int64(x)
	case g.dom.duration: // x is a whole number of nanoseconds (domain.round)
		return scenarios.FormatDuration(time.Duration(math.Round(x)))
	}
	return x
}

// judged is one value of the goal's key, evaluated and judged.
type judged struct {
	value  float64 // the value (find: best: its index in within)
	point  reports.SweepPoint
	checks []reports.GoalCheck
	met    bool
	worst  float64 // the largest relative shortfall of a constraint (< 0: all met with margin)
	expr   reports.Estimate
	// find: best, per replication (NaN where a run lacks the figure): the
	// objective, and a strategy's cost and speed.
	obj, cost, speed []float64
}

// judge evaluates the goal's constraints and expressions at a point.
func (g *Goal) judge(p reports.SweepPoint, value float64, reps int, conf float64) (*judged, error) {
	j := &judged{value: value, point: p, met: true, worst: math.Inf(-1)}
	for _, c := range g.constraints {
		chk, short, err := check(c, &p, reps, conf)
		if err != nil {
			return nil, err
		}
		j.checks = append(j.checks, chk)
		j.met = j.met && chk.Met
		j.worst = math.Max(j.worst, short)
	}
	if len(g.constraints) == 0 {
		j.worst = 0
	}
	if g.expr != nil {
		if why := stopped(g.expr, &p, reps); why != "" {
			return nil, fmt.Errorf("goal.expr %q: %s; a root needs the expression over whole runs (raise max_backlog_mb, or keep within to values where the system keeps up)", g.expr, why)
		}
		vals, _, missing, err := series(g.expr, &p, reps)
		if err != nil {
			return nil, err
		}
		if missing != "" {
			return nil, fmt.Errorf("goal.expr %q: %s is missing in some replications (nothing completed?); a root needs the expression in every run", g.expr, missing)
		}
		j.expr = reports.NewEstimate(vals, conf)
	}
	var err error
	if g.objective != nil {
		if j.obj, err = perReplication(&p, reps, g.objective); err != nil {
			return nil, err
		}
		j.objectiveStopped(stopped(g.objective, &p, reps), g.objective.String())
	}
	if g.system != "" {
		cost, _ := reports.ParseExpr(g.system+".cost_usd.per_million_requests", []string{g.system})
		speed, _ := reports.ParseExpr(g.system+".latency_ms.mean", []string{g.system})
		j.objectiveStopped(stopped(cost, &p, reps), "the strategy's "+g.system+" figures")
		if j.cost, err = perReplication(&p, reps, cost); err != nil {
			return nil, err
		}
		if j.speed, err = perReplication(&p, reps, speed); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// objectiveStopped makes a value whose objective reads a stopped system
// (why, from stopped) fail, with a check saying so: its objective is a
// part of a run's.
func (j *judged) objectiveStopped(why, what string) {
	if why == "" {
		return
	}
	j.met = false
	j.checks = append(j.checks, reports.GoalCheck{Constraint: what, Stopped: why})
	j.worst = math.Inf(1)
}

// perReplication is e at each replication, NaN where a run lacks a metric.
func perReplication(p *reports.SweepPoint, reps int, e *reports.Expr) ([]float64, error) {
	vals, at, _, err := series(e, p, reps)
	if err != nil {
		return nil, err
	}
	out := make([]float64, reps)
	for r := range out {
		out[r] = math.NaN()
	}
	for i, r := range at {
		out[r] = vals[i]
	}
	return out, nil
}

// present are the values that are not NaN.
func present(vals []float64) []float64 {
	return slices.DeleteFunc(slices.Clone(vals), math.IsNaN)
}

// check judges one constraint at a point on the pessimistic side of the
// interval of its margin (how far it holds: > 0 holds), and says how far
// it falls short relative to the size of what it reads, to rank unmet
// points. A replication lacking a metric the constraint reads fails it.
func check(c *reports.Expr, p *reports.SweepPoint, reps int, conf float64) (reports.GoalCheck, float64, error) {
	vals, _, missing, err := series(c, p, reps)
	if err != nil {
		return reports.GoalCheck{}, 0, err
	}
	chk := reports.GoalCheck{Constraint: c.String()}
	scale := 0.0
	for _, r := range c.Refs() {
		if s := p.System(r.System); s != nil {
			if m, ok := s.Metric(r.Path); ok {
				chk.Metrics = append(chk.Metrics, reports.SweepMetric{Path: r.String(), Estimate: m.Summary()})
				scale = math.Max(scale, math.Abs(m.Mean))
			}
		}
	}
	if scale == 0 {
		scale = 1
	}
	if missing != "" {
		chk.Missing = fmt.Sprintf("%s is missing in %d of %d replications", missing, reps-len(vals), reps)
	}
	chk.Stopped = stopped(c, p, reps)
	if len(vals) == 0 {
		return chk, math.Inf(1), nil
	}
	chk.Margin = reports.NewEstimate(vals, conf).Summary()
	lo, _ := chk.Margin.Interval()
	chk.Bound = lo
	chk.Met = missing == "" && chk.Stopped == "" && (lo > 0 || lo == 0 && !c.Strict())
	if chk.Stopped != "" {
		return chk, math.Inf(1), nil // a stopped run is no evidence of how close it came
	}
	return chk, -lo / scale, nil
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

// estimate is how many values a search evaluates when the goal is
// monotone (the progress bar's total): the initial probes and a bisection
// of the widest gap between them; every value for find: best.
func (g *Goal) estimate() int {
	if g.values != nil {
		return len(g.values)
	}
	d := g.dom
	probes := d.grid(initialProbes)
	lo, hi := probes[0], probes[min(1, len(probes)-1)]
	steps := 0
	for i := 0; i < maxBisections && !d.close(lo, hi); i++ {
		hi = d.mid(lo, hi)
		steps++
	}
	return len(probes) + steps
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

// labelOf writes a value of the goal's key for a sentence: by its label
// when within's values have labels.
func (g *Goal) labelOf(v any) string {
	a := Axis{Values: g.values, Labels: g.labels}
	return a.Label(v)
}
