package reports

import (
	"fmt"
	"slices"
	"strings"
)

// Warning says why a system's figures may not mean what they seem.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The warning codes of a system (the contract's), in the order listed.
const (
	Saturated  = "saturated"   // arrivals outpace service: the backlog grows through the run
	Unfinished = "unfinished"  // more than 0.1% of requests still queued or in flight at the end
	FewSamples = "few_samples" // fewer completions than a reported percentile needs
	Failing    = "failing"     // more than 1% of requests rejected, timed out, failed or dead-lettered
	SLOMissed  = "slo"         // the scenario's slo: not met
)

var systemCodes = []string{Saturated, Unfinished, FewSamples, Failing, SLOMissed}

// Top-level warning codes (Results.Warnings): about the verdict.
const (
	NoneSound = "none_sound" // every system fails or saturates: no recommendation
	NoneMeets = "none_meets" // no system meets the SLO
	CloseCall = "close_call" // the recommendation rests on a cost difference under 10%, from one seed
)

// Has reports whether s carries a warning with that code.
func (s *SystemResult) Has(code string) bool {
	return slices.ContainsFunc(s.Warnings, func(w Warning) bool { return w.Code == code })
}

// Sound: s serves its load. A failing or saturated system's cost and
// latency describe a system that did not do the work (failures cost
// little; a growing backlog's latency depends on the run's length), so
// without an SLO it is never recommended. An unfinished one may be, with
// its warning beside it, as every warned system is wherever it is marked.
func (s *SystemResult) Sound() bool { return !s.Has(Failing) && !s.Has(Saturated) }

// serious are the warnings shown beside a system's marked figures:
// few_samples concerns only percentiles, which are not marked when too
// few requests back them.
func (s *SystemResult) serious() bool {
	return slices.ContainsFunc(s.Warnings, func(w Warning) bool { return w.Code != FewSamples })
}

// percentiles are the reported quantiles with the completions each needs
// (Metrics' MinSamples), most demanding first.
var percentiles = []struct {
	path, label string
}{{"latency_ms.p999", "p99.9"}, {"latency_ms.p99", "p99"}, {"latency_ms.p95", "p95"}, {"latency_ms.p90", "p90"}, {"latency_ms.p50", "p50"}}

// countWarnings are the warnings a system's own figures call for (all but
// saturated, from the accumulator, and slo, from the scenario).
func (s *SystemResult) countWarnings() []Warning {
	var ws []Warning
	if s.Requests > 0 && s.InFlight*1000 > s.Requests {
		end := "the end"
		if s.StoppedAtSeconds != nil {
			end = "the stop"
		}
		ws = append(ws, Warning{Code: Unfinished, Message: fmt.Sprintf(
			"%s requests (%s%%) were still queued or in flight at %s: not in its latency or its bill, which describe the rest",
			count(s.InFlight), pct(float64(s.InFlight)/float64(s.Requests)*100), end)})
	}
	if s.Requests > 0 {
		var short []string
		for _, p := range percentiles {
			if m, _ := LookupMetric(p.path); s.Completed < m.MinSamples {
				short = append(short, fmt.Sprintf("%s (needs %s)", p.label, count(m.MinSamples)))
			}
		}
		switch {
		case s.Completed == 0:
			ws = append(ws, Warning{Code: FewSamples, Message: "no request completed: no latency figure"})
		case len(short) > 0:
			ws = append(ws, Warning{Code: FewSamples, Message: fmt.Sprintf(
				"%s completions: too few for %s; those are never marked best", count(s.Completed), strings.Join(short, ", "))})
		}
	}
	if failed := s.Rejected + s.TimedOut + s.callFailures(); s.Requests > 0 && failed*100 > s.Requests {
		how := fmt.Sprintf("%s rejected, %s timed out", count(s.Rejected), count(s.TimedOut))
		if c := s.CallResult; c != nil {
			how += fmt.Sprintf(", %s failed, %s dead-lettered", count(c.Failed), count(c.DeadLettered))
		}
		ws = append(ws, Warning{Code: Failing, Message: fmt.Sprintf("%s of its requests failed (%s)",
			pctOf(failed, s.Requests), how)})
	}
	return ws
}

// callFailures are the requests the invocation layer saw fail: function
// errors returned to the caller and events given up (what the user of an
// asynchronous function sees as a failure is the dead letter).
func (s *SystemResult) callFailures() int64 {
	if c := s.CallResult; c != nil {
		return c.Failed + c.DeadLettered
	}
	return 0
}

func (s *SystemResult) failedCalls() int64 {
	if c := s.CallResult; c != nil {
		return c.Failed
	}
	return 0
}

func (s *SystemResult) deadLetters() int64 {
	if c := s.CallResult; c != nil {
		return c.DeadLettered
	}
	return 0
}

func pctOf(n, of int64) string { return pct(float64(n)/float64(of)*100) + "%" }

// addWarning puts w among s's warnings in the contract's order, replacing
// one of the same code.
func (s *SystemResult) addWarning(w Warning) {
	s.Warnings = slices.DeleteFunc(s.Warnings, func(x Warning) bool { return x.Code == w.Code })
	s.Warnings = append(s.Warnings, w)
	slices.SortStableFunc(s.Warnings, func(a, b Warning) int {
		return slices.Index(systemCodes, a.Code) - slices.Index(systemCodes, b.Code)
	})
}

// Assess judges every system of r by the scenario's SLO (nil: none),
// setting slo_met and the slo warning with what missed it, records the SLO
// in r, and sets r's verdict and the top-level warnings about it.
func Assess(r *Results, slo []*Expr) {
	r.SLO = nil
	for _, c := range slo {
		r.SLO = append(r.SLO, c.String())
	}
	for i := range r.Systems {
		s := &r.Systems[i]
		s.SLOMet = nil
		s.Warnings = slices.DeleteFunc(s.Warnings, func(w Warning) bool { return w.Code == SLOMissed })
		if slo == nil {
			continue
		}
		met := true
		var missed []string
		if s.StoppedAtSeconds != nil {
			// Its figures are of a part of the run: no figure says the SLO holds.
			met = false
			missed = append(missed, fmt.Sprintf("it was stopped at %s (its backlog over the memory budget)", stopTime(*s.StoppedAtSeconds)))
		}
		for _, c := range slo {
			ok, _, err := c.Holds(ForSystem(s))
			if !ok {
				met = false
				missed = append(missed, c.explain(ForSystem(s), err))
			}
		}
		s.SLOMet = &met
		if !met {
			s.addWarning(Warning{Code: SLOMissed, Message: "misses the SLO: " + strings.Join(missed, "; ")})
		}
	}
	v, warns := verdict(r)
	r.Verdict, r.Warnings = &v, warns
}
