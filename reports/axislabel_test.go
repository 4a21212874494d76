package reports

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestAutoLabels(t *testing.T) {
	ka := func(policy string, kv ...any) map[string]any {
		m := map[string]any{"policy": policy}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	system := func(billing string, keepAlive map[string]any) map[string]any {
		return map[string]any{"name": "api", "platform": "aws-lambda-x86", "billing_model": billing, "keep_alive": keepAlive,
			"cold_start": map[string]any{"dist": "lognormal", "median": "2s", "p99": "5s"}}
	}
	for _, tc := range []struct {
		name   string
		values []any
		want   []string
	}{
		// Numbers and strings are their own labels.
		{"scalars", []any{int64(1), 2.5, "10m"}, []string{"1", "2.5", "10m"}},
		// The policy differs, so it leads, bare; idle differs too.
		{"keep-alives", []any{ka("fixed", "idle", "5m"), ka("fixed", "idle", "10m"), ka("hybrid-histogram")},
			[]string{"fixed idle=5m", "fixed idle=10m", "hybrid-histogram"}},
		// What is the same everywhere says nothing: only idle differs.
		{"one key differs", []any{ka("fixed", "idle", "5m"), ka("fixed", "idle", "10m")}, []string{"idle=5m", "idle=10m"}},
		// Whole systems: name, platform and cold start are the same in all;
		// the nested keep-alive's leaves by their last key.
		{"systems", []any{system("per-request", ka("fixed", "idle", "10m")), system("instance-lifetime", ka("fixed", "idle", "20m")),
			system("per-request", ka("ping", "every", "5m")), system("per-request", ka("provisioned", "instances", int64(1)))},
			[]string{"billing_model=per-request fixed idle=10m", "billing_model=instance-lifetime fixed idle=20m",
				"billing_model=per-request ping every=5m", "billing_model=per-request provisioned instances=1"}},
		// Two differing leaves with one last key: each by enough of its path.
		{"same last key", []any{
			map[string]any{"exec": map[string]any{"dist": "constant", "value": "1s"}, "cold_start": map[string]any{"dist": "constant", "value": "1s"}},
			map[string]any{"exec": map[string]any{"dist": "constant", "value": "2s"}, "cold_start": map[string]any{"dist": "constant", "value": "3s"}}},
			[]string{"cold_start.value=1s exec.value=1s", "cold_start.value=3s exec.value=2s"}},
		// A key only some values have: the others would get no label, so
		// they are written whole.
		{"absent key", []any{ka("fixed", "idle", "5m"), ka("fixed")}, []string{"idle=5m", "fixed"}},
		// Equal values cannot be told apart: written whole.
		{"equal", []any{ka("fixed", "idle", "5m"), ka("fixed", "idle", "5m")}, []string{"fixed idle=5m", "fixed idle=5m"}},
		// One sub-object alone has nothing to differ from: written whole.
		{"alone", []any{ka("fixed", "idle", "5m")}, []string{"fixed idle=5m"}},
	} {
		if got := AutoLabels(tc.values); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// An axis's label is found for its value as the scenario gives it
// (int64) and as sweep.json reads it back (float64, maps).
func TestSweepAxisLabel(t *testing.T) {
	a := SweepAxis{Key: "systems[api]", Values: []any{map[string]any{"memory_mb": int64(1024)}, map[string]any{"memory_mb": int64(2048)}},
		Labels: []string{"small", "large"}}
	var back any
	if err := json.Unmarshal([]byte(`{"memory_mb": 2048}`), &back); err != nil {
		t.Fatal(err)
	}
	if got := a.Label(back); got != "large" {
		t.Errorf("Label(%v) = %q, want large", back, got)
	}
	if got := a.Label(map[string]any{"memory_mb": 512}); got != "memory_mb=512" {
		t.Errorf("a value not on the axis: %q, want it written whole", got)
	}
	plain := SweepAxis{Key: "workload.rate", Values: []any{int64(1)}}
	if got := plain.Label(int64(1)); got != "1" {
		t.Errorf("no labels: %q", got)
	}
}
