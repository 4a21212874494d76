package dist_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

func TestSeconds(t *testing.T) {
	tests := []struct {
		s    float64
		want time.Duration
	}{
		{0, 0},
		{-1, 0},                             // negatives clamp to 0
		{1, time.Second},                    // exact
		{0.1234, 123400 * time.Microsecond}, // 0.1234*1e9 is 123400000.00000001: rounds, not truncates
		{1.4e-9, 1},                         // rounds down below half a nanosecond
		{1.5e-9, 2},                         // half rounds up
		{0.999999999, 999999999},            // representable just below 1 s
		{2.0000000004, 2 * time.Second},     // sub-ns excess drops
		{2.0000000006, 2*time.Second + 1},
		{3600, time.Hour},
	}
	for _, tt := range tests {
		if got := dist.Seconds(tt.s); got != tt.want {
			t.Errorf("Seconds(%v) = %v (%d ns), want %v", tt.s, got, int64(got), tt.want)
		}
	}
}

// sample draws n values of spec from a fixed stream.
func sample(spec dist.Spec, n int) []float64 {
	r := spec.New(sim.Seed(2024).Source("test"))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = r.Rand()
	}
	return xs
}

func meanSD(xs []float64) (m, sd float64) {
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

// fracBelow is the share of xs at or below q.
func fracBelow(xs []float64, q float64) float64 {
	k := 0
	for _, x := range xs {
		if x <= q {
			k++
		}
	}
	return float64(k) / float64(len(xs))
}

// checkQuantiles checks that the share of draws at or below Quantile(p) is
// p, within 4 binomial standard errors sqrt(p(1-p)/n) (n = 400k: SE 7.9e-4
// at p = 0.5, 1.6e-4 at p = 0.99). This tests Quantile and Rand against each
// other without estimating a density.
func checkQuantiles(t *testing.T, spec dist.Spec, xs []float64, ps ...float64) {
	t.Helper()
	n := float64(len(xs))
	for _, p := range ps {
		q := spec.Quantile(p)
		got := fracBelow(xs, q)
		se := math.Sqrt(p * (1 - p) / n)
		if math.Abs(got-p) > 4*se {
			t.Errorf("%v: share <= Quantile(%g) = %v is %.5f, want %g ± %.5f (4 SE)", spec, p, q, got, p, 4*se)
		}
	}
}

// checkMean checks the sample mean against Mean() within 4 SE = 4 sd/sqrt(n),
// sd being the distribution's true standard deviation.
func checkMean(t *testing.T, spec dist.Spec, xs []float64, sd float64) {
	t.Helper()
	m, _ := meanSD(xs)
	se := sd / math.Sqrt(float64(len(xs)))
	if math.Abs(m-spec.Mean()) > 4*se {
		t.Errorf("%v: sample mean %.6g, want Mean() %.6g ± %.3g (4 SE)", spec, m, spec.Mean(), 4*se)
	}
}

const n = 400000

func TestConstant(t *testing.T) {
	c := dist.Constant{Value: 0.1234}
	r := c.New(nil) // a constant needs no source
	for i := 0; i < 10; i++ {
		if r.Rand() != 0.1234 {
			t.Fatal("constant varies")
		}
	}
	if c.Mean() != 0.1234 || c.Quantile(0) != 0.1234 || c.Quantile(0.99) != 0.1234 {
		t.Error("constant mean or quantile is not the value")
	}
}

func TestExponential(t *testing.T) {
	e := dist.Exponential{MeanS: 0.2}
	// Closed forms: Quantile(p) = -m ln(1-p).
	if q := e.Quantile(0.5); math.Abs(q-0.2*math.Ln2) > 1e-15 {
		t.Errorf("median %v, want %v", q, 0.2*math.Ln2)
	}
	xs := sample(e, n)
	// n = 400k, sd = mean = 0.2 s: SE 3.2e-4 s, tolerance 1.3e-3 s.
	checkMean(t, e, xs, 0.2)
	checkQuantiles(t, e, xs, 0.1, 0.5, 0.9, 0.99)
}

func TestLogNormalMedianP99(t *testing.T) {
	l := dist.LogNormalMedianP99(0.08, 0.4)
	// Construction: median exp(mu) and p99 exp(mu + z99 sigma) are the inputs.
	if q := l.Quantile(0.5); math.Abs(q-0.08) > 1e-12 {
		t.Errorf("median %v, want 0.08", q)
	}
	if q := l.Quantile(0.99); math.Abs(q-0.4) > 1e-9 {
		t.Errorf("p99 %v, want 0.4", q)
	}
	// sigma = ln 5 / 2.3263 = 0.69183; mean = 0.08 exp(sigma²/2) = 0.10161 s.
	if math.Abs(l.Sigma-math.Log(5)/2.3263478740408408) > 1e-15 {
		t.Errorf("sigma %v", l.Sigma)
	}
	if m := 0.08 * math.Exp(l.Sigma*l.Sigma/2); math.Abs(l.Mean()-m) > 1e-15 {
		t.Errorf("Mean %v, want %v", l.Mean(), m)
	}
	xs := sample(l, n)
	// sd = mean sqrt(exp(sigma²)-1) = 0.0798 s; n = 400k: SE 1.3e-4 s (0.12%), tolerance 0.5%.
	sd := l.Mean() * math.Sqrt(math.Exp(l.Sigma*l.Sigma)-1)
	checkMean(t, l, xs, sd)
	checkQuantiles(t, l, xs, 0.5, 0.9, 0.99)
}

func TestGamma(t *testing.T) {
	for _, g := range []dist.Gamma{
		{MeanS: 0.3, CV: 0.5}, // shape 4
		{MeanS: 0.3, CV: 1},   // the exponential
		{MeanS: 0.3, CV: 2},   // shape 1/4: heavy right tail, most mass near 0
	} {
		xs := sample(g, n)
		sd := g.CV * g.MeanS
		checkMean(t, g, xs, sd)
		checkQuantiles(t, g, xs, 0.5, 0.99)
		if g.CV == 1 {
			if q := g.Quantile(0.9); math.Abs(q-(-0.3*math.Log(0.1))) > 1e-9 {
				t.Errorf("gamma cv 1 p90 %v, want exponential's %v", q, -0.3*math.Log(0.1))
			}
		}
		// Sample CV: for shape k the delta method gives Var(CV^) = (k+1)/(2k² n)
		// (k = 4: SE 6.2e-4; k = 1: 1.6e-3; k = 1/4: 5.0e-3 at n = 400k).
		k := 1 / (g.CV * g.CV)
		m, s := meanSD(xs)
		se := math.Sqrt((k + 1) / (2 * k * k * n))
		if cv := s / m; math.Abs(cv-g.CV) > 4*se {
			t.Errorf("%v: sample cv %.4f, want %g ± %.4f", g, cv, g.CV, 4*se)
		}
	}
}

func TestEmpirical(t *testing.T) {
	e, err := dist.NewEmpirical(map[float64]float64{0: 0.01, 50: 0.05, 90: 0.2, 99: 1.0, 100: 3.0})
	if err != nil {
		t.Fatal(err)
	}
	// Piecewise-linear quantiles, by hand.
	for _, tt := range []struct{ p, want float64 }{
		{0, 0.01},
		{0.25, 0.03}, // halfway from 0.01 to 0.05
		{0.5, 0.05},  // a breakpoint
		{0.7, 0.125}, // 0.05 + (0.2-0.05)·20/40
		{0.9, 0.2},   //
		{0.945, 0.6}, // 0.2 + 0.8·4.5/9
		{0.995, 2.0}, // 1 + 2·0.5
		{1, 3.0},     //
	} {
		if got := e.Quantile(tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Quantile(%g) = %v, want %v", tt.p, got, tt.want)
		}
	}
	// Mean: Σ width × mean of the segment's ends
	// = 0.5·0.03 + 0.4·0.125 + 0.09·0.6 + 0.01·2 = 0.015 + 0.05 + 0.054 + 0.02 = 0.139 s.
	if math.Abs(e.Mean()-0.139) > 1e-12 {
		t.Errorf("Mean %v, want 0.139", e.Mean())
	}
	// E[X²] = Σ width (a² + ab + b²)/3 over the segments; sd for the SE.
	var ex2 float64
	for i := 1; i < len(e.P); i++ {
		a, b := e.V[i-1], e.V[i]
		ex2 += (e.P[i] - e.P[i-1]) / 100 * (a*a + a*b + b*b) / 3
	}
	sd := math.Sqrt(ex2 - 0.139*0.139) // 0.2588 s; n = 400k: SE 4.1e-4 s, tolerance 1.6e-3 s
	xs := sample(e, n)
	checkMean(t, e, xs, sd)
	checkQuantiles(t, e, xs, 0.25, 0.7, 0.945, 0.995)

	for _, bad := range []map[float64]float64{
		{50: 1, 100: 2},       // no 0
		{0: 1, 50: 2},         // no 100
		{0: 1},                // one point
		{0: 1, 50: 3, 100: 2}, // decreasing
	} {
		if _, err := dist.NewEmpirical(bad); err == nil {
			t.Errorf("NewEmpirical(%v) accepted", bad)
		}
	}
}

// TestStreamsReproducible: the same Spec bound to the same named stream gives
// the same draws; a different stream gives different ones.
func TestStreamsReproducible(t *testing.T) {
	l := dist.LogNormalMedianP99(0.08, 0.4)
	a := l.New(sim.Seed(1).Source("exec/f"))
	b := l.New(sim.Seed(1).Source("exec/f"))
	c := l.New(sim.Seed(1).Source("exec/g"))
	same := 0
	for i := 0; i < 1000; i++ {
		x, y, z := a.Rand(), b.Rand(), c.Rand()
		if x != y {
			t.Fatalf("draw %d: %v != %v from the same stream", i, x, y)
		}
		if x == z {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 1000 draws equal across different streams", same)
	}
}

// sigma 0 is allowed ({dist: lognormal, mu: -2, sigma: 0}), and a p99 a
// hair above the median rounds to it (the fuzzer's median 2m28.413159103s):
// a point mass whose every quantile, 0 and 1 included, is exp(mu), not
// gonum's exp(mu + 0*±Inf) = NaN.
func TestLogNormalPointMass(t *testing.T) {
	l := dist.LogNormal{Mu: math.Log(148.413159103), Sigma: 0}
	for _, p := range []float64{0, 0.5, 0.99, 1} {
		if q := l.Quantile(p); q != math.Exp(l.Mu) {
			t.Errorf("quantile(%g) = %v, want %v", p, q, math.Exp(l.Mu))
		}
	}
}
