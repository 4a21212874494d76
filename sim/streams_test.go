package sim_test

import (
	"testing"

	"github.com/faasim/faasim/sim"
)

func draws(s sim.Seed, name string, n int) []uint64 {
	src := s.Source(name)
	out := make([]uint64, n)
	for i := range out {
		out[i] = src.Uint64()
	}
	return out
}

func equal(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// sameAny reports whether any value appears at the same position in both.
func sameAny(a, b []uint64) bool {
	for i := range a {
		if a[i] == b[i] {
			return true
		}
	}
	return false
}

func TestSeedStreams(t *testing.T) {
	const n = 1000
	base := draws(42, "workload/arrivals", n)
	if !equal(base, draws(42, "workload/arrivals", n)) {
		t.Fatal("same seed and name gave different streams")
	}
	// Stream wraps the same source.
	r := sim.Seed(42).Stream("workload/arrivals")
	for i := 0; i < n; i++ {
		if v := r.Uint64(); v != base[i] {
			t.Fatalf("Stream draw %d = %d, Source gave %d", i, v, base[i])
		}
	}
	others := []struct {
		name string
		seed sim.Seed
		str  string
	}{
		{"other name", 42, "workload/pick"},
		{"similar name", 42, "workload/arrivalt"},
		{"prefix", 42, "workload/arrival"},
		{"empty name", 42, ""},
		{"seed+1", 43, "workload/arrivals"},
		{"seed 0", 0, "workload/arrivals"},
		{"seed high bit", 42 | 1<<63, "workload/arrivals"},
	}
	for _, o := range others {
		// Unrelated 64-bit streams agree at a position with probability 2^-64.
		if d := draws(o.seed, o.str, n); sameAny(base, d) {
			t.Errorf("%s: stream shares a value with the base stream", o.name)
		}
	}
	// Streams do not depend on which other streams were drawn before.
	s := sim.Seed(7)
	a := s.Source("exec/a")
	for i := 0; i < 100; i++ {
		a.Uint64()
	}
	if !equal(draws(7, "exec/b", 10), draws(sim.Seed(7), "exec/b", 10)) {
		t.Error("stream exec/b changed after drawing from exec/a")
	}
}
