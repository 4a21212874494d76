package sweep

import (
	"fmt"
	"slices"
	"strings"

	"github.com/faasim/faasim/reports"
)

// Columns chooses the terminal table's columns. Each of metrics is PATH
// (for every system that reports it) or SYSTEM.PATH. With none given: the
// sweep's `metrics:`, else the metrics the goal reads, else every system's
// p99 latency and total cost. The columns never change sweep.json, which
// has every metric.
func (s *Sweep) Columns(metrics []string) ([]reports.SweepColumn, error) {
	if len(metrics) == 0 {
		metrics = s.Metrics
	}
	if len(metrics) == 0 && s.Goal != nil {
		metrics = s.Goal.metrics()
	}
	if len(metrics) == 0 {
		metrics = []string{"latency_ms.p99", "cost_usd.total"}
	}
	var cols []reports.SweepColumn
	for _, m := range metrics {
		c, err := s.metricColumns(m)
		if err != nil {
			return nil, err
		}
		for _, col := range c {
			if !slices.Contains(cols, col) {
				cols = append(cols, col)
			}
		}
	}
	// System by system, as the metrics were named within each.
	slices.SortStableFunc(cols, func(a, b reports.SweepColumn) int {
		return slices.Index(s.systems.names, a.System) - slices.Index(s.systems.names, b.System)
	})
	return cols, nil
}

// metricColumns reads one metric name of --metrics or sweep.metrics.
func (s *Sweep) metricColumns(m string) ([]reports.SweepColumn, error) {
	m = strings.TrimSpace(m)
	for _, sys := range s.systems.names {
		if path, ok := strings.CutPrefix(m, sys+"."); ok {
			if !s.systems.has(sys, path) {
				return nil, fmt.Errorf("%s: %s is not a metric of system %s; its metrics: %s", m, path, sys, s.systems.metricsOf(sys))
			}
			return []reports.SweepColumn{{System: sys, Path: path}}, nil
		}
	}
	var cols []reports.SweepColumn
	for _, sys := range s.systems.names {
		if s.systems.has(sys, m) {
			cols = append(cols, reports.SweepColumn{System: sys, Path: m})
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s is not a metric of any system (write PATH, like latency_ms.p99, or SYSTEM.PATH with SYSTEM one of %s)",
			m, strings.Join(s.systems.names, ", "))
	}
	return cols, nil
}

// metrics are the SYSTEM.PATH metrics the goal reads, in order.
func (g *Goal) metrics() []string {
	var out []string
	add := func(refs []reports.Ref) {
		for _, r := range refs {
			if !slices.Contains(out, r.String()) {
				out = append(out, r.String())
			}
		}
	}
	for _, c := range g.constraints {
		add(c.Refs())
	}
	for _, e := range []*reports.Expr{g.expr, g.objective} {
		if e != nil {
			add(e.Refs())
		}
	}
	if g.system != "" {
		add([]reports.Ref{{System: g.system, Path: "cost_usd.per_million_requests"}, {System: g.system, Path: "latency_ms.mean"}})
	}
	return out
}
