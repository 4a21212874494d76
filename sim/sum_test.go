package sim

import (
	"math"
	"testing"
)

// Past int64: 2 × MaxInt64 + 2 is exactly 2^64; merging halves gives the
// same as adding all.
func TestSumPastInt64(t *testing.T) {
	var s Sum
	s.Add(math.MaxInt64)
	s.Add(math.MaxInt64)
	s.Add(2)
	if s.hi != 1 || s.lo != 0 || s.Nanos() != math.Exp2(64) {
		t.Errorf("2 × MaxInt64 + 2 = %d·2^64 + %d, want exactly 2^64", s.hi, s.lo)
	}
	var a, b, all Sum
	for i := range 1000 {
		d := Time(i) * 9e15 // up to 9e18 each: the total is ~4.5e21
		all.Add(d)
		if i%2 == 0 {
			a.Add(d)
		} else {
			b.Add(d)
		}
	}
	a.Merge(b)
	if a != all || math.Abs(all.Nanos()-9e15*999*1000/2) > 1e6 {
		t.Errorf("merged %v, all %v (%g ns), want %g ns", a, all, all.Nanos(), 9e15*999*1000/2)
	}
}
