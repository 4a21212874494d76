package reports

import (
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// This file is the one definition of every figure faasim reports about a
// system: its path in results.json, its label, unit and format, which way
// is better, and which systems have it. The terminal and HTML tables, the
// CSV summaries, the best-value marks, the verdict and constraint
// expressions (slo:) are all drawn from Metrics; results.json is the
// SystemResult struct, and every numeric field of it is addressable by its
// path (Value, Numbers).

// Better says which way a figure is better, for marks and verdicts.
type Better int8

const (
	NotCompared Better = iota // a description (instances alive), never marked
	Lower                     // a lower value is better (latency, cost, failures)
	Higher                    // a higher value is better
)

// Metric is one reported figure of a system.
type Metric struct {
	Path  string // in a system object of results.json: "latency_ms.p99"
	Label string // the table row: "latency p99 ms"
	// Unit of the value at Path (the table may print another, as its label
	// says: instance-hours from instance-seconds).
	Unit   string
	Better Better
	// Types are the system types that have the figure; nil: every type.
	Types []string
	// RelErr is the relative error the value may carry (the quantile
	// sketch's for percentiles; 0 for exact counts, sums and bills): two
	// values closer than it allows are not told apart.
	RelErr float64
	// MinSamples is the completions the figure needs to mean anything (a
	// p99.9 from 50 requests is their maximum); below it the value is shown
	// but never marked best.
	MinSamples int64
	// Table: the figure is a row of the comparison tables (others are in
	// results.json and the CSV only).
	Table bool
	// PerFunction: each function's row of the CSV summary has it too.
	PerFunction bool

	format func(v float64, s *SystemResult) string
	// has reports whether s has the figure beyond its type (latencies need
	// a completed request); nil: always.
	has func(s *SystemResult) bool
	// show reports whether the row belongs in this run's tables; nil: when
	// at least one system has the figure.
	show func(r *Results) bool
}

var (
	faasOnly   = []string{"faas"}
	serverOnly = []string{"server"}
)

func completed(s *SystemResult) bool  { return s.Completed > 0 }
func fleet(s *SystemResult) bool      { return s.Instances.FleetResult != nil }
func keepAlive(s *SystemResult) bool  { return s.KeepAlive != nil }
func frontDoor(s *SystemResult) bool  { return s.FrontDoor != nil }
func commitment(s *SystemResult) bool { return s.Purchase != nil && s.Purchase.CommittedSeconds > 0 }
func spot(s *SystemResult) bool       { return s.Purchase != nil && s.Purchase.Option == "spot" }
func calls(s *SystemResult) bool      { return s.CallResult != nil }
func eventAge(s *SystemResult) bool   { return s.CallResult != nil && s.CallResult.EventAgeS != nil }
func perRequest(s *SystemResult) bool {
	return s.CostUSD.PerRequest != nil
}

// callMetric is a figure of the invocation layer (CallResult).
func callMetric(path, label, unit string, better Better, table bool, format func(float64, *SystemResult) string) Metric {
	return Metric{Path: path, Label: label, Unit: unit, Better: better, Table: table, format: format, has: calls}
}

// anyNonzero shows a row only when some system's figure at path is not 0
// (an invocation layer's throttles, failures, ages and round trips are
// noise in the tables of scenarios that have none).
func anyNonzero(path string) func(r *Results) bool {
	return func(r *Results) bool {
		return anySystem(r, func(s *SystemResult) bool { v, ok := fieldValue(s, path); return ok && v != 0 })
	}
}

// shown is m, shown only where some system's figure is not 0.
func shown(m Metric) Metric {
	m.show = anyNonzero(m.Path)
	return m
}

// requestCostMetric is the bill of one request at a quantile of the
// requests (of their execution time, for one function), shown
// per million (a millionth of a dollar is unreadable).
func requestCostMetric(q string) Metric {
	return Metric{Path: "cost_usd.per_request." + q, Label: "cost per 1M at " + q + " exec $", Unit: "USD", Table: true,
		format: func(v float64, _ *SystemResult) string { return usd(v * 1e6) }, has: perRequest}
}
func stopped(s *SystemResult) bool { return s.StoppedAtSeconds != nil }

// latencyMetric is a latency figure: over completed requests only.
func latencyMetric(key, label string, relErr float64, minSamples int64, table bool) Metric {
	return Metric{Path: "latency_ms." + key, Label: "latency " + label + " ms", Unit: "ms", Better: Lower, RelErr: relErr,
		MinSamples: minSamples, Table: table, PerFunction: true, format: fmtMS, has: completed}
}

// waitMetric is a figure of the wait for capacity: over completed
// requests, as latencies; in the tables where waits are (queues).
func waitMetric(key, label string, relErr float64, minSamples int64, table bool) Metric {
	return Metric{Path: "wait_ms." + key, Label: "wait for capacity " + label + " ms", Unit: "ms", Better: Lower, RelErr: relErr,
		MinSamples: minSamples, Table: table, format: fmtMS, has: completed, show: queues}
}

// queues: some system of r could wait for capacity (a fleet), or did.
func queues(r *Results) bool {
	return anySystem(r, func(s *SystemResult) bool { return s.Type == "server" || s.Waited > 0 })
}

// Metrics are every figure, in table (and CSV) order. Percentiles need
// 10/(1-q) completions: ten beyond the quantile, so it is not the maximum
// of a handful.
var Metrics = []Metric{
	{Path: "slo_met", Label: "SLO met", Unit: "bool", Table: true, format: func(v float64, _ *SystemResult) string { return map[bool]string{true: "yes", false: "no"}[v == 1] },
		has: func(s *SystemResult) bool { return s.SLOMet != nil }},
	// A system stopped by its backlog budget: every row below covers the
	// window up to the stop.
	{Path: "stopped_at_seconds", Label: "stopped at (backlog over budget)", Unit: "s", Table: true, has: stopped,
		format: func(v float64, _ *SystemResult) string { return stopTime(v) }},
	{Path: "queued_at_stop", Label: "queued at the stop", Unit: "requests", Table: true, has: stopped, format: fmtOfRequests},
	{Path: "requests", Label: "requests", Unit: "requests", Table: true, PerFunction: true, format: fmtCount},
	{Path: "completed", Label: "completed", Unit: "requests", Table: true, PerFunction: true, format: fmtCount},
	{Path: "rejected", Label: "rejected", Unit: "requests", Better: Lower, Table: true, PerFunction: true, format: fmtOfRequests},
	{Path: "rejected_ratio", Label: "rejected ratio", Unit: "ratio", Better: Lower, PerFunction: true, format: fmtRatio},
	{Path: "timed_out", Label: "timed out", Unit: "requests", Better: Lower, Table: true, PerFunction: true, format: fmtOfRequests},
	{Path: "timed_out_ratio", Label: "timed-out ratio", Unit: "ratio", Better: Lower, PerFunction: true, format: fmtRatio},
	{Path: "in_flight", Label: "in flight at the end", Unit: "requests", Table: true, PerFunction: true, format: fmtOfRequests,
		show: func(r *Results) bool { return anySystem(r, func(s *SystemResult) bool { return s.InFlight > 0 }) }},
	shown(callMetric("failed", "failed (function errors)", "requests", Lower, true, fmtOfRequests)),
	callMetric("failed_ratio", "failed ratio", "ratio", Lower, false, fmtRatio),
	callMetric("dead_lettered", "dead-lettered", "requests", Lower, true, fmtOfRequests),
	callMetric("dead_lettered_ratio", "dead-lettered ratio", "ratio", Lower, false, fmtRatio),
	callMetric("expired", "dead-lettered for their age", "requests", Lower, false, fmtCount),
	callMetric("attempts", "attempts (retries included)", "attempts", NotCompared, true, fmtCount),
	callMetric("retries", "retries", "attempts", NotCompared, true, fmtCount),
	callMetric("invocations", "invocations", "invocations", NotCompared, true, fmtCount),
	shown(callMetric("throttled", "throttled, tried again", "invocations", NotCompared, true, fmtCount)),
	shown(Metric{Path: "event_age_s.mean", Label: "event age at start mean ms", Unit: "s", Table: true, format: fmtSecondsAsMS, has: eventAge}),
	{Path: "event_age_s.p50", Label: "event age at start p50 ms", Unit: "s", format: fmtSecondsAsMS, has: eventAge},
	shown(Metric{Path: "event_age_s.p99", Label: "event age at start p99 ms", Unit: "s", Table: true, format: fmtSecondsAsMS, has: eventAge}),
	{Path: "event_age_s.max", Label: "event age at start max ms", Unit: "s", format: fmtSecondsAsMS, has: eventAge},
	shown(callMetric("state_round_trips", "state round trips to the store", "round trips", NotCompared, true, fmtCount)),
	callMetric("cache_hits", "state round trips from memory", "round trips", NotCompared, false, fmtCount),
	callMetric("max_concurrent_batches", "batches at once (max)", "batches", NotCompared, false, fmtCount),
	{Path: "cold_starts", Label: "cold starts", Unit: "requests", Better: Lower, Table: true, PerFunction: true, format: fmtOfRequests},
	{Path: "cold_start_ratio", Label: "cold-start ratio", Unit: "ratio", Better: Lower, PerFunction: true, format: fmtRatio},
	{Path: "function_cold_start_ratio_p75", Label: "cold-start % p75 of functions", Unit: "ratio", Better: Lower, Types: faasOnly, Table: true,
		format: func(v float64, _ *SystemResult) string { return pct(v * 100) },
		has:    func(s *SystemResult) bool { return len(s.Functions) > 1 }},
	// Waiting for capacity: a fleet's queue for a worker, a FaaS throttle
	// queue (a cold start is not a wait). Shown where a system could
	// queue: any fleet, or a system that did.
	{Path: "waited", Label: "waited for capacity", Unit: "requests", Better: Lower, Table: true, PerFunction: true, format: fmtOfRequests, show: queues},
	{Path: "waited_ratio", Label: "waited ratio", Unit: "ratio", Better: Lower, PerFunction: true, format: fmtRatio},
	latencyMetric("mean", "mean", 0, 1, true),
	latencyMetric("p50", "p50", RelativeAccuracy, 20, true),
	latencyMetric("p90", "p90", RelativeAccuracy, 100, true),
	latencyMetric("p95", "p95", RelativeAccuracy, 200, false),
	latencyMetric("p99", "p99", RelativeAccuracy, 1000, true),
	latencyMetric("p999", "p99.9", RelativeAccuracy, 10000, true),
	latencyMetric("max", "max", 0, 1, true),
	waitMetric("mean", "mean", 0, 1, false),
	waitMetric("p50", "p50", RelativeAccuracy, 20, false),
	waitMetric("p90", "p90", RelativeAccuracy, 100, false),
	waitMetric("p99", "p99", RelativeAccuracy, 1000, true),
	waitMetric("max", "max", 0, 1, false),
	{Path: "instances.mean", Label: "instances alive (mean)", Unit: "instances", Table: true, format: fmtNum},
	{Path: "instances.max", Label: "instances alive (max)", Unit: "instances", Table: true, format: fmtInt},
	// One key, two meanings: a FaaS instance serves its own requests; a
	// fleet is one pool of workers, so its "busy instances" are busy
	// workers in instance-equivalents. Two rows, each named for what it is.
	{Path: "instances.mean_busy", Label: "instances serving ≥1 request", Unit: "instances", Types: faasOnly, Table: true, format: fmtNum},
	{Path: "instances.mean_busy", Label: "busy workers ÷ workers/instance", Unit: "instances", Types: serverOnly, Table: true, format: fmtNum},
	{Path: "instances.mean_in_service", Label: "requests in service (mean)", Unit: "requests", Table: true, format: fmtNum},
	{Path: "keep_alive.idle_gb_seconds", Label: "idle (warm, unused) GB-s", Unit: "GB-s", Types: faasOnly, Table: true, PerFunction: true, format: fmtSig3, has: keepAlive},
	{Path: "keep_alive.idle_instance_seconds", Label: "idle (warm, unused) instance-s", Unit: "instance-s", Types: faasOnly, PerFunction: true, format: fmtSig3, has: keepAlive},
	{Path: "keep_alive.prewarms", Label: "pre-warmed instances", Unit: "instances", Types: faasOnly, format: fmtCount, has: keepAlive},
	{Path: "keep_alive.prewarm_hits", Label: "requests served pre-warmed", Unit: "requests", Types: faasOnly, format: fmtCount, has: keepAlive},
	{Path: "keep_alive.provisioned_served", Label: "requests served by provisioned instances", Unit: "requests", Types: faasOnly, format: fmtCount, has: keepAlive},
	{Path: "keep_alive.provisioned_instance_seconds", Label: "provisioned instance-s billed", Unit: "instance-s", Types: faasOnly, format: fmtSig3, has: keepAlive},
	{Path: "keep_alive.pings", Label: "keep-warm pings", Unit: "invocations", Types: faasOnly, format: fmtCount, has: keepAlive},
	{Path: "instances.billed_seconds", Label: "instance-hours billed", Unit: "instance-s", Types: serverOnly, Table: true, format: fmtHours, has: fleet},
	{Path: "instances.idle_seconds", Label: "instance-hours idle", Unit: "instance-s", Types: serverOnly, Table: true, format: fmtHours, has: fleet},
	{Path: "instances.boot_seconds", Label: "instance-hours booting", Unit: "instance-s", Types: serverOnly, format: fmtHours, has: fleet},
	{Path: "instances.scale_outs", Label: "scale-outs", Unit: "activities", Types: serverOnly, Table: true, format: fmtCount, has: fleet},
	{Path: "instances.scale_ins", Label: "scale-ins", Unit: "activities", Types: serverOnly, Table: true, format: fmtCount, has: fleet},
	{Path: "instances.launched", Label: "instances launched", Unit: "instances", Types: serverOnly, format: fmtCount, has: fleet},
	{Path: "instances.terminated", Label: "instances terminated", Unit: "instances", Types: serverOnly, format: fmtCount, has: fleet},
	{Path: "front_door.requests", Label: "requests to the front door", Unit: "requests", format: fmtCount, has: frontDoor},
	{Path: "front_door.timed_out", Label: "timed out by the front door", Unit: "requests", Better: Lower, Table: true, format: fmtOfRequests, has: frontDoor},
	{Path: "front_door.lcu_hours", Label: "load balancer LCU-hours", Unit: "LCU-h", Table: true, format: fmtSig3,
		has: func(s *SystemResult) bool { return s.FrontDoor != nil && s.FrontDoor.LCUHours > 0 }},
	{Path: "purchase.discount", Label: "purchase discount", Unit: "fraction", format: fmtSig3,
		has: func(s *SystemResult) bool { return s.Purchase != nil }},
	{Path: "purchase.committed_seconds", Label: "instance-hours committed", Unit: "instance-s", Types: serverOnly, format: fmtHours, has: commitment},
	{Path: "purchase.utilization", Label: "commitment used", Unit: "fraction", Better: Higher, Types: serverOnly, Table: true, format: fmtRatio, has: commitment},
	{Path: "purchase.coverage", Label: "usage under the commitment", Unit: "fraction", Types: serverOnly, Table: true, format: fmtRatio, has: commitment},
	{Path: "purchase.interruptions", Label: "spot interruptions", Unit: "instances", Types: serverOnly, Table: true, format: fmtCount, has: spot},
	{Path: "purchase.interrupted_requests", Label: "requests cut by interruptions", Unit: "requests", Better: Lower, Types: serverOnly, Table: true, format: fmtOfRequests, has: spot},
	{Path: breakdownPrefix + "*", Label: "cost * $", Unit: "USD", Table: true, format: fmtUSD},
	{Path: "cost_usd.total", Label: "cost total $", Unit: "USD", Better: Lower, Table: true, PerFunction: true, format: fmtUSD},
	// Per request that arrived (the contract's figure: failures cost
	// nothing, so a failing system looks cheap) and per completed request
	// (what a served request costs).
	{Path: "cost_usd.per_million_requests", Label: "cost per 1M requests $", Unit: "USD", Better: Lower, Table: true, PerFunction: true, format: fmtUSD,
		has: func(s *SystemResult) bool { return s.Requests > 0 }},
	{Path: "cost_usd.per_million_completed", Label: "cost per 1M completed $", Unit: "USD", Better: Lower, Table: true, PerFunction: true, format: fmtUSD, has: completed},
	requestCostMetric("p50"),
	requestCostMetric("p90"),
	requestCostMetric("p99"),
	{Path: "cost_usd.monthly_estimate", Label: "cost per 30 days $ (extrapolated)", Unit: "USD", Better: Lower, format: fmtUSD},
}

// breakdownPrefix is the family of bill items: one metric per item
// ("cost_usd.breakdown.compute"), in the order breakdownKeys gives.
const breakdownPrefix = "cost_usd.breakdown."

// Has reports whether s has the figure: its type, and what it needs
// (latencies need a completed request).
func (m *Metric) Has(s *SystemResult) bool {
	if m.Types != nil && !slices.Contains(m.Types, s.Type) {
		return false
	}
	if strings.HasPrefix(m.Path, breakdownPrefix) {
		_, ok := s.CostUSD.Breakdown[strings.TrimPrefix(m.Path, breakdownPrefix)]
		return ok
	}
	return m.has == nil || m.has(s)
}

// Value is s's figure, or false where s does not have it.
func (m *Metric) Value(s *SystemResult) (float64, bool) {
	if !m.Has(s) {
		return 0, false
	}
	return fieldValue(s, m.Path)
}

// Format prints s's figure as the tables do; "-" where s does not have it.
func (m *Metric) Format(s *SystemResult) string {
	v, ok := m.Value(s)
	if !ok {
		return "-"
	}
	return m.format(v, s)
}

// Comparable: the metric takes part in marks, ratios and verdicts.
func (m *Metric) Comparable() bool { return m.Better != NotCompared }

// LookupMetric is the metric at path, with a bill item of
// cost_usd.breakdown named; for instances.mean_busy, the FaaS one (the
// other differs only in label).
func LookupMetric(path string) (Metric, bool) {
	if strings.HasPrefix(path, breakdownPrefix) {
		if item := strings.TrimPrefix(path, breakdownPrefix); item != "" && !strings.ContainsAny(item, ".[]*") {
			return breakdownMetric(item), true
		}
		return Metric{}, false
	}
	for _, m := range Metrics {
		if m.Path == path {
			return m, true
		}
	}
	return Metric{}, false
}

// metricFor is the metric at path that applies to s (instances.mean_busy
// has one per system type).
func metricFor(path string, s *SystemResult) (Metric, bool) {
	var found Metric
	ok := false
	for _, m := range Metrics {
		if m.Path == path {
			if m.Types == nil || slices.Contains(m.Types, s.Type) {
				return m, true
			}
			found, ok = m, true
		}
	}
	if !ok {
		return LookupMetric(path)
	}
	return found, true
}

// MetricPaths are the paths constraint expressions may name (bill items
// as cost_usd.breakdown.NAME), sorted, each once.
func MetricPaths() []string {
	var paths []string
	for _, m := range Metrics {
		if !strings.HasPrefix(m.Path, breakdownPrefix) && !slices.Contains(paths, m.Path) {
			paths = append(paths, m.Path)
		}
	}
	sort.Strings(paths)
	return paths
}

func breakdownMetric(item string) Metric {
	return Metric{Path: breakdownPrefix + item, Label: "cost " + item + " $", Unit: "USD", Table: true, format: fmtUSD}
}

// tableMetrics are the rows of r's comparison tables, with the bill-item
// family expanded to the items the systems have.
func tableMetrics(r *Results) []Metric {
	var out []Metric
	for _, m := range Metrics {
		switch {
		case !m.Table:
		case strings.HasPrefix(m.Path, breakdownPrefix):
			for _, k := range breakdownKeys(r) {
				out = append(out, breakdownMetric(k))
			}
		case m.show != nil:
			if m.show(r) {
				out = append(out, m)
			}
		case anySystem(r, m.Has):
			out = append(out, m)
		}
	}
	return out
}

func anySystem(r *Results, f func(s *SystemResult) bool) bool {
	for i := range r.Systems {
		if f(&r.Systems[i]) {
			return true
		}
	}
	return false
}

// Value is the numeric field of s at a results.json path
// ("latency_ms.p99", "cost_usd.breakdown.compute", "slo_met" as 0 or 1),
// or false where s does not have it (no such field, a figure of another
// system type, latencies without a completed request). Sweeps and
// constraint expressions address metrics this way.
//
// A bill item s was not charged is 0 here (it shows "-" in the tables):
// sums and differences of costs across systems and sweep points need it.
func (s *SystemResult) Value(path string) (float64, bool) {
	if item, ok := strings.CutPrefix(path, breakdownPrefix); ok && item != "" && !strings.ContainsAny(item, ".[]*") {
		return s.CostUSD.Breakdown[item], true
	}
	if m, ok := metricFor(path, s); ok {
		return m.Value(s)
	}
	return fieldValue(s, path)
}

// Number is one numeric field of a system object.
type Number struct {
	Path  string
	Value float64
}

// Numbers are every numeric field of s that s has, in results.json order
// (bill items sorted), not per function: what a sweep records per system.
func (s *SystemResult) Numbers() []Number {
	var out []Number
	walkNumbers("", reflect.ValueOf(s).Elem(), func(path string, v float64) {
		if m, ok := metricFor(path, s); ok && !m.Has(s) {
			return
		}
		out = append(out, Number{path, v})
	})
	return out
}

// fieldValue finds the numeric field at path by its JSON keys.
func fieldValue(s *SystemResult, path string) (float64, bool) {
	var (
		v     float64
		found bool
	)
	walkNumbers("", reflect.ValueOf(s).Elem(), func(p string, x float64) {
		if p == path {
			v, found = x, true
		}
	})
	return v, found
}

// walkNumbers calls emit for every numeric (or bool, as 0/1) leaf of a
// JSON-tagged struct, with its dotted path; inlined (embedded) structs
// add no key; nil pointers and slices (functions, warnings) are skipped;
// map keys are sorted.
func walkNumbers(prefix string, v reflect.Value, emit func(string, float64)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkNumbers(prefix, v.Elem(), emit)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case name == "" && f.Anonymous:
				walkNumbers(prefix, v.Field(i), emit)
				continue
			case name == "":
				name = f.Name
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			walkNumbers(p, v.Field(i), emit)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkNumbers(prefix+"."+k.String(), v.MapIndex(k), emit)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		emit(prefix, float64(v.Int()))
	case reflect.Float64:
		emit(prefix, v.Float())
	case reflect.Bool:
		if v.Bool() {
			emit(prefix, 1)
		} else {
			emit(prefix, 0)
		}
	}
}

// Formats of the tables.
func fmtCount(v float64, _ *SystemResult) string       { return count(int64(v)) }
func fmtInt(v float64, _ *SystemResult) string         { return strconv.FormatInt(int64(v), 10) }
func fmtMS(v float64, _ *SystemResult) string          { return ms(v) }
func fmtSecondsAsMS(v float64, _ *SystemResult) string { return ms(v * 1000) }
func fmtUSD(v float64, _ *SystemResult) string         { return usd(v) }
func fmtNum(v float64, _ *SystemResult) string         { return num(v) }
func fmtSig3(v float64, _ *SystemResult) string        { return sig3(v) }
func fmtHours(v float64, _ *SystemResult) string       { return num(v / 3600) }
func fmtRatio(v float64, _ *SystemResult) string       { return pct(v*100) + "%" }

// fmtOfRequests is a count with its share of the requests.
func fmtOfRequests(v float64, s *SystemResult) string { return countPct(int64(v), s.Requests) }

// resolves reports whether a and b are told apart: exact figures differ
// (and print differently: 50.82 against 50.82 is no difference to a
// reader), estimates differ by more than both errors together.
func (m *Metric) resolves(a, b float64) bool {
	if m.format(a, &SystemResult{}) == m.format(b, &SystemResult{}) {
		return false
	}
	if m.RelErr == 0 {
		return a != b
	}
	lo, hi := math.Min(a, b), math.Max(a, b)
	return hi*(1-m.RelErr) > lo*(1+m.RelErr)
}
