package sweep

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/faasim/faasim/reports"
)

// answer runs the search and writes its answer with the evidence.
func (sr *search) answer() (reports.GoalAnswer, error) {
	g := sr.rn.s.Goal
	scan := g.Spec.Search == "scan"
	var (
		f   found
		err error
	)
	switch g.Spec.Find {
	case "best":
		return sr.best()
	case "root":
		f, err = searchRoot(g.dom, scan, sr.probe)
	default:
		f, err = searchBound(g.dom, g.Spec.Find == "max", scan, sr.probe)
	}
	if err != nil {
		sr.rn.cancel()
		return reports.GoalAnswer{}, err
	}
	a := reports.GoalAnswer{Monotone: f.monotone, Method: "bisection"}
	switch {
	case f.scanned && !f.monotone:
		a.Method = "scan (not monotone)"
	case f.scanned:
		a.Method = "scan"
	}
	for _, v := range sr.order {
		a.Probes = append(a.Probes, g.value(v))
	}
	conf := sr.rn.s.Confidence
	if g.Spec.Find == "root" {
		sr.rootAnswer(&a, f, conf)
	} else {
		sr.boundAnswer(&a, f, conf)
	}
	return a, nil
}

func (sr *search) evidence(v float64, role string, onlyFailing bool) reports.GoalEvidence {
	g := sr.rn.s.Goal
	j := sr.evals[v]
	e := reports.GoalEvidence{Value: g.value(v), Met: j.met, Role: role}
	for _, c := range j.checks {
		if !onlyFailing || !c.Met {
			e.Checks = append(e.Checks, c)
		}
	}
	if g.expr != nil {
		x := j.expr.Summary()
		e.Expr = &x
	}
	return e
}

func (sr *search) boundAnswer(a *reports.GoalAnswer, f found, conf float64) {
	g := sr.rn.s.Goal
	word := map[string]string{"min": "smallest", "max": "largest"}[g.Spec.Find]
	if !f.ok {
		// The closest: the value whose worst constraint is violated least.
		best := math.NaN()
		for _, v := range sr.order {
			if math.IsNaN(best) || sr.evals[v].worst < sr.evals[best].worst {
				best = v
			}
		}
		ev := sr.evidence(best, "closest", true)
		a.Evidence = []reports.GoalEvidence{ev}
		a.Sentence = fmt.Sprintf("no %s in %s meets every constraint; closest: %s, where %s",
			g.Spec.Vary, g.within(), reports.ParamLabel(ev.Value), checksText(ev.Checks, conf, true))
		return
	}
	a.Met, a.Answer = true, g.value(f.answer)
	ev := sr.evidence(f.answer, "answer", false)
	a.Evidence = []reports.GoalEvidence{ev}
	a.Sentence = fmt.Sprintf("%s %s meeting every constraint = %s (%s)", word, g.Spec.Vary, reports.ParamLabel(a.Answer), checksText(ev.Checks, conf, false))
	if !f.bracketed {
		end := map[string]string{"min": "lower", "max": "upper"}[g.Spec.Find]
		a.Sentence += fmt.Sprintf("; that is the %s end of within, so nothing beyond it was tried", end)
		return
	}
	nb := sr.evidence(f.bracket[0], "neighbour", true)
	a.Evidence = append(a.Evidence, nb)
	a.Sentence += fmt.Sprintf("; %s fails (%s)", reports.ParamLabel(nb.Value), checksText(nb.Checks, conf, true))
	if !f.monotone {
		a.Sentence += "; the constraints are not monotone in " + g.Spec.Vary + ": found by a scan, not bisection"
	}
}

func (sr *search) rootAnswer(a *reports.GoalAnswer, f found, conf float64) {
	g := sr.rn.s.Goal
	if !f.ok {
		best := math.NaN()
		for _, v := range sr.order {
			if math.IsNaN(best) || math.Abs(sr.evals[v].expr.Mean) < math.Abs(sr.evals[best].expr.Mean) {
				best = v
			}
		}
		sign := "positive"
		if sr.evals[best].expr.Mean < 0 {
			sign = "negative"
		}
		ev := sr.evidence(best, "closest", false)
		a.Evidence = []reports.GoalEvidence{ev}
		a.Sentence = fmt.Sprintf("%s does not change sign for %s in %s: it is %s at every value tried; closest to 0: %s at %s",
			g.Spec.Expr, g.Spec.Vary, g.within(), sign, reports.FormatCI(*ev.Expr, conf), reports.ParamLabel(ev.Value))
		return
	}
	lo, hi := f.bracket[0], f.bracket[1]
	ea, eb := sr.evals[lo].expr, sr.evals[hi].expr
	x := lo
	if lo != hi && !g.dom.integer {
		t := ea.Mean / (ea.Mean - eb.Mean) // linear interpolation of the sign change
		if g.dom.log {
			x = math.Exp(math.Log(lo) + t*(math.Log(hi)-math.Log(lo)))
		} else {
			x = lo + t*(hi-lo)
		}
		x = roundSig(x, digits(g.dom.tol))
	} else if lo != hi {
		x = hi
	}
	a.Met, a.Answer = true, g.value(x)
	a.Evidence = []reports.GoalEvidence{sr.evidence(lo, "bracket", false)}
	if hi != lo {
		a.Evidence = append(a.Evidence, sr.evidence(hi, "bracket", false))
	}
	a.Sentence = fmt.Sprintf("%s changes sign at %s = %s: %s at %s, %s at %s",
		g.Spec.Expr, g.Spec.Vary, reports.ParamLabel(a.Answer), reports.FormatCI(ea, conf), reports.ParamLabel(g.value(lo)),
		reports.FormatCI(eb, conf), reports.ParamLabel(g.value(hi)))
	for _, e := range []reports.Estimate{ea, eb} {
		if l, h := e.Interval(); e.HasInterval() && l <= 0 && h >= 0 {
			a.Sentence += fmt.Sprintf("; within the noise: the %g%% interval at an end of the bracket includes 0", 100*conf)
			break
		}
	}
	if f.roots > 1 {
		a.Sentence += fmt.Sprintf("; the first of %d sign changes seen (not monotone)", f.roots)
	}
}

// digits is how many significant digits show a value to relative tolerance tol, plus one.
func digits(tol float64) int { return int(math.Ceil(-math.Log10(tol))) + 2 }

func roundSig(x float64, n int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return v
}

// within writes the goal's domain: "1..64", "0.1..1000 (log)".
func (g *Goal) within() string {
	if g.values != nil {
		return valuesLabel(g.values)
	}
	s := reports.ParamLabel(g.value(g.dom.lo)) + ".." + reports.ParamLabel(g.value(g.dom.hi))
	if g.dom.log {
		s += " (log)"
	}
	return s
}

// checksText writes constraints as "vms.latency_ms.p99 = 193 (95% CI
// 190-197) < 200"; failing ones as "..., want < 200".
func checksText(cs []reports.GoalCheck, conf float64, failing bool) string {
	var parts []string
	for _, c := range cs {
		right := strings.TrimSpace(strings.TrimPrefix(c.Constraint[strings.Index(c.Constraint, c.Op)+len(c.Op):], "="))
		left := strings.TrimSpace(c.Constraint[:strings.Index(c.Constraint, c.Op)])
		rv := right
		if _, err := strconv.ParseFloat(right, 64); err != nil {
			rv = right + " = " + reports.FormatCI(c.Right, conf)
		}
		if failing && !c.Met {
			parts = append(parts, fmt.Sprintf("%s = %s, want %s %s", left, reports.FormatCI(c.Left, conf), c.Op, rv))
		} else {
			parts = append(parts, fmt.Sprintf("%s = %s %s %s", left, reports.FormatCI(c.Left, conf), c.Op, rv))
		}
	}
	return strings.Join(parts, "; ")
}

// best evaluates every value of within and picks the one with the least
// objective among those meeting the constraints.
func (sr *search) best() (reports.GoalAnswer, error) {
	s, g := sr.rn.s, sr.rn.s.Goal
	js := make([]*judged, len(g.values))
	sr.rn.total.Add(int64(len(g.values) * s.Replications))
	err := parallel(len(g.values), 0, func(i int) error {
		ps := append(slices.Clone(sr.combo.Params), reports.Param{Key: g.Spec.Vary, Value: g.values[i]})
		_, sc, err := s.decodePoint(ps)
		if err != nil {
			return s.pointProblems(err, sr.combo, "value "+reports.ParamLabel(g.values[i]))
		}
		p, err := sr.rn.evaluate(sr.ctx, sc, ps)
		if err != nil {
			return err
		}
		js[i], err = g.judge(p, float64(i), s.Replications, s.Confidence)
		return err
	})
	if err != nil {
		sr.rn.cancel()
		return reports.GoalAnswer{}, err
	}
	sr.bestPoints = js
	a := reports.GoalAnswer{Method: "scan", Monotone: true, Probes: g.values}
	conf := s.Confidence
	objective := func(name string) ([]float64, []*judged) {
		var maxC, maxS float64
		for _, j := range js {
			if j.cost != nil {
				maxC = math.Max(maxC, reports.NewEstimate(j.cost, conf).Mean)
				maxS = math.Max(maxS, reports.NewEstimate(j.speed, conf).Mean)
			}
		}
		var means []float64
		var met []*judged
		for _, j := range js {
			switch name {
			case "cost":
				j.obj = j.cost
			case "speed":
				j.obj = j.speed
			case "balanced":
				j.obj = make([]float64, len(j.cost))
				w := g.Spec.BalancedWeight
				for r := range j.obj {
					j.obj[r] = w*j.cost[r]/nonzero(maxC) + (1-w)*j.speed[r]/nonzero(maxS)
				}
			}
			if j.met {
				met = append(met, j)
				means = append(means, reports.NewEstimate(j.obj, conf).Mean)
			}
		}
		return means, met
	}
	// pick ranks the values meeting the constraints by their mean
	// objective; ties go as in Power Tuning (equal cost: the faster; equal
	// speed: the cheaper), then to the earlier value.
	pick := func(name string, means []float64, met []*judged) (int, int) {
		second := func(j *judged) float64 {
			switch name {
			case "cost":
				return reports.NewEstimate(j.speed, conf).Mean
			case "speed":
				return reports.NewEstimate(j.cost, conf).Mean
			}
			return 0
		}
		idx := make([]int, len(met))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(x, y int) bool {
			a, b := idx[x], idx[y]
			if means[a] != means[b] {
				return means[a] < means[b]
			}
			return second(met[a]) < second(met[b])
		})
		switch len(idx) {
		case 0:
			return -1, -1
		case 1:
			return idx[0], -1
		}
		return idx[0], idx[1]
	}
	if g.system != "" {
		a.Strategies = map[string]any{}
		for _, name := range []string{"cost", "speed", "balanced"} {
			means, met := objective(name)
			if b, _ := pick(name, means, met); b >= 0 {
				a.Strategies[name] = g.values[int(met[b].value)]
			}
		}
	}
	name := g.Spec.Strategy
	var means []float64
	var met []*judged
	if g.objective != nil {
		for _, j := range js {
			if j.met {
				met = append(met, j)
				means = append(means, reports.NewEstimate(j.obj, conf).Mean)
			}
		}
	} else {
		means, met = objective(name)
	}
	what := g.Spec.Minimize
	if what == "" {
		what = map[string]string{"cost": g.system + ".cost_usd.per_million_requests", "speed": g.system + ".latency_ms.mean",
			"balanced": fmt.Sprintf("%g × cost/max + %g × mean latency/max", g.Spec.BalancedWeight, 1-g.Spec.BalancedWeight)}[name]
	}
	b, ru := pick(name, means, met)
	if b < 0 {
		worst := 0
		for i, j := range js {
			if j.worst < js[worst].worst {
				worst = i
			}
		}
		ev := sr.bestEvidence(js[worst], "closest", true)
		a.Evidence = []reports.GoalEvidence{ev}
		a.Sentence = fmt.Sprintf("no %s in %s meets every constraint; closest: %s, where %s",
			g.Spec.Vary, g.within(), reports.ParamLabel(ev.Value), checksText(ev.Checks, conf, true))
		return a, nil
	}
	jb := met[b]
	a.Met, a.Answer = true, g.values[int(jb.value)]
	eb := sr.bestEvidence(jb, "answer", false)
	a.Evidence = []reports.GoalEvidence{eb}
	label := "least"
	if name != "" {
		label = map[string]string{"cost": "cheapest", "speed": "fastest", "balanced": "best balanced"}[name]
	}
	a.Sentence = fmt.Sprintf("%s %s meeting every constraint = %s (%s = %s)", label, g.Spec.Vary, reports.ParamLabel(a.Answer),
		what, reports.FormatCI(*eb.Objective, conf))
	if ru >= 0 {
		jr := met[ru]
		er := sr.bestEvidence(jr, "runner-up", false)
		a.Evidence = append(a.Evidence, er)
		a.Sentence += fmt.Sprintf("; runner-up %s: %s", reports.ParamLabel(er.Value), reports.FormatCI(*er.Objective, conf))
		// With common random numbers the replications pair up: the
		// difference's interval says whether the best is resolved.
		d := make([]float64, len(jb.obj))
		for r := range d {
			d[r] = jr.obj[r] - jb.obj[r]
		}
		switch de := reports.NewEstimate(d, conf); {
		case !de.HasInterval():
			a.Sentence += " (one replication: whether the difference is real is unknown)"
		case *de.CILow <= 0:
			a.Sentence += fmt.Sprintf(" (a tie: the %g%% interval of their paired difference includes 0)", 100*conf)
		}
	}
	if len(a.Strategies) > 0 {
		var l []string
		for _, n := range []string{"cost", "speed", "balanced"} {
			if v, ok := a.Strategies[n]; ok && n != name {
				l = append(l, n+" picks "+reports.ParamLabel(v))
			}
		}
		if len(l) > 0 {
			a.Sentence += "; " + strings.Join(l, ", ")
		}
	}
	if ex := len(js) - len(met); ex > 0 {
		a.Sentence += fmt.Sprintf("; %d of %d values fail a constraint", ex, len(js))
	}
	return a, nil
}

func nonzero(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

func (sr *search) bestEvidence(j *judged, role string, onlyFailing bool) reports.GoalEvidence {
	e := reports.GoalEvidence{Value: sr.rn.s.Goal.values[int(j.value)], Met: j.met, Role: role}
	for _, c := range j.checks {
		if !onlyFailing || !c.Met {
			e.Checks = append(e.Checks, c)
		}
	}
	if j.obj != nil {
		o := reports.NewEstimate(j.obj, sr.rn.s.Confidence).Summary()
		e.Objective = &o
	}
	return e
}

// result assembles the goal object of sweep.json.
func (g *Goal) result(answers []reports.GoalAnswer) *reports.GoalResult {
	r := &reports.GoalResult{Find: g.Spec.Find, Vary: g.Spec.Vary, SubjectTo: g.Spec.SubjectTo, Expr: g.Spec.Expr,
		Minimize: g.Spec.Minimize, Strategy: g.Spec.Strategy, Answers: answers, Met: true}
	if g.Spec.Find != "best" {
		r.Tolerance = g.Spec.Tolerance
		lo, hi := g.dom.lo, g.dom.hi
		r.Within = reports.Within{From: &lo, To: &hi}
		if g.dom.log {
			r.Within.Scale = "log"
		}
	} else {
		r.Within = reports.Within{Values: g.values}
	}
	for _, a := range answers {
		r.Met = r.Met && a.Met
	}
	if len(answers) == 1 && len(answers[0].Params) == 0 {
		r.Answer, r.Evidence = answers[0].Answer, answers[0].Evidence
	}
	return r
}
