package workloads_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

func fn(name string, w float64, exec dist.Spec) workloads.Function {
	return workloads.Function{Name: name, MemoryMB: 128, Exec: exec, Weight: w}
}

// drain reads every invocation of src.
func drain(t *testing.T, src workloads.Source) []workloads.Invocation {
	t.Helper()
	var out []workloads.Invocation
	var inv workloads.Invocation
	for src.Next(&inv) {
		out = append(out, inv)
	}
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func mixed(t *testing.T, seed sim.Seed, arr workloads.Arrivals, fns []workloads.Function, h sim.Time) []workloads.Invocation {
	t.Helper()
	m, err := workloads.NewMixed(seed, arr, fns, h)
	if err != nil {
		t.Fatal(err)
	}
	return drain(t, m)
}

func TestConstantTimes(t *testing.T) {
	c := workloads.NewConstant(3)
	// k·(1e9/3) ns rounded: no drift from adding a rounded period.
	for k, want := range []sim.Time{0, 333333333, 666666667, time.Second, 1333333333} {
		if got, ok := c.Next(); !ok || got != want {
			t.Fatalf("arrival %d at %d, want %d", k, got, want)
		}
	}
	c = workloads.NewConstant(1000)
	var last sim.Time
	for k := 0; k <= 1000000; k++ {
		last, _ = c.Next()
	}
	if last != 1000*time.Second {
		t.Errorf("arrival 1e6 at rate 1000/s at %v, want exactly 1000s", last)
	}

	// Through Mixed: the horizon is exclusive; rate 10/s for 1 s is 10 requests.
	invs := mixed(t, 1, workloads.NewConstant(10), []workloads.Function{fn("f", 1, dist.Constant{Value: 0.05})}, time.Second)
	if len(invs) != 10 {
		t.Fatalf("%d invocations, want 10", len(invs))
	}
	for k, inv := range invs {
		if inv.At != sim.Time(k)*100*time.Millisecond || inv.Exec != 50*time.Millisecond || inv.Fn != 0 {
			t.Errorf("invocation %d: %+v", k, inv)
		}
	}
}

func TestPoisson(t *testing.T) {
	const (
		rate = 1000.0 // per second
		h    = 200 * time.Second
	)
	p := workloads.NewPoisson(7, rate)
	var times []sim.Time
	for {
		at, _ := p.Next()
		if at >= h {
			break
		}
		times = append(times, at)
	}
	n := float64(len(times))
	// Count in [0, 200 s): Poisson with mean 200000, SE sqrt(200000) = 447, tolerance 1789.
	if want := rate * h.Seconds(); math.Abs(n-want) > 4*math.Sqrt(want) {
		t.Errorf("%v arrivals, want %v ± %.0f", n, want, 4*math.Sqrt(want))
	}

	// Gaps: mean 1 ms (SE 1 ms/sqrt(n) = 2.2 µs) and CV 1 (for exponential
	// gaps the sample CV has SE 1/sqrt(n) = 0.0022; tolerance 0.0089).
	var sum, sum2 float64
	prev := sim.Time(0)
	for _, at := range times {
		if at < prev {
			t.Fatal("arrivals out of order")
		}
		g := float64(at - prev)
		sum += g
		sum2 += g * g
		prev = at
	}
	mean := sum / n
	sd := math.Sqrt(sum2/n - mean*mean)
	if want := 1e9 / rate; math.Abs(mean-want) > 4*want/math.Sqrt(n) {
		t.Errorf("mean gap %.1f ns, want %.1f ± %.1f", mean, want, 4*want/math.Sqrt(n))
	}
	if cv := sd / mean; math.Abs(cv-1) > 4/math.Sqrt(n) {
		t.Errorf("gap cv %.4f, want 1 ± %.4f", cv, 4/math.Sqrt(n))
	}

	// Counts in 2000 bins of 0.1 s (mean 100): index of dispersion var/mean
	// is 1 for Poisson counts; its SE is sqrt(2/(bins-1)) = 0.032, tolerance 0.13.
	// A constant process gives 0, a batch or overdispersed process > 1.
	bins := make([]float64, 2000)
	for _, at := range times {
		bins[at/(100*time.Millisecond)]++
	}
	var bm, bv float64
	for _, c := range bins {
		bm += c
	}
	bm /= float64(len(bins))
	for _, c := range bins {
		bv += (c - bm) * (c - bm)
	}
	bv /= float64(len(bins) - 1)
	if d, tol := bv/bm, 4*math.Sqrt(2.0/1999); math.Abs(d-1) > tol {
		t.Errorf("index of dispersion %.3f, want 1 ± %.3f", d, tol)
	}
}

func TestFunctionShares(t *testing.T) {
	fns := []workloads.Function{
		fn("a", 1, dist.Constant{Value: 0.01}),
		fn("b", 2, dist.Exponential{MeanS: 0.2}),
		fn("c", 7, dist.Constant{Value: 0.03}),
	}
	invs := mixed(t, 3, workloads.NewConstant(1000), fns, 200*time.Second) // 200000 requests
	n := float64(len(invs))
	if n != 200000 {
		t.Fatalf("%v invocations, want 200000", n)
	}
	count := make([]float64, 3)
	var bexec float64
	for _, inv := range invs {
		count[inv.Fn]++
		switch inv.Fn {
		case 0:
			if inv.Exec != 10*time.Millisecond {
				t.Fatalf("function a exec %v, want 10ms", inv.Exec)
			}
		case 1:
			bexec += inv.Exec.Seconds()
		case 2:
			if inv.Exec != 30*time.Millisecond {
				t.Fatalf("function c exec %v, want 30ms", inv.Exec)
			}
		}
	}
	// Shares 0.1, 0.2, 0.7; binomial SE sqrt(p(1-p)/n) = 6.7e-4, 8.9e-4, 1.0e-3.
	for i, p := range []float64{0.1, 0.2, 0.7} {
		se := math.Sqrt(p * (1 - p) / n)
		if got := count[i] / n; math.Abs(got-p) > 4*se {
			t.Errorf("function %s share %.4f, want %g ± %.4f", fns[i].Name, got, p, 4*se)
		}
	}
	// Function b draws from its own spec: mean 0.2 s, SE 0.2/sqrt(40000) = 1 ms.
	if m := bexec / count[1]; math.Abs(m-0.2) > 4*0.2/math.Sqrt(count[1]) {
		t.Errorf("function b mean exec %.4f s, want 0.2", m)
	}
}

func TestMixedErrors(t *testing.T) {
	if _, err := workloads.NewMixed(1, workloads.NewConstant(1), nil, time.Second); err == nil {
		t.Error("no functions accepted")
	}
	for _, w := range []float64{0, -1, math.NaN()} {
		if _, err := workloads.NewMixed(1, workloads.NewConstant(1), []workloads.Function{fn("f", w, dist.Constant{})}, time.Second); err == nil {
			t.Errorf("weight %v accepted", w)
		}
	}
}

// TestCommonRandomNumbers: one seed gives identical invocations to every
// Source built from it, and each named stream is unaffected by the others.
func TestCommonRandomNumbers(t *testing.T) {
	fns := []workloads.Function{
		fn("a", 1, dist.LogNormalMedianP99(0.08, 0.4)),
		fn("b", 3, dist.Exponential{MeanS: 0.1}),
	}
	build := func(seed sim.Seed, fns []workloads.Function) []workloads.Invocation {
		return mixed(t, seed, workloads.NewPoisson(seed, 100), fns, 100*time.Second)
	}
	x, y := build(11, fns), build(11, fns)
	if len(x) != len(y) || len(x) < 9000 {
		t.Fatalf("lengths %d and %d", len(x), len(y))
	}
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("invocation %d differs: %+v vs %+v", i, x[i], y[i])
		}
	}
	// Two sources from one seed, read interleaved (as two systems would).
	m1, _ := workloads.NewMixed(11, workloads.NewPoisson(11, 100), fns, 100*time.Second)
	m2, _ := workloads.NewMixed(11, workloads.NewPoisson(11, 100), fns, 100*time.Second)
	var a, b workloads.Invocation
	for i := 0; m1.Next(&a); i++ {
		if !m2.Next(&b) || a != b {
			t.Fatalf("interleaved invocation %d: %+v vs %+v", i, a, b)
		}
	}
	if m2.Next(&b) {
		t.Error("second source longer")
	}

	// A different seed gives different arrivals.
	z := build(12, fns)
	if len(z) > 0 && z[0].At == x[0].At {
		t.Error("seeds 11 and 12 give the same first arrival")
	}

	// Adding a function changes nothing but the picks: same arrival times,
	// and function a's k-th execution time is the same draw.
	w := build(11, append(fns[:2:2], fn("c", 2, dist.Constant{Value: 1})))
	if len(w) != len(x) {
		t.Fatalf("%d invocations with a third function, %d without", len(w), len(x))
	}
	var ax, aw []sim.Time
	for i := range x {
		if x[i].At != w[i].At {
			t.Fatalf("arrival %d moved from %v to %v when a function was added", i, x[i].At, w[i].At)
		}
		if x[i].Fn == 0 {
			ax = append(ax, x[i].Exec)
		}
		if w[i].Fn == 0 {
			aw = append(aw, w[i].Exec)
		}
	}
	for k := 0; k < min(len(ax), len(aw)); k++ {
		if ax[k] != aw[k] {
			t.Fatalf("function a's execution %d changed from %v to %v", k, ax[k], aw[k])
		}
	}
}
