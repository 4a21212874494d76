package models

import (
	"math"

	"github.com/faasim/faasim/sim"
)

// HybridParams are the knobs of the hybrid histogram keep-alive policy of
// Shahrad et al., "Serverless in the Wild" (USENIX ATC 2020). Defaults
// (DefaultHybridParams) follow the paper where it gives a value; the rest
// are faasim's choices, documented in docs/keepalive.md.
type HybridParams struct {
	Bin         sim.Time // histogram bin width (paper: 1 minute)
	Range       sim.Time // histogram range (paper: 4 hours)
	Head        float64  // pre-warm percentile (paper: 5th)
	Tail        float64  // keep-alive percentile (paper: 99th)
	Margin      float64  // widen the window by this share on both sides (paper: 10%)
	MinCV       float64  // bin-count CV below which the histogram is not representative (paper: 2)
	MinSamples  int      // fewer idle times than this: not representative (our choice: 10)
	MaxOOBShare float64  // more out-of-range idle times than this share: not representative (our choice: 0.5)
	Fallback    sim.Time // fixed keep-alive while not representative (paper: 4 hours)
}

// DefaultHybridParams are the paper's settings plus faasim's choices.
func DefaultHybridParams() HybridParams {
	return HybridParams{
		Bin: sim.Time(60e9), Range: sim.Time(4 * 3600e9),
		Head: 5, Tail: 99, Margin: 0.10, MinCV: 2,
		MinSamples: 10, MaxOOBShare: 0.5, Fallback: sim.Time(4 * 3600e9),
	}
}

// idleHistogram counts a function's idle times (end of its last execution to
// its next invocation) in fixed bins; idle times beyond the range count as
// out of bounds. Memory is one counter per bin, whatever the traffic.
type idleHistogram struct {
	bins  []uint32
	total int
	oob   int
}

func (h *idleHistogram) add(p *HybridParams, it sim.Time) {
	if h.bins == nil {
		h.bins = make([]uint32, int(p.Range/p.Bin))
	}
	if it >= p.Range {
		h.oob++
		return
	}
	h.bins[int(it/p.Bin)]++
	h.total++
}

// windows returns the pre-warm window (how long after the function goes idle
// a fresh instance should be loaded) and the keep-alive window (how long that
// instance, or the idle one when pre-warm is 0, stays loaded), and whether the
// histogram is representative enough to use.
func (h *idleHistogram) windows(p *HybridParams) (prewarm, keepAlive sim.Time, ok bool) {
	n := h.total + h.oob
	if h.total < p.MinSamples || float64(h.oob) > p.MaxOOBShare*float64(n) {
		return 0, p.Fallback, false
	}
	// Coefficient of variation of the bin counts: a concentrated histogram
	// (a pattern) has a high CV; a flat one says little about the next idle time.
	var sum, sq float64
	for _, c := range h.bins {
		sum += float64(c)
		sq += float64(c) * float64(c)
	}
	k := float64(len(h.bins))
	mean := sum / k
	cv := math.Sqrt(math.Max(sq/k-mean*mean, 0)) / mean
	if cv < p.MinCV {
		return 0, p.Fallback, false
	}
	// Head: lower edge of the bin holding the Head percentile; tail: upper
	// edge of the bin holding the Tail percentile (percentiles of in-range
	// idle times). Then the margin: head shrinks, tail grows.
	head := sim.Time(h.percentileBin(p.Head)) * p.Bin
	tail := sim.Time(h.percentileBin(p.Tail)+1) * p.Bin
	prewarm = sim.Time(float64(head) * (1 - p.Margin))
	end := sim.Time(float64(tail) * (1 + p.Margin))
	return prewarm, end - prewarm, true
}

// percentileBin is the index of the bin where the cumulative count first
// reaches pct% of the in-range idle times.
func (h *idleHistogram) percentileBin(pct float64) int {
	need := pct / 100 * float64(h.total)
	var c float64
	for i, n := range h.bins {
		c += float64(n)
		if c >= need && c > 0 {
			return i
		}
	}
	return len(h.bins) - 1
}
