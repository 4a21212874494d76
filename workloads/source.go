package workloads

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Invocation is one request as the workload offers it.
type Invocation struct {
	At   sim.Time // arrival, since the scenario start
	Exec sim.Time // warm execution time on a reference instance
	Fn   int32    // index into the scenario's function table
}

// Source yields invocations in non-decreasing arrival order.
type Source interface {
	// Next fills inv with the next invocation and reports whether there was one.
	Next(inv *Invocation) bool
	// Err is the error that ended the stream early, if any (bad trace rows).
	Err() error
}

// Arrivals is a point process: arrival times in non-decreasing order.
type Arrivals interface {
	// Next returns the next arrival time, or false when there are no more.
	Next() (sim.Time, bool)
}

// Function is one deployed function.
type Function struct {
	Name     string
	MemoryMB int
	Exec     dist.Spec // warm execution time
	Weight   float64   // share of the workload's arrivals (relative; > 0)
	// CPUBound is the share (0 to 1) of Exec that is CPU-bound, and
	// ExecMemoryMB the memory Exec was measured at (0 = MemoryMB): where CPU
	// follows memory, a platform scales that share (models.CPUScaling).
	CPUBound     float64
	ExecMemoryMB int
	// EphemeralStorageMB is the scratch disk (/tmp) the function is
	// configured with; 0 = the platform's free allowance (Lambda: 512 MB).
	EphemeralStorageMB int
}

// Mixed assigns each arrival of an Arrivals process to a function (by
// weight) and draws its execution time, stopping at the horizon.
type Mixed struct {
	arr     Arrivals
	horizon sim.Time
	cum     []float64 // cumulative weights, last = 1
	pick    *rand.Rand
	seed    sim.Seed
	fns     []Function
	exec    []dist.Rander // per function, made at its first call (a stream's draws do not depend on when)
}

var _ Source = (*Mixed)(nil)

// NewMixed returns the Source for arr over fns, ending before horizon.
// Streams: "workload/pick" for the function choice, "exec/<name>" for each
// function's execution times.
func NewMixed(seed sim.Seed, arr Arrivals, fns []Function, horizon sim.Time) (*Mixed, error) {
	if len(fns) == 0 {
		return nil, fmt.Errorf("workloads: no functions")
	}
	stopAt(arr, horizon)
	m := &Mixed{arr: arr, horizon: horizon, pick: seed.Stream("workload/pick"), seed: seed, fns: fns,
		exec: make([]dist.Rander, len(fns))}
	var total float64
	for _, f := range fns {
		if !(f.Weight > 0) {
			return nil, fmt.Errorf("workloads: function %q has weight %v, want > 0", f.Name, f.Weight)
		}
		total += f.Weight
	}
	var c float64
	for _, f := range fns {
		c += f.Weight / total
		m.cum = append(m.cum, c)
	}
	m.cum[len(m.cum)-1] = 1
	return m, nil
}

// Next implements Source.
func (m *Mixed) Next(inv *Invocation) bool {
	t, ok := m.arr.Next()
	if !ok || t >= m.horizon {
		return false
	}
	fn := 0
	if len(m.cum) > 1 {
		// First cumulative weight above u: binary search, so hundreds of
		// functions (trace replay) cost log(n), not n.
		u := m.pick.Float64()
		fn = sort.Search(len(m.cum)-1, func(i int) bool { return m.cum[i] > u })
	}
	x := m.exec[fn]
	if x == nil {
		x = m.fns[fn].Exec.New(m.seed.Source("exec/" + m.fns[fn].Name))
		m.exec[fn] = x
	}
	*inv = Invocation{At: t, Exec: dist.Seconds(x.Rand()), Fn: int32(fn)}
	return true
}

// Err implements Source; generated workloads never fail.
func (m *Mixed) Err() error { return nil }
