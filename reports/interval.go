package reports

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is one figure over the replications of a sweep point: the mean
// and a two-sided Student-t confidence interval,
//
//	mean ± t_{(1+c)/2, n-1} · s / √n
//
// with s the sample standard deviation (n-1 denominator) of the values of
// the n replications. The t interval assumes the replications' values are
// independent and roughly normal: each is a whole run's figure (a mean, a
// ratio or a quantile over thousands of requests), which the central limit
// theorem makes so; docs/sweeps.md shows its measured coverage.
type Estimate struct {
	Mean float64 `json:"mean"`
	// CILow and CIHigh are absent with a single replication: one run says
	// nothing about its own noise.
	CILow  *float64 `json:"ci_low,omitempty"`
	CIHigh *float64 `json:"ci_high,omitempty"`
	N      int      `json:"n"`
	// Values are the replications' own figures, in replication order: what
	// the interval was computed from, and what merging shards needs to
	// reproduce it exactly.
	Values []float64 `json:"values,omitempty"`
	// Missing are the replications (from 0) whose run lacks the figure
	// (latencies when nothing completed); Values are the others', in order.
	Missing []int `json:"missing,omitempty"`
}

// At is replication r's value, false where its run lacks the figure.
func (e Estimate) At(r int) (float64, bool) {
	i := r
	for _, m := range e.Missing {
		switch {
		case m == r:
			return 0, false
		case m < r:
			i--
		}
	}
	if i < 0 || i >= len(e.Values) {
		return 0, false
	}
	return e.Values[i], true
}

// NewEstimate summarises values (one per replication) at confidence c
// (0.95 for 95%). Mean and bounds keep 9 significant digits, as results.json.
func NewEstimate(values []float64, c float64) Estimate {
	e := Estimate{N: len(values), Values: values}
	if len(values) == 0 {
		return e
	}
	mean := stat.Mean(values, nil)
	e.Mean = sig(mean)
	if len(values) < 2 {
		return e
	}
	h := HalfWidth(values, c)
	lo, hi := sig(mean-h), sig(mean+h)
	e.CILow, e.CIHigh = &lo, &hi
	return e
}

// HalfWidth is the half-width of the Student-t interval of the mean of
// values at confidence c; 0 for fewer than two values or no spread.
func HalfWidth(values []float64, c float64) float64 {
	n := float64(len(values))
	if n < 2 {
		return 0
	}
	sd := stat.StdDev(values, nil)
	if sd == 0 || math.IsNaN(sd) {
		return 0
	}
	return StudentT(len(values), c) * sd / math.Sqrt(n)
}

// StudentT is the two-sided factor t_{(1+c)/2, n-1} of an interval of the
// mean of n values at confidence c (2.776 for n = 5 at 95%).
func StudentT(n int, c float64) float64 {
	// Quantile draws nothing: the distribution needs no random source.
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-c)/2)
}

// Interval is the estimate's bounds, or the mean twice with one value.
func (e Estimate) Interval() (lo, hi float64) {
	if e.CILow == nil || e.CIHigh == nil {
		return e.Mean, e.Mean
	}
	return *e.CILow, *e.CIHigh
}

// HasInterval reports whether there is an interval (two or more values).
func (e Estimate) HasInterval() bool { return e.CILow != nil }

// Summary is e without its values, for evidence that cites a figure.
func (e Estimate) Summary() Estimate {
	e.Values, e.Missing = nil, nil
	return e
}
