package reports

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestConstraints: constraints hold or fail as the arithmetic says, with
// their margin in the metrics' units.
func TestConstraints(t *testing.T) {
	s := sys("a", 99_000, 250, 2)
	s.Rejected, s.RejectedRatio, s.TimedOutRatio = 700, 0.007, 0.002
	for _, tc := range []struct {
		src    string
		holds  bool
		margin float64
	}{
		{"latency_ms.p99 < 300", true, 50},
		{"latency_ms.p99 < 250", false, 0},    // strict: a zero margin fails
		{"latency_ms.p99 <= 250", true, 0},    // ... and holds with <=
		{"300 > latency_ms.p99", true, 50},    // either side
		{"latency_ms.p99 >= 260", false, -10}, // the margin is negative when it fails
		{"rejected_ratio + timed_out_ratio <= 0.001", false, 0.001 - 0.009},
		{"rejected / requests * 100 < 1", true, 1 - 0.7},
		{"max(latency_ms.p99, latency_ms.mean * 3) < 400", true, 400 - 375},
		{"abs(cost_usd.total - 3) <= 1", true, 0},
		{`latency_ms["p99"] < 300`, true, 50},
		{"cost_usd.breakdown.compute <= 0", true, 0}, // an item the system was not charged is 0
	} {
		e, err := ParseConstraint(tc.src, nil)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		ok, m, err := e.Holds(ForSystem(&s))
		if err != nil || ok != tc.holds || math.Abs(m-tc.margin) > 1e-12 {
			t.Errorf("%s: holds %v margin %v (%v), want %v %v", tc.src, ok, m, err, tc.holds, tc.margin)
		}
	}
}

// TestConstraintMissing: a metric the system does not have fails the
// constraint with ErrMissing naming it, never a silent 0.
func TestConstraintMissing(t *testing.T) {
	e, err := ParseConstraint("latency_ms.p99 < 300", nil)
	if err != nil {
		t.Fatal(err)
	}
	none := sys("a", 0, 0, 1)
	ok, _, err := e.Holds(ForSystem(&none))
	if ok || !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "latency_ms.p99") {
		t.Errorf("no completions: holds %v, %v", ok, err)
	}
}

// TestSystemExpressions: with system prefixes, metrics of several systems
// in one expression (a sweep goal's break-even), by name or $env["name"].
func TestSystemExpressions(t *testing.T) {
	r := &Results{Systems: []SystemResult{sys("lambda", 1e5, 100, 5), sys("fleet-peak", 1e5, 120, 3)}}
	e, err := ParseExpr(`lambda.cost_usd.total - $env["fleet-peak"].cost_usd.total`, []string{"lambda", "fleet-peak"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := e.Eval(ForResults(r)); err != nil || v != 2 {
		t.Errorf("break-even expression = %v, %v; want 2", v, err)
	}
	if got := e.Refs(); len(got) != 2 || got[1].System != "fleet-peak" || got[1].Path != "cost_usd.total" {
		t.Errorf("refs %v", got)
	}
	c, err := ParseConstraint("lambda.latency_ms.p99 < 110", []string{"lambda", "fleet-peak"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, m, err := c.Holds(ForResults(r)); !ok || m != 10 || err != nil {
		t.Errorf("holds %v %v %v", ok, m, err)
	}
}

// TestBadExpressions: every malformed expression says what is wrong.
func TestBadExpressions(t *testing.T) {
	for _, tc := range []struct {
		src     string
		systems []string
		want    string
	}{
		{"latency_ms.p98 < 300", nil, "latency_ms.p98: unknown metric; metrics under latency_ms: latency_ms.max, latency_ms.mean"},
		{"latency.p99 < 300", nil, "unknown metric; metrics: cold_start_ratio"},
		{"cost_usd.breakdown < 1", nil, "unknown metric"},
		{"latency_ms.p99", nil, "want one comparison"},
		{"latency_ms.p99 < 300 and rejected_ratio < 0.1", nil, "want one comparison"},
		{"latency_ms.p99 < rejected_ratio < 1", nil, "want one comparison"},
		{"latency_ms.p99 == 300", nil, "want one comparison"},
		{"latency_ms.p99 < ", nil, "unexpected token EOF at column"},
		{"latency_ms.p99 < 300ms", nil, "column"},
		{`latency_ms.p99 < "fast"`, nil, `"fast": want arithmetic over metrics and numbers`},
		{"len(latency_ms.p99) < 3", nil, "len(): want one of the functions abs, ceil"},
		{"1 < 2", nil, "reads no metric"},
		{"slo_met > 0", nil, "the SLO's own verdict"},
		{"vms.latency_ms.p99 < 200", []string{"lambda"}, "want SYSTEM.METRIC with SYSTEM one of lambda"},
		{"latency_ms.p99 < 200", []string{"lambda"}, "want SYSTEM.METRIC"},
		{"lambda.latency_ms.p99 ? 1 : 2", []string{"lambda"}, ""},
	} {
		var err error
		if tc.systems != nil && !strings.Contains(tc.src, "<") {
			_, err = ParseExpr(tc.src, tc.systems)
		} else {
			_, err = ParseConstraint(tc.src, tc.systems)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.src, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n |") {
			t.Errorf("%s: multi-line error %q", tc.src, err)
		}
	}
}

// TestThreshold: a constraint on one metric and a number is a line to
// draw; anything else is not.
func TestThreshold(t *testing.T) {
	for _, c := range []struct {
		src     string
		systems []string
		want    string // "SYSTEM.PATH OP N", "" for none
	}{
		{"latency_ms.p99 < 300", nil, "latency_ms.p99 < 300"},
		{"0.001 >= cold_start_ratio", nil, "cold_start_ratio <= 0.001"}, // the metric goes left
		{"vms.latency_ms.p99 <= 2e2", []string{"vms"}, "vms.latency_ms.p99 <= 200"},
		{`$env["fleet-peak"].cost_usd.total > 1`, []string{"fleet-peak"}, "fleet-peak.cost_usd.total > 1"},
		{"rejected_ratio + timed_out_ratio <= 0.001", nil, ""}, // a sum
		{"latency_ms.p99 * 2 < 300", nil, ""},                  // not the metric itself
		{"latency_ms.p99 < latency_ms.p50 * 10", nil, ""},      // metrics on both sides
	} {
		e, err := ParseConstraint(c.src, c.systems)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got := ""
		if ref, op, n, ok := e.Threshold(); ok {
			got = fmt.Sprintf("%s %s %g", ref, op, n)
		}
		if got != c.want {
			t.Errorf("%s: threshold %q, want %q", c.src, got, c.want)
		}
	}
}
