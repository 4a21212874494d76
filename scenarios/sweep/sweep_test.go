package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// base is a small scenario for expansion tests: decoding it is quick.
const base = `name: t
duration: 1m
workload: {type: poisson, rate: 1}
functions:
  - name: f
    exec: {dist: constant, value: 10ms}
systems:
  - name: lambda
    type: faas
    cold_start: {dist: constant, value: 100ms}
    price_per_gb_second: 0.0000166667
    price_per_million_requests: 0.2
  - name: vms
    type: server
    instances: 1
    price_per_hour: 0.1
`

func prepare(t testing.TB, text string, o Options) (*Sweep, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return Open(p, o)
}

func mustPrepare(t *testing.T, text string, o Options) *Sweep {
	t.Helper()
	s, err := prepare(t, text, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// grid lists each point's params as "k=v k=v".
func pointList(s *Sweep) []string {
	var out []string
	for _, p := range s.Points {
		out = append(out, s.paramsLabel(p.Params))
	}
	return out
}

func TestGridAndZip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sweep string
		sets  []string
		want  []string
	}{
		// Every combination, the first axis (as the file writes it) slowest.
		{"grid", `  axes:
    workload.rate: [1, 2, 3]
    systems[vms].instances: {from: 1, to: 2}
`, nil, []string{
			"workload.rate=1, systems[vms].instances=1", "workload.rate=1, systems[vms].instances=2",
			"workload.rate=2, systems[vms].instances=1", "workload.rate=2, systems[vms].instances=2",
			"workload.rate=3, systems[vms].instances=1", "workload.rate=3, systems[vms].instances=2"}},
		// The file's order, not the alphabet's.
		{"file order", `  axes:
    systems[vms].instances: [1, 2]
    duration: [1m, 2m]
`, nil, []string{
			"systems[vms].instances=1, duration=1m", "systems[vms].instances=1, duration=2m",
			"systems[vms].instances=2, duration=1m", "systems[vms].instances=2, duration=2m"}},
		// Zipped axes advance together, as one digit at the first one's place.
		{"zip", `  axes:
    workload.rate: [1, 2, 3]
    systems[lambda].keep_alive: [{policy: none}, {policy: fixed, idle: 5m}]
    systems[vms].instances: [1, 2, 3]
  zip: [[workload.rate, "systems[vms].instances"]]
`, nil, []string{
			"workload.rate=1, systems[lambda].keep_alive=none, systems[vms].instances=1",
			"workload.rate=1, systems[lambda].keep_alive=fixed idle=5m, systems[vms].instances=1",
			"workload.rate=2, systems[lambda].keep_alive=none, systems[vms].instances=2",
			"workload.rate=2, systems[lambda].keep_alive=fixed idle=5m, systems[vms].instances=2",
			"workload.rate=3, systems[lambda].keep_alive=none, systems[vms].instances=3",
			"workload.rate=3, systems[lambda].keep_alive=fixed idle=5m, systems[vms].instances=3"}},
		// --set adds an axis after the file's (a comma list, a YAML list, a range).
		{"--set adds", `  axes:
    workload.rate: [1, 2]
`, []string{"systems[vms].instances=1,2", "systems[1].workers_per_instance=[4, 8]"}, func() []string {
			var out []string
			for _, r := range []int{1, 2} {
				for _, n := range []int{1, 2} {
					for _, w := range []int{4, 8} {
						out = append(out, fmt.Sprintf("workload.rate=%d, systems[vms].instances=%d, systems[1].workers_per_instance=%d", r, n, w))
					}
				}
			}
			return out
		}()},
		// --set replaces an axis in its place.
		{"--set replaces", `  axes:
    workload.rate: [1, 2]
    systems[vms].instances: [1, 2]
`, []string{"workload.rate=5,6,7"}, []string{
			"workload.rate=5, systems[vms].instances=1", "workload.rate=5, systems[vms].instances=2",
			"workload.rate=6, systems[vms].instances=1", "workload.rate=6, systems[vms].instances=2",
			"workload.rate=7, systems[vms].instances=1", "workload.rate=7, systems[vms].instances=2"}},
		// --set with one value pins an axis: gone from the grid, and from its zip.
		{"--set pins", `  axes:
    workload.rate: [1, 2]
    systems[vms].instances: [1, 2]
  zip: [[workload.rate, "systems[vms].instances"]]
`, []string{"workload.rate=9"}, []string{"systems[vms].instances=1", "systems[vms].instances=2"}},
		// No axes: one point, the base scenario.
		{"replications only", "  replications: 2\n", nil, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustPrepare(t, base+"sweep:\n"+tc.sweep, Options{Sets: tc.sets})
			got := pointList(s)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("points:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// Each point's scenario is the file with the point's values: the values
// reach the decoded systems, by name, by index and as whole sub-objects.
func TestPointsDecode(t *testing.T) {
	s := mustPrepare(t, base+`sweep:
  axes:
    systems[lambda].keep_alive: [{policy: none}, {policy: provisioned, instances: 3}]
    systems[1].instances: [2]
    functions[f].exec: [{dist: constant, value: 250ms}]
`, Options{Sets: []string{"workload.rate=7"}})
	if len(s.Points) != 2 {
		t.Fatalf("%d points, want 2", len(s.Points))
	}
	for i, p := range s.Points {
		sc := p.scenario
		ka := sc.Systems[0].FaaS.KeepAlive
		switch k := ka.(type) {
		case models.NoKeepAlive:
			if i != 0 {
				t.Errorf("point %d: keep-alive none, want provisioned", i)
			}
		case models.ProvisionedKeepAlive:
			if i != 1 || k.Instances != 3 {
				t.Errorf("point %d: %v, want provisioned(3) at point 1", i, k)
			}
		default:
			t.Errorf("point %d: keep-alive %T", i, ka)
		}
		if n := sc.Systems[1].Server.Instances; n != 2 {
			t.Errorf("point %d: vms instances %d, want 2", i, n)
		}
		if sc.Workload.Rate != 7 {
			t.Errorf("point %d: rate %g, want 7 (--set on every point)", i, sc.Workload.Rate)
		}
		if got := fmt.Sprint(sc.Functions[0].Exec); got != "constant(250ms)" {
			t.Errorf("point %d: exec %s, want constant 250ms", i, got)
		}
	}
}

func TestRanges(t *testing.T) {
	for _, tc := range []struct {
		key, spec string
		want      []any
		rounded   bool
	}{
		{"workload.rate", "{from: 1, to: 1000, steps: 4, scale: log}", []any{int64(1), int64(10), int64(100), int64(1000)}, false},
		{"workload.rate", "{from: 0.1, to: 0.3, steps: 3}", []any{0.1, 0.2, 0.3}, false},
		{"workload.rate", "{from: 0.5, to: 1.5, step: 0.25}", []any{0.5, 0.75, int64(1), 1.25, 1.5}, false},
		{"systems[vms].instances", "{from: 2, to: 5}", []any{int64(2), int64(3), int64(4), int64(5)}, false},
		{"systems[vms].instances", "{from: 1, to: 64, steps: 7, scale: log}", []any{int64(1), int64(2), int64(4), int64(8), int64(16), int64(32), int64(64)}, false},
		// 1, 2.83, 8, 22.6, 64: the key takes integers, so rounded.
		{"systems[vms].instances", "{from: 1, to: 64, steps: 5, scale: log}", []any{int64(1), int64(3), int64(8), int64(23), int64(64)}, true},
		// 1, 1.25, ... rounds to 1, 1, 2, 2, 2: duplicates go.
		{"systems[vms].instances", "{from: 1, to: 2, steps: 5}", []any{int64(1), int64(2)}, true},
		// Durations: computed in nanoseconds, 6 significant digits, written
		// as durations (60 s × 120^(k/4): 198.585 s, 657.267 s, 2175.39 s).
		{"systems[lambda].timeout", "{from: 1m, to: 2h, steps: 5, scale: log}", []any{"1m", "3m18.585s", "10m57.267s", "36m15.39s", "2h"}, false},
		{"systems[lambda].timeout", "{from: 1m, to: 2h, step: 30m}", []any{"1m", "31m", "1h1m", "1h31m"}, false},
		{"systems[lambda].timeout", "{from: 0, to: 1s, steps: 3}", []any{"0s", "500ms", "1s"}, false},
		{"systems[lambda].timeout", "{from: 100us, to: 200us, steps: 3}", []any{"100µs", "150µs", "200µs"}, false},
	} {
		s := mustPrepare(t, base+"sweep:\n  axes:\n    "+tc.key+": "+tc.spec+"\n", Options{})
		if got := s.Axes[0].Values; !reflect.DeepEqual(got, tc.want) || s.Axes[0].Rounded != tc.rounded {
			t.Errorf("%s %s: %v (rounded %v), want %v (rounded %v)", tc.key, tc.spec, got, s.Axes[0].Rounded, tc.want, tc.rounded)
		}
		if tc.rounded && !hasWarning(s.Warnings, "rounded") {
			t.Errorf("%s: no rounded warning in %v", tc.spec, s.Warnings)
		}
	}
}

func hasWarning(ws []reports.Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

// Every malformed sweep or goal is bad input (scenarios.Problems, exit 2)
// at its key path, saying what is wrong and what is allowed.
func TestMalformed(t *testing.T) {
	goal := func(body string) string { return base + "goal:\n" + body }
	sweep := func(body string) string { return base + "sweep:\n" + body }
	minGoal := "  find: min\n  vary: systems[vms].instances\n  within: {from: 1, to: 8}\n"
	for _, tc := range []struct {
		name, text string
		sets       []string
		path       string
		msg        []string
	}{
		{"sweep not a map", base + "sweep: [1]\n", nil, "sweep", []string{"want a map"}},
		{"unknown sweep key", sweep("  axis: {a: 1}\n"), nil, "sweep.axis", []string{"unknown key", "did you mean axes?"}},
		{"axes not a map", sweep("  axes: [workload.rate]\n"), nil, "sweep.axes", []string{"want a map"}},
		{"axis value scalar", sweep("  axes:\n    workload.rate: 5\n"), nil, "sweep.axes[workload.rate]", []string{"want a list of values", "or a range"}},
		{"axis empty list", sweep("  axes:\n    workload.rate: []\n"), nil, "sweep.axes[workload.rate]", []string{"at least one value"}},
		{"range without to", sweep("  axes:\n    workload.rate: {from: 1}\n"), nil, "sweep.axes[workload.rate].to", []string{"missing"}},
		{"range reversed", sweep("  axes:\n    workload.rate: {from: 9, to: 1}\n"), nil, "sweep.axes[workload.rate].to", []string{"below from"}},
		{"range steps and step", sweep("  axes:\n    workload.rate: {from: 1, to: 9, steps: 3, step: 1}\n"), nil, "sweep.axes[workload.rate].step", []string{"not both"}},
		{"range log from 0", sweep("  axes:\n    workload.rate: {from: 0, to: 9, steps: 3, scale: log}\n"), nil, "sweep.axes[workload.rate].from", []string{"want from > 0"}},
		{"range log step", sweep("  axes:\n    workload.rate: {from: 1, to: 9, step: 2, scale: log}\n"), nil, "sweep.axes[workload.rate].step", []string{"want steps with scale: log"}},
		{"range reals no steps", sweep("  axes:\n    workload.rate: {from: 0.5, to: 9}\n"), nil, "sweep.axes[workload.rate].from", []string{"want integers", "give steps"}},
		{"range bad scale", sweep("  axes:\n    workload.rate: {from: 1, to: 9, steps: 3, scale: ln}\n"), nil, "sweep.axes[workload.rate].scale", []string{"linear | log"}},
		{"range unknown key", sweep("  axes:\n    workload.rate: {from: 1, to: 9, stesp: 3}\n"), nil, "sweep.axes[workload.rate].stesp", []string{"unknown key", "did you mean step?"}},
		{"replications 0", sweep("  replications: 0\n"), nil, "sweep.replications", []string{"want an integer >= 1"}},
		{"confidence 95", sweep("  confidence: 95\n"), nil, "sweep.confidence", []string{"between 0 and 1"}},
		{"bad value at a point", sweep("  axes:\n    workload.rate: [1, -2]\n"), nil, "workload.rate", []string{"found -2", "from sweep.axes[workload.rate] value -2"}},
		{"no such system", sweep("  axes:\n    systems[db].instances: [1]\n"), nil, "systems", []string{`no element named "db"`, "names: lambda, vms"}},
		{"key misspelt", sweep("  axes:\n    systems[vms].instnces: [1]\n"), nil, "systems[1].instnces", []string{"unknown key", "from sweep.axes[systems[vms].instnces]"}},
		{"key of the other kind", sweep("  axes:\n    systems[lambda].instances: [1]\n"), nil, "systems[0].instances", []string{"key of server systems"}},
		{"zip unknown axis", sweep("  axes:\n    workload.rate: [1, 2]\n  zip: [[workload.rate, duration]]\n"), nil, "sweep.zip[0]", []string{"duration is not an axis"}},
		{"zip lengths", sweep("  axes:\n    workload.rate: [1, 2]\n    duration: [1m, 2m, 3m]\n  zip: [[workload.rate, duration]]\n"), nil, "sweep.zip[0]", []string{"3 values", "as many values"}},
		{"zip of one", sweep("  axes:\n    workload.rate: [1, 2]\n  zip: [[workload.rate]]\n"), nil, "sweep.zip[0]", []string{"two or more"}},
		{"metrics unknown", sweep("  metrics: [latency_ms.p98]\n"), nil, "sweep.metrics", []string{"latency_ms.p98 is not a metric"}},
		{"--set bad path", base, []string{"systems[vms.instances=1,2"}, "", []string{"--set", "not closed"}},
		{"--set axis bad value", base, []string{"workload.rate=1,-5"}, "workload.rate", []string{"found -5", "from --set workload.rate value -5"}},
		{"--set range bad", base, []string{"workload.rate={from: 5, to: 1}"}, "--set workload.rate.to", []string{"below from"}},
		{"find missing", goal("  vary: systems[vms].instances\n  within: {from: 1, to: 8}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.find", []string{"missing", "min | max | root | best"}},
		{"find bad", goal("  find: smallest\n  vary: systems[vms].instances\n  within: {from: 1, to: 8}\n"), nil, "goal.find", []string{"want one of"}},
		{"vary missing", goal("  find: min\n  within: {from: 1, to: 8}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.vary", []string{"missing"}},
		{"vary is an axis", base + "sweep:\n  axes:\n    systems[vms].instances: [1, 2]\ngoal:\n" + minGoal + "  subject_to: [vms.latency_ms.p99 < 1]\n", nil, "goal.vary", []string{"also a sweep axis"}},
		{"within a list for min", goal("  find: min\n  vary: systems[vms].instances\n  within: [1, 2]\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.within", []string{"want a range"}},
		{"within steps", goal("  find: min\n  vary: systems[vms].instances\n  within: {from: 1, to: 8, steps: 3}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.within.steps", []string{"picks its own values"}},
		{"within empty", goal("  find: min\n  vary: systems[vms].instances\n  within: {from: 3, to: 3}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.within.to", []string{"equals from"}},
		{"within bad end", goal("  find: min\n  vary: systems[vms].instances\n  within: {from: 0, to: 8}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "systems[1].instances", []string{"found 0", "from goal.within value 0"}},
		{"subject_to missing", goal(minGoal), nil, "goal.subject_to", []string{"missing"}},
		{"constraint unknown system", goal(minGoal + "  subject_to: [db.latency_ms.p99 < 1]\n"), nil, "goal.subject_to[0]", []string{"SYSTEM one of lambda, vms"}},
		{"constraint unknown metric", goal(minGoal + "  subject_to: [vms.latency_ms.p98 < 1]\n"), nil, "goal.subject_to[0]", []string{"unknown metric"}},
		{"constraint wrong type", goal(minGoal + "  subject_to: [vms.keep_alive.idle_gb_seconds < 1]\n"), nil, "goal.subject_to[0]", []string{"server systems do not report keep_alive.idle_gb_seconds"}},
		{"constraint not a comparison", goal(minGoal + "  subject_to: [vms.latency_ms.p99 + 1]\n"), nil, "goal.subject_to[0]", []string{"want one comparison"}},
		{"constraint syntax", goal(minGoal + "  subject_to: ['vms.latency_ms.p99 < (1']\n"), nil, "goal.subject_to[0]", []string{"column"}},
		{"expr missing", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n"), nil, "goal.expr", []string{"missing"}},
		{"expr a comparison", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n  expr: lambda.cost_usd.total < 1\n"), nil, "goal.expr", []string{"one comparison per constraint"}},
		{"expr with min", goal(minGoal + "  subject_to: [vms.latency_ms.p99 < 1]\n  expr: vms.cost_usd.total\n"), nil, "goal.expr", []string{"belongs to find: root"}},
		{"subject_to with root", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n  expr: vms.cost_usd.total\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil, "goal.subject_to", []string{"belong to find: min, max or best"}},
		{"best without strategy", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n"), nil, "goal.strategy", []string{"missing", "cost | speed | balanced"}},
		{"best both", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n  strategy: cost\n  minimize: vms.cost_usd.total\n"), nil, "goal.strategy", []string{"not both"}},
		{"best bad strategy", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n  strategy: cheap\n"), nil, "goal.strategy", []string{"cost | speed | balanced"}},
		{"best strategy two systems", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n  strategy: cost\n"), nil, "goal.system", []string{"missing", "lambda, vms"}},
		{"best unknown system", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n  strategy: cost\n  system: db\n"), nil, "goal.system", []string{`"db" is not a system`}},
		{"best bad value", goal("  find: best\n  vary: workload.rate\n  within: [1, -3]\n  strategy: cost\n  system: lambda\n"), nil, "workload.rate", []string{"found -3", "from goal.within value -3"}},
		{"balanced weight", goal("  find: best\n  vary: workload.rate\n  within: [1, 2]\n  strategy: balanced\n  system: lambda\n  balanced_weight: 2\n"), nil, "goal.balanced_weight", []string{"from 0 (speed only) to 1"}},
		{"tolerance", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n  expr: vms.cost_usd.total\n  tolerance: 5\n"), nil, "goal.tolerance", []string{"between 0 and 1"}},
		{"search", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n  expr: vms.cost_usd.total\n  search: grid\n"), nil, "goal.search", []string{"bisect | scan"}},
		// Durations (a keep-alive, a timeout) as range ends: both ends
		// durations, steps or step for an axis, and the old "-Inf" message
		// replaced by what is allowed.
		{"range end not a number", sweep("  axes:\n    workload.rate: {from: true, to: 9, steps: 3}\n"), nil, "sweep.axes[workload.rate].from",
			[]string{"want a number, or a duration like 1m or 2h for a key that takes one, found true"}},
		{"within durations mixed", goal("  find: min\n  vary: systems[lambda].keep_alive.idle\n  within: {from: 1m, to: 120}\n  subject_to: [lambda.cold_start_ratio < 1]\n"), nil,
			"goal.within.to", []string{"want a duration like 250ms, 10m or 24h", "found 120"}},
		{"within duration garbled", goal("  find: min\n  vary: systems[lambda].keep_alive.idle\n  within: {from: 1 minute, to: 2h}\n  subject_to: [lambda.cold_start_ratio < 1]\n"), nil,
			"goal.within.from", []string{"units ns, us, ms, s, m, h", `found "1 minute"`}},
		{"within durations reversed", goal("  find: min\n  vary: systems[lambda].keep_alive.idle\n  within: {from: 2h, to: 1m}\n  subject_to: [lambda.cold_start_ratio < 1]\n"), nil,
			"goal.within.to", []string{"1m is below from (2h)"}},
		{"within durations for a number", goal("  find: min\n  vary: systems[vms].instances\n  within: {from: 1m, to: 2h}\n  subject_to: [vms.latency_ms.p99 < 1]\n"), nil,
			"systems[1].instances", []string{`found "1m"`, "from goal.within value 1m"}},
		{"duration range without steps", sweep("  axes:\n    systems[lambda].timeout: {from: 1s, to: 10s}\n"), nil, "sweep.axes[systems[lambda].timeout].from",
			[]string{"1s to 10s without steps", "step: D"}},
		{"duration step a number", sweep("  axes:\n    systems[lambda].timeout: {from: 1s, to: 10s, step: 2}\n"), nil, "sweep.axes[systems[lambda].timeout].step",
			[]string{"want a duration"}},
		// Labelled values: {label: NAME, value: V} and nothing else, each
		// label once, short and printable.
		{"label extra key", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: a, policy: none}\n"), nil,
			"sweep.axes[systems[lambda].keep_alive][0].policy", []string{"{label: NAME, value: V}", "under value"}},
		{"label without value", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: a}\n"), nil,
			"sweep.axes[systems[lambda].keep_alive][0].value", []string{"missing"}},
		{"label twice", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: a, value: {policy: none}}\n      - {label: a, value: {policy: forever}}\n"), nil,
			"sweep.axes[systems[lambda].keep_alive][1].label", []string{`"a" already names sweep.axes[systems[lambda].keep_alive][0]`}},
		{"label too long", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: " + strings.Repeat("x", 41) + ", value: {policy: none}}\n"), nil,
			"sweep.axes[systems[lambda].keep_alive][0].label", []string{"41 bytes", "at most 40"}},
		{"label not a string", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: [a], value: {policy: none}}\n"), nil,
			"sweep.axes[systems[lambda].keep_alive][0].label", []string{"want a non-empty string"}},
		{"labelled bad value", sweep("  axes:\n    systems[lambda].keep_alive:\n      - {label: a, value: {policy: sometimes}}\n"), nil,
			"systems[0].keep_alive.policy", []string{"sometimes"}},
		{"unknown goal key", goal("  find: root\n  vary: workload.rate\n  within: {from: 1, to: 8}\n  expr: vms.cost_usd.total\n  tolerence: 0.1\n"), nil, "goal.tolerence", []string{"did you mean tolerance?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := prepare(t, tc.text, Options{Sets: tc.sets})
			var ps scenarios.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v; want scenarios.Problems (exit 2)", err)
			}
		next:
			for _, p := range ps {
				if p.Path != tc.path {
					continue
				}
				for _, m := range tc.msg {
					if !strings.Contains(p.Msg, m) {
						continue next
					}
				}
				return
			}
			t.Errorf("no problem at %q with %q; got:\n%v", tc.path, tc.msg, err)
		})
	}
}

// Labels name an axis's values where the table and sentences show them;
// the values themselves are what the points set and sweep.json records.
func TestLabels(t *testing.T) {
	s := mustPrepare(t, base+`sweep:
  axes:
    systems[lambda].keep_alive:
      - {label: ttl-5m, value: {policy: fixed, idle: 5m}}
      - {policy: fixed, idle: 10m}
      - {label: none, value: {policy: none}}
    workload.rate: [1, 2]
`, Options{})
	a := s.Axes[0]
	if want := []string{"ttl-5m", "fixed idle=10m", "none"}; !slices.Equal(a.Labels, want) {
		t.Errorf("labels %q, want %q", a.Labels, want)
	}
	if !reflect.DeepEqual(a.Values[0], map[string]any{"policy": "fixed", "idle": "5m"}) {
		t.Errorf("value %v: want the labelled value alone", a.Values[0])
	}
	if s.Axes[1].Labels != nil {
		t.Errorf("numbers got labels %q", s.Axes[1].Labels)
	}
	if got := s.Points[0].scenario.Systems[0].FaaS.KeepAlive.String(); !strings.Contains(got, "5m") {
		t.Errorf("point 0's keep-alive %s, want the 5m one", got)
	}
	if got := pointList(s)[4]; got != "systems[lambda].keep_alive=none, workload.rate=1" {
		t.Errorf("point 4 is %q in sentences, want it by its label", got)
	}
	// find: best over labelled values names the answer by its label.
	res := run(t, base+`goal:
  find: best
  vary: systems[lambda].memory_mb
  within: [{label: small, value: 128}, {label: large, value: 1024}]
  minimize: lambda.cost_usd.total
`, Options{})
	if fmt.Sprint(res.Goal.Answer) != "128" || !strings.Contains(res.Goal.Sentence, "= small (") ||
		!strings.Contains(res.Goal.Sentence, "runner-up large") {
		t.Errorf("answer %v: %s", res.Goal.Answer, res.Goal.Sentence)
	}
	ax := res.Axes[len(res.Axes)-1]
	if !ax.Goal || !slices.Equal(ax.Labels, []string{"small", "large"}) || fmt.Sprint(res.Goal.Within.Values) != "[128 1024]" {
		t.Errorf("goal axis %+v, within %v", ax, res.Goal.Within.Values)
	}
}
