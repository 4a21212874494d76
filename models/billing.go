package models

import (
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
	// MonthlyUSD is the bill extrapolated to a 30-day Month: the measured
	// window's bill × Month / window (monthly tiers and allowances are
	// applied pro rata, so this is also the bill of a month of the same
	// traffic).
	MonthlyUSD float64
}

// Total is the sum of the items.
func (c Cost) Total() float64 {
	var t float64
	for _, it := range c.Items {
		t += it.USD
	}
	return t
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
