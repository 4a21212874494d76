package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// The reference names every scaling key and metric, and each autoscale
// default in its row.
func TestReferenceCoversFleetKeys(t *testing.T) {
	b, err := os.ReadFile("../docs/scenario-reference.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	want := append(append([]string{}, autoscaleKeys...), scheduleKeys...)
	want = append(want, keysOf(autoscaleMetrics)...)
	for _, k := range want {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("reference does not mention `%s`", k)
		}
	}
	for k, v := range autoscaleDefaults {
		if row := "| `" + k + "` | `" + fmt.Sprint(v) + "`"; !strings.Contains(doc, row) {
			t.Errorf("reference row for autoscale.%s does not start %q", k, row)
		}
	}
}

const fleetHead = head + "systems: [{name: s, platform: aws-ec2-m5.large, "

func TestFleetProblems(t *testing.T) {
	tests := []struct {
		name, keys, path string
		msg              []string
	}{
		// autoscale needs the boot delay of its new instances
		{"no boot", "autoscale: {target: 0.5, max: 4}", "systems[0].boot", []string{"missing", "launch"}},
		// a static fleet has no use for boot
		{"boot alone", "instances: 2, boot: {dist: constant, value: 1s}", "systems[0].boot", []string{"only used with autoscale, schedule or spot interruptions"}},
		// target and max have no default
		{"no target", "boot: {dist: constant, value: 1s}, autoscale: {max: 4}", "systems[0].autoscale.target", []string{"missing"}},
		{"no max", "boot: {dist: constant, value: 1s}, autoscale: {target: 0.5}", "systems[0].autoscale.max", []string{"missing"}},
		// utilization above 1 cannot be reached
		{"target > 1", "boot: {dist: constant, value: 1s}, autoscale: {target: 1.5, max: 4}", "systems[0].autoscale.target", []string{"(0, 1]", "1.5"}},
		{"max < min", "boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, min: 5, max: 4}", "systems[0].autoscale.max", []string{"below min 5"}},
		{"bad metric", "boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, max: 4, metric: cpu}", "systems[0].autoscale.metric", []string{"queue | utilization", `"cpu"`}},
		{"typo", "boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, max: 4, cooldown: 1s}", "systems[0].autoscale.cooldown", []string{"unknown key"}},
		{"zero interval", "boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, max: 4, interval: 0}", "systems[0].autoscale.interval", []string{"> 0"}},
		// instances is the count at time 0 and must lie in [min, max]
		{"instances > max", "instances: 9, boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, max: 4}", "systems[0].instances", []string{"outside autoscale min 1 and max 4"}},
		{"autoscale not a map", "boot: {dist: constant, value: 1s}, autoscale: 3", "systems[0].autoscale", []string{"want a map"}},
		// schedule entries: a quoted time of day in increasing order
		{"bad time", `boot: {dist: constant, value: 1s}, schedule: [{at: "25:00", instances: 1}]`, "systems[0].schedule[0].at", []string{"HH:MM", `"25:00"`}},
		{"number time", `boot: {dist: constant, value: 1s}, schedule: [{at: 8, instances: 1}]`, "systems[0].schedule[0].at", []string{"quoted"}},
		{"order", `boot: {dist: constant, value: 1s}, schedule: [{at: "08:00", instances: 1}, {at: "07:00", instances: 2}]`, "systems[0].schedule[1].at", []string{"increasing order"}},
		{"no count", `boot: {dist: constant, value: 1s}, schedule: [{at: "08:00"}]`, "systems[0].schedule[0].instances", []string{"missing"}},
		{"empty", `boot: {dist: constant, value: 1s}, schedule: []`, "systems[0].schedule", []string{"at least one"}},
		{"above max", `boot: {dist: constant, value: 1s}, autoscale: {target: 0.5, max: 4}, schedule: [{at: "08:00", instances: 5}]`, "systems[0].schedule[0].instances", []string{"above autoscale max 4"}},
		{"unknown entry key", `boot: {dist: constant, value: 1s}, schedule: [{at: "08:00", instances: 1, until: "09:00"}]`, "systems[0].schedule[0].until", []string{"unknown key"}},
		// a static fleet still needs instances
		{"static no instances", "workers_per_instance: 2", "systems[0].instances", []string{"missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, "s.yaml", fleetHead+tt.keys+"}]\n"), tt.path, tt.msg...)
		})
	}
}

// TestFleetDecode: what a scaled fleet's keys become, defaults included.
func TestFleetDecode(t *testing.T) {
	p := write(t, "s.yaml", fleetHead+`boot: {dist: constant, value: 90s},
  autoscale: {target: 0.6, max: 20, metric: queue, scale_in: false, scale_in_cooldown: 10m},
  schedule: [{at: "00:00", instances: 2}, {at: "08:30:15", instances: 6}]}]
`)
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Systems[0].Server
	want := models.Autoscale{Metric: models.MetricQueue, Target: 0.6, Min: 1, Max: 20, Interval: time.Minute,
		ScaleOutCooldown: 5 * time.Minute, ScaleInCooldown: 10 * time.Minute, ScaleIn: false}
	if c.Autoscale == nil || *c.Autoscale != want {
		t.Errorf("autoscale %+v, want %+v", c.Autoscale, want)
	}
	if c.Boot != (dist.Constant{Value: 90}) {
		t.Errorf("boot %v", c.Boot)
	}
	sched := []models.ScheduledCount{{At: 0, Instances: 2}, {At: 8*time.Hour + 30*time.Minute + 15*time.Second, Instances: 6}}
	if len(c.Schedule) != 2 || c.Schedule[0] != sched[0] || c.Schedule[1] != sched[1] {
		t.Errorf("schedule %+v, want %+v", c.Schedule, sched)
	}
	if c.Instances != 0 { // settled by the model: the floor at time 0
		t.Errorf("instances %d, want 0 (unset)", c.Instances)
	}
	if _, err := s.NewSystem(0, 1); err != nil {
		t.Errorf("NewSystem: %v", err)
	}
}
