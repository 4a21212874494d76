package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/faasim/faasim/models"
)

// Results is one run of a scenario: the document behind results.json.
// Keys of the public contract are stable; the others are additions.
type Results struct {
	Scenario         string        `json:"scenario"`
	File             string        `json:"file,omitempty"`
	Seed             uint64        `json:"seed"`
	SimulatedSeconds float64       `json:"simulated_seconds"` // the whole run, warm-up included
	WarmupSeconds    float64       `json:"warmup_seconds"`    // excluded from every figure
	Version          string        `json:"version"`
	Workload         *WorkloadInfo `json:"workload,omitempty"`
	// Overrides are the scenario keys set on the command line (--set), in
	// the order applied.
	Overrides []Override `json:"overrides,omitempty"`
	// SLO is the scenario's slo: the constraints each system's slo_met
	// judges, as written.
	SLO     []string       `json:"slo,omitempty"`
	Systems []SystemResult `json:"systems"`
	// Verdict is the run's verdict (the table's last line, report.html's
	// first), with the system it recommends; set by Assess.
	Verdict *VerdictResult `json:"verdict,omitempty"`
	// Warnings are about the run as a whole: why its verdict may not hold
	// (no system serves the load, none meets the SLO, a close call).
	Warnings []Warning `json:"warnings"`
}

// Override is one scenario key set from outside the file (--set KEY=VALUE).
type Override struct {
	Key   string `json:"key"`
	Value any    `json:"value"` // as parsed: a number, string, bool, map or list; null removed the key
}

// String is the override as --set would take it: KEY=VALUE, maps and lists
// in JSON (which is YAML flow syntax).
func (o Override) String() string {
	switch v := o.Value.(type) {
	case string:
		return o.Key + "=" + v
	case nil:
		return o.Key + "=null"
	case map[string]any, []any:
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(v) == nil {
			return o.Key + "=" + strings.TrimSpace(b.String())
		}
	}
	return fmt.Sprintf("%s=%v", o.Key, o.Value)
}

// MeasuredSeconds is the window the figures cover.
func (r *Results) MeasuredSeconds() float64 { return r.SimulatedSeconds - r.WarmupSeconds }

// Counts are request counts over the measured window. Requests = Completed +
// Rejected + TimedOut + InFlight (still running at the end), plus, with an
// invocation layer, CallResult's Failed and DeadLettered.
type Counts struct {
	Requests       int64   `json:"requests"`
	Completed      int64   `json:"completed"`
	Rejected       int64   `json:"rejected"`
	TimedOut       int64   `json:"timed_out"`
	InFlight       int64   `json:"in_flight"`
	ColdStarts     int64   `json:"cold_starts"`
	ColdStartRatio float64 `json:"cold_start_ratio"` // cold starts / requests
	RejectedRatio  float64 `json:"rejected_ratio"`   // rejected / requests
	TimedOutRatio  float64 `json:"timed_out_ratio"`  // timed out / requests
	// Waited are the requests that ended having waited for capacity
	// (queued for a fleet's free worker, or in a FaaS throttle queue) for
	// longer than 0, whatever their outcome; WaitedRatio is of requests.
	// For an M/M/c fleet it is Erlang C's probability of waiting.
	Waited      int64   `json:"waited"`
	WaitedRatio float64 `json:"waited_ratio"`
}

// Wait is the wait for capacity of completed requests, milliseconds (0
// for those served at once, so the p50 of a fleet below saturation is 0):
// mean and max exact, the percentiles within RelativeAccuracy.
type Wait struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// Latency of completed requests, milliseconds. Mean and Max are exact; the
// percentiles are within RelativeAccuracy.
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

// CostResult is the bill, US dollars.
type CostResult struct {
	Total              float64 `json:"total"`
	PerMillionRequests float64 `json:"per_million_requests"` // total / requests (arrivals) × 10⁶
	// PerMillionCompleted is total / completed × 10⁶: what a served request
	// costs (failed requests cost little or nothing, so per arrival a
	// failing system looks cheap). 0 without completions.
	PerMillionCompleted float64            `json:"per_million_completed"`
	Breakdown           map[string]float64 `json:"breakdown"` // JSON sorts the keys
	// MonthlyEstimate is the bill extrapolated to 30 days (models.Cost.MonthlyUSD).
	MonthlyEstimate float64 `json:"monthly_estimate"`
	// PerRequest is the bill of one request at quantiles over the
	// requests billed (per-request billing only): what a typical and a slow
	// execution cost, compute, request fee and state round trips at list
	// prices; a batch's bill is shared by its messages, and each billed
	// attempt counts as a request.
	PerRequest *Quantiles `json:"per_request,omitempty"`
}

// Quantiles of a figure.
type Quantiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// CallResult is what a system's invocation layer did (docs/semantics.md,
// "How functions are called"): present only when some function is called
// other than straight through (async, queue, schedule, errors, state).
type CallResult struct {
	// Attempts are executions of an event or message that started
	// (retries included; a batch of n messages is n), Retries those beyond
	// each event's first, Invocations the platform invocations that ran
	// (one per batch when a queue is polled in batches, else Attempts).
	Attempts    int64 `json:"attempts"`
	Retries     int64 `json:"retries"`
	Invocations int64 `json:"invocations"`
	// Failed: synchronous calls whose function returned an error (the
	// caller saw it); DeadLettered: events and messages given up, out of
	// retries or past their age. Both of requests.
	Failed            int64   `json:"failed"`
	FailedRatio       float64 `json:"failed_ratio"`
	DeadLettered      int64   `json:"dead_lettered"`
	DeadLetteredRatio float64 `json:"dead_lettered_ratio"`
	// Expired: dead-lettered for their age. Throttled: invocations the
	// system turned away that the platform tried again later.
	Expired   int64 `json:"expired"`
	Throttled int64 `json:"throttled"`
	// EventAgeS is the age of events when their first attempt started,
	// seconds (the platform's queue, a batching window, a back-off).
	EventAgeS *AgeResult `json:"event_age_s,omitempty"`
	// State round trips to the store, and those a fleet's cache answered.
	StateRoundTrips int64 `json:"state_round_trips"`
	CacheHits       int64 `json:"cache_hits"`
	// MaxConcurrentBatches: the most batches a queue poller ran at once.
	MaxConcurrentBatches int `json:"max_concurrent_batches,omitempty"`
}

// AgeResult summarises ages, seconds; percentiles within 0.78%.
type AgeResult struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// InstanceResult is time-weighted over the measured window.
type InstanceResult struct {
	Mean     float64 `json:"mean"`
	Max      int     `json:"max"`
	MeanBusy float64 `json:"mean_busy"`
	// MeanInService is the mean number of requests in service (Little's law:
	// throughput × mean service time).
	MeanInService float64 `json:"mean_in_service"`
	// *FleetResult is inlined: a scaled server fleet's extra keys; absent
	// for FaaS and static fleets.
	*FleetResult
}

// FleetResult is what a scaled server fleet bought and wasted over the
// measured window, instance-seconds (see docs/fleets.md).
type FleetResult struct {
	BilledSeconds float64 `json:"billed_seconds"` // billed (minimum and granularity applied)
	IdleSeconds   float64 `json:"idle_seconds"`   // ready with no request in service: paid, unused
	BootSeconds   float64 `json:"boot_seconds"`   // launched, not yet serving: paid, unusable
	ScaleOuts     int     `json:"scale_outs"`     // scaling activities that added instances
	ScaleIns      int     `json:"scale_ins"`      // scaling activities that removed instances
	Launched      int     `json:"launched"`
	Terminated    int     `json:"terminated"`
}

// SystemResult is one system's figures.
type SystemResult struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Platform string `json:"platform,omitempty"`
	// Params are the system's scenario keys as it ran (the file's values
	// over the platform preset's over the defaults, in scenario syntax), so
	// plots and readers need no scenario: memory_mb, keep_alive,
	// instances, workers_per_instance, max_concurrency, prices... Their
	// values are not metrics (Numbers skips them: a map of any).
	Params map[string]any `json:"params,omitempty"`
	Counts
	// *CallResult is inlined: attempts, retries, dead letters; absent
	// when every call went straight to the system.
	*CallResult
	// StoppedAtSeconds is where the system's run stopped, seconds from the
	// start (warm-up included): its backlog passed the memory budget
	// (max_backlog_mb), and every figure of it covers the measured window
	// up to here; absent when it ran to the end. QueuedAtStop is its
	// backlog then (those requests, and any in service, are in in_flight).
	StoppedAtSeconds *float64 `json:"stopped_at_seconds,omitempty"`
	QueuedAtStop     *int64   `json:"queued_at_stop,omitempty"`
	LatencyMS        Latency  `json:"latency_ms"`
	// WaitMS is the part of the latency spent waiting for capacity (queue
	// for a worker, throttle queue; not a cold start).
	WaitMS    Wait             `json:"wait_ms"`
	CostUSD   CostResult       `json:"cost_usd"`
	Instances InstanceResult   `json:"instances"`
	KeepAlive *KeepAliveResult `json:"keep_alive,omitempty"` // FaaS only
	// FunctionColdStartP75 is the 75th percentile over functions (with at
	// least one request) of each function's cold-start ratio: the figure
	// Shahrad et al. (ATC 2020) compare keep-alive policies by, since an
	// invocation-weighted ratio hides the rarely called functions.
	FunctionColdStartP75 float64 `json:"function_cold_start_ratio_p75,omitempty"`
	// Warnings say why a figure may not mean what it seems (saturated,
	// unfinished, few_samples, failing, slo); always a list, maybe empty.
	Warnings []Warning `json:"warnings"`
	// SLOMet is whether the system meets every constraint of the
	// scenario's slo:; absent without one.
	SLOMet    *bool            `json:"slo_met,omitempty"`
	Functions []FunctionResult `json:"functions,omitempty"` // with more than one function
	// FrontDoor is what the gateway or load balancer in front of the system
	// saw (its bill is in cost_usd.breakdown); absent without one.
	FrontDoor *FrontDoorResult `json:"front_door,omitempty"`
	// Purchase is the purchase option other than on demand (a commitment,
	// spot, a FaaS savings plan) and what it did; absent on demand.
	Purchase *PurchaseResult `json:"purchase,omitempty"`
}

// PurchaseResult is a purchase option's figures over the measured window
// (its bill is in cost_usd.breakdown: commitment and servers, or the
// discounted compute lines).
type PurchaseResult struct {
	Option   string  `json:"option"`   // savings-plan-1y, savings-plan-3y, reserved-1y, reserved-3y, spot
	Discount float64 `json:"discount"` // off the on-demand price
	// A fleet's commitment: instance-seconds committed, the share of them
	// used (utilization) and the share of the usage they cover (coverage).
	CommittedSeconds float64 `json:"committed_seconds,omitempty"`
	Utilization      float64 `json:"utilization,omitempty"`
	Coverage         float64 `json:"coverage,omitempty"`
	// Spot: instances interrupted, and the requests they were still serving
	// at termination (cut: in timed_out too).
	Interruptions       int `json:"interruptions,omitempty"`
	InterruptedRequests int `json:"interrupted_requests,omitempty"`
}

// FrontDoorResult is a front door's figures over the measured window.
type FrontDoorResult struct {
	Type     string  `json:"type"`      // the front-door preset
	Requests int64   `json:"requests"`  // requests it received
	TimedOut int64   `json:"timed_out"` // requests it answered with a timeout while the system ran on
	LCUHours float64 `json:"lcu_hours,omitempty"`
}

// KeepAliveResult is what a FaaS system's keep-alive policy cost and bought
// over the measured window (its dollars are in cost_usd.breakdown).
type KeepAliveResult struct {
	Policy string `json:"policy"`
	// Ready instances with no request in service: the memory kept warm
	// waiting (instance-seconds, and GB-seconds by each function's memory).
	IdleInstanceSeconds float64 `json:"idle_instance_seconds"`
	IdleGBSeconds       float64 `json:"idle_gb_seconds"`
	Prewarms            int64   `json:"prewarms"`     // instances loaded ahead of demand (hybrid)
	PrewarmHits         int64   `json:"prewarm_hits"` // requests a pre-warmed instance served warm
	ProvisionedServed   int64   `json:"provisioned_served"`
	ProvisionedSeconds  float64 `json:"provisioned_instance_seconds"` // billed, after rounding
	Pings               int64   `json:"pings"`
}

// FunctionResult is one function's share of a system's figures.
type FunctionResult struct {
	Name string `json:"name"`
	Counts
	// With an invocation layer: its failed calls and dead letters.
	Failed       int64   `json:"failed,omitempty"`
	DeadLettered int64   `json:"dead_lettered,omitempty"`
	LatencyMS    Latency `json:"latency_ms"`
	CostUSD      float64 `json:"cost_usd,omitempty"`
	// FaaS only: the function's idle (warm, unused) instance-seconds and GB-s.
	IdleInstanceSeconds float64 `json:"idle_instance_seconds,omitempty"`
	IdleGBSeconds       float64 `json:"idle_gb_seconds,omitempty"`
}

// SystemInfo names a system for its result.
type SystemInfo struct {
	Name, Type, Platform string
	Functions            []string       // function names, in table order
	Params               map[string]any // the system's resolved scenario keys
}

// Result turns an accumulator and a model summary into a SystemResult.
func (a *Accumulator) Result(info SystemInfo, sum models.Summary) SystemResult {
	sr := SystemResult{
		Name:      info.Name,
		Type:      info.Type,
		Platform:  info.Platform,
		Params:    info.Params,
		Counts:    a.all.counts(),
		Warnings:  []Warning{},
		LatencyMS: a.all.latency(),
		WaitMS:    a.wait.result(a.all.completed),
		Instances: InstanceResult{
			Mean:          sum.Instances.Mean,
			Max:           sum.Instances.Max,
			MeanBusy:      sum.Instances.MeanBusy,
			MeanInService: sum.Instances.MeanBusySlots,
		},
	}
	if f := sum.Instances.Fleet; f != nil {
		sr.Instances.FleetResult = &FleetResult{BilledSeconds: sig(f.BilledSeconds), IdleSeconds: sig(f.IdleSeconds),
			BootSeconds: sig(f.BootSeconds), ScaleOuts: f.ScaleOuts, ScaleIns: f.ScaleIns, Launched: f.Launched, Terminated: f.Terminated}
	}
	total := sum.Cost.Total()
	sr.CostUSD = CostResult{Total: total, Breakdown: map[string]float64{}, MonthlyEstimate: sum.Cost.MonthlyUSD}
	for _, it := range sum.Cost.Items {
		sr.CostUSD.Breakdown[it.Name] += it.USD
	}
	if sr.Requests > 0 {
		sr.CostUSD.PerMillionRequests = total / float64(sr.Requests) * 1e6
	}
	if sr.Completed > 0 {
		sr.CostUSD.PerMillionCompleted = total / float64(sr.Completed) * 1e6
	}
	if q := sum.RequestCost; q != nil {
		sr.CostUSD.PerRequest = &Quantiles{P50: sig(q.P50), P90: sig(q.P90), P99: sig(q.P99)}
	}
	if c := sum.Calls; c != nil {
		cr := &CallResult{Attempts: c.Attempts, Retries: c.Retries, Invocations: c.Invocations, Failed: a.all.failed,
			DeadLettered: a.all.deadLettered, Expired: c.Expired, Throttled: c.Throttled, StateRoundTrips: c.StateRoundTrips,
			CacheHits: c.CacheHits, MaxConcurrentBatches: c.MaxConcurrentBatches}
		if sr.Requests > 0 {
			cr.FailedRatio = sig(float64(cr.Failed) / float64(sr.Requests))
			cr.DeadLetteredRatio = sig(float64(cr.DeadLettered) / float64(sr.Requests))
		}
		if g := c.EventAge; g != nil {
			cr.EventAgeS = &AgeResult{Mean: sig(g.Mean), P50: sig(g.P50), P99: sig(g.P99), Max: sig(g.Max)}
		}
		sr.CallResult = cr
	}
	if p := sum.Policy; info.Type == "faas" {
		sr.KeepAlive = &KeepAliveResult{Policy: p.Policy, IdleInstanceSeconds: sig(p.IdleInstanceSeconds),
			IdleGBSeconds: sig(p.IdleGBSeconds), Prewarms: p.Prewarms, PrewarmHits: p.PrewarmHits,
			ProvisionedServed: p.ProvisionedServed, ProvisionedSeconds: sig(p.ProvisionedSeconds), Pings: p.Pings}
	}
	if p := sum.Purchase; p != nil {
		pr := &PurchaseResult{Option: p.Option, Discount: p.Discount, CommittedSeconds: sig(p.CommittedSeconds),
			Interruptions: p.Interruptions, InterruptedRequests: p.InterruptedRequests}
		if p.CommittedSeconds > 0 {
			pr.Utilization = sig(p.CoveredSeconds / p.CommittedSeconds)
		}
		if p.UsedSeconds > 0 {
			pr.Coverage = sig(p.CoveredSeconds / p.UsedSeconds)
		}
		sr.Purchase = pr
	}
	if fd := sum.FrontDoor; fd != nil {
		sr.FrontDoor = &FrontDoorResult{Type: fd.Name, Requests: fd.Requests, TimedOut: fd.TimedOut, LCUHours: sig(fd.LCUHours)}
	}
	if len(a.fns) > 0 {
		sr.Functions = make([]FunctionResult, 0, len(a.fns))
	}
	for i, t := range a.fns {
		fr := FunctionResult{Name: info.Functions[i], Counts: t.counts(), LatencyMS: t.latency(), Failed: t.failed, DeadLettered: t.deadLettered}
		if i < len(sum.FunctionCost) {
			fr.CostUSD = sum.FunctionCost[i]
		}
		if i < len(sum.Policy.Functions) {
			fr.IdleInstanceSeconds = sig(sum.Policy.Functions[i].IdleInstanceSeconds)
			fr.IdleGBSeconds = sig(sum.Policy.Functions[i].IdleGBSeconds)
		}
		sr.Functions = append(sr.Functions, fr)
	}
	sr.FunctionColdStartP75 = functionColdStartP75(sr.Functions)
	sr.round()
	a.bl.finish(&a.all)
	if st := sum.Stopped; st != nil {
		at, q := st.At.Seconds(), st.Queued
		sr.StoppedAtSeconds, sr.QueuedAtStop = &at, &q
		sr.Warnings = append(sr.Warnings, stopWarning(st))
	} else if w, ok := a.bl.saturated(); ok {
		sr.Warnings = append(sr.Warnings, w)
	}
	for _, w := range sr.countWarnings() {
		sr.addWarning(w)
	}
	return sr
}

// round keeps 9 significant digits of every derived float, so results.json
// does not show last-bit differences of floating-point arithmetic.
func (s *SystemResult) round() {
	for _, p := range []*float64{&s.ColdStartRatio, &s.RejectedRatio, &s.TimedOutRatio, &s.WaitedRatio, &s.FunctionColdStartP75, &s.CostUSD.Total,
		&s.WaitMS.Mean, &s.WaitMS.P50, &s.WaitMS.P90, &s.WaitMS.P99, &s.WaitMS.Max,
		&s.CostUSD.PerMillionRequests, &s.CostUSD.PerMillionCompleted, &s.CostUSD.MonthlyEstimate,
		&s.Instances.Mean, &s.Instances.MeanBusy, &s.Instances.MeanInService} {
		*p = sig(*p)
	}
	s.LatencyMS.round()
	for k, v := range s.CostUSD.Breakdown {
		s.CostUSD.Breakdown[k] = sig(v)
	}
	for i := range s.Functions {
		f := &s.Functions[i]
		f.ColdStartRatio = sig(f.ColdStartRatio)
		f.RejectedRatio = sig(f.RejectedRatio)
		f.TimedOutRatio = sig(f.TimedOutRatio)
		f.WaitedRatio = sig(f.WaitedRatio)
		f.CostUSD = sig(f.CostUSD)
		f.LatencyMS.round()
	}
}

func (l *Latency) round() {
	for _, p := range []*float64{&l.Mean, &l.P50, &l.P90, &l.P95, &l.P99, &l.P999, &l.Max} {
		*p = sig(*p)
	}
}

func sig(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 9, 64), 64)
	return v
}

// functionColdStartP75 is the 75th percentile (nearest rank) of the
// per-function cold-start ratios; 0 with fewer than two functions.
func functionColdStartP75(fns []FunctionResult) float64 {
	var r []float64
	for _, f := range fns {
		if f.Requests > 0 {
			r = append(r, float64(f.ColdStarts)/float64(f.Requests))
		}
	}
	if len(r) < 2 {
		return 0
	}
	sort.Float64s(r)
	return r[int(math.Ceil(0.75*float64(len(r))))-1]
}
