package scenarios

import (
	"slices"
	"testing"
	"time"
)

// The grid's order is the file's: viper's map has lost it, so KeyOrder
// reads it back, in each format and each way TOML can write a table.
func TestKeyOrder(t *testing.T) {
	want := []string{"workload.rate", "systems[Lambda].memory_mb", "functions[0].exec"}
	files := map[string]string{
		"s.yaml": `sweep:
  axes:
    workload.rate: [1, 2]
    systems[Lambda].memory_mb: [128]
    functions[0].exec: [{dist: constant, value: 1s}]
`,
		"s.json": `{"sweep": {"replications": 2, "axes": {"workload.rate": [1, 2], "systems[Lambda].memory_mb": [128],
  "functions[0].exec": [{"dist": "constant", "value": "1s"}]}}}`,
		"table.toml": `[sweep.axes]
"workload.rate" = [1, 2]
"systems[Lambda].memory_mb" = [128]
"functions[0].exec" = [{dist = "constant", value = "1s"}]
`,
		"dotted.toml": `[sweep]
replications = 2
axes."workload.rate" = [1, 2]
axes."systems[Lambda].memory_mb" = [128]
axes."functions[0].exec" = [{dist = "constant", value = "1s"}]
`,
		"inline.toml": `sweep = {axes = {"workload.rate" = [1, 2], "systems[Lambda].memory_mb" = [128], "functions[0].exec" = [{dist = "constant", value = "1s"}]}}
`,
	}
	for name, text := range files {
		doc, err := readFile(write(t, name, text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := doc.KeyOrder("sweep", "axes"); !slices.Equal(got, want) {
			t.Errorf("%s: KeyOrder = %q, want %q", name, got, want)
		}
	}
}

// A sweep's points decode the same trace many times: the Document checks
// it once and shares it (the checked trace is read-only; every run opens
// its own Source).
func TestTraceReadOnce(t *testing.T) {
	doc, err := ReadDocument("azure-keepalive")
	if err != nil {
		t.Fatal(err)
	}
	a, err := doc.Decode()
	if err != nil {
		t.Fatal(err)
	}
	b, err := doc.Decode(Override{Path: "systems[keep-10m].keep_alive", Value: map[string]any{"policy": "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Workload.Trace == nil || a.Workload.Trace != b.Workload.Trace {
		t.Errorf("two decodes of one document read the trace twice (%p, %p)", a.Workload.Trace, b.Workload.Trace)
	}
	// Another sample is another trace.
	c, err := doc.Decode(Override{Path: "workload.select.sample", Value: 20})
	if err != nil {
		t.Fatal(err)
	}
	if c.Workload.Trace == a.Workload.Trace || len(c.Functions) != 20 {
		t.Errorf("a different selection shared the trace (%d functions)", len(c.Functions))
	}
}

// IsRange tells a range from a sub-object: numbers under from and to, or
// durations with steps or step, and nothing but range keys.
func TestIsRange(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want bool
	}{
		{map[string]any{"from": 1, "to": 10}, true},
		{map[string]any{"from": 0.1, "to": 100, "steps": 5, "scale": "log"}, true},
		{map[string]any{"from": "0s", "to": "1h"}, false},                            // a trace window
		{map[string]any{"from": "1m", "to": "2h", "steps": 5, "scale": "log"}, true}, // durations, with steps
		{map[string]any{"from": 0, "to": "1h", "step": "10m"}, true},
		{map[string]any{"from": "1m", "to": "2 hours", "steps": 5}, false}, // not a duration
		{map[string]any{"policy": "fixed", "idle": "5m"}, false},           // a keep-alive
		{map[string]any{"from": 1, "to": 2, "policy": "x"}, false},         // other keys
		{[]any{1, 2}, false},
	} {
		if got := IsRange(tc.v); got != tc.want {
			t.Errorf("IsRange(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

// FormatDuration writes durations as a scenario does, without Go's
// trailing zero units.
func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", time.Minute: "1m", 2 * time.Hour: "2h", 90 * time.Minute: "1h30m", time.Hour + 30*time.Second: "1h0m30s",
		1500 * time.Millisecond: "1.5s", 150 * time.Microsecond: "150µs", 198585 * time.Millisecond: "3m18.585s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(want); err != nil || back != d {
			t.Errorf("%q reads back as %v (%v), want %v", want, back, err, d)
		}
	}
}
