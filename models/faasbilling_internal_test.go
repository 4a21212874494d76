package models

import (
	"math"
	"testing"
)

// Volume tiers: thresholds are monthly and scale with the window.
func TestTiered(t *testing.T) {
	b := FaaSBilling{PricePerGBSecond: 1, Tiers: []PriceTier{{10, 2}, {20, 3}}}
	tests := []struct {
		gbs, frac, want float64
	}{
		{5, 1, 5 * 1},               // first tier only
		{25, 1, 10*1 + 10*2 + 5*3},  // all three tiers
		{25, 0.5, 5*1 + 5*2 + 15*3}, // half a month: thresholds at 5 and 10
		{10, 1, 10 * 1},             // exactly at a threshold
		{0, 1, 0},                   // nothing used
		{1e9, 1e-9, 10e-9 + 10e-9*2 + (1e9-20e-9)*3}, // a tiny window: almost all at the last tier
	}
	for _, tt := range tests {
		if got := b.tiered(tt.gbs, tt.frac); math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want) {
			t.Errorf("tiered(%g, %g) = %.12g, want %.12g", tt.gbs, tt.frac, got, tt.want)
		}
	}
}

// Free allowances come off before the tiers; a run's bill scales with its
// window, and MonthlyUSD is the bill × Month / window.
func TestFreeTierThenTiers(t *testing.T) {
	b := FaaSBilling{PricePerGBSecond: 1, PricePerMillionRequests: 1e6, Tiers: []PriceTier{{100, 0.5}},
		FreeTier: true, Free: FreeTier{GBSeconds: 50, Requests: 10}}
	half := Month / 2
	// 300 GB-s over half a month: 25 free, then of the 275 left 50 at $1
	// (threshold 100/2) and 225 at $0.5; 20 requests, 5 free, 15 at $1 each.
	c, per := b.bill(usage{seconds: []float64{300}, requests: []int64{20}, memMB: []int{1024}, window: half})
	want := 50*1.0 + 225*0.5 + 15
	if math.Abs(c.Total()-want) > 1e-9 || math.Abs(per[0]-want) > 1e-9 {
		t.Errorf("bill %v (per function %v), want %v", c, per, want)
	}
	if math.Abs(c.MonthlyUSD-2*want) > 1e-9 {
		t.Errorf("monthly %v, want %v", c.MonthlyUSD, 2*want)
	}
	// Without free_tier the allowances do nothing.
	b.FreeTier = false
	c, _ = b.bill(usage{seconds: []float64{300}, requests: []int64{20}, memMB: []int{1024}, window: half})
	if want := 50*1.0 + 250*0.5 + 20; math.Abs(c.Total()-want) > 1e-9 {
		t.Errorf("without free tier %v, want %v", c.Total(), want)
	}
}

// Memory billed: Azure's 128 MB steps and 1,536 MB cap; Cloud Functions'
// tiers (with their clocks).
func TestBilledMemory(t *testing.T) {
	azure := FaaSBilling{MemoryStepMB: 128, MemoryMaxMB: 1536}
	for mem, want := range map[int]int{128: 128, 129: 256, 200: 256, 1500: 1536, 1536: 1536, 2000: 1536} {
		if got := azure.BilledMemoryMB(mem); got != want {
			t.Errorf("azure %d MB billed as %d, want %d", mem, got, want)
		}
	}
	gcf := FaaSBilling{CPUTiers: []CPUTier{{128, 0.2}, {256, 0.4}, {512, 0.8}, {1024, 1.4}, {2048, 2.4}, {4096, 4.8}, {8192, 4.8}}}
	for _, tt := range []struct {
		mem, want int
		ghz       float64
	}{{128, 128, 0.2}, {200, 256, 0.4}, {1024, 1024, 1.4}, {3000, 4096, 4.8}, {9000, 8192, 4.8}} {
		if got, ghz := gcf.BilledMemoryMB(tt.mem), gcf.GHz(tt.mem); got != tt.want || ghz != tt.ghz {
			t.Errorf("gcf %d MB billed as %d at %g GHz, want %d at %g", tt.mem, got, ghz, tt.want, tt.ghz)
		}
	}
}
