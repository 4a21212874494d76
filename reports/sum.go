package reports

import (
	"math"
	"math/bits"
)

// sum128 is an exact sum of non-negative int64 nanoseconds in 128 bits.
// An int64 sum of latencies overflows at 2^63 ns, 292 years: a million
// requests queued for three hours each already pass it. 128 bits hold 2^64
// requests of the longest latency an int64 can state, so no valid run can
// overflow, and the sum stays exact, so merging shards in any order gives
// the same bits.
type sum128 struct{ hi, lo uint64 }

func (s *sum128) add(x uint64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, x, 0)
	s.hi += c
}

func (s *sum128) merge(b sum128) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, b.lo, 0)
	s.hi, _ = bits.Add64(s.hi, b.hi, c)
}

// div is the sum divided by n, as a float64 (correct to about 1e-16
// relative: the two halves are converted separately).
func (s sum128) div(n int64) float64 {
	if n <= 0 {
		return 0
	}
	if s.hi == 0 {
		return float64(s.lo) / float64(n)
	}
	// hi·2^64 + lo = q·n + r exactly, then q + r/n.
	q1, r1 := bits.Div64(0, s.hi, uint64(n))
	q0, r0 := bits.Div64(r1, s.lo, uint64(n))
	return float64(q1)*math.Exp2(64) + float64(q0) + float64(r0)/float64(n)
}
