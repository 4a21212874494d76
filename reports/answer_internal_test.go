package reports

import "testing"

// TestDominance: a point dominates another only by differences the
// figures resolve: beyond the sketch's ±0.5% for a percentile, and with
// confidence intervals apart; and a failing point is never on the
// frontier, however cheap.
func TestDominance(t *testing.T) {
	pt := func(p99, plo, phi, cost, clo, chi float64, warn ...string) obs {
		return obs{completed: 1e5, warn: warn, get: func(path string) (est, bool) {
			switch path {
			case "latency_ms.p99":
				return est{p99, plo, phi}, true
			case "cost_usd.per_million_requests":
				return est{cost, clo, chi}, true
			}
			return est{}, false
		}}
	}
	dom := lowerBetter("latency_ms.p99", "cost_usd.per_million_requests")
	for _, c := range []struct {
		a, b obs
		want bool
		why  string
	}{
		{pt(100, 100, 100, 1, 1, 1), pt(200, 200, 200, 2, 2, 2), true, "better on both, exactly"},
		{pt(100, 100, 100, 1, 1, 1), pt(100.4, 100.4, 100.4, 2, 2, 2), true, "the same p99 within the sketch, cheaper"},
		{pt(100, 100, 100, 2, 2, 2), pt(100.4, 100.4, 100.4, 2, 2, 2), false, "a p99 0.4% lower is no difference"},
		{pt(100, 90, 110, 2, 2, 2), pt(105, 95, 115, 2, 2, 2), false, "intervals overlap: within the noise"},
		{pt(100, 98, 102, 2, 2, 2), pt(110, 108, 112, 2, 2, 2), true, "intervals apart"},
		{pt(100, 100, 100, 1, 1, 1), pt(90, 90, 90, 2, 2, 2), false, "cheaper but slower: a trade"},
	} {
		if got := dom(&c.a, &c.b); got != c.want {
			t.Errorf("%s: dominates = %v, want %v", c.why, got, c.want)
		}
	}
	os := []obs{pt(100, 100, 100, 0.1, 0.1, 0.1, Failing), pt(100, 100, 100, 1, 1, 1), pt(200, 200, 200, 2, 2, 2)}
	on := frontier(os, (*obs).choosable, dom)
	if on[0] || !on[1] || on[2] {
		t.Errorf("frontier %v: want only the sound cheapest (the failing one is cheaper but off it)", on)
	}
}
