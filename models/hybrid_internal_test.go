package models

import (
	"math/rand/v2"
	"testing"
	"time"
)

// A strictly periodic function (an idle time of 30 min every time) gives a
// one-bin histogram: pre-warm at 30 min × 0.9 = 27 min, loaded until
// 31 min × 1.1 = 34.1 min, so a keep-alive window of 7.1 min.
func TestHybridWindowsPeriodic(t *testing.T) {
	p := DefaultHybridParams()
	var h idleHistogram
	for i := 0; i < 50; i++ {
		h.add(&p, 30*time.Minute+time.Second)
	}
	pre, ka, ok := h.windows(&p)
	if !ok {
		t.Fatal("periodic histogram not representative")
	}
	head, tail := 30*time.Minute, 31*time.Minute
	wantPre := time.Duration(float64(head) * 0.9)
	wantEnd := time.Duration(float64(tail) * 1.1)
	if pre != wantPre || ka != wantEnd-wantPre {
		t.Errorf("pre-warm %v keep-alive %v, want %v and %v", pre, ka, wantPre, wantEnd-wantPre)
	}
}

// Not representative: too few samples, too many out-of-range idle times, or a
// flat histogram (idle times exponential with a 2 h mean: bin-count CV ≈ 0.6 < 2).
// Each falls back to the fixed 4 h keep-alive with no pre-warming.
func TestHybridFallbacks(t *testing.T) {
	p := DefaultHybridParams()
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		its  func(i int) time.Duration
		n    int
	}{
		{"too few samples", func(int) time.Duration { return 30 * time.Minute }, p.MinSamples - 1},
		{"mostly out of range", func(i int) time.Duration { return time.Duration(5+i%3) * time.Hour }, 100},
		{"flat (poisson, 2 h mean)", func(int) time.Duration {
			return time.Duration(r.ExpFloat64() * float64(2*time.Hour))
		}, 5000},
	}
	for _, c := range cases {
		var h idleHistogram
		for i := 0; i < c.n; i++ {
			h.add(&p, c.its(i))
		}
		if pre, ka, ok := h.windows(&p); ok || pre != 0 || ka != p.Fallback {
			t.Errorf("%s: pre-warm %v keep-alive %v ok %v; want the 4 h fallback", c.name, pre, ka, ok)
		}
	}
}

// Percentile bins: 100 idle times, 1..100 minutes plus a few seconds: the 5th
// percentile is in bin 5 (the 5th value, 5 min), the 99th in bin 99.
func TestHybridPercentileBins(t *testing.T) {
	p := DefaultHybridParams()
	var h idleHistogram
	for m := 1; m <= 100; m++ {
		h.add(&p, time.Duration(m)*time.Minute+time.Second)
	}
	if got := h.percentileBin(5); got != 5 {
		t.Errorf("5th percentile bin %d, want 5", got)
	}
	if got := h.percentileBin(99); got != 99 {
		t.Errorf("99th percentile bin %d, want 99", got)
	}
}
