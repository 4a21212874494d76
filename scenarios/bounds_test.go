package scenarios

import (
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// boundOf matches the last parts of a path, indices dropped, longest first.
func TestBoundOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		max  float64 // 0: no bound
	}{
		{"systems[0].autoscale.max", 1e6},    // "autoscale.max"
		{"systems[3].instances", 1e6},        // "instances"
		{"workload.components[1].rate", 1e9}, // "rate" inside a mix
		{"functions[0].exec.percentiles[99.9]", 0},
		{"systems[0].max", 0}, // "max" alone is not a bound
	} {
		b, ok := boundOf(numBounds, tc.path)
		if ok != (tc.max > 0) || b.max != tc.max {
			t.Errorf("boundOf(%q) = %v, %v; want max %g", tc.path, b, ok, tc.max)
		}
	}
}

// docs/semantics.md's table of bounds names every bounded key with its
// maximum, so the page cannot drift from the code.
func TestBoundsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/semantics.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## Bounds and resource guards")
	if start < 0 {
		t.Fatal("docs/semantics.md has no section \"Bounds and resource guards\"")
	}
	doc = doc[start:]
	rows := map[string]float64{} // key pattern -> documented maximum
	keyRe := regexp.MustCompile("`([a-z_.*]+)`")
	for _, line := range strings.Split(doc, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		max, err := strconv.ParseFloat(strings.TrimSpace(cells[2]), 64)
		if err != nil {
			continue
		}
		for _, m := range keyRe.FindAllStringSubmatch(cells[1], -1) {
			rows[m[1]] = max
		}
	}
	for key, bd := range numBounds {
		found := false
		for pat, max := range rows {
			if ok, _ := path.Match(pat, key); ok {
				found = true
				if max != bd.max {
					t.Errorf("%s: documented at most %g, the code says %g", key, max, bd.max)
				}
			}
		}
		if !found {
			t.Errorf("%s (at most %g) is not in docs/semantics.md's table of bounds", key, bd.max)
		}
	}
	for _, s := range []string{"4 MB", "32", "10,000 keys", "10 years", "50 years", "--max-events", "--max-memory", "override_limits"} {
		if !strings.Contains(doc, s) {
			t.Errorf("the bounds section does not mention %q", s)
		}
	}
}
