package reports

import (
	"math"
	"strings"
	"testing"
)

func TestNonFinite(t *testing.T) {
	r := &Results{Systems: []SystemResult{{Name: "a"}, {Name: "b", Functions: []FunctionResult{{Name: "f"}}}}}
	if bad := NonFinite(r); len(bad) != 0 {
		t.Fatalf("finite results reported: %v", bad)
	}
	r.Systems[1].CostUSD.Total = math.Inf(1)
	r.Systems[1].CostUSD.Breakdown = map[string]float64{"compute": math.Inf(1)}
	r.Systems[1].Functions[0].LatencyMS.P99 = math.NaN()
	got := strings.Join(NonFinite(r), "; ")
	for _, want := range []string{"systems[1].cost_usd.total = +Inf", "systems[1].cost_usd.breakdown.compute = +Inf", "systems[1].functions[0].latency_ms.p99 = NaN"} {
		if !strings.Contains(got, want) {
			t.Errorf("NonFinite = %q; want it to name %q", got, want)
		}
	}
}
