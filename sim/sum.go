package sim

import (
	"math"
	"math/bits"
)

// Sum is an exact sum of non-negative durations in 128 bits. Time holds
// 292 years of nanoseconds, and sums over a run reach more: the latencies
// of 864,000 requests queued up to 5 days (the mean latency wrapped to 41
// minutes), the instance-time of a fleet of 1,000 for 4 months (the bill
// went negative).
type Sum struct{ hi, lo uint64 }

// Add adds d (>= 0; a negative d is a caller bug and panics).
func (s *Sum) Add(d Time) {
	if d < 0 {
		panic("sim: Sum.Add of a negative duration")
	}
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(d), 0)
	s.hi += carry
}

// Merge adds o.
func (s *Sum) Merge(o Sum) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + carry
}

// Nanos is the sum in nanoseconds, rounded to float64.
func (s Sum) Nanos() float64 { return float64(s.hi)*math.Exp2(64) + float64(s.lo) }

// Seconds is the sum in seconds; below 292 years exactly as
// time.Duration.Seconds rounds it.
func (s Sum) Seconds() float64 {
	if s.hi == 0 && s.lo <= math.MaxInt64 {
		return Time(s.lo).Seconds()
	}
	return s.Nanos() / 1e9
}
