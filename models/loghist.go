package models

import "math/bits"

// logHist counts non-negative integers (the bill of one invocation in
// picodollars, an event's age in nanoseconds) in
// log-linear buckets: exact below 64, above it 64 buckets per power of two,
// so a bucket's midpoint is within 1/128 (0.78%) of every value in it. An
// add is a few integer operations (no logarithm, no allocation: a sketch's
// add would cost the per-request path ~15 ns, this ~2 ns); histograms merge
// exactly. 3,776 buckets (30 KB) hold every uint64.
type logHist struct {
	counts *[logBuckets]int64 // nil until the first add, or made ahead (init)
}

const (
	logSub     = 64 // buckets per power of two (and the exact range)
	logSubBits = 6
	logBuckets = logSub + (64-logSubBits-1+1)*logSub
)

// logBucket is the bucket of x.
func logBucket(x uint64) int {
	if x < logSub {
		return int(x)
	}
	e := bits.Len64(x) - logSubBits - 1 // x >> e is in [64, 128)
	return logSub + e*logSub + int(x>>uint(e)) - logSub
}

// logMid is the midpoint of bucket i (its value, below 64).
func logMid(i int) float64 {
	if i < logSub {
		return float64(i)
	}
	e := (i - logSub) / logSub
	m := (i-logSub)%logSub + logSub
	return (float64(m) + 0.5) * float64(uint64(1)<<uint(e))
}

// init makes the buckets ahead, so add need not check.
func (h *logHist) init() { h.counts = new([logBuckets]int64) }

// add counts x; the buckets must exist (init).
func (h *logHist) add(x uint64) { h.counts[logBucket(x)]++ }

// addN counts x n times.
func (h *logHist) addN(x uint64, n int64) {
	if h.counts == nil {
		h.init()
	}
	h.counts[logBucket(x)] += n
}

// count is the number of values counted.
func (h *logHist) count() int64 {
	var n int64
	if h.counts != nil {
		for _, k := range h.counts {
			n += k
		}
	}
	return n
}

// quantile is the nearest-rank q-quantile's bucket midpoint (0 when empty).
func (h *logHist) quantile(q float64) float64 {
	total := h.count()
	if total == 0 {
		return 0
	}
	rank := int64(q*float64(total) + 0.999999999) // ceil, forgiving float noise
	rank = max(1, min(rank, total))
	var c int64
	for i, k := range h.counts {
		if c += k; c >= rank {
			return logMid(i)
		}
	}
	return logMid(len(h.counts) - 1)
}

// CostQuantiles is the bill of one request at quantiles of the requests
// billed, US dollars (within 0.78%).
type CostQuantiles struct {
	P50, P90, P99 float64
}

// picoUSD is the unit logHist counts in.
const picoUSD = 1e-12

func (h *logHist) quantiles() *CostQuantiles {
	if h.count() == 0 {
		return nil
	}
	return &CostQuantiles{P50: h.quantile(0.5) * picoUSD, P90: h.quantile(0.9) * picoUSD, P99: h.quantile(0.99) * picoUSD}
}
