package sweep

import (
	"math"
	"slices"
	"testing"
)

// counting turns a state function into a prober that counts evaluations
// (each distinct value once, as the goal's cache does).
func counting(state func(x float64) int) (prober, *int) {
	seen := map[float64]bool{}
	n := 0
	return func(vals []float64) ([]int, error) {
		out := make([]int, len(vals))
		for i, v := range vals {
			if !seen[v] {
				seen[v] = true
				n++
			}
			out[i] = state(v)
		}
		return out, nil
	}, &n
}

func step(at float64, below, above int) func(float64) int {
	return func(x float64) int {
		if x < at {
			return below
		}
		return above
	}
}

func TestSearchBound(t *testing.T) {
	ints := domain{lo: 1, hi: 256, integer: true}
	reals := domain{lo: 0.1, hi: 1000, log: true, tol: 0.001}
	for _, tc := range []struct {
		name      string
		d         domain
		largest   bool
		state     func(float64) int
		ok        bool
		answer    float64 // exact for integers; for reals the threshold, answer within tol above (min) or below (max)
		neighbour float64 // integers: the failing neighbour; NaN: none (met at an end)
		maxEvals  int     // search, not brute force
		monotone  bool
	}{
		// met from 37 on: 5 probes, then bisection of (1, 64]: at most 6 more.
		{"min integers", ints, false, step(37, 0, 1), true, 37, 36, 5 + 7, true},
		// met up to 100: the largest is 100, 101 fails.
		{"max integers", ints, true, step(101, 1, 0), true, 100, 101, 5 + 7, true},
		// met everywhere: min is the lower end, with no neighbour to show.
		{"min met at lo", ints, false, func(float64) int { return 1 }, true, 1, math.NaN(), 5, true},
		{"max met at hi", ints, true, func(float64) int { return 1 }, true, 256, math.NaN(), 5, true},
		// met nowhere: no answer.
		{"min never met", ints, false, func(float64) int { return 0 }, false, 0, math.NaN(), 5, true},
		// met below 20 only (the constraint gets worse with x): min is lo.
		{"min, met only low", ints, false, step(20, 1, 0), true, 1, math.NaN(), 5, true},
		// reals on a log scale: ln(10^4)/ln(1+0.001) ≈ 9,200 widths, 14 bisections.
		{"min reals log", reals, false, step(12.345, 0, 1), true, 12.345, math.NaN(), 5 + 15, true},
		{"max reals log", reals, true, step(12.345, 1, 0), true, 12.345, math.NaN(), 5 + 15, true},
		// met only between 10 and 40: the probes (1, 65, 129, 192, 256 with
		// 1..256) straddle nothing; on 1..64 they see 0 1 1 0 0.
		{"band: not monotone", domain{lo: 1, hi: 64, integer: true}, false,
			func(x float64) int {
				if x >= 10 && x <= 40 {
					return 1
				}
				return 0
			}, true, 10, 9, 64, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, n := counting(tc.state)
			f, err := searchBound(tc.d, tc.largest, false, p)
			if err != nil {
				t.Fatal(err)
			}
			if f.ok != tc.ok || f.monotone != tc.monotone || f.scanned == tc.monotone {
				t.Fatalf("ok %v monotone %v scanned %v; want ok %v monotone %v", f.ok, f.monotone, f.scanned, tc.ok, tc.monotone)
			}
			if *n > tc.maxEvals {
				t.Errorf("%d evaluations; want at most %d", *n, tc.maxEvals)
			}
			if !tc.ok {
				return
			}
			if tc.d.integer {
				if f.answer != tc.answer {
					t.Errorf("answer %v, want %v", f.answer, tc.answer)
				}
			} else {
				// The answer meets, its neighbour fails, within the tolerance.
				nb := f.bracket[0]
				if tc.state(f.answer) != 1 || tc.state(nb) != 0 || math.Abs(f.answer-nb) > tc.d.tol*f.answer {
					t.Errorf("answer %v, neighbour %v: want a met/failed pair within %g relative", f.answer, nb, tc.d.tol)
				}
				if math.Abs(f.answer-tc.answer) > tc.d.tol*tc.answer {
					t.Errorf("answer %v, want %v within %g", f.answer, tc.answer, tc.d.tol)
				}
			}
			if math.IsNaN(tc.neighbour) {
				if f.bracketed && tc.d.integer {
					t.Errorf("neighbour %v; want none (met at the end)", f.bracket[0])
				}
			} else if !f.bracketed || f.bracket[0] != tc.neighbour || f.bracket[1] != tc.answer {
				t.Errorf("bracket %v (bracketed %v); want [%v %v]", f.bracket, f.bracketed, tc.neighbour, tc.answer)
			}
		})
	}
}

// A forced scan evaluates the scan grid even when monotone, and finds the
// same answer.
func TestSearchBoundScan(t *testing.T) {
	d := domain{lo: 1, hi: 40, integer: true}
	p, n := counting(step(23, 0, 1))
	f, err := searchBound(d, false, true, p)
	if err != nil {
		t.Fatal(err)
	}
	if !f.ok || f.answer != 23 || !f.scanned || !f.monotone || *n != 40 {
		t.Errorf("%+v after %d evaluations; want 23, scanned, monotone, all 40 values", f, *n)
	}
}

func TestSearchRoot(t *testing.T) {
	sign := func(at float64) func(float64) int {
		return func(x float64) int {
			switch {
			case x < at:
				return -1
			case x > at:
				return 1
			}
			return 0
		}
	}
	d := domain{lo: 0.1, hi: 1000, log: true, tol: 0.001}
	p, n := counting(sign(7.3))
	f, err := searchRoot(d, false, p)
	if err != nil {
		t.Fatal(err)
	}
	if !f.ok || !f.monotone || f.bracket[0] > 7.3 || f.bracket[1] < 7.3 || f.bracket[1]-f.bracket[0] > 0.001*f.bracket[1] || *n > 20 {
		t.Errorf("%+v after %d evaluations; want a bracket of 7.3 within 0.1%%, monotone, at most 20 evaluations", f, *n)
	}
	// Two sign changes (positive between 2 and 50): not monotone; the first
	// root is reported.
	p2, _ := counting(func(x float64) int {
		if x > 2 && x < 50 {
			return 1
		}
		return -1
	})
	f, err = searchRoot(domain{lo: 1, hi: 100, tol: 0.001}, false, p2)
	if err != nil {
		t.Fatal(err)
	}
	if f.monotone || !f.scanned || f.roots < 2 || !f.ok || math.Abs(f.bracket[1]-2) > 0.01 {
		t.Errorf("%+v; want not monotone, scanned, 2+ roots, the first at 2", f)
	}
	// No sign change: no root.
	p3, _ := counting(func(float64) int { return 1 })
	if f, _ := searchRoot(d, false, p3); f.ok {
		t.Errorf("%+v; want no root", f)
	}
}

func TestDomainGrid(t *testing.T) {
	for _, tc := range []struct {
		d    domain
		n    int
		want []float64
	}{
		{domain{lo: 1, hi: 4, integer: true}, 5, []float64{1, 2, 3, 4}}, // fewer integers than n: all
		{domain{lo: 1, hi: 256, integer: true}, 5, []float64{1, 65, 129, 192, 256}},
		{domain{lo: 1, hi: 10000, log: true}, 5, []float64{1, 10, 100, 1000, 10000}},
		{domain{lo: 1, hi: 64, integer: true, log: true}, 4, []float64{1, 4, 16, 64}},
	} {
		got := tc.d.grid(tc.n)
		if len(got) != len(tc.want) {
			t.Errorf("%+v grid(%d) = %v, want %v", tc.d, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%+v grid(%d) = %v, want %v", tc.d, tc.n, got, tc.want)
				break
			}
		}
	}
}

// A duration's search is over nanoseconds: its values are whole
// nanoseconds of 6 significant digits (more for a finer tolerance), and
// it stops at the tolerance, or at 1 ns when the tolerance is finer.
func TestDomainDuration(t *testing.T) {
	d := domain{lo: 60e9, hi: 7200e9, log: true, tol: 0.001, duration: true}
	if got, want := d.grid(5), []float64{60e9, 198.585e9, 657.267e9, 2175.39e9, 7200e9}; !slices.Equal(got, want) {
		t.Errorf("grid = %v, want %v", got, want)
	}
	if m := d.mid(60e9, 198.585e9); m != 109.156e9 {
		t.Errorf("mid = %v, want 109.156e9 (geometric, 6 digits)", m)
	}
	// digits(1e-9) = 11: a finer tolerance keeps more digits.
	fine := domain{lo: 1e9, hi: 2e9, tol: 1e-9, duration: true}
	if m := fine.mid(1e9, 1.000000123e9); m != math.Round(m) || m <= 1e9 || m >= 1.000000123e9 {
		t.Errorf("mid = %v: want a whole nanosecond strictly inside", m)
	}
	// Nanoseconds apart: the bracket cannot narrow, so it is closed.
	if !fine.close(5, 6) || fine.mid(5, 7) != 6 {
		t.Errorf("close(5, 6) = %v, mid(5, 7) = %v; want true, 6", fine.close(5, 6), fine.mid(5, 7))
	}
	// The search ends there, in whole nanoseconds, whatever the tolerance.
	probe := func(vals []float64) ([]int, error) {
		st := make([]int, len(vals))
		for i, v := range vals {
			if v >= 1.5e9+7 {
				st[i] = 1
			}
		}
		return st, nil
	}
	f, err := searchBound(domain{lo: 1e9, hi: 2e9, tol: 1e-15, duration: true}, false, false, probe)
	if err != nil || !f.ok || f.answer != 1.5e9+7 || f.bracket[0] != 1.5e9+6 {
		t.Errorf("%+v (%v); want the answer 1.500000007 s and 1 ns below it failing", f, err)
	}
}
