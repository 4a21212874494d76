package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/reports"
)

// Goal expressions are reports' constraint expressions (the library behind
// slo:), with a system prefix: `vms.latency_ms.p99 < 200`. A sweep
// evaluates them once per replication, on that run's metrics, and puts a
// confidence interval on the values: on a constraint's margin (how far it
// holds) or on an expression (find: root).

// lookup reads replication r's metrics at a point. A bill item the system
// was not charged is 0, as SystemResult.Value has it.
func lookup(p *reports.SweepPoint, r int) reports.Lookup {
	return func(ref reports.Ref) (float64, bool) {
		s := p.System(ref.System)
		if s == nil {
			return 0, false
		}
		m, ok := s.Metric(ref.Path)
		if !ok {
			return 0, strings.HasPrefix(ref.Path, "cost_usd.breakdown.")
		}
		return m.At(r)
	}
}

// series evaluates e at each of reps replications of p, returning the
// values and the replications they are of. Where a run lacks a metric e
// reads (latencies when nothing completed) the replication is left out,
// and missing names the first such metric.
func series(e *reports.Expr, p *reports.SweepPoint, reps int) (vals []float64, at []int, missing string, err error) {
	for r := range reps {
		v, err := e.Eval(lookup(p, r))
		if errors.Is(err, reports.ErrMissing) {
			if missing == "" {
				missing, _, _ = strings.Cut(err.Error(), ":")
			}
			continue
		}
		if err != nil {
			return nil, nil, "", err
		}
		vals = append(vals, v)
		at = append(at, r)
	}
	return vals, at, missing, nil
}

// stopped says which system e reads was stopped by its backlog budget in
// some replications of p, and in how many, and where it first stopped; ""
// when none was. A stopped run's figures cover the run up to its stop
// (models.Stop): a goal never reads them as a whole run's.
func stopped(e *reports.Expr, p *reports.SweepPoint, reps int) string {
	for _, ref := range e.Refs() {
		s := p.System(ref.System)
		if s == nil {
			continue
		}
		m, ok := s.Metric("stopped_at_seconds")
		if !ok || m.N == 0 {
			continue
		}
		first := -1
		for r := range reps {
			if _, ok := m.At(r); ok && first < 0 {
				first = r
			}
		}
		at, _ := m.At(first)
		return fmt.Sprintf("%s was stopped in %d of %d replications (in replication %d at %v, its backlog over max_backlog_mb): its figures cover only the run up to its stop",
			ref.System, m.N, reps, first, time.Duration(at*1e9).Round(time.Millisecond))
	}
	return ""
}

// systemTypes are the scenario's systems by name, with their types.
type systemTypes struct {
	names []string
	types map[string]string
}

// has reports whether a system of its type reports path (any bill item
// counts: which items a bill has depends on the run).
func (st *systemTypes) has(system, path string) bool {
	m, ok := reports.LookupMetric(path)
	if !ok {
		return false
	}
	return m.Types == nil || slices.Contains(m.Types, st.types[system])
}

// metricsOf lists the metrics a system of that type reports, for messages.
func (st *systemTypes) metricsOf(system string) string {
	var l []string
	for _, p := range reports.MetricPaths() {
		if st.has(system, p) {
			l = append(l, p)
		}
	}
	return strings.Join(l, ", ") + ", cost_usd.breakdown.NAME"
}

// checkTypes reports a metric an expression reads that its system's type
// never has (keep_alive figures of a server fleet).
func (st *systemTypes) checkTypes(e *reports.Expr) error {
	for _, r := range e.Refs() {
		if !st.has(r.System, r.Path) {
			return fmt.Errorf("%s: %s systems do not report %s; they report %s", r, st.types[r.System], r.Path, st.metricsOf(r.System))
		}
	}
	return nil
}
