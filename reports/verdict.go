package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// VerdictResult is the run's verdict as data (results.json's `verdict`):
// the sentences, and the system they recommend with what qualified it, so
// a script need not parse the text.
type VerdictResult struct {
	Text string `json:"text"`
	// Basis is what a system had to do to be considered: "slo" (meet the
	// scenario's slo:), or without one "serves_load" (be neither failing
	// nor saturated). Among those the cheapest (cost_usd.total) is
	// recommended.
	Basis string `json:"basis"`
	// Recommended is the cheapest qualified system; null when none
	// qualifies, or when the cheapest two cost exactly the same (Tied).
	Recommended *string `json:"recommended"`
	// RecommendedWarnings are the codes of the recommended system's
	// warnings (few_samples aside), which the text names beside it.
	RecommendedWarnings []string `json:"recommended_warnings,omitempty"`
	// Qualified are the systems that meet the basis, cheapest first.
	Qualified []string `json:"qualified"`
	// Tied are the qualified systems that share the least cost, when more
	// than one does.
	Tied []string `json:"tied,omitempty"`
}

// The bases of a verdict.
const (
	BasisSLO        = "slo"
	BasisServesLoad = "serves_load"
)

// Verdict is the run in a few plain sentences, computed from the figures:
// which system to pick on cost (the cheapest that meets the SLO, or without
// one the cheapest that serves its load), by how much, what a cheaper
// system that fails would cost you, whose tail is slower and whether cold
// starts explain it, and what was turned away. A system with a warning is
// never named the cheaper without its warning beside it.
func Verdict(r *Results) string {
	v, _ := verdict(r)
	return v.Text
}

// verdict is the verdict with the top-level warnings it calls for.
func verdict(r *Results) (VerdictResult, []Warning) {
	warns := []Warning{}
	v := VerdictResult{Basis: BasisServesLoad, Qualified: []string{}}
	if r.SLO != nil {
		v.Basis = BasisSLO
	}
	if len(r.Systems) == 0 {
		v.Text = "No systems were simulated."
		return v, warns
	}
	var parts []string
	named := map[int]bool{} // systems whose failures are already said
	over := "over the measured " + humanSeconds(r.MeasuredSeconds())
	var pool []int         // the systems a recommendation may name
	var why, whyAll string // what qualifies one of them; several
	for i := range r.Systems {
		s := &r.Systems[i]
		switch {
		case r.SLO != nil && s.SLOMet != nil && *s.SLOMet:
			pool = append(pool, i)
		case r.SLO == nil && s.Sound():
			pool = append(pool, i)
		}
	}
	if r.SLO != nil {
		slo := " the SLO (" + strings.Join(r.SLO, ", ") + ")"
		why, whyAll = "meets"+slo, "meet"+slo
	} else {
		why, whyAll = "serves the load", "serve the load" // neither failing nor saturated
	}
	byCost := func(idx []int) []int {
		idx = slices.Clone(idx)
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmpFloat(r.Systems[a].CostUSD.Total, r.Systems[b].CostUSD.Total)
		})
		return idx
	}
	pool = byCost(pool)
	for _, i := range pool {
		v.Qualified = append(v.Qualified, r.Systems[i].Name)
	}
	if len(pool) > 0 {
		best := &r.Systems[pool[0]]
		for _, i := range pool {
			if r.Systems[i].CostUSD.Total == best.CostUSD.Total {
				v.Tied = append(v.Tied, r.Systems[i].Name)
			}
		}
		if len(v.Tied) == 1 {
			v.Tied = nil
			name := best.Name
			v.Recommended = &name
			v.RecommendedWarnings = seriousCodes(best)
		}
	}
	switch {
	case len(pool) == 0 && r.SLO != nil:
		parts = append(parts, fmt.Sprintf("No system meets the SLO (%s)", strings.Join(r.SLO, ", ")))
		warns = append(warns, Warning{Code: NoneMeets, Message: "no system meets the SLO: no recommendation"})
		for i := range r.Systems {
			if w, ok := warning(&r.Systems[i], SLOMissed); ok {
				parts = append(parts, r.Systems[i].Name+" "+w.Message)
			}
		}
	case len(pool) == 0:
		parts = append(parts, "No system serves this load: each one fails or saturates, so none is recommended")
		warns = append(warns, Warning{Code: NoneSound, Message: "every system fails or saturates: no recommendation"})
	default:
		best := &r.Systems[pool[0]]
		switch {
		case len(pool) == 1 && len(r.Systems) == 1:
			parts = append(parts, fmt.Sprintf("%s: %s requests, $%s %s", tagged(best), count(best.Requests), usd(best.CostUSD.Total), over))
		case len(pool) == 1:
			parts = append(parts, fmt.Sprintf("%s is the only system that %s: $%s %s", tagged(best), why, usd(best.CostUSD.Total), over))
		default:
			next := &r.Systems[pool[1]]
			dear := &r.Systems[pool[len(pool)-1]]
			what := "is the cheapest system that " + why
			switch {
			case best.CostUSD.Total == next.CostUSD.Total:
				parts = append(parts, fmt.Sprintf("%s and %s cost the same ($%s %s), the least of the systems that %s", tagged(best), tagged(next),
					usd(best.CostUSD.Total), over, whyAll))
			case best.CostUSD.Total == 0:
				parts = append(parts, fmt.Sprintf("%s %s: it costs nothing; %s costs $%s", tagged(best), what, dear.Name, usd(dear.CostUSD.Total)))
			default:
				s := fmt.Sprintf("%s %s: %s %s ($%s vs $%s %s)", tagged(best), what,
					cheaperThan(best.CostUSD.Total, dear.CostUSD.Total), dear.Name, usd(best.CostUSD.Total), usd(dear.CostUSD.Total), over)
				if next != dear {
					a, b := usdVs(best.CostUSD.Total, next.CostUSD.Total)
					s += fmt.Sprintf(", and %s %s, the next ($%s vs $%s)", cheaperThan(best.CostUSD.Total, next.CostUSD.Total), next.Name, a, b)
				}
				parts = append(parts, s)
			}
			if best.CostUSD.Total > 0 && next.CostUSD.Total < 1.1*best.CostUSD.Total {
				a, b := usdVs(best.CostUSD.Total, next.CostUSD.Total)
				warns = append(warns, Warning{Code: CloseCall, Message: fmt.Sprintf(
					"%s and %s cost within 10%% of each other ($%s vs $%s) in a run of one seed: replications would tell whether the order holds",
					best.Name, next.Name, a, b)})
			}
		}
		// A cheaper system outside the pool is said with what rules it out.
		for _, i := range byCost(allSystems(r)) {
			s := &r.Systems[i]
			if s.CostUSD.Total >= best.CostUSD.Total {
				break
			}
			if slices.Contains(pool, i) || s.StoppedAtSeconds != nil {
				continue // a stopped system's bill is of part of the run: no cheaper for it
			}
			cheap, _ := usdVs(s.CostUSD.Total, best.CostUSD.Total)
			parts = append(parts, fmt.Sprintf("%s costs less ($%s) but %s", s.Name, cheap, ruledOut(s, r.SLO != nil)))
			named[i] = true
		}
	}
	for i := range r.Systems {
		if s := &r.Systems[i]; s.StoppedAtSeconds != nil {
			parts = append(parts, fmt.Sprintf("%s was stopped at %s, its backlog over the memory budget: its figures cover the run up to then only",
				s.Name, stopTime(*s.StoppedAtSeconds)))
			named[i] = true
		}
	}
	if p := tailSentence(r, pool); p != "" {
		parts = append(parts, p)
	}
	if p := coldSentence(r, pool); p != "" {
		parts = append(parts, p)
	}
	for i := range r.Systems {
		s := &r.Systems[i]
		if s.Rejected+s.TimedOut > 0 && !named[i] {
			parts = append(parts, fmt.Sprintf("%s turned away %s requests (%s rejected, %s timed out)", s.Name,
				countPct(s.Rejected+s.TimedOut, s.Requests), count(s.Rejected), count(s.TimedOut)))
		}
	}
	v.Text = strings.Join(parts, "; ") + "."
	return v, warns
}

// ruledOut says why s is not recommended: its SLO miss, or its failures.
func ruledOut(s *SystemResult, slo bool) string {
	if w, ok := warning(s, SLOMissed); ok && slo {
		return w.Message
	}
	// What rules it out (saturated, failing), the first one's message; the
	// footnotes give the rest.
	var codes []string
	var first string
	for _, w := range s.Warnings {
		if w.Code == Failing || w.Code == Saturated {
			codes = append(codes, w.Code)
			if first == "" {
				first = w.Message
			}
		}
	}
	return "is " + strings.Join(codes, " and ") + ": " + first
}

// tailSentence compares the p99 of the systems in pool (all systems with
// a p99 when pool is empty): the slowest against the fastest, and whether
// cold starts explain it. Only p99s from enough completions count.
func tailSentence(r *Results, pool []int) string {
	if len(pool) < 2 {
		pool = allSystems(r)
	}
	m, _ := LookupMetric("latency_ms.p99")
	var idx []int
	for _, i := range pool {
		if _, ok := m.Value(&r.Systems[i]); ok && r.Systems[i].Completed >= m.MinSamples {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return ""
	}
	lo, hi := extremes(r, idx, func(s *SystemResult) float64 { return s.LatencyMS.P99 })
	a, b := &r.Systems[hi], &r.Systems[lo]
	if b.LatencyMS.P99 <= 0 {
		return ""
	}
	if !m.resolves(a.LatencyMS.P99, b.LatencyMS.P99) {
		if humanMS(a.LatencyMS.P99) == humanMS(b.LatencyMS.P99) {
			return fmt.Sprintf("p99 latencies are the same (%s)", humanMS(a.LatencyMS.P99))
		}
		return fmt.Sprintf("p99 latencies are the same within the sketch's error (%s to %s)", humanMS(b.LatencyMS.P99), humanMS(a.LatencyMS.P99))
	}
	if a.LatencyMS.P99 < 1.1*b.LatencyMS.P99 {
		return fmt.Sprintf("p99 latencies are within 10%% of each other (%s to %s)", humanMS(b.LatencyMS.P99), humanMS(a.LatencyMS.P99))
	}
	s := fmt.Sprintf("%s's p99 is %s higher than %s's (%s vs %s)", a.Name, ratio(a.LatencyMS.P99, b.LatencyMS.P99),
		b.Name, humanMS(a.LatencyMS.P99), humanMS(b.LatencyMS.P99))
	switch {
	case a.ColdStartRatio >= 0.01:
		// More than 1% of requests waited for an instance: they alone can set the p99.
		s += fmt.Sprintf(" because of %s%% cold starts", pct(a.ColdStartRatio*100))
	case a.ColdStarts > 0:
		s += fmt.Sprintf(", with %s%% cold starts (under 1%%: queueing or execution sets its p99)", pct(a.ColdStartRatio*100))
	}
	return s
}

// coldSentence names the range of cold-start ratios across pool (all
// systems when it has fewer than two) when they differ at least twofold and
// reach 1%: what tells keep-alive policies apart when their bills do not.
func coldSentence(r *Results, pool []int) string {
	if len(pool) < 2 {
		pool = allSystems(r)
	}
	var idx []int
	for _, i := range pool {
		if r.Systems[i].Type == "faas" && r.Systems[i].Requests > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return ""
	}
	lo, hi := extremes(r, idx, func(s *SystemResult) float64 { return s.ColdStartRatio })
	a, b := &r.Systems[lo], &r.Systems[hi]
	if b.ColdStartRatio < 0.01 || b.ColdStartRatio < 2*a.ColdStartRatio {
		return ""
	}
	return fmt.Sprintf("cold starts range from %s%% of requests (%s) to %s%% (%s)", pct(a.ColdStartRatio*100), a.Name,
		pct(b.ColdStartRatio*100), b.Name)
}

// usdVs prints two different amounts with enough digits to show they
// differ ($0.1319 vs $0.1324, not $0.132 vs $0.132).
func usdVs(a, b float64) (string, string) {
	x, y := usd(a), usd(b)
	for d := 4; x == y && a != b && d <= 9; d++ {
		x, y = strconv.FormatFloat(a, 'g', d, 64), strconv.FormatFloat(b, 'g', d, 64)
	}
	return x, y
}

// cheaperThan compares a cost with a higher one: "3.6x cheaper than", or
// within 10% "2.1% cheaper than" (1.0x would hide the difference).
func cheaperThan(cost, other float64) string {
	if other < 1.1*cost {
		return pct((other-cost)/other*100) + "% cheaper than"
	}
	return ratio(other, cost) + " cheaper than"
}

// tagged is a system's name with its serious warnings beside it:
// "fleet-baseline (failing)".
func tagged(s *SystemResult) string {
	codes := seriousCodes(s)
	if len(codes) == 0 {
		return s.Name
	}
	return s.Name + " (" + strings.Join(codes, ", ") + ")"
}

// seriousCodes are the codes of s's warnings but few_samples (which
// concerns only percentiles too thin to be marked), in s's order.
func seriousCodes(s *SystemResult) []string {
	var codes []string
	for _, w := range s.Warnings {
		if w.Code != FewSamples {
			codes = append(codes, w.Code)
		}
	}
	return codes
}

func warning(s *SystemResult, code string) (Warning, bool) {
	for _, w := range s.Warnings {
		if w.Code == code {
			return w, true
		}
	}
	return Warning{}, false
}

// extremes are the systems among idx (not empty) with the lowest and the
// highest f, the first of equals.
func extremes(r *Results, idx []int, f func(*SystemResult) float64) (lo, hi int) {
	lo, hi = idx[0], idx[0]
	for _, i := range idx {
		if f(&r.Systems[i]) < f(&r.Systems[lo]) {
			lo = i
		}
		if f(&r.Systems[i]) > f(&r.Systems[hi]) {
			hi = i
		}
	}
	return lo, hi
}

func allSystems(r *Results) []int {
	idx := make([]int, len(r.Systems))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
