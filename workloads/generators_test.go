package workloads_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// times reads arr's arrivals before h, checking their order.
func times(t *testing.T, arr workloads.Arrivals, h sim.Time) []sim.Time {
	t.Helper()
	var out []sim.Time
	prev := sim.Time(-1)
	for {
		at, ok := arr.Next()
		if !ok || at >= h {
			return out
		}
		if at < prev {
			t.Fatalf("arrival %d at %v before the previous one at %v", len(out), at, prev)
		}
		prev = at
		out = append(out, at)
	}
}

// gapCV is the coefficient of variation of the gaps between ts.
func gapCV(ts []sim.Time) float64 {
	var sum, sum2 float64
	for i := 1; i < len(ts); i++ {
		g := float64(ts[i] - ts[i-1])
		sum += g
		sum2 += g * g
	}
	n := float64(len(ts) - 1)
	m := sum / n
	return math.Sqrt(sum2/n-m*m) / m
}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6g, want %.6g ± %.3g", what, got, want, tol)
	} else {
		t.Logf("%s = %.6g, want %.6g ± %.3g", what, got, want, tol)
	}
}

func TestPoissonStream(t *testing.T) {
	// 100 000 s at 2/s: count Poisson(200000), SE 447; gap CV 1, SE 1/sqrt(n) = 0.0022.
	ts := times(t, workloads.NewPoissonStream(5, "a", 2), 100000*time.Second)
	n := float64(len(ts))
	within(t, "count", n, 2*100000, 4*math.Sqrt(200000))
	within(t, "gap cv", gapCV(ts), 1, 4/math.Sqrt(n))
	other := times(t, workloads.NewPoissonStream(5, "b", 2), 10*time.Second)
	if len(other) > 0 && len(ts) > 0 && other[0] == ts[0] {
		t.Error("streams a and b give the same first arrival")
	}
}

func TestMMPP(t *testing.T) {
	states := []workloads.MMPPState{{Rate: 10, MeanSojourn: 6}, {Rate: 100, MeanSojourn: 2}}
	m, err := workloads.NewMMPP(sim.Seed(3).Stream("mmpp"), states)
	if err != nil {
		t.Fatal(err)
	}
	// π = (6, 2)/8, long-run rate 0.75·10 + 0.25·100 = 32.5/s.
	want := 6.0/8*10 + 2.0/8*100
	if m.LongRunRate() != want {
		t.Fatalf("LongRunRate %v, want %v", m.LongRunRate(), want)
	}
	const T = 20000.0 // seconds
	ts := times(t, m, sim.Time(T*1e9))
	// Count variance of a 2-state MMPP over a long T (Fischer and
	// Meier-Hellstern 1993): λ̄T·I, I = 1 + 2(λ1−λ2)² r1 r2 / ((r1+r2)³ λ̄),
	// r = 1/sojourn: here I = 1 + 2·90²·(1/6)(1/2)/((2/3)³·32.5) ≈ 141,
	// SE ≈ sqrt(650000·141) ≈ 9600 (1.5%); tolerance 4 SE.
	r1, r2 := 1.0/6, 1.0/2
	I := 1 + 2*90*90*r1*r2/(math.Pow(r1+r2, 3)*want)
	within(t, "mmpp count", float64(len(ts)), want*T, 4*math.Sqrt(want*T*I))
	// Burstiness: gaps mix short (rate 100) and long (rate 10) ones, so the
	// CV is well above Poisson's 1. The SE of a CV over 650000 gaps is
	// below 0.01; we ask for > 1.2.
	if cv := gapCV(ts); cv <= 1.2 {
		t.Errorf("mmpp gap cv %.3f, want > 1.2 (bursty)", cv)
	} else {
		t.Logf("mmpp gap cv %.3f", cv)
	}

	// Three states: π_i = s_i/Σs still (uniform jumps), rate Σπλ.
	three := []workloads.MMPPState{{Rate: 0, MeanSojourn: 1}, {Rate: 20, MeanSojourn: 3}, {Rate: 60, MeanSojourn: 1}}
	m3, _ := workloads.NewMMPP(sim.Seed(4).Stream("mmpp"), three)
	want3 := (0*1 + 20*3 + 60*1) / 5.0 // 24/s
	ts3 := times(t, m3, 20000*time.Second)
	// Generous tolerance (5%): the dispersion of a 3-state MMPP has no
	// short closed form; with sojourns of seconds over 20000 s the SE is
	// about 1%.
	within(t, "3-state mmpp rate", float64(len(ts3))/20000, want3, 0.05*want3)

	for _, bad := range [][]workloads.MMPPState{nil, {{Rate: -1, MeanSojourn: 1}}, {{Rate: 1, MeanSojourn: 0}}} {
		if _, err := workloads.NewMMPP(sim.Seed(1).Stream("x"), bad); err == nil {
			t.Errorf("states %v accepted", bad)
		}
	}
}

func TestDiurnal(t *testing.T) {
	const trough, peak, peakAt, period = 5.0, 15.0, 14 * 3600.0, 86400.0
	ts := times(t, workloads.NewDiurnal(sim.Seed(9).Stream("d"), trough, peak, peakAt, period), 24*time.Hour)
	hours := make([]float64, 24)
	for _, at := range ts {
		hours[at/sim.Time(time.Hour)]++
	}
	// The expected count in hour h is ∫ λ over it:
	// mid·3600 + amp·P/(2π)·[sin(2π(b−φ)/P) − sin(2π(a−φ)/P)], a Poisson
	// count; tolerance 4 SE each (SE about 190 on 36000).
	mid, amp := (peak+trough)/2, (peak-trough)/2
	var chi2 float64
	for h := range hours {
		a, b := float64(h)*3600, float64(h+1)*3600
		want := mid*3600 + amp*period/(2*math.Pi)*(math.Sin(2*math.Pi*(b-peakAt)/period)-math.Sin(2*math.Pi*(a-peakAt)/period))
		if math.Abs(hours[h]-want) > 4*math.Sqrt(want) {
			t.Errorf("hour %d: %v arrivals, want %.0f ± %.0f", h, hours[h], want, 4*math.Sqrt(want))
		}
		chi2 += (hours[h] - want) * (hours[h] - want) / want
	}
	// χ² with 24 degrees of freedom: the 99.9th percentile is 51.2.
	if chi2 > 51.2 {
		t.Errorf("χ² of hourly counts %.1f, want < 51.2 (24 df, 0.1%%)", chi2)
	}
	t.Logf("diurnal: %d arrivals, χ² %.1f on 24 df; hour 14 %v, hour 2 %v", len(ts), chi2, hours[14], hours[2])
	if got := workloads.DiurnalRate(trough, peak, peakAt, period, peakAt); got != peak {
		t.Errorf("rate at the peak %v, want %v", got, peak)
	}
}

func TestCron(t *testing.T) {
	c, err := workloads.NewCron(nil, 5*time.Minute, 30*time.Second, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	ts := times(t, c, time.Hour)
	// Firings at 30 s, 5m30s, ..., 55m30s: 12 of them, 3 calls each.
	if len(ts) != 12*3 {
		t.Fatalf("%d calls, want 36", len(ts))
	}
	for i, at := range ts {
		if want := sim.Time(i/3)*5*time.Minute + 30*time.Second; at != want {
			t.Errorf("call %d at %v, want %v", i, at, want)
		}
	}
	// Jitter: each firing within [k·every, k·every + jitter), all calls of
	// a firing together.
	j, _ := workloads.NewCron(sim.Seed(1).Stream("cron"), time.Minute, 0, 10*time.Second, 2)
	ts = times(t, j, 24*time.Hour)
	if len(ts) != 2*1440 {
		t.Fatalf("%d jittered calls, want 2880", len(ts))
	}
	var spread float64
	for i := 0; i < len(ts); i += 2 {
		k := sim.Time(i / 2)
		if ts[i] != ts[i+1] || ts[i] < k*time.Minute || ts[i] >= k*time.Minute+10*time.Second {
			t.Fatalf("firing %d at %v, %v", k, ts[i], ts[i+1])
		}
		spread += (ts[i] - k*time.Minute).Seconds()
	}
	// Mean delay 5 s (uniform on [0, 10 s)), SE 10/sqrt(12·1440) = 0.076 s.
	within(t, "mean jitter s", spread/1440, 5, 4*10/math.Sqrt(12*1440))
	for _, bad := range []struct {
		every, jitter sim.Time
		fan           int
	}{{0, 0, 1}, {time.Second, 2 * time.Second, 1}, {time.Second, 0, 0}} {
		if _, err := workloads.NewCron(nil, bad.every, 0, bad.jitter, bad.fan); err == nil {
			t.Errorf("cron %+v accepted", bad)
		}
	}
}

func TestOnOffSpikeRamp(t *testing.T) {
	// On/off: 50/s for 10 s, silent 20 s; 3000 cycles: 500 per burst.
	ts := times(t, workloads.NewOnOff(sim.Seed(2).Stream("o"), 50, 10, 20), 3000*30*time.Second)
	for _, at := range ts {
		if at%(30*time.Second) >= 10*time.Second {
			t.Fatalf("arrival at %v falls in a silence", at)
		}
	}
	within(t, "on/off count", float64(len(ts)), 3000*500, 4*math.Sqrt(3000*500))

	// Spike: 10/s, ×20 on [1000 s, 1100 s): 10000 outside over 1000+900 s... counted apart.
	sp := times(t, workloads.NewSpike(sim.Seed(2).Stream("s"), 10, 20, 1000, 100), 2000*time.Second)
	var in, out float64
	for _, at := range sp {
		if at >= 1000*time.Second && at < 1100*time.Second {
			in++
		} else {
			out++
		}
	}
	within(t, "spike count inside", in, 10*20*100, 4*math.Sqrt(20000))
	within(t, "spike count outside", out, 10*1900, 4*math.Sqrt(19000))
	at0 := times(t, workloads.NewSpike(sim.Seed(2).Stream("s"), 10, 5, 0, 100), 100*time.Second)
	within(t, "spike at 0 count", float64(len(at0)), 10*5*100, 4*math.Sqrt(5000))

	// Ramp 0 → 100/s over 1000 s, then 100/s: ∫ = 50000 on the ramp, 100000 in the next 1000 s.
	rp := times(t, workloads.NewRamp(sim.Seed(2).Stream("r"), 0, 100, 1000), 2000*time.Second)
	var first float64
	for _, at := range rp {
		if at < 1000*time.Second {
			first++
		}
	}
	within(t, "ramp count on the ramp", first, 100*1000/2, 4*math.Sqrt(50000))
	within(t, "ramp count after", float64(len(rp))-first, 100*1000, 4*math.Sqrt(100000))
}

func TestMergeAndZipf(t *testing.T) {
	// Superposition of Poisson 30/s and 70/s is Poisson 100/s: count and CV 1.
	m := workloads.NewMerge(workloads.NewPoissonStream(1, "a", 30), workloads.NewPoissonStream(1, "b", 70))
	ts := times(t, m, 2000*time.Second)
	n := float64(len(ts))
	within(t, "merged count", n, 200000, 4*math.Sqrt(200000))
	within(t, "merged gap cv", gapCV(ts), 1, 4/math.Sqrt(n))
	// Ties: the lower-indexed part first.
	c1, _ := workloads.NewCron(nil, time.Second, 0, 0, 1)
	c2, _ := workloads.NewCron(nil, time.Second, 0, 0, 1)
	tie := workloads.NewMerge(c1, c2)
	for k := 0; k < 4; k++ {
		if _, from, _ := tie.NextFrom(); from != k%2 {
			t.Fatalf("tie %d from part %d, want %d", k, from, k%2)
		}
	}

	// Zipf shares over 10 functions, s = 1.2: share_k = k^−1.2 / Σ j^−1.2.
	const nf, s = 10, 1.2
	w := workloads.ZipfWeights(nf, s)
	fns := make([]workloads.Function, nf)
	var h float64
	for k := range fns {
		fns[k] = workloads.Function{Name: string(rune('a' + k)), MemoryMB: 128, Exec: dist.Constant{Value: 0.01}, Weight: w[k]}
		h += math.Pow(float64(k+1), -s)
	}
	src, _ := workloads.NewMixed(1, workloads.NewConstant(1000), fns, 500*time.Second) // 500000 requests
	counts := make([]float64, nf)
	var inv workloads.Invocation
	for src.Next(&inv) {
		counts[inv.Fn]++
	}
	for k, c := range counts {
		p := math.Pow(float64(k+1), -s) / h
		within(t, fmt.Sprintf("zipf share of rank %d", k+1), c/500000, p, 4*math.Sqrt(p*(1-p)/500000))
	}

	// Per-function workloads: each function gets its own process.
	pf, err := workloads.NewPerFunction(1, []workloads.Arrivals{workloads.NewConstant(2), workloads.NewConstant(5)}, fns[:2], 100*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	per := make([]int, 2)
	for pf.Next(&inv) {
		per[inv.Fn]++
	}
	if per[0] != 200 || per[1] != 500 {
		t.Errorf("per-function counts %v, want [200 500]", per)
	}
}

// TestGeneratorsDoNotAllocate: no allocation per arrival.
func TestGeneratorsDoNotAllocate(t *testing.T) {
	mm, _ := workloads.NewMMPP(sim.Seed(1).Stream("m"), []workloads.MMPPState{{Rate: 10, MeanSojourn: 1}, {Rate: 100, MeanSojourn: 1}})
	cr, _ := workloads.NewCron(sim.Seed(1).Stream("c"), time.Second, 0, time.Millisecond, 2)
	for name, a := range map[string]workloads.Arrivals{
		"mmpp":    mm,
		"onoff":   workloads.NewOnOff(sim.Seed(1).Stream("o"), 100, 1, 1),
		"spike":   workloads.NewSpike(sim.Seed(1).Stream("s"), 10, 10, 1, 1),
		"diurnal": workloads.NewDiurnal(sim.Seed(1).Stream("d"), 1, 10, 0, 100),
		"ramp":    workloads.NewRamp(sim.Seed(1).Stream("r"), 1, 10, 100),
		"cron":    cr,
		"mix":     workloads.NewMerge(workloads.NewPoissonStream(1, "a", 3), workloads.NewConstant(5)),
	} {
		if n := testing.AllocsPerRun(1000, func() { a.Next() }); n != 0 {
			t.Errorf("%s: %v allocations per arrival, want 0", name, n)
		}
	}
}
