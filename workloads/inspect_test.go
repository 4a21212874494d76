package workloads_test

import (
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

func TestSummarize(t *testing.T) {
	// a: every 10 s for 6 h (2160 calls, 50 ms each); b: every 2 h (3
	// calls, 1 s each), so b is called less than once an hour.
	cron, _ := workloads.NewCron(nil, 2*time.Hour, 0, 0, 1)
	fns := []workloads.Function{
		{Name: "a", Exec: dist.Constant{Value: 0.05}, Weight: 1},
		{Name: "b", Exec: dist.Constant{Value: 1}, Weight: 1},
	}
	src, _ := workloads.NewPerFunction(1, []workloads.Arrivals{workloads.NewConstant(0.1), cron}, fns, 6*time.Hour)
	s, err := workloads.Summarize(src, 2)
	if err != nil {
		t.Fatal(err)
	}
	n := 2160.0 + 3
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"invocations", float64(s.Invocations), n},
		{"span h", s.Span.Hours(), 6},             // last call at 5:59:50, in minute 359
		{"mean rate", s.MeanRate, n / (6 * 3600)}, // per second
		{"peak rate", s.PeakRate, (6 + 1) / 60.0}, // minute 0: six of a and one of b
		{"peak to mean", s.PeakToMean, 7 / 60.0 / (n / 21600)},
		{"rare share", s.RareShare, 0.5}, // b: 3 calls in 6 h
		{"exec mean s", s.ExecMean, (2160*0.05 + 3*1) / n},
		{"exec max s", s.ExecMax, 1},
	} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if math.Abs(s.ExecP50-0.05) > 0.01*0.05 {
		t.Errorf("exec p50 %v, want 0.05 within 1%%", s.ExecP50)
	}
	// Poisson arrivals: gap CV 1 (SE 1/sqrt(n) = 0.0022 for 200000 gaps).
	m, _ := workloads.NewMixed(1, workloads.NewPoisson(1, 100), fns[:1], 2000*time.Second)
	p, _ := workloads.Summarize(m, 1)
	within(t, "poisson gap cv", p.GapCV, 1, 4/math.Sqrt(float64(p.Invocations)))
}
