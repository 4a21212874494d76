package reports

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// vsys is a system result with what the verdict reads: a bill, counts and
// warnings by code.
func vsys(name string, cost float64, codes ...string) SystemResult {
	s := SystemResult{Name: name, Type: "faas", Counts: Counts{Requests: 100000, Completed: 100000}, Warnings: []Warning{}}
	s.CostUSD.Total = cost
	for _, c := range codes {
		s.Warnings = append(s.Warnings, Warning{Code: c, Message: c + " message"})
	}
	return s
}

// TestVerdictObject: the verdict's data says what its text says, for each
// way a verdict can go.
func TestVerdictObject(t *testing.T) {
	p99 := func(ms float64) func(*SystemResult) { return func(s *SystemResult) { s.LatencyMS.P99 = ms } }
	cases := []struct {
		name    string
		systems []SystemResult
		slo     []string
		tweak   map[string]func(*SystemResult)
		basis   string
		rec     string // "" for null
		recWarn []string
		qual    []string
		tied    []string
		text    string // the text starts so
	}{
		// No SLO: the failing system is cheaper but never recommended.
		{name: "sound", systems: []SystemResult{vsys("fleet", 1, Failing), vsys("lambda", 2), vsys("vms", 3)},
			basis: BasisServesLoad, rec: "lambda", qual: []string{"lambda", "vms"}, text: "lambda is the cheapest system that serves the load"},
		// A warning other than failing and saturated rides along.
		{name: "unfinished", systems: []SystemResult{vsys("a", 1, Unfinished, FewSamples), vsys("b", 2)},
			basis: BasisServesLoad, rec: "a", recWarn: []string{Unfinished}, qual: []string{"a", "b"}, text: "a (unfinished) is the cheapest"},
		// Every system fails: no recommendation.
		{name: "none sound", systems: []SystemResult{vsys("a", 1, Failing), vsys("b", 2, Saturated)},
			basis: BasisServesLoad, qual: []string{}, text: "No system serves this load"},
		// With an SLO, its verdict decides: the cheaper one misses it.
		{name: "slo", systems: []SystemResult{vsys("cheap", 1), vsys("fast", 2)}, slo: []string{"latency_ms.p99 < 500"},
			tweak: map[string]func(*SystemResult){"cheap": p99(900), "fast": p99(100)},
			basis: BasisSLO, rec: "fast", qual: []string{"fast"}, text: "fast is the only system that meets the SLO"},
		{name: "none meets", systems: []SystemResult{vsys("a", 1), vsys("b", 2)}, slo: []string{"latency_ms.p99 < 50"},
			tweak: map[string]func(*SystemResult){"a": p99(900), "b": p99(100)},
			basis: BasisSLO, qual: []string{}, text: "No system meets the SLO"},
		// Two cost exactly the same: both named, neither recommended.
		{name: "tie", systems: []SystemResult{vsys("a", 2), vsys("b", 2), vsys("c", 5)},
			basis: BasisServesLoad, qual: []string{"a", "b", "c"}, tied: []string{"a", "b"}, text: "a and b cost the same"},
		// One system alone is recommended when it qualifies.
		{name: "alone", systems: []SystemResult{vsys("only", 3)}, basis: BasisServesLoad, rec: "only", qual: []string{"only"}, text: "only: 100,000 requests"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &Results{Systems: c.systems, SimulatedSeconds: 3600}
			for i := range r.Systems {
				if f := c.tweak[r.Systems[i].Name]; f != nil {
					f(&r.Systems[i])
				}
			}
			var slo []*Expr
			for _, src := range c.slo {
				e, err := ParseConstraint(src, nil)
				if err != nil {
					t.Fatal(err)
				}
				slo = append(slo, e)
			}
			Assess(r, slo)
			v := r.Verdict
			if v == nil {
				t.Fatal("Assess set no verdict")
			}
			if v.Text != Verdict(r) {
				t.Errorf("text %q, Verdict %q", v.Text, Verdict(r))
			}
			if !strings.HasPrefix(v.Text, c.text) {
				t.Errorf("text %q, want it to start %q", v.Text, c.text)
			}
			rec := ""
			if v.Recommended != nil {
				rec = *v.Recommended
			}
			if v.Basis != c.basis || rec != c.rec || !slices.Equal(v.RecommendedWarnings, c.recWarn) ||
				!slices.Equal(v.Qualified, c.qual) || !slices.Equal(v.Tied, c.tied) {
				t.Errorf("got basis %q, recommended %q %v, qualified %v, tied %v; want %q, %q %v, %v, %v",
					v.Basis, rec, v.RecommendedWarnings, v.Qualified, v.Tied, c.basis, c.rec, c.recWarn, c.qual, c.tied)
			}
			// results.json: recommended is null, never absent, when there is none.
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Verdict map[string]any `json:"verdict"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if got, ok := doc.Verdict["recommended"]; !ok || (c.rec == "") != (got == nil) {
				t.Errorf("results.json verdict.recommended = %v (present %v), want %q", got, ok, c.rec)
			}
		})
	}
}
