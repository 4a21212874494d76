package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
)

func TestParseSet(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		path string
		val  any
	}{
		{"workload.rate=50", "workload.rate", 50},                               // a YAML int
		{"workload.rate=2.5", "workload.rate", 2.5},                             // a float
		{"duration=2h", "duration", "2h"},                                       // a string
		{"systems[lambda].bill_init=false", "systems[lambda].bill_init", false}, // a bool, a system by name
		{"systems[0].max_concurrency=null", "systems[0].max_concurrency", nil},  // null removes the key
		{"name=a=b", "name", "a=b"},                                             // only the first '=' splits
		{"systems[lambda].keep_alive={policy: fixed, idle: 5m}", "systems[lambda].keep_alive",
			map[string]any{"policy": "fixed", "idle": "5m"}}, // a flow map
		{"Functions[0].Exec={Dist: constant, Value: 1s}", "Functions[0].Exec",
			map[string]any{"dist": "constant", "value": "1s"}}, // keys lowercased as a file's are
		{"systems[api.v2].timeout=3s", "systems[api.v2].timeout", "3s"}, // a dot inside brackets is part of the name
		{"x=[1, 2]", "x", []any{1, 2}},
	} {
		ov, err := ParseSet(tc.arg)
		if err != nil {
			t.Errorf("ParseSet(%q): %v", tc.arg, err)
			continue
		}
		if ov.Path != tc.path || !reflect.DeepEqual(ov.Value, tc.val) || ov.Origin != "--set "+tc.arg {
			t.Errorf("ParseSet(%q) = %#v, want path %q value %#v", tc.arg, ov, tc.path, tc.val)
		}
	}
	for _, tc := range []struct{ arg, want string }{
		{"workload.rate", "want KEY=VALUE"},          // no '='
		{"=5", "want KEY=VALUE"},                     // no key
		{"workload.rate=", "no value"},               // no value
		{"workload..rate=1", "empty key"},            // two dots
		{"workload.=1", "empty key"},                 // trailing dot
		{"systems[lambda.memory_mb=1", "not closed"}, // unclosed bracket
		{"systems[].x=1", "empty []"},                // empty selector
		{"[0].x=1", "want a key first"},              // no list name
		{"systems]0[=1", "without '['"},              // stray bracket
		{"systems[0]x=1", "after ]"},                 // no separator after ]
		{"workload={type: [", "not YAML"},            // broken flow map
	} {
		_, err := ParseSet(tc.arg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--set") {
			t.Errorf("ParseSet(%q) = %v, want an error with %q naming --set", tc.arg, err, tc.want)
		}
	}
}

// mustSet is ParseSet that fails the test on an error.
func mustSet(t *testing.T, arg string) Override {
	t.Helper()
	ov, err := ParseSet(arg)
	if err != nil {
		t.Fatal(err)
	}
	return ov
}

const overrideBase = `name: t
duration: 1h
workload: {type: poisson, rate: 1}
functions:
  - name: api
    exec: {dist: empirical, percentiles: {0: 1ms, 99.9: 5ms, 100: 9ms}}
  - name: job
systems:
  - name: lambda
    platform: aws-lambda-x86
  - name: vms
    platform: aws-ec2-m5.large
    instances: 1
`

// An override is the same as writing the value into the file: every key
// path form decodes to the scenario the edited file decodes to.
func TestOverrideEqualsEditedFile(t *testing.T) {
	for _, tc := range []struct {
		set    string
		edited string // overrideBase with the change written in
	}{
		{"workload.rate=50", strings.Replace(overrideBase, "rate: 1}", "rate: 50}", 1)},
		{"systems[lambda].memory_mb=1024", strings.Replace(overrideBase, "platform: aws-lambda-x86", "platform: aws-lambda-x86\n    memory_mb: 1024", 1)},
		{"systems[1].instances=4", strings.Replace(overrideBase, "instances: 1", "instances: 4", 1)},
		{"systems[lambda].keep_alive={policy: fixed, idle: 5m}", strings.Replace(overrideBase, "platform: aws-lambda-x86", "platform: aws-lambda-x86\n    keep_alive: {policy: fixed, idle: 5m}", 1)},
		{"functions[api].exec.percentiles[99.9]=6ms", strings.Replace(overrideBase, "99.9: 5ms", "99.9: 6ms", 1)},
		{"functions[job].memory_mb=256", strings.Replace(overrideBase, "  - name: job\n", "  - name: job\n    memory_mb: 256\n", 1)},
		{"report.interval=5m", overrideBase + "report: {interval: 5m}\n"},                           // a section the file leaves out
		{"systems[vms].instances=null", strings.Replace(overrideBase, "    instances: 1\n", "", 1)}, // removed: the file's problem then
	} {
		want, wantErr := Load(write(t, "s.yaml", tc.edited))
		doc, err := ReadDocument(write(t, "s.yaml", overrideBase))
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := doc.Decode(mustSet(t, tc.set))
		if (wantErr == nil) != (gotErr == nil) {
			t.Errorf("--set %s: error %v, the edited file's %v", tc.set, gotErr, wantErr)
			continue
		}
		if wantErr != nil {
			if !strings.Contains(gotErr.Error(), "systems[1].instances: missing") || !strings.Contains(gotErr.Error(), "(from --set systems[vms].instances=null)") {
				t.Errorf("--set %s: %v", tc.set, gotErr)
			}
			continue
		}
		if !reflect.DeepEqual(got.Systems, want.Systems) || !reflect.DeepEqual(got.Functions, want.Functions) ||
			got.Workload.Rate != want.Workload.Rate || got.Report != want.Report {
			t.Errorf("--set %s: decodes to\n%+v\nthe edited file to\n%+v", tc.set, got, want)
		}
		if len(got.Overrides) != 1 || got.Overrides[0].Origin != "--set "+tc.set {
			t.Errorf("--set %s: Overrides %+v", tc.set, got.Overrides)
		}
	}
}

// The one default function can be overridden though the file leaves
// functions out.
func TestOverrideDefaultFunction(t *testing.T) {
	path := write(t, "s.yaml", head+server)
	s, err := OpenWith(path, mustSet(t, "functions[0].memory_mb=256"))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Open(path)
	if s.Functions[0].MemoryMB != 256 || base.Functions[0].MemoryMB != 128 || s.Functions[0].Name != defaultFunctionName {
		t.Errorf("function %+v (base %+v), want memory 256", s.Functions[0], base.Functions[0])
	}
}

// A Document decodes again and again with other overrides, unchanged; a
// later override of the same key wins.
func TestDocumentReuse(t *testing.T) {
	doc, err := ReadDocument("spiky-api")
	if err != nil {
		t.Fatal(err)
	}
	for _, rate := range []string{"5", "50", "7"} {
		s, err := doc.Decode(mustSet(t, "workload.rate=1"), mustSet(t, "workload.rate="+rate), mustSet(t, "systems[fleet-peak].instances="+rate))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Systems[3].Server.Instances; got != map[string]int{"5": 5, "50": 50, "7": 7}[rate] {
			t.Errorf("rate %s: instances %d", rate, got)
		}
	}
	s, err := doc.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if s.Systems[3].Server.Instances != 5 || s.Overrides != nil {
		t.Errorf("the document changed: instances %d, overrides %v", s.Systems[3].Server.Instances, s.Overrides)
	}
	if doc.Raw()["workload"].(map[string]any)["rate"] != 20 {
		t.Errorf("Raw: %v", doc.Raw()["workload"])
	}
}

// A bad value is the file's problem at the resolved key path, naming the
// --set it came from; a path that leads nowhere says why; every problem
// is reported at once.
func TestOverrideProblems(t *testing.T) {
	for _, tc := range []struct {
		sets []string
		path string
		msg  []string
	}{
		{[]string{"workload.rate=-3"}, "workload.rate", []string{"want a number > 0, found -3", "(from --set workload.rate=-3)"}},
		{[]string{"systems[lambda].memory_mb=20000"}, "systems[0].memory_mb", []string{"outside what platform aws-lambda-x86 allows", "(from --set systems[lambda].memory_mb=20000)"}},
		{[]string{"systems[vms].max_concurency=3"}, "systems[1].max_concurency", []string{"unknown key", "(from --set systems[vms].max_concurency=3)"}},
		{[]string{"systems[lambda].keep_alive={policy: fixed}"}, "systems[0].keep_alive.idle", []string{"missing", "(from --set systems[lambda].keep_alive={policy: fixed})"}},
		{[]string{"duration=ten minutes"}, "duration", []string{`found "ten minutes"`, "(from --set duration=ten minutes)"}},
		{[]string{"systems[nope].instances=2"}, "systems", []string{`no element named "nope"; names: lambda, vms`, "(from --set systems[nope].instances=2)"}},
		{[]string{"systems[7].instances=2"}, "systems", []string{"no element 7; the list has 2 (indices 0 to 1)"}},
		{[]string{"systems.instances=2"}, "systems", []string{"is a list; want an element in brackets"}},
		{[]string{"workload.rate.max=2"}, "workload.rate", []string{"is 1, not a map or a list; cannot set max inside it"}},
		{[]string{"systems[0]=null"}, "systems[0]", []string{"cannot remove a list element"}},
		// Both problems at once: a path that leads nowhere and a bad value.
		{[]string{"systems[nope].x=1", "workload.rate=0"}, "workload.rate", []string{"want a number > 0", "(from --set workload.rate=0)"}},
	} {
		var ovs []Override
		for _, a := range tc.sets {
			ovs = append(ovs, mustSet(t, a))
		}
		doc, err := ReadDocument(write(t, "s.yaml", strings.Replace(overrideBase, "poisson", "constant", 1)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = doc.Decode(ovs...)
		var probs Problems
		if !errors.As(err, &probs) {
			t.Fatalf("%v: %v, want Problems", tc.sets, err)
		}
		find(t, probs, tc.path, tc.msg...)
		if len(tc.sets) == 2 {
			find(t, probs, "systems", `no element named "nope"`)
		}
		for _, p := range probs {
			if p.File != doc.File {
				t.Errorf("problem %v names file %q, want %q", p, p.File, doc.File)
			}
		}
	}
}

// A problem elsewhere in the file is not blamed on an override.
func TestOverrideNotBlamed(t *testing.T) {
	text := strings.Replace(overrideBase, "rate: 1}", "rate: -1}", 1)
	doc, err := ReadDocument(write(t, "s.yaml", text))
	if err != nil {
		t.Fatal(err)
	}
	_, err = doc.Decode(mustSet(t, "systems[vms].instances=3"))
	if err == nil || strings.Contains(err.Error(), "from --set") {
		t.Errorf("got %v, want the file's own problem without --set", err)
	}
}

// Overrides reach what is simulated: the model built from an overridden
// scenario is the one the edited value builds.
func TestOverrideReachesModel(t *testing.T) {
	s, err := OpenWith("spiky-api", mustSet(t, "systems[lambda].keep_alive={policy: fixed, idle: 5m}"), mustSet(t, "systems[fleet-peak].timeout=10s"))
	if err != nil {
		t.Fatal(err)
	}
	if ka, ok := s.Systems[0].FaaS.KeepAlive.(models.FixedKeepAlive); !ok || ka.Idle != 5*time.Minute {
		t.Errorf("keep_alive = %#v, want fixed 5m", s.Systems[0].FaaS.KeepAlive)
	}
	if s.Systems[3].Server.Timeout != 10*time.Second {
		t.Errorf("timeout = %v", s.Systems[3].Server.Timeout)
	}
}
