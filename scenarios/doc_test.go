package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// docs/scenario-reference.md names every key, every registry entry and
// every default, so the reference cannot fall behind the decoder.
func TestReferenceCoversEveryKey(t *testing.T) {
	b, err := os.ReadFile("../docs/scenario-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var want []string
	for _, keys := range [][]string{topKeys, functionKeys, systemKeys, faasKeys, serverKeys, plannedWorkloads, plannedKeepAlive,
		sweepKeys, goalKeys, rangeKeys} {
		want = append(want, keys...)
	}
	for name, w := range workloadTypes {
		want = append(want, name)
		want = append(want, w.keys...)
	}
	for name, d := range distTypes {
		want = append(want, name)
		want = append(want, d.keys...)
	}
	for name, k := range keepAlivePolicies {
		want = append(want, name)
		want = append(want, k.keys...)
	}
	want = append(want, purchaseKeys...)
	want = append(want, interruptionKeys...)
	want = append(want, serverPurchaseOptions...)
	want = append(want, frontDoorKeys...)
	want = append(want, requestTierKeys...)
	want = append(want, frontDoorNames()...)
	for pricing, keys := range frontDoorPricingKeys {
		want = append(want, pricing)
		want = append(want, keys...)
	}
	for _, k := range want {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("reference does not mention `%s`", k)
		}
	}
	// Each default appears in its key's table row as `value`.
	for _, defaults := range []map[string]any{scenarioDefaults, functionDefaults, faasDefaults, serverDefaults, sweepDefaults, goalDefaults} {
		for k, v := range defaults {
			if k == "functions" || k == "exec" || k == "keep_alive" {
				continue // maps, written out in the row by hand
			}
			val := fmt.Sprint(v)
			if val == "0s" {
				val = "0" // the reference writes a zero duration as 0
			}
			row := "| `" + k + "` | `" + val + "`"
			if !strings.Contains(doc, row) {
				t.Errorf("reference row for %s does not start %q", k, row)
			}
		}
	}
}

// The report section's keys and defaults are in the reference too.
func TestReferenceCoversReport(t *testing.T) {
	b, err := os.ReadFile("../docs/scenario-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range reportKeys {
		row := "| `" + k + "` | `" + fmt.Sprint(reportDefaults[k]) + "`"
		if !strings.Contains(string(b), row) {
			t.Errorf("reference row for report.%s does not start %q", k, row)
		}
	}
}
