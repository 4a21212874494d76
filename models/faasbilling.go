package models

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/faasim/faasim/sim"
)

// Month is the 30-day month that monthly prices, allowances and volume
// tiers refer to; figures for a shorter run are applied pro rata to the
// measured window (threshold × window / Month).
const Month = 30 * 24 * time.Hour

// BillingModel is what a FaaS platform meters as compute time.
type BillingModel uint8

const (
	// PerRequest bills each request its own duration (AWS Lambda, Google
	// Cloud Functions 1st gen, Azure Functions): concurrent requests on one
	// instance are billed separately.
	PerRequest BillingModel = iota
	// InstanceActive bills an instance while it has at least one request in
	// flight (Cloud Run request-based): concurrent requests share that time.
	// Each busy period is rounded up to the granularity on its own.
	InstanceActive
	// InstanceLifetime bills an instance for its whole life, idle or not
	// (Cloud Run instance-based), each life rounded up to the granularity.
	InstanceLifetime
)

// BillingModels names the models as the scenario key billing_model spells them.
var BillingModels = []string{"per-request", "instance-active", "instance-lifetime"}

func (m BillingModel) String() string { return BillingModels[m] }

// PriceTier is a volume tier: GB-seconds beyond AboveGBSeconds a month are
// billed at PricePerGBSecond (AWS Lambda: 6 B and 15 B GB-s for x86).
type PriceTier struct {
	AboveGBSeconds   float64 // monthly volume, GB-s
	PricePerGBSecond float64 // USD
}

// CPUTier is a memory size with its fixed CPU clock (Cloud Functions 1st
// gen): a function's memory is billed as the smallest tier that holds it.
type CPUTier struct {
	MemoryMB int
	GHz      float64
}

// FreeTier is a monthly allowance, applied pro rata to the measured window.
type FreeTier struct {
	Requests, GBSeconds, VCPUSeconds, GHzSeconds float64 // per Month
}

// FaaSBilling is a FaaS platform's billing rules. Compute is metered in
// integer granules (per function), and dollars are computed once at the end,
// so the bill does not depend on summation order. 1 GB = 1 GiB = 1024 MB, as
// every provider modelled bills.
type FaaSBilling struct {
	Model                   BillingModel
	PricePerGBSecond        float64     // USD per GB-second of (billed) memory; first volume tier
	PricePerVCPUSecond      float64     // USD per vCPU-second (Cloud Run)
	PricePerGHzSecond       float64     // USD per GHz-second (Cloud Functions 1st gen; needs CPUTiers)
	PricePerMillionRequests float64     // USD per million requests that ran
	Tiers                   []PriceTier // further GB-s volume tiers, ascending
	Granularity             sim.Time    // billed durations round up to a multiple of this; 0 = DefaultGranularity
	MinimumBilled           sim.Time    // a shorter request (or period) is billed this long
	InitBilled              bool        // PerRequest: cold-start (init) time billed like execution
	VCPU                    float64     // vCPUs billed per instance (with PricePerVCPUSecond)
	CPUTiers                []CPUTier   // memory tiers with their clock, ascending; memory billed rounds up to one
	MemoryStepMB            int         // memory billed rounds up to a multiple of this (Azure: 128); 0 = exact
	MemoryMaxMB             int         // memory billed at most this (Azure: 1536); 0 = no cap
	FreeTier                bool        // apply Free (off by default, as the contract says)
	Free                    FreeTier
	// Baseline prices bill every min instance (always-ready, min-instances)
	// for the whole measured window, idle or not, on top of its use (Azure
	// Flex); with BaselineIdleOnly only while it is not processing requests
	// (Cloud Run's idle rate: a min instance with a request is billed at the
	// active rate like any instance).
	BaselinePricePerGBSecond   float64
	BaselinePricePerVCPUSecond float64
	BaselineIdleOnly           bool
	Provisioned                ProvisionedRates // Lambda provisioned concurrency (the provisioned keep-alive bills it)
	// A Compute Savings Plan (SavingsPlan its name, "" = on demand) takes
	// SavingsPlanDiscount off the compute (duration) and provisioned
	// concurrency lines, not requests or ephemeral storage. The commitment
	// is taken to match that usage exactly: the best case (a smaller one
	// saves less, a larger one pays for what it does not use).
	SavingsPlan         string
	SavingsPlanDiscount float64
	// Ephemeral storage (Lambda): storage configured above EphemeralFreeMB
	// is billed per GB-s of each request's billed duration.
	EphemeralPricePerGBSecond float64
	EphemeralFreeMB           int
}

// Validate reports a billing setting that cannot be used.
func (b FaaSBilling) Validate() error {
	for _, p := range []float64{b.PricePerGBSecond, b.PricePerVCPUSecond, b.PricePerGHzSecond, b.PricePerMillionRequests,
		b.BaselinePricePerGBSecond, b.BaselinePricePerVCPUSecond, b.EphemeralPricePerGBSecond, b.VCPU, b.Free.Requests, b.Free.GBSeconds,
		b.Free.VCPUSeconds, b.Free.GHzSeconds} {
		if p < 0 || math.IsNaN(p) {
			return fmt.Errorf("prices, vCPUs and allowances must be >= 0")
		}
	}
	switch {
	case b.Granularity < 0 || b.MinimumBilled < 0:
		return fmt.Errorf("granularity and minimum must be >= 0")
	case b.MemoryStepMB < 0 || b.MemoryMaxMB < 0 || b.EphemeralFreeMB < 0:
		return fmt.Errorf("memory step and cap and the free ephemeral storage must be >= 0")
	case b.Model > InstanceLifetime:
		return fmt.Errorf("unknown billing model %d", b.Model)
	case b.PricePerGHzSecond > 0 && len(b.CPUTiers) == 0:
		return fmt.Errorf("a GHz-second price needs CPU tiers")
	}
	for i := 1; i < len(b.Tiers); i++ {
		if b.Tiers[i].AboveGBSeconds <= b.Tiers[i-1].AboveGBSeconds {
			return fmt.Errorf("price tiers must ascend by volume")
		}
	}
	for i := 1; i < len(b.CPUTiers); i++ {
		if b.CPUTiers[i].MemoryMB <= b.CPUTiers[i-1].MemoryMB {
			return fmt.Errorf("CPU tiers must ascend by memory")
		}
	}
	return nil
}

// BilledMemoryMB is the memory a function of memMB is billed for: rounded
// up to a CPU tier or to the memory step, and capped.
func (b FaaSBilling) BilledMemoryMB(memMB int) int {
	m := memMB
	if i, ok := b.cpuTier(memMB); ok {
		m = b.CPUTiers[i].MemoryMB
	}
	if s := b.MemoryStepMB; s > 0 {
		m = (m + s - 1) / s * s
	}
	if b.MemoryMaxMB > 0 && m > b.MemoryMaxMB {
		m = b.MemoryMaxMB
	}
	return m
}

// GHz is the CPU clock billed for a function of memMB (0 without tiers).
func (b FaaSBilling) GHz(memMB int) float64 {
	if i, ok := b.cpuTier(memMB); ok {
		return b.CPUTiers[i].GHz
	}
	return 0
}

// cpuTier is the smallest tier holding memMB (the largest if none does).
func (b FaaSBilling) cpuTier(memMB int) (int, bool) {
	if len(b.CPUTiers) == 0 {
		return 0, false
	}
	i, _ := slices.BinarySearchFunc(b.CPUTiers, memMB, func(t CPUTier, m int) int { return t.MemoryMB - m })
	return min(i, len(b.CPUTiers)-1), true
}

// faasMeter accumulates billing units exactly, in integers.
type faasMeter struct {
	b        FaaSBilling
	gran     sim.Time
	units    []int64 // per function: billed granules
	requests []int64 // per function: billed requests
}

func newFaaSMeter(b FaaSBilling, nfn int) faasMeter {
	g := b.Granularity
	if g <= 0 {
		g = DefaultGranularity
	}
	return faasMeter{b: b, gran: g, units: make([]int64, nfn), requests: make([]int64, nfn)}
}

// bill charges one request of function fn that ran for run and (if it
// started its instance) waited init for it. Under the instance models only
// the request fee is per request.
func (m *faasMeter) bill(fn int32, run, init sim.Time) {
	m.requests[fn]++
	if m.b.Model != PerRequest {
		return
	}
	m.units[fn] += m.granules(run, init)
}

// period charges an instance of function fn for [from, to), clipped to the
// window (instance models). The minimum (Cloud Run instance-based: one
// minute per instance life; Flex: one second per activity period) is
// incurred when the period begins, so it applies to periods that begin in
// the window, even one cut short by the horizon, and not to one already
// running at the warm-up.
func (m *faasMeter) period(fn int32, from, to sim.Time, w Window) {
	began := from >= w.Warmup && from < w.Horizon
	d := max(min(to, w.Horizon)-max(from, w.Warmup), 0)
	switch {
	case began:
		m.units[fn] += m.granules(d, 0)
	case d > 0:
		m.units[fn] += int64((d + m.gran - 1) / m.gran)
	}
}

// granules is a per-request billed duration (run, plus init where billed)
// in granules, at least the minimum.
func (m *faasMeter) granules(run, init sim.Time) int64 {
	d := run
	if m.b.InitBilled {
		d += init
	}
	d = max(d, m.b.MinimumBilled)
	return int64((d + m.gran - 1) / m.gran)
}

// usage is what a bill is computed from: per function, billed compute
// seconds and requests; the memory and ephemeral storage each function runs
// with; the min instances' instance-seconds billed at the baseline rates;
// the measured window.
type usage struct {
	seconds     []float64
	requests    []int64
	memMB       []int
	ephemeralMB []int     // nil: none configured
	baseline    []float64 // per function, instance-seconds; nil: none
	window      sim.Time
}

// cost turns the units into dollars: one Cost and each function's share.
// With baseline up to t < the horizon, it is the bill of what has been
// incurred by t (a time series' cumulative cost): tiers and free allowances
// stay the whole window's.
func (m *faasMeter) cost(memMB, ephemeralMB []int, baseline []float64, w Window) (Cost, []float64) {
	u := usage{seconds: make([]float64, len(m.units)), requests: m.requests, memMB: memMB, ephemeralMB: ephemeralMB,
		baseline: baseline, window: w.Horizon - w.Warmup}
	for i, n := range m.units {
		u.seconds[i] = float64(n) * m.gran.Seconds()
	}
	return m.b.bill(u)
}

// clone is a copy of m whose units can be added to (open instance periods
// at a sample) without touching m's.
func (m *faasMeter) clone() faasMeter {
	c := *m
	c.units = slices.Clone(m.units)
	c.requests = slices.Clone(m.requests)
	return c
}

// bill applies prices, tiers and free allowances to usage. Volume tiers and
// free allowances are monthly: both are scaled to the window (pro rata), so
// a run's bill scales linearly with its length and MonthlyUSD is the bill ×
// Month / window. Free allowances come off first; the tiers then apply to
// the GB-s left. Each function's share is its part of the list price.
func (b FaaSBilling) bill(u usage) (Cost, []float64) {
	frac := float64(u.window) / float64(Month)
	nfn := len(u.seconds)
	var gbs, vcpus, ghzs, reqs float64
	gross := make([]float64, nfn) // compute at list (first-tier) prices
	for i := range nfn {
		g := u.seconds[i] * float64(b.BilledMemoryMB(u.memMB[i])) / 1024
		v := u.seconds[i] * b.VCPU
		h := u.seconds[i] * b.GHz(u.memMB[i])
		gbs, vcpus, ghzs = gbs+g, vcpus+v, ghzs+h
		reqs += float64(u.requests[i])
		gross[i] = g*b.PricePerGBSecond + v*b.PricePerVCPUSecond + h*b.PricePerGHzSecond
	}
	if b.FreeTier {
		gbs = max(0, gbs-b.Free.GBSeconds*frac)
		vcpus = max(0, vcpus-b.Free.VCPUSeconds*frac)
		ghzs = max(0, ghzs-b.Free.GHzSeconds*frac)
		reqs = max(0, reqs-b.Free.Requests*frac)
	}
	compute := (b.tiered(gbs, frac) + vcpus*b.PricePerVCPUSecond + ghzs*b.PricePerGHzSecond) * (1 - b.SavingsPlanDiscount)
	requests := reqs * b.PricePerMillionRequests / 1e6
	var totalGross, totalReq float64
	for i := range nfn {
		totalGross += gross[i]
		totalReq += float64(u.requests[i])
	}
	per := make([]float64, nfn)
	var baseline float64
	for i := range nfn {
		if totalGross > 0 {
			per[i] += compute * gross[i] / totalGross
		}
		if totalReq > 0 {
			per[i] += requests * float64(u.requests[i]) / totalReq
		}
		if u.baseline != nil {
			bl := u.baseline[i] * (float64(b.BilledMemoryMB(u.memMB[i]))/1024*b.BaselinePricePerGBSecond + b.VCPU*b.BaselinePricePerVCPUSecond)
			per[i] += bl
			baseline += bl
		}
	}
	c := Cost{Items: []CostItem{{"compute", compute}, {"requests", requests}}}
	if baseline > 0 {
		c.Items = append(c.Items, CostItem{"baseline", baseline})
	}
	if eph := b.ephemeral(u, per); eph > 0 {
		c.Items = append(c.Items, CostItem{"ephemeral_storage", eph})
	}
	c.MonthlyUSD = c.Total() * float64(Month) / float64(u.window)
	return c, per
}

// ephemeral is the bill of ephemeral storage above the free allowance:
// each function's billed seconds × the storage beyond EphemeralFreeMB, at
// EphemeralPricePerGBSecond (no free tier or volume tier applies). Each
// function's share is added to per.
func (b FaaSBilling) ephemeral(u usage, per []float64) float64 {
	if b.EphemeralPricePerGBSecond == 0 || u.ephemeralMB == nil {
		return 0
	}
	var usd float64
	for i, mb := range u.ephemeralMB {
		if extra := mb - b.EphemeralFreeMB; extra > 0 {
			x := u.seconds[i] * float64(extra) / 1024 * b.EphemeralPricePerGBSecond
			per[i] += x
			usd += x
		}
	}
	return usd
}

// tiered prices gbs GB-seconds over the volume tiers, their monthly
// thresholds scaled by frac.
func (b FaaSBilling) tiered(gbs, frac float64) float64 {
	return tiered(gbs, frac, b.PricePerGBSecond, len(b.Tiers),
		func(i int) (float64, float64) { return b.Tiers[i].AboveGBSeconds, b.Tiers[i].PricePerGBSecond })
}

// ProvisionedRates are AWS Lambda's provisioned-concurrency prices: the
// configured concurrency is billed whether used or not, and requests served
// by it pay a reduced duration rate instead of the on-demand one.
type ProvisionedRates struct {
	PricePerGBSecond         float64  // USD per GB-s configured
	DurationPricePerGBSecond float64  // USD per GB-s of execution on provisioned instances
	Rounding                 sim.Time // enabled time rounds up to a multiple (AWS: 5 minutes); 0 = none
}

// Billing defaults (DefaultFaaSConfig, and the scenario keys
// billing_granularity and provisioned_rounding).
const (
	DefaultGranularity         = time.Millisecond
	DefaultProvisionedRounding = 5 * time.Minute
)

// granule is the provisioned period's rounding; 0 rounds nothing (1 ns).
func (p ProvisionedRates) granule() sim.Time {
	if p.Rounding <= 0 {
		return 1
	}
	return p.Rounding
}

// purchase is what the savings plan did; nil on demand.
func (b FaaSBilling) purchase() *PurchaseStats {
	if b.SavingsPlan == "" {
		return nil
	}
	return &PurchaseStats{Option: b.SavingsPlan, Discount: b.SavingsPlanDiscount}
}
