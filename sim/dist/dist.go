// Package dist holds the random durations of faasim's models: execution
// times, cold starts, idle lifetimes. A Spec is the parsed description (no
// randomness); Spec.New binds it to a random source and gives a Rander.
// Every value is in seconds, as float64; callers convert to virtual time with
// Seconds.
package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Rander draws one value, in seconds. It matches gonum's distuv.Rander, so a
// test can pass any gonum distribution or a constant.
type Rander interface {
	Rand() float64
}

// Spec describes a distribution of durations.
type Spec interface {
	// New binds the distribution to src. src must not be nil (gonum would
	// fall back to the global generator and break reproducibility).
	New(src rand.Source) Rander
	// Mean is the expected value, in seconds.
	Mean() float64
	// Quantile is the inverse CDF at p in [0,1], in seconds.
	Quantile(p float64) float64
	String() string
}

// MaxSeconds is the longest duration a draw gives: 50 years. A heavy tail
// (a lognormal with sigma 5, a gamma with cv 50) or a fitted distribution
// can draw more; converted as is, 1e10 s would wrap int64 nanoseconds
// (292 years) to a negative time. Capped at 50 years, the horizon (at most
// 10 years) plus a few such delays still fits, and a draw that long outlasts
// any run, so the cap changes nothing a run measures.
const MaxSeconds = 50 * 365 * 24 * 3600.0

// Seconds converts a draw in seconds to virtual time, rounding to the
// nearest nanosecond, clamping negatives and NaN (which no Spec here
// produces) to 0 and anything above MaxSeconds (+Inf included) to it.
func Seconds(s float64) time.Duration {
	switch {
	case !(s > 0):
		return 0
	case s >= MaxSeconds:
		return time.Duration(MaxSeconds * 1e9)
	}
	return time.Duration(s*1e9 + 0.5)
}

// Nanos converts a time in float nanoseconds (a generator's clock) to
// virtual time, truncating, with 0 for negatives and NaN and math.MaxInt64
// ("never") for anything it cannot hold: a vanishing rate's first gap is
// +Inf, and converting +Inf to int64 is undefined in Go (on amd64 it gives
// the most negative time).
func Nanos(ns float64) time.Duration {
	switch {
	case !(ns > 0):
		return 0
	case ns >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// z99 is the standard normal quantile at 0.99.
const z99 = 2.3263478740408408

// Constant always gives Value seconds.
type Constant struct{ Value float64 }

func (c Constant) New(rand.Source) Rander   { return c }
func (c Constant) Rand() float64            { return c.Value }
func (c Constant) Mean() float64            { return c.Value }
func (c Constant) Quantile(float64) float64 { return c.Value }
func (c Constant) String() string           { return fmt.Sprintf("constant(%v)", Seconds(c.Value)) }

var _ Spec = Constant{}

// Exponential has density exp(-x/m)/m for x >= 0, mean m seconds.
type Exponential struct{ MeanS float64 }

type expRander struct {
	mean float64
	r    *rand.Rand
}

func (e expRander) Rand() float64 { return e.r.ExpFloat64() * e.mean }

func (e Exponential) New(src rand.Source) Rander { return expRander{e.MeanS, rand.New(src)} }
func (e Exponential) Mean() float64              { return e.MeanS }
func (e Exponential) Quantile(p float64) float64 { return -e.MeanS * math.Log1p(-p) }
func (e Exponential) String() string             { return fmt.Sprintf("exponential(mean %v)", Seconds(e.MeanS)) }

// LogNormal: log(X) is normal with mean Mu and standard deviation Sigma
// (log-seconds). The median is exp(Mu) seconds.
type LogNormal struct{ Mu, Sigma float64 }

// LogNormalMedianP99 is the lognormal with the given median and 99th
// percentile, in seconds (p99 > median > 0): Sigma = ln(p99/median)/z(0.99).
func LogNormalMedianP99(median, p99 float64) LogNormal {
	return LogNormal{Mu: math.Log(median), Sigma: math.Log(p99/median) / z99}
}

type lognormRander struct {
	mu, sigma float64
	r         *rand.Rand
}

func (l lognormRander) Rand() float64 { return math.Exp(l.mu + l.sigma*l.r.NormFloat64()) }

func (l LogNormal) New(src rand.Source) Rander { return lognormRander{l.Mu, l.Sigma, rand.New(src)} }
func (l LogNormal) Mean() float64              { return math.Exp(l.Mu + l.Sigma*l.Sigma/2) }
func (l LogNormal) Quantile(p float64) float64 {
	if l.Sigma == 0 { // a point mass; gonum's form gives exp(0*±Inf) = NaN at p 0 and 1
		return math.Exp(l.Mu)
	}
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma}.Quantile(p)
}
func (l LogNormal) String() string {
	return fmt.Sprintf("lognormal(median %v, p99 %v)", Seconds(math.Exp(l.Mu)), Seconds(l.Quantile(0.99)))
}

// Gamma has mean MeanS seconds and coefficient of variation CV
// (shape 1/CV², rate shape/mean). CV 1 is the exponential.
type Gamma struct{ MeanS, CV float64 }

func (g Gamma) dist(src rand.Source) distuv.Gamma {
	alpha := 1 / (g.CV * g.CV)
	return distuv.Gamma{Alpha: alpha, Beta: alpha / g.MeanS, Src: src}
}

func (g Gamma) New(src rand.Source) Rander { return g.dist(src) }
func (g Gamma) Mean() float64              { return g.MeanS }
func (g Gamma) Quantile(p float64) float64 { return g.dist(nil).Quantile(p) }
func (g Gamma) String() string             { return fmt.Sprintf("gamma(mean %v, cv %g)", Seconds(g.MeanS), g.CV) }

// Empirical is piecewise linear between given percentiles, as the Azure
// Functions traces publish execution times: P[i] in [0,100] ascending with
// P[0] = 0 and P[last] = 100; V[i] seconds, non-decreasing.
type Empirical struct{ P, V []float64 }

// NewEmpirical checks and sorts the points (percentile -> seconds).
func NewEmpirical(points map[float64]float64) (Empirical, error) {
	var e Empirical
	for p := range points {
		e.P = append(e.P, p)
	}
	sort.Float64s(e.P)
	if len(e.P) < 2 || e.P[0] != 0 || e.P[len(e.P)-1] != 100 {
		return Empirical{}, fmt.Errorf("percentiles must include 0 and 100 (got %v)", e.P)
	}
	for i, p := range e.P {
		e.V = append(e.V, points[p])
		if i > 0 && e.V[i] < e.V[i-1] {
			return Empirical{}, fmt.Errorf("values must not decrease with the percentile (p%g = %v < p%g = %v)",
				p, Seconds(e.V[i]), e.P[i-1], Seconds(e.V[i-1]))
		}
	}
	return e, nil
}

type empRander struct {
	e Empirical
	r *rand.Rand
}

func (x empRander) Rand() float64 { return x.e.Quantile(x.r.Float64()) }

func (e Empirical) New(src rand.Source) Rander { return empRander{e, rand.New(src)} }

// Quantile interpolates linearly between the two surrounding percentiles.
func (e Empirical) Quantile(p float64) float64 {
	q := p * 100
	i := sort.SearchFloat64s(e.P, q) // first P[i] >= q
	if i == 0 {
		return e.V[0]
	}
	if i >= len(e.P) {
		return e.V[len(e.V)-1]
	}
	p0, p1 := e.P[i-1], e.P[i]
	v := e.V[i-1] + (e.V[i]-e.V[i-1])*(q-p0)/(p1-p0)
	// Rounding can overshoot the segment by an ulp (8.67 + 26.33 × 1 =
	// 35.00000000000001 > 35; found by FuzzEmpirical): a draw never leaves
	// the range the percentiles give.
	return min(max(v, e.V[i-1]), e.V[i])
}

// Mean integrates the piecewise-linear quantile function: each segment
// contributes its width times the mean of its end values.
func (e Empirical) Mean() float64 {
	var m float64
	for i := 1; i < len(e.P); i++ {
		m += (e.P[i] - e.P[i-1]) / 100 * (e.V[i] + e.V[i-1]) / 2
	}
	return m
}

func (e Empirical) String() string {
	return fmt.Sprintf("empirical(p50 %v, p99 %v)", Seconds(e.Quantile(0.5)), Seconds(e.Quantile(0.99)))
}
