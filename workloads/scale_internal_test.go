package workloads

import (
	"math"
	"testing"

	"github.com/faasim/faasim/sim"
)

// A large count's extra copies come from one binomial draw: the mean
// n·frac and the binomial spread, checked over repeated draws (each 10^6
// calls at scale 2.3: n·0.3 = 300,000 extra, sd √(n·0.3·0.7) = 458).
func TestScalerBinomial(t *testing.T) {
	s := newScaler(sim.Seed(7), 2.3)
	const n, draws = 1_000_000, 400
	var sum, sq float64
	for range draws {
		c := s.copies(n) - 2*n
		if c < 0 || c > n {
			t.Fatalf("extra copies %d of %d", c, n)
		}
		sum += float64(c)
		sq += float64(c) * float64(c)
	}
	mean := sum / draws
	sd := math.Sqrt(sq/draws - mean*mean)
	want, wantSD := n*0.3, math.Sqrt(n*0.3*0.7)
	// The mean of 400 draws is within 4 standard errors (4 × 458/20 = 92).
	if math.Abs(mean-want) > 4*wantSD/math.Sqrt(draws) {
		t.Errorf("mean extra copies %.1f, want %.0f ± %.0f", mean, want, 4*wantSD/math.Sqrt(draws))
	}
	if sd < 0.8*wantSD || sd > 1.2*wantSD {
		t.Errorf("sd of extra copies %.1f, want %.1f ± 20%%", sd, wantSD)
	}
}
