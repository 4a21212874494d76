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
			g.Spec.Vary, g.within(), g.labelOf(ev.Value), checksText(ev.Checks, conf))
		return
	}
	a.Met, a.Answer = true, g.value(f.answer)
	ev := sr.evidence(f.answer, "answer", false)
	a.Evidence = []reports.GoalEvidence{ev}
	a.Sentence = fmt.Sprintf("%s %s meeting every constraint = %s (%s)", word, g.Spec.Vary, g.labelOf(a.Answer), checksText(ev.Checks, conf))
	defer func() { g.warn(a, &sr.evals[f.answer].point) }()
	if !f.bracketed {
		end := map[string]string{"min": "lower", "max": "upper"}[g.Spec.Find]
		a.Sentence += fmt.Sprintf("; that is the %s end of within, so nothing beyond it was tried", end)
		return
	}
	nb := sr.evidence(f.bracket[0], "neighbour", true)
	a.Evidence = append(a.Evidence, nb)
	a.Sentence += fmt.Sprintf("; %s fails (%s)", g.labelOf(nb.Value), checksText(nb.Checks, conf))
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
			g.Spec.Expr, g.Spec.Vary, g.within(), sign, reports.FormatCI(*ev.Expr, conf), g.labelOf(ev.Value))
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
	defer func() { g.warn(a, &sr.evals[hi].point) }()
	a.Evidence = []reports.GoalEvidence{sr.evidence(lo, "bracket", false)}
	if hi != lo {
		a.Evidence = append(a.Evidence, sr.evidence(hi, "bracket", false))
	}
	side := " (it is 0 there)"
	switch {
	case ea.Mean < 0:
		side = " (negative below, positive above)"
	case ea.Mean > 0:
		side = " (positive below, negative above)"
	}
	a.Sentence = fmt.Sprintf("%s changes sign at %s = %s%s: %s at %s, %s at %s",
		g.Spec.Expr, g.Spec.Vary, g.labelOf(a.Answer), side, reports.FormatCI(ea, conf), g.labelOf(g.value(lo)),
		reports.FormatCI(eb, conf), g.labelOf(g.value(hi)))
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
	s := g.labelOf(g.value(g.dom.lo)) + ".." + g.labelOf(g.value(g.dom.hi))
	if g.dom.log {
		s += " (log)"
	}
	return s
}

// checksText writes constraints at a value: one that reads a single
// metric against a threshold as "vms.latency_ms.p99 = 193 (95% CI 190 to
// 197) < 200" (failing: "..., not < 200"); any other by its margin,
// "a + b <= c holds by 3.2 (95% CI 1.1 to 5.3)".
func checksText(cs []reports.GoalCheck, conf float64) string {
	var parts []string
	for _, c := range cs {
		switch {
		case c.Stopped != "":
			parts = append(parts, fmt.Sprintf("%s fails: %s", c.Constraint, c.Stopped))
		case c.Missing != "":
			parts = append(parts, fmt.Sprintf("%s fails: %s", c.Constraint, c.Missing))
		case len(c.Metrics) == 1 && strings.HasPrefix(c.Constraint, c.Metrics[0].Path):
			rest := strings.TrimSpace(strings.TrimPrefix(c.Constraint, c.Metrics[0].Path))
			if !c.Met {
				rest = "not " + rest
			}
			parts = append(parts, fmt.Sprintf("%s = %s, %s", c.Metrics[0].Path, reports.FormatCI(c.Metrics[0].Estimate, conf), rest))
		case c.Met:
			parts = append(parts, fmt.Sprintf("%s holds by %s", c.Constraint, reports.FormatCI(c.Margin, conf)))
		default:
			parts = append(parts, fmt.Sprintf("%s fails: margin %s", c.Constraint, reports.FormatCI(c.Margin, conf)))
		}
	}
	return strings.Join(parts, "; ")
}

// warn adds to an answer the warnings of the systems the goal reads at
// its point, to its sentence and its warnings: an answer is never given
// without them.
func (g *Goal) warn(a *reports.GoalAnswer, p *reports.SweepPoint) {
	var l []string
	for _, s := range p.Systems {
		if !slices.Contains(g.systemsRead(), s.Name) {
			continue
		}
		for _, w := range s.Warnings {
			l = append(l, s.Name+" "+w.Code+": "+w.Message)
			a.Warnings = append(a.Warnings, s.Name+" "+w.Code)
		}
	}
	if len(l) > 0 {
		a.Sentence += "; warning there: " + strings.Join(l, "; ")
	}
}

// systemsRead are the systems the goal's expressions read.
func (g *Goal) systemsRead() []string {
	var out []string
	for _, m := range g.metrics() {
		sys, _, _ := strings.Cut(m, ".")
		if !slices.Contains(out, sys) {
			out = append(out, sys)
		}
	}
	return out
}

// best evaluates every value of within and picks the one with the least
// objective among those meeting the constraints.
func (sr *search) best() (reports.GoalAnswer, error) {
	s, g := sr.rn.s, sr.rn.s.Goal
	js := make([]*judged, len(g.values))
	err := parallel(len(g.values), 0, func(i int) (err error) {
		js[i], err = sr.evaluate(g.values[i], float64(i))
		return err
	})
	if err != nil {
		sr.rn.cancel()
		return reports.GoalAnswer{}, err
	}
	sr.bestPoints = js
	conf := s.Confidence
	a := reports.GoalAnswer{Method: "scan", Monotone: true, Probes: g.values}
	name := g.Spec.Strategy
	if g.system != "" {
		a.Strategies = map[string]any{}
		for _, n := range []string{"cost", "speed", "balanced"} {
			if b, _ := rank(g, js, n, conf); b != nil {
				a.Strategies[n] = g.values[int(b.value)]
			}
		}
	}
	b, ru := rank(g, js, name, conf) // last: leaves each judged's obj at the goal's own objective
	what := g.Spec.Minimize
	if what == "" {
		what = map[string]string{"cost": g.system + ".cost_usd.per_million_requests", "speed": g.system + ".latency_ms.mean",
			"balanced": fmt.Sprintf("%g × cost/largest + %g × mean latency/largest", g.Spec.BalancedWeight, 1-g.Spec.BalancedWeight)}[name]
	}
	if b == nil {
		worst := js[0]
		for _, j := range js {
			if j.worst < worst.worst {
				worst = j
			}
		}
		ev := sr.bestEvidence(worst, "closest", true)
		a.Evidence = []reports.GoalEvidence{ev}
		a.Sentence = fmt.Sprintf("no %s in %s meets every constraint; closest: %s, where %s",
			g.Spec.Vary, g.within(), g.labelOf(ev.Value), checksText(ev.Checks, conf))
		return a, nil
	}
	a.Met, a.Answer = true, g.values[int(b.value)]
	eb := sr.bestEvidence(b, "answer", false)
	a.Evidence = []reports.GoalEvidence{eb}
	word := map[string]string{"cost": "cheapest", "speed": "fastest", "balanced": "best balanced", "": "least " + what}[name]
	a.Sentence = fmt.Sprintf("%s %s meeting every constraint = %s (%s = %s)", word, g.Spec.Vary, g.labelOf(a.Answer),
		what, reports.FormatCI(*eb.Objective, conf))
	if ru != nil {
		er := sr.bestEvidence(ru, "runner-up", false)
		a.Evidence = append(a.Evidence, er)
		a.Sentence += fmt.Sprintf("; runner-up %s: %s", g.labelOf(er.Value), reports.FormatCI(*er.Objective, conf))
		// With common random numbers the replications pair up: the
		// difference's interval says whether the best is resolved.
		var d []float64
		for r := range b.obj {
			if !math.IsNaN(b.obj[r]) && !math.IsNaN(ru.obj[r]) {
				d = append(d, ru.obj[r]-b.obj[r])
			}
		}
		switch de := reports.NewEstimate(d, conf); {
		case !de.HasInterval():
			a.Sentence += " (one replication: whether the difference is real is unknown)"
		case *de.CILow <= 0:
			a.Sentence += fmt.Sprintf(" (a tie: the %g%% interval of their paired difference includes 0)", 100*conf)
		}
	}
	var others []string
	for _, n := range []string{"cost", "speed", "balanced"} {
		if v, ok := a.Strategies[n]; ok && n != name {
			others = append(others, n+" picks "+g.labelOf(v))
		}
	}
	if len(others) > 0 {
		a.Sentence += "; " + strings.Join(others, ", ")
	}
	met := 0
	for _, j := range js {
		if j.met {
			met++
		}
	}
	if met < len(js) {
		a.Sentence += fmt.Sprintf("; %d of %d values fail a constraint", len(js)-met, len(js))
	}
	g.warn(&a, &b.point)
	return a, nil
}

// rank sets each value's objective for a strategy (or keeps minimize's)
// and returns the best and the runner-up among the values meeting the
// constraints, by mean; ties go as in Power Tuning (equal cost: the
// faster; equal speed: the cheaper), then to the earlier value.
func rank(g *Goal, js []*judged, strategy string, conf float64) (best, runnerUp *judged) {
	mean := func(v []float64) float64 { return reports.NewEstimate(present(v), conf).Mean }
	var maxC, maxS float64
	for _, j := range js {
		if j.cost != nil {
			maxC, maxS = math.Max(maxC, mean(j.cost)), math.Max(maxS, mean(j.speed))
		}
	}
	var met []*judged
	for _, j := range js {
		switch strategy {
		case "cost":
			j.obj = j.cost
		case "speed":
			j.obj = j.speed
		case "balanced":
			w := g.Spec.BalancedWeight
			j.obj = make([]float64, len(j.cost))
			for r := range j.obj {
				j.obj[r] = w*j.cost[r]/nonzero(maxC) + (1-w)*j.speed[r]/nonzero(maxS)
			}
		}
		if j.met && len(present(j.obj)) > 0 {
			met = append(met, j)
		}
	}
	second := func(j *judged) float64 {
		switch strategy {
		case "cost":
			return mean(j.speed)
		case "speed":
			return mean(j.cost)
		}
		return 0
	}
	sort.SliceStable(met, func(x, y int) bool {
		a, b := met[x], met[y]
		if ma, mb := mean(a.obj), mean(b.obj); ma != mb {
			return ma < mb
		}
		return second(a) < second(b)
	})
	switch len(met) {
	case 0:
		return nil, nil
	case 1:
		return met[0], nil
	}
	return met[0], met[1]
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
		o := reports.NewEstimate(present(j.obj), sr.rn.s.Confidence).Summary()
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
		r.Within = reports.Within{From: g.value(g.dom.lo), To: g.value(g.dom.hi)}
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
	r.Sentence = g.summary(answers)
	return r
}

// summary is the goal's answer in one sentence: the one answer's own, or
// each answer's value at its point of the other axes ("3 at
// workload.rate=10"), with the warnings beside it, and how many are met.
func (g *Goal) summary(answers []reports.GoalAnswer) string {
	switch len(answers) {
	case 0:
		return ""
	case 1:
		return answers[0].Sentence
	}
	s := g.Spec
	var what string
	switch s.Find {
	case "root":
		what = fmt.Sprintf("%s changes sign at %s =", s.Expr, s.Vary)
	case "best":
		word := map[string]string{"cost": "cheapest", "speed": "fastest", "balanced": "best balanced", "": "least " + s.Minimize}[s.Strategy]
		what = fmt.Sprintf("%s %s meeting every constraint =", word, s.Vary)
	default:
		what = fmt.Sprintf("%s %s meeting every constraint =", map[string]string{"min": "smallest", "max": "largest"}[s.Find], s.Vary)
	}
	var parts []string
	met := 0
	for _, a := range answers {
		v := "none in " + g.within()
		if a.Met {
			met++
			v = g.labelOf(a.Answer)
			if len(a.Warnings) > 0 {
				v += " (warning there: " + strings.Join(a.Warnings, ", ") + ")"
			}
		}
		parts = append(parts, v+" at "+g.sweep.paramsLabel(a.Params))
	}
	return fmt.Sprintf("%s %s; met at %d of %d points (each answer's evidence is in answers[].sentence)",
		what, strings.Join(parts, "; "), met, len(answers))
}
