package reports

import (
	"math"
	"testing"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
)

// The mean latency stays exact past int64 nanoseconds: 100,000 completions
// of 4.6 days each sum to 4e19 ns, four times what int64 holds (the mean
// wrapped before; sim.Sum). Merging two halves gives the same.
func TestMeanLatencyPastInt64(t *testing.T) {
	const n, l = 100_000, sim.Time(4e14) // 4e14 ns = 4.6 days
	whole, a, b := NewAccumulator(1), NewAccumulator(1), NewAccumulator(1)
	for i := range n {
		r := &models.Record{Arrival: 0, End: l, Outcome: models.Completed}
		whole.Ended(r)
		if i%2 == 0 {
			a.Ended(r)
		} else {
			b.Ended(r)
		}
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	for name, acc := range map[string]*Accumulator{"whole": whole, "merged": a} {
		got := acc.all.latency().Mean
		if want := float64(l) / 1e6; math.Abs(got-want) > 1e-9*want {
			t.Errorf("%s: mean %v ms, want %v", name, got, want)
		}
	}
}
