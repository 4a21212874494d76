package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
)

// CostItem is one line of a bill, in US dollars.
type CostItem struct {
	Name string // "compute", "requests", "servers", ...
	USD  float64
}

// Cost is a bill as an ordered list of items (order is output order).
type Cost struct {
	Items []CostItem
}

// Total is the sum of the items.
func (c Cost) Total() float64 {
	var t float64
	for _, it := range c.Items {
		t += it.USD
	}
	return t
}

// FaaSBilling is per-request pay-per-use billing: each request is billed
// its duration (plus its cold start where InitBilled), rounded up to
// Granularity, times the function's memory, at PricePerGBSecond; plus
// PricePerMillionRequests for every request that ran. 1 GB = 1024 MB, as
// AWS and Azure bill.
type FaaSBilling struct {
	PricePerGBSecond        float64  // USD per GB-second
	PricePerMillionRequests float64  // USD per million requests that ran
	Granularity             sim.Time // billed duration rounds up to a multiple of this; 0 = 1 ns
	MinimumBilled           sim.Time // a shorter request is billed this long
	InitBilled              bool     // cold-start (init) time billed like execution

	// Provisioned (always-warm) capacity, as Lambda provisioned concurrency
	// bills it: configured instances × memory × time enabled, each
	// configuration period rounded up to ProvisionedGranularity (5 min), and
	// execution on provisioned instances at a reduced GB-s rate.
	PricePerGBSecondProvisioned    float64  // USD per GB-s configured
	PricePerGBSecondProvisionedRun float64  // USD per GB-s executed on a provisioned instance
	ProvisionedGranularity         sim.Time // rounding of each configured period
}

// Validate reports a billing setting that cannot be used.
func (b FaaSBilling) Validate() error {
	switch {
	case b.PricePerGBSecond < 0 || b.PricePerMillionRequests < 0:
		return fmt.Errorf("prices must be >= 0")
	case b.Granularity < 0 || b.MinimumBilled < 0:
		return fmt.Errorf("granularity and minimum must be >= 0")
	}
	return nil
}

// faasMeter accumulates billing units exactly, in integers, so partial
// meters merge exactly and the bill does not depend on summation order.
type faasMeter struct {
	b        FaaSBilling
	gran     sim.Time
	units    []int64 // per function: billed granules
	requests []int64 // per function: billed requests
}

func newFaaSMeter(b FaaSBilling, nfn int) faasMeter {
	g := b.Granularity
	if g <= 0 {
		g = 1
	}
	return faasMeter{b: b, gran: g, units: make([]int64, nfn), requests: make([]int64, nfn)}
}

// bill charges one request of function fn that ran for run and (if it was
// cold) waited init for its instance.
func (m *faasMeter) bill(fn int32, run, init sim.Time) {
	m.units[fn] += m.granules(run, init)
	m.requests[fn]++
}

// granules is the billed duration of one request, in granules.
func (m *faasMeter) granules(run, init sim.Time) int64 {
	d := run
	if m.b.InitBilled {
		d += init
	}
	if d < m.b.MinimumBilled {
		d = m.b.MinimumBilled
	}
	return int64((d + m.gran - 1) / m.gran)
}

// cost turns the units into dollars; memMB[i] is function i's memory.
func (m *faasMeter) cost(memMB []int) (Cost, []float64) {
	per := make([]float64, len(m.units))
	var compute, reqs float64
	granS := m.gran.Seconds()
	for i := range m.units {
		c := float64(m.units[i]) * granS * float64(memMB[i]) / 1024 * m.b.PricePerGBSecond
		r := float64(m.requests[i]) * m.b.PricePerMillionRequests / 1e6
		per[i] = c + r
		compute += c
		reqs += r
	}
	return Cost{Items: []CostItem{{"compute", compute}, {"requests", reqs}}}, per
}

// ServerBilling bills a fleet per instance-second (whole seconds, rounded
// up) with a minimum per instance, as EC2 bills Linux instances.
type ServerBilling struct {
	PricePerHour  float64  // USD per instance-hour
	MinimumBilled sim.Time // e.g. 60 s
	Granularity   sim.Time // e.g. 1 s
}

// cost is the bill for n instances each up for d.
func (b ServerBilling) cost(n int, d sim.Time) float64 {
	if d < b.MinimumBilled {
		d = b.MinimumBilled
	}
	g := b.Granularity
	if g <= 0 {
		g = 1
	}
	d = (d + g - 1) / g * g
	return float64(n) * d.Seconds() / 3600 * b.PricePerHour
}
