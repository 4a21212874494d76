package workloads

import (
	"math/rand/v2"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Constant arrives every 1/Rate seconds exactly, the first at time 0.
type Constant struct {
	period float64 // ns
	k      int64
}

var _ Arrivals = (*Constant)(nil)

// NewConstant returns a constant-rate process; rate in requests per second (> 0).
func NewConstant(rate float64) *Constant { return &Constant{period: 1e9 / rate} }

// Next implements Arrivals. Times are k*period rounded to the nanosecond, so
// rounding never accumulates.
func (c *Constant) Next() (sim.Time, bool) {
	t := dist.Nanos(float64(c.k)*c.period + 0.5)
	c.k++
	return t, true
}

// Poisson arrives with exponential gaps of mean 1/Rate seconds, the first
// gap after time 0. Stream: "workload/arrivals".
type Poisson struct {
	meanGap float64 // ns
	t       float64 // ns, kept in float so rounding never accumulates
	r       *rand.Rand
}

var _ Arrivals = (*Poisson)(nil)

// NewPoisson returns a Poisson process of rate requests per second (> 0).
func NewPoisson(seed sim.Seed, rate float64) *Poisson {
	return &Poisson{meanGap: 1e9 / rate, r: seed.Stream("workload/arrivals")}
}

// Next implements Arrivals.
func (p *Poisson) Next() (sim.Time, bool) {
	p.t += p.r.ExpFloat64() * p.meanGap
	return dist.Nanos(p.t), true // a vanishing rate's gap is +Inf: never
}
