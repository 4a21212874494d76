package workloads

import (
	"fmt"
	"math"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// ZipfWeights returns n weights proportional to 1/rank^s (rank 1 first):
// Zipf popularity, the share of function k being k^−s / Σ_j j^−s.
func ZipfWeights(n int, s float64) []float64 {
	w := make([]float64, n)
	for k := range w {
		w[k] = math.Pow(float64(k+1), -s)
	}
	return w
}

// PerFunction is the Source of a workload where each function has its own
// arrival process: the superposition of the processes, each arrival going
// to the function whose process produced it.
type PerFunction struct {
	m       *Merge
	horizon sim.Time
	exec    []dist.Rander
}

var _ Source = (*PerFunction)(nil)

// NewPerFunction returns the Source for arrivals[i] feeding fns[i], ending
// before horizon. Streams: "exec/<name>" per function, as NewMixed.
func NewPerFunction(seed sim.Seed, arrivals []Arrivals, fns []Function, horizon sim.Time) (*PerFunction, error) {
	if len(fns) == 0 || len(arrivals) != len(fns) {
		return nil, fmt.Errorf("workloads: %d arrival processes for %d functions; want one per function", len(arrivals), len(fns))
	}
	for _, a := range arrivals {
		stopAt(a, horizon)
	}
	p := &PerFunction{m: NewMerge(arrivals...), horizon: horizon}
	for _, f := range fns {
		p.exec = append(p.exec, f.Exec.New(seed.Source("exec/"+f.Name)))
	}
	return p, nil
}

// Next implements Source.
func (p *PerFunction) Next(inv *Invocation) bool {
	t, fn, ok := p.m.NextFrom()
	if !ok || t >= p.horizon {
		return false
	}
	*inv = Invocation{At: t, Exec: dist.Seconds(p.exec[fn].Rand()), Fn: int32(fn)}
	return true
}

// Err implements Source; generated workloads never fail.
func (p *PerFunction) Err() error { return nil }
