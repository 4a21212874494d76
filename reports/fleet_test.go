package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/faasim/faasim/models"
)

// TestFleetKeys: a scaled fleet's figures appear under instances (and as
// table rows) with the contract keys beside them; a system without them
// (FaaS, static fleet) has neither.
func TestFleetKeys(t *testing.T) {
	a := NewAccumulator(1)
	fs := &models.FleetStats{BilledSeconds: 7200, IdleSeconds: 1800.5, BootSeconds: 90, ScaleOuts: 3, ScaleIns: 1, Launched: 5, Terminated: 2}
	res := &Results{Scenario: "x", Seed: 1, SimulatedSeconds: 3600, Version: Version, Systems: []SystemResult{
		a.Result(SystemInfo{Name: "scaled", Type: "server"}, models.Summary{Instances: models.InstanceStats{Mean: 2, Fleet: fs}}),
		a.Result(SystemInfo{Name: "static", Type: "server"}, models.Summary{Instances: models.InstanceStats{Mean: 2}}),
	}}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Systems []struct {
			Instances map[string]any `json:"instances"`
		} `json:"systems"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"mean": 2, "billed_seconds": 7200, "idle_seconds": 1800.5, "boot_seconds": 90,
		"scale_outs": 3, "scale_ins": 1, "launched": 5, "terminated": 2}
	for k, v := range want {
		if got, ok := doc.Systems[0].Instances[k]; !ok || got != v {
			t.Errorf("scaled instances.%s = %v, want %v", k, got, v)
		}
	}
	if n := len(doc.Systems[1].Instances); n != 4 {
		t.Errorf("static instances has %d keys (%v), want the 4 of the contract", n, doc.Systems[1].Instances)
	}
	var tb bytes.Buffer
	if err := WriteTable(&tb, res); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"instance-hours billed", "instance-hours idle", "scale-outs", "scale-ins"} {
		if !strings.Contains(tb.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, tb.String())
		}
	}
}
