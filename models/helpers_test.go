package models_test

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// collector is the tests' Observer: counts by outcome, cold starts, the sum
// of completed latencies, and (if keep) every record, in order of end time.
type collector struct {
	keep     bool
	arrived  int
	ended    int
	outcome  [3]int
	cold     int
	latSum   float64 // seconds, completed only
	records  []models.Record
	arrivals []sim.Time
}

func (c *collector) Arrived(inv *workloads.Invocation) {
	c.arrived++
	if c.keep {
		c.arrivals = append(c.arrivals, inv.At)
	}
}

func (c *collector) Ended(r *models.Record) {
	c.ended++
	c.outcome[r.Outcome]++
	if r.Cold {
		c.cold++
	}
	if r.Outcome == models.Completed {
		c.latSum += r.Latency().Seconds()
	}
	if c.keep {
		c.records = append(c.records, *r) // the model may reuse *r
	}
}

func (c *collector) completed() int { return c.outcome[models.Completed] }
func (c *collector) rejected() int  { return c.outcome[models.Rejected] }
func (c *collector) timedOut() int  { return c.outcome[models.TimedOut] }

// series maps each kept record to a value (e.g. 1 if rejected), in end order.
func (c *collector) series(f func(r *models.Record) float64) []float64 {
	xs := make([]float64, len(c.records))
	for i := range c.records {
		xs[i] = f(&c.records[i])
	}
	return xs
}

// nop is an Observer that does nothing, for benchmarks.
type nop struct{}

func (nop) Arrived(*workloads.Invocation) {}
func (nop) Ended(*models.Record)          {}

// times is an Arrivals process from a list (tests that need exact instants).
type times struct {
	at []sim.Time
	i  int
}

func (a *times) Next() (sim.Time, bool) {
	if a.i >= len(a.at) {
		return 0, false
	}
	a.i++
	return a.at[a.i-1], true
}

func secs(s ...float64) *times {
	a := &times{}
	for _, x := range s {
		a.at = append(a.at, dist.Seconds(x))
	}
	return a
}

func fn(name string, memMB int, exec dist.Spec) workloads.Function {
	return workloads.Function{Name: name, MemoryMB: memMB, Exec: exec, Weight: 1}
}

// simulate runs sys over w with arrivals arr and functions fns (seed for
// the workload streams) and returns the summary and the collector.
func simulate(t testing.TB, sys models.System, seed sim.Seed, arr workloads.Arrivals, fns []workloads.Function, w models.Window, keep bool) (models.Summary, *collector) {
	t.Helper()
	src, err := workloads.NewMixed(seed, arr, fns, w.Horizon)
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{keep: keep}
	s, err := models.Simulate(context.Background(), sys, src, w, c)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func newFaaS(t testing.TB, cfg models.FaaSConfig) *models.FaaS {
	t.Helper()
	if cfg.InstanceConcurrency == 0 {
		cfg.InstanceConcurrency = 1
	}
	f, err := models.NewFaaS(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newServer(t testing.TB, cfg models.ServerConfig) *models.Server {
	t.Helper()
	if cfg.Functions == 0 {
		cfg.Functions = 1
	}
	if cfg.WorkersPerInstance == 0 {
		cfg.WorkersPerInstance = 1
	}
	s, err := models.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// batchMeans splits xs into nb consecutive batches and returns the overall
// mean and the standard error of the mean estimated from the batch means.
// Batches much longer than the autocorrelation time make the batch means
// nearly independent, so this SE accounts for the autocorrelation of
// queueing quantities (waits, rejections) that the naive sd/sqrt(n) ignores.
func batchMeans(xs []float64, nb int) (mean, se float64) {
	size := len(xs) / nb
	bm := make([]float64, nb)
	for b := range bm {
		var s float64
		for _, x := range xs[b*size : (b+1)*size] {
			s += x
		}
		bm[b] = s / float64(size)
		mean += bm[b]
	}
	mean /= float64(nb)
	var v float64
	for _, m := range bm {
		v += (m - mean) * (m - mean)
	}
	return mean, math.Sqrt(v / float64(nb-1) / float64(nb))
}

// within fails unless |got-want| <= tol, and logs the figure either way.
// se is the measured standard error (0 if not applicable); a tolerance
// smaller than 3 measured SE means the stated tolerance no longer covers the
// noise, which is itself an error.
func within(t *testing.T, what string, got, want, tol, se float64) {
	t.Helper()
	t.Logf("%s: simulated %.6g, expected %.6g, |diff| %.3g, tolerance %.3g, SE %.3g", what, got, want, math.Abs(got-want), tol, se)
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s: simulated %.6g, expected %.6g ± %.3g", what, got, want, tol)
	}
	if se > 0 && tol < 3*se {
		t.Errorf("%s: tolerance %.3g is under 3 measured standard errors (SE %.3g)", what, tol, se)
	}
}

// erlangB is the blocking probability of M/G/c/c with offered load a
// (Erlangs), by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
func erlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// erlangC is the probability of waiting in M/M/c (a < c):
// C = c B / (c - a (1 - B)).
func erlangC(c int, a float64) float64 {
	b := erlangB(c, a)
	return float64(c) * b / (float64(c) - a*(1-b))
}

// mmcTail is P(T > t) for the M/M/c FIFO response time T = S + Wq, S ~
// Exp(mu), Wq = 0 w.p. 1-C and Exp(theta) w.p. C, theta = c mu - lambda:
// (1-C) e^{-mu t} + C (mu e^{-theta t} - theta e^{-mu t}) / (mu - theta).
func mmcTail(t float64, c int, lambda, mu float64) float64 {
	C := erlangC(c, lambda/mu)
	th := float64(c)*mu - lambda
	return (1-C)*math.Exp(-mu*t) + C*(mu*math.Exp(-th*t)-th*math.Exp(-mu*t))/(mu-th)
}

// mmcQuantile solves P(T > t) = 1-p by bisection (the tail is decreasing).
func mmcQuantile(p float64, c int, lambda, mu float64) float64 {
	lo, hi := 0.0, 1.0
	for mmcTail(hi, c, lambda, mu) > 1-p {
		hi *= 2
	}
	for i := 0; i < 200; i++ {
		m := (lo + hi) / 2
		if mmcTail(m, c, lambda, mu) > 1-p {
			lo = m
		} else {
			hi = m
		}
	}
	return (lo + hi) / 2
}

// mmcKBlocking is the blocking probability of M/M/c with k waiting places
// (c + k in the system): p_n ∝ a^n/n! for n <= c, a^c/c! (a/c)^(n-c)
// beyond; blocking is p_{c+k} (PASTA).
func mmcKBlocking(c, k int, a float64) float64 {
	p := 1.0 // unnormalised p_n, from p_0 = 1
	sum := 1.0
	for n := 1; n <= c+k; n++ {
		if n <= c {
			p *= a / float64(n)
		} else {
			p *= a / float64(c)
		}
		sum += p
	}
	return p / sum
}

// quantile is the empirical p-quantile of xs (sorted in place).
func quantile(xs []float64, p float64) float64 {
	sort.Float64s(xs)
	return xs[int(p*float64(len(xs)-1))]
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestClosedFormHelpers(t *testing.T) {
	// Published values: B(10, 8) = 0.12166; C(10, 8) = 0.40918 (tables).
	if b := erlangB(10, 8); math.Abs(b-0.121661) > 1e-6 {
		t.Errorf("B(10,8) = %v", b)
	}
	if c := erlangC(10, 8); math.Abs(c-0.409180) > 1e-6 {
		t.Errorf("C(10,8) = %v", c)
	}
	// M/M/1: P(T > t) = e^{-(mu-lambda) t}.
	if p := mmcTail(2, 1, 0.5, 1); math.Abs(p-math.Exp(-1)) > 1e-12 {
		t.Errorf("M/M/1 tail %v, want e^-1", p)
	}
	// M/M/c/0 is Erlang B.
	if b := mmcKBlocking(10, 0, 8); math.Abs(b-erlangB(10, 8)) > 1e-12 {
		t.Errorf("M/M/10/10 blocking %v, want B(10,8)", b)
	}
	// M/M/1/K: (1-ρ) ρ^N / (1-ρ^{N+1}), N = K+1.
	rho := 0.8
	if b, want := mmcKBlocking(1, 3, rho), (1-rho)*math.Pow(rho, 4)/(1-math.Pow(rho, 5)); math.Abs(b-want) > 1e-12 {
		t.Errorf("M/M/1/4 blocking %v, want %v", b, want)
	}
	if q := mmcQuantile(0.99, 1, 0.5, 1); math.Abs(q-math.Log(100)/0.5) > 1e-9 {
		t.Errorf("M/M/1 p99 %v, want ln(100)/0.5", q)
	}
}

var contextBG = context.Background()

// Cold starts under a fixed keep-alive T with Poisson arrivals (rate λ),
// constant execution e and no start-up time (docs/validation.md): an
// arrival finding k requests in service is cold exactly when, in the
// mirrored M/D/∞ queue Q of the same points, Q(y) <= Q(0) = k for all y in
// [0, T]. These helpers evaluate that characterization.

// spacedFree is H(L): the probability that a Poisson(λ) process on an
// interval of length L has no two points closer than e,
// e^{−λL} Σ_n λ^n (L − (n−1)e)^n / n! over the n with (n−1)e < L.
func spacedFree(lambda, e, L float64) float64 {
	if L <= 0 {
		return 1
	}
	sum, term := 1.0, 1.0 // n = 0
	for n := 1; float64(n-1)*e < L; n++ {
		term = math.Pow(lambda*(L-float64(n-1)*e), float64(n))
		for j := 2; j <= n; j++ {
			term /= float64(j)
		}
		sum += term
	}
	return math.Exp(-lambda*L) * sum
}

// coldGivenOne is P(cold and exactly one request in service): λe e^{−λe} ×
// E_R[e^{−λR} H(T − R)], the one in service ending at R ~ U(0, e) (no
// arrival may come before, and none two less than e apart after), by
// Simpson's rule on 2,000 intervals (error far below 1e-9 here).
func coldGivenOne(lambda, e, T float64) float64 {
	f := func(r float64) float64 {
		if r > T {
			return math.Exp(-lambda * T)
		}
		return math.Exp(-lambda*r) * spacedFree(lambda, e, T-r)
	}
	const n = 2000
	h := e / n
	s := f(0) + f(e)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(float64(i)*h)
	}
	return lambda * e * math.Exp(-lambda*e) * s * h / 3 / e
}

// coldByQueue estimates P(cold) from the characterization alone, with its
// own random numbers and no instances: n draws of the Poisson points on
// (−e, T], each cold when the mirrored queue never exceeds its start.
func coldByQueue(lambda, e, T float64, n int, seed sim.Seed) (p, se float64) {
	r := seed.Stream("test/mirrored-queue")
	type step struct {
		at float64
		d  int
	}
	var pts []float64
	var steps []step
	cold := 0
	for range n {
		pts, steps = pts[:0], steps[:0]
		for x := -e + r.ExpFloat64()/lambda; x <= T; x += r.ExpFloat64() / lambda {
			pts = append(pts, x)
		}
		k := 0
		for _, a := range pts {
			if a <= 0 {
				k++
			} else {
				steps = append(steps, step{a, 1})
			}
			if a+e <= T {
				steps = append(steps, step{a + e, -1})
			}
		}
		slices.SortFunc(steps, func(x, y step) int { return cmp.Compare(x.at, y.at) })
		q, ok := k, true
		for _, s := range steps {
			if q += s.d; q > k {
				ok = false
				break
			}
		}
		if ok {
			cold++
		}
	}
	p = float64(cold) / float64(n)
	return p, math.Sqrt(p * (1 - p) / float64(n))
}

// mmcdLost is the share of arrivals lost in M/M/c+D (Poisson arrivals λ, c
// servers of exponential rate μ, FIFO, each customer leaving after waiting
// τ), and the share that find every server busy. The virtual waiting time
// V has P(V = 0, n busy) = p_n ∝ (λ/μ)^n/n! for n < c, density
// λ p_{c−1} e^{−(cμ−λ)x} on (0, τ] (level crossing: a customer joining
// adds an Exp(cμ) wait) and f(τ) e^{−cμ(x−τ)} beyond; a customer arriving
// at V > τ is lost: P(lost) = f(τ)/(cμ).
func mmcdLost(c int, lambda, mu, tau float64) (lost, wait float64) {
	a := lambda / mu
	p, sum := 1.0, 1.0
	for n := 1; n < c; n++ {
		p *= a / float64(n)
		sum += p
	}
	k := float64(c)*mu - lambda
	body := lambda * p * tau
	if math.Abs(k) > 1e-12 {
		body = lambda * p * (1 - math.Exp(-k*tau)) / k
	}
	tail := lambda * p * math.Exp(-k*tau) / (float64(c) * mu)
	norm := sum + body + tail
	return tail / norm, (body + tail) / norm
}
