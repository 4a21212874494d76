package models

import (
	"time"

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
	Granularity   sim.Time // e.g. 1 s; 0 = DefaultServerGranularity
}

// Server billing defaults (DefaultServerConfig, and the scenario keys
// billing_minimum and billing_granularity of a server system).
const (
	DefaultServerMinimum     = time.Minute
	DefaultServerGranularity = time.Second
)

// round is d billed: at least the minimum, rounded up to the granularity.
func (b ServerBilling) round(d sim.Time) sim.Time {
	d = max(d, b.MinimumBilled)
	g := b.Granularity
	if g <= 0 {
		g = DefaultServerGranularity
	}
	return (d + g - 1) / g * g
}

// cost is the bill for n instances each up for d.
func (b ServerBilling) cost(n int, d sim.Time) float64 {
	return float64(n) * b.round(d).Seconds() / 3600 * b.PricePerHour
}

// tiered prices units over n monthly volume tiers (tier(i) is the i-th's
// threshold and price, ascending): units beyond a threshold, scaled to the
// window by frac (threshold × window / Month), cost its price; those below
// the first threshold cost first. Lambda's GB-s and API Gateway's requests
// are both tiered this way.
func tiered(units, frac, first float64, n int, tier func(i int) (above, price float64)) float64 {
	var usd float64
	price, from := first, 0.0
	for i := range n {
		above, next := tier(i)
		at := above * frac
		if units <= at {
			break
		}
		usd += (at - from) * price
		price, from = next, at
	}
	return usd + (units-from)*price
}
