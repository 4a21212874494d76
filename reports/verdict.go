package reports

import (
	"fmt"
	"strings"
)

// Verdict is the run in two or three plain sentences, computed from the
// figures: which system is cheaper and by how much, whose tail is slower and
// whether cold starts explain it, and what was turned away.
func Verdict(r *Results) string {
	if len(r.Systems) == 0 {
		return "No systems were simulated."
	}
	var parts []string
	lo, hi := extremes(r, func(s *SystemResult) float64 { return s.CostUSD.Total })
	if lo != hi && r.Systems[lo].CostUSD.Total > 0 {
		a, b := &r.Systems[lo], &r.Systems[hi]
		parts = append(parts, fmt.Sprintf("%s is %s cheaper than %s ($%s vs $%s over the measured %v)",
			a.Name, ratio(b.CostUSD.Total, a.CostUSD.Total), b.Name, usd(a.CostUSD.Total), usd(b.CostUSD.Total), seconds(r.MeasuredSeconds())))
	} else if lo != hi {
		parts = append(parts, fmt.Sprintf("%s costs nothing; %s costs $%s", r.Systems[lo].Name, r.Systems[hi].Name, usd(r.Systems[hi].CostUSD.Total)))
	}
	lo, hi = extremes(r, func(s *SystemResult) float64 { return s.LatencyMS.P99 })
	if a, b := &r.Systems[hi], &r.Systems[lo]; lo != hi && b.LatencyMS.P99 > 0 {
		if a.LatencyMS.P99 < 1.1*b.LatencyMS.P99 {
			parts = append(parts, fmt.Sprintf("p99 latencies are within 10%% of each other (%s to %s ms)", ms(b.LatencyMS.P99), ms(a.LatencyMS.P99)))
		} else {
			s := fmt.Sprintf("%s's p99 is %s higher than %s's (%s vs %s ms)", a.Name, ratio(a.LatencyMS.P99, b.LatencyMS.P99),
				b.Name, ms(a.LatencyMS.P99), ms(b.LatencyMS.P99))
			switch {
			case a.ColdStartRatio >= 0.01:
				// More than 1% of requests waited for an instance: they alone can set the p99.
				s += fmt.Sprintf(" because of %s%% cold starts", pct(a.ColdStartRatio*100))
			case a.ColdStarts > 0:
				s += fmt.Sprintf(", with %s%% cold starts (under 1%%: queueing or execution sets its p99)", pct(a.ColdStartRatio*100))
			}
			parts = append(parts, s)
		}
	}
	for _, s := range r.Systems {
		if s.Rejected+s.TimedOut > 0 {
			parts = append(parts, fmt.Sprintf("%s turned away %s requests (%s rejected, %s timed out)", s.Name,
				countPct(s.Rejected+s.TimedOut, s.Requests), count(s.Rejected), count(s.TimedOut)))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s: %s requests, p99 %s ms, $%s.", r.Systems[0].Name, count(r.Systems[0].Requests),
			ms(r.Systems[0].LatencyMS.P99), usd(r.Systems[0].CostUSD.Total))
	}
	return strings.Join(parts, "; ") + "."
}

// extremes are the indices of the lowest and highest f (first on ties).
func extremes(r *Results, f func(*SystemResult) float64) (lo, hi int) {
	for i := range r.Systems {
		if f(&r.Systems[i]) < f(&r.Systems[lo]) {
			lo = i
		}
		if f(&r.Systems[i]) > f(&r.Systems[hi]) {
			hi = i
		}
	}
	return lo, hi
}
