package dist

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSeconds: any float converts to a duration from 0 to MaxSeconds (NaN
// and negatives to 0, +Inf and beyond to the cap), and Nanos to one from 0
// to math.MaxInt64, never wrapping negative.
func FuzzSeconds(f *testing.F) {
	for _, x := range []float64{0, -1, 1e-300, 0.5, 1e9, MaxSeconds, 1e10, 1e300, math.Inf(1), math.NaN(), 9.2233720368547e18} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if d := Seconds(x); d < 0 || d > Seconds(MaxSeconds) {
			t.Fatalf("Seconds(%v) = %v", x, d)
		}
		if d := Nanos(x); d < 0 {
			t.Fatalf("Nanos(%v) = %v", x, d)
		}
	})
}

// FuzzEmpirical builds an empirical distribution from up to three inner
// percentiles: it is refused, or its quantiles rise from the p0 value to
// the p100 value and every draw lies between them.
func FuzzEmpirical(f *testing.F) {
	f.Add(0.001, 25.0, 0.01, 50.0, 0.02, 99.9, 0.5, 1.0)
	f.Add(0.0, 50.0, 0.0, 50.0, 1e300, 99.0, math.Inf(1), 5.0)
	f.Fuzz(func(t *testing.T, v0, p1, v1, p2, v2, p3, v3, v4 float64) {
		points := map[float64]float64{0: v0, p1: v1, p2: v2, p3: v3, 100: v4}
		for p, v := range points {
			if math.IsNaN(p) || math.IsNaN(v) || math.IsInf(v, 0) { // the decoder admits no such value
				return
			}
		}
		e, err := NewEmpirical(points)
		if err != nil {
			return
		}
		lo, hi := e.V[0], e.V[len(e.V)-1]
		prev := math.Inf(-1)
		for _, p := range []float64{0, 0.001, 0.25, 0.5, 0.99, 0.999, 1} {
			q := e.Quantile(p)
			if q < prev || q < lo || q > hi || math.IsNaN(q) {
				t.Fatalf("%v: quantile(%g) = %v (previous %v, range %v to %v)", points, p, q, prev, lo, hi)
			}
			prev = q
		}
		r := e.New(rand.NewPCG(1, 2))
		for range 100 {
			if x := r.Rand(); x < lo || x > hi || math.IsNaN(x) {
				t.Fatalf("%v: drew %v outside %v to %v", points, x, lo, hi)
			}
		}
	})
}
