package reports

import (
	"strconv"

	"github.com/faasim/faasim/models"
)

// Results is one run of a scenario: the document behind results.json.
// Keys of the public contract are stable; the others are additions.
type Results struct {
	Scenario         string         `json:"scenario"`
	File             string         `json:"file,omitempty"`
	Seed             uint64         `json:"seed"`
	SimulatedSeconds float64        `json:"simulated_seconds"` // the whole run, warm-up included
	WarmupSeconds    float64        `json:"warmup_seconds"`    // excluded from every figure
	Version          string         `json:"version"`
	Systems          []SystemResult `json:"systems"`
}

// MeasuredSeconds is the window the figures cover.
func (r *Results) MeasuredSeconds() float64 { return r.SimulatedSeconds - r.WarmupSeconds }

// Counts are request counts over the measured window. Requests = Completed +
// Rejected + TimedOut + InFlight (still running at the end).
type Counts struct {
	Requests       int64   `json:"requests"`
	Completed      int64   `json:"completed"`
	Rejected       int64   `json:"rejected"`
	TimedOut       int64   `json:"timed_out"`
	InFlight       int64   `json:"in_flight"`
	ColdStarts     int64   `json:"cold_starts"`
	ColdStartRatio float64 `json:"cold_start_ratio"` // cold starts / requests
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
	Total              float64            `json:"total"`
	PerMillionRequests float64            `json:"per_million_requests"`
	Breakdown          map[string]float64 `json:"breakdown"` // JSON sorts the keys
	// MonthlyEstimate is the bill extrapolated to 30 days (models.Cost.MonthlyUSD).
	MonthlyEstimate float64 `json:"monthly_estimate"`
}

// InstanceResult is time-weighted over the measured window.
type InstanceResult struct {
	Mean     float64 `json:"mean"`
	Max      int     `json:"max"`
	MeanBusy float64 `json:"mean_busy"`
	// MeanInService is the mean number of requests in service (Little's law:
	// throughput × mean service time).
	MeanInService float64 `json:"mean_in_service"`
}

// SystemResult is one system's figures.
type SystemResult struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Platform string `json:"platform,omitempty"`
	Counts
	LatencyMS Latency          `json:"latency_ms"`
	CostUSD   CostResult       `json:"cost_usd"`
	Instances InstanceResult   `json:"instances"`
	Functions []FunctionResult `json:"functions,omitempty"` // with more than one function
}

// FunctionResult is one function's share of a system's figures.
type FunctionResult struct {
	Name string `json:"name"`
	Counts
	LatencyMS Latency `json:"latency_ms"`
	CostUSD   float64 `json:"cost_usd,omitempty"`
}

// SystemInfo names a system for its result.
type SystemInfo struct {
	Name, Type, Platform string
	Functions            []string // function names, in table order
}

// Result turns an accumulator and a model summary into a SystemResult.
func (a *Accumulator) Result(info SystemInfo, sum models.Summary) SystemResult {
	sr := SystemResult{
		Name:      info.Name,
		Type:      info.Type,
		Platform:  info.Platform,
		Counts:    a.all.counts(),
		LatencyMS: a.all.latency(),
		Instances: InstanceResult{
			Mean:          sum.Instances.Mean,
			Max:           sum.Instances.Max,
			MeanBusy:      sum.Instances.MeanBusy,
			MeanInService: sum.Instances.MeanBusySlots,
		},
	}
	total := sum.Cost.Total()
	sr.CostUSD = CostResult{Total: total, Breakdown: map[string]float64{}, MonthlyEstimate: sum.Cost.MonthlyUSD}
	for _, it := range sum.Cost.Items {
		sr.CostUSD.Breakdown[it.Name] += it.USD
	}
	if sr.Requests > 0 {
		sr.CostUSD.PerMillionRequests = total / float64(sr.Requests) * 1e6
	}
	for i, t := range a.fns {
		fr := FunctionResult{Name: info.Functions[i], Counts: t.counts(), LatencyMS: t.latency()}
		if i < len(sum.FunctionCost) {
			fr.CostUSD = sum.FunctionCost[i]
		}
		sr.Functions = append(sr.Functions, fr)
	}
	sr.round()
	return sr
}

// round keeps 9 significant digits of every derived float, so results.json
// does not show last-bit differences of floating-point arithmetic.
func (s *SystemResult) round() {
	for _, p := range []*float64{&s.ColdStartRatio, &s.CostUSD.Total, &s.CostUSD.PerMillionRequests, &s.CostUSD.MonthlyEstimate,
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
