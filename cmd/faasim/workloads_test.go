package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkloadPreview: the spike's shape, tabulated without simulating (golden).
func TestWorkloadPreview(t *testing.T) {
	stdout, stderr, code := faasim(t, "workload", "preview", "spiky-api", "--interval", "5m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "preview-spiky-api.txt", []byte(stdout))
	if _, stderr, code := faasim(t, "workload", "preview", "spiky-api", "--interval", "1ns"); code != 2 || !strings.Contains(stderr, "at most 10000 intervals") {
		t.Errorf("tiny interval: exit %d, %s", code, stderr)
	}
}

// TestTraceInspect summarises the shipped 500-function Azure sample (golden).
func TestTraceInspect(t *testing.T) {
	stdout, stderr, code := faasim(t, "trace", "inspect", filepath.Join("..", "..", "scenarios", "traces", "azure2019-sample500", "invocations.csv"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "inspect-azure2019-sample500.txt", []byte(stdout))
	// 3,037,902 invocations (PROVENANCE.md) over 480 minutes.
	if !strings.Contains(stdout, "invocations    3037902 over 8h0m0s") {
		t.Errorf("inspect output:\n%s", stdout)
	}
}

// TestBadTraceExits2: a malformed trace row is bad input, named by file,
// line and column, in run, validate and inspect; with skip_bad_rows the
// run goes on and reports the exact count.
func TestBadTraceExits2(t *testing.T) {
	dir := t.TempDir()
	trace := "offset,function,duration\n0.5,a,0.1\nsoon,b,0.2\n2,a,0.3\n"
	if err := os.WriteFile(filepath.Join(dir, "calls.csv"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	scenario := func(skip bool) string {
		p := filepath.Join(dir, "s.yaml")
		s := "name: t\nduration: 1m\nworkload: {type: trace, format: csv, path: calls.csv, skip_bad_rows: " +
			map[bool]string{true: "true", false: "false"}[skip] + "}\nsystems: [{name: vm, type: server, instances: 1, price_per_hour: 0.1}]\n"
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := filepath.Join(dir, "calls.csv") + `: line 3, column 1: offset: want seconds, a number, found "soon"`
	for _, args := range [][]string{{"run", scenario(false)}, {"validate", scenario(false)}, {"trace", "inspect", filepath.Join(dir, "calls.csv")}} {
		_, stderr, code := faasim(t, args...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, code, stderr, want)
		}
	}
	stdout, stderr, code := faasim(t, "run", scenario(true), "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"skipped_rows": 1`) || !strings.Contains(stdout, `"calls": 2`) {
		t.Errorf("skip_bad_rows: exit %d, %s\n%s", code, stderr, stdout)
	}
	stdout, _, _ = faasim(t, "run", scenario(true))
	if !strings.Contains(stdout, "1 bad rows skipped") {
		t.Errorf("table footer does not report the skipped row:\n%s", stdout)
	}
	// A missing companion file is named at its key.
	os.WriteFile(filepath.Join(dir, "m.yaml"), []byte("name: t\nduration: 1m\nworkload: {type: trace, format: azure2019, path: calls.csv, durations: nope.csv}\nsystems: [{name: vm, type: server, instances: 1, price_per_hour: 0.1}]\n"), 0o644)
	if _, stderr, code := faasim(t, "validate", filepath.Join(dir, "m.yaml")); code != 2 || !strings.Contains(stderr, "workload.durations: cannot open") {
		t.Errorf("missing durations file: exit %d, %s", code, stderr)
	}
}
