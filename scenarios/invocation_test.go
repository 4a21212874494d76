package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCallProblems: every key of invocation, errors, state and the
// deployment keys is checked, each problem at its key path with what is
// allowed.
func TestCallProblems(t *testing.T) {
	cron := "name: t\nduration: 1h\nworkload: {type: cron, every: 1m}\n" + server
	for _, tt := range []struct {
		name, yaml, path string
		msg              []string
	}{
		{"unknown type", fn("invocation: {type: push}"), "functions[0].invocation.type", []string{"want one of async | queue | schedule | sync", `"push"`}},
		{"type missing", fn("invocation: {retries: 1}"), "functions[0].invocation.type", []string{"missing"}},
		{"sync has no keys", fn("invocation: {type: sync, retries: 1}"), "functions[0].invocation.retries", []string{"unknown key; allowed: type"}},
		{"retries above 2", fn("invocation: {type: async, retries: 3}"), "functions[0].invocation.retries", []string{"from 0 to 2, found 3"}},
		{"negative retries", fn("invocation: {type: async, retries: -1}"), "functions[0].invocation.retries", []string{"want an integer >= 0"}},
		{"event age too short", fn("invocation: {type: async, max_event_age: 30s}"), "functions[0].invocation.max_event_age", []string{"from 1m to 6h, found 30s"}},
		{"event age too long", fn("invocation: {type: async, max_event_age: 7h}"), "functions[0].invocation.max_event_age", []string{"from 1m to 6h"}},
		{"queue key on async", fn("invocation: {type: async, batch_size: 5}"), "functions[0].invocation.batch_size", []string{"allowed: max_event_age, retries, type"}},
		{"batch size zero", fn("invocation: {type: queue, batch_size: 0}"), "functions[0].invocation.batch_size", []string{"want an integer >= 1"}},
		{"batch size too big", fn("invocation: {type: queue, batch_size: 20000, batch_window: 1s}"), "functions[0].invocation.batch_size", []string{"from 1 to 10000"}},
		{"big batch needs a window", fn("invocation: {type: queue, batch_size: 100}"), "functions[0].invocation.batch_window", []string{"at least 1s"}},
		{"window too long", fn("invocation: {type: queue, batch_window: 301s}"), "functions[0].invocation.batch_window", []string{"from 0 to 5m"}},
		{"concurrency below 2", fn("invocation: {type: queue, maximum_concurrency: 1}"), "functions[0].invocation.maximum_concurrency", []string{"want an integer >= 2"}},
		{"concurrency above 1000", fn("invocation: {type: queue, maximum_concurrency: 1001}"), "functions[0].invocation.maximum_concurrency", []string{"from 2 to 1000"}},
		{"visibility zero", fn("invocation: {type: queue, visibility_timeout: 0}"), "functions[0].invocation.visibility_timeout", []string{"from 1s to 12h"}},
		{"receive count", fn("invocation: {type: queue, max_receive_count: 1001}"), "functions[0].invocation.max_receive_count", []string{"from 0 to 1000"}},
		{"partial not a bool", fn("invocation: {type: queue, partial_batch_response: yes please}"), "functions[0].invocation.partial_batch_response", []string{"want true or false"}},
		{"retention", fn("invocation: {type: queue, retention: 15d}"), "functions[0].invocation.retention", []string{"want a duration like"}},
		{"retention too long", fn("invocation: {type: queue, retention: 400h}"), "functions[0].invocation.retention", []string{"from 1m to 336h"}},
		{"schedule needs cron", fn("invocation: {type: schedule}"), "functions[0].invocation.type", []string{"cron", "found poisson"}},
		{"flexible window", cron + "functions: [{invocation: {type: schedule, flexible_window: 25h}}]\n", "functions[0].invocation.flexible_window", []string{"from 0 to 24h"}},
		{"error rate missing", fn("errors: {at: 1s}"), "functions[0].errors.rate", []string{"missing", "from 0 to 1"}},
		{"error rate above 1", fn("errors: {rate: 1.5}"), "functions[0].errors.rate", []string{"from 0 to 1, found 1.5"}},
		{"error at zero", fn("errors: {rate: 0.1, at: 0}"), "functions[0].errors.at", []string{"want a duration > 0"}},
		{"unknown error key", fn("errors: {rate: 0.1, kind: 500}"), "functions[0].errors.kind", []string{"allowed: at, rate"}},
		{"state round trips missing", fn("state: {latency: {dist: constant, value: 1ms}}"), "functions[0].state.round_trips", []string{"missing"}},
		{"state round trips zero", fn("state: {round_trips: 0, latency: {dist: constant, value: 1ms}}"), "functions[0].state.round_trips", []string{"want an integer >= 1"}},
		{"state latency missing", fn("state: {round_trips: 2}"), "functions[0].state.latency", []string{"missing", "distribution"}},
		{"state latency bad", fn("state: {round_trips: 2, latency: 5ms}"), "functions[0].state.latency", []string{"want a distribution"}},
		{"state price negative", fn("state: {round_trips: 2, latency: {dist: constant, value: 1ms}, price_per_million: -1}"), "functions[0].state.price_per_million", []string{"want a number >= 0"}},
		{"unknown runtime", fn("runtime: cobol"), "functions[0].runtime", []string{`unknown runtime "cobol"`, "python3.12"}},
		{"package too big", fn("package_mb: 20000"), "functions[0].package_mb", []string{"from 0 to 10240"}},
		{"negative package", fn("package_mb: -1"), "functions[0].package_mb", []string{"want a number >= 0"}},
		{"snapstart without runtime", fn("snapstart: true"), "functions[0].snapstart", []string{"needs a runtime"}},
		{"snapstart on node", fn("runtime: nodejs22.x, snapstart: true"), "functions[0].snapstart", []string{"nodejs22.x has no SnapStart"}},
		{"cache ratio above 1", head + "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, cache_hit_ratio: 2}]\n", "systems[0].cache_hit_ratio", []string{"from 0 to 1, found 2"}},
		{"cache ratio on faas", head + faas("cache_hit_ratio: 0.5"), "systems[0].cache_hit_ratio", []string{"key of server systems"}},
		{"visibility under the timeout", head + "functions: [{invocation: {type: queue}}]\nsystems: [{name: l, platform: aws-lambda-x86, timeout: 60s}]\n",
			"systems[0].timeout", []string{`function "default"`, "visibility timeout 30s is shorter than the function timeout 1m0s", "Lambda refuses"}},
		{"queue on a FaaS without timeout", head + "functions: [{invocation: {type: queue}}]\nsystems: [{name: f, type: faas, cold_start: {dist: constant, value: 1ms}, price_per_gb_second: 0, price_per_million_requests: 0}]\n", "systems[0].timeout", []string{"needs a timeout no longer than the visibility timeout"}},
		{"package slope not a duration", head + faas("cold_start_per_package_mb: 100"), "systems[0].cold_start_per_package_mb", []string{"want a duration like"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, "s.yaml", tt.yaml), tt.path, tt.msg...)
		})
	}
}

// TestCallsRun: a scenario with an asynchronous, failing function runs
// behind the invocation layer on both kinds of system; one with only sync
// calls has none (and no call figures in its results).
func TestCallsRun(t *testing.T) {
	s := load(t, "s.yaml", head+`functions: [{name: f, errors: {rate: 0.5}, invocation: {type: async, retries: 1}, runtime: java21, package_mb: 5}]
systems:
  - {name: l, platform: aws-lambda-x86}
  - {name: v, platform: aws-ec2-m5.large, instances: 1}
`)
	res, err := s.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range res.Systems {
		if sr.CallResult == nil || sr.Attempts == 0 || sr.DeadLettered == 0 {
			t.Errorf("%s: call figures %+v, want attempts and dead letters", sr.Name, sr.CallResult)
		}
		if sr.Completed+sr.DeadLettered+sr.InFlight != sr.Requests {
			t.Errorf("%s: %d completed + %d dead + %d in flight != %d requests", sr.Name, sr.Completed, sr.DeadLettered, sr.InFlight, sr.Requests)
		}
	}
	plain := load(t, "p.yaml", head+server)
	if plain.Calls != nil {
		t.Error("sync calls with no errors or state gave an invocation layer")
	}
}

// load decodes text as a file named name, failing on any problem.
func load(t *testing.T, name, text string) *Scenario {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSystemInvocation: a system's invocation replaces every function's
// type there (errors and state stay), checked like a function's; the other
// systems keep the functions' own.
func TestSystemInvocation(t *testing.T) {
	s := load(t, "s.yaml", head+`functions: [{name: f, errors: {rate: 0.1}, invocation: {type: async}}]
systems:
  - {name: l, platform: aws-lambda-x86}
  - {name: v, platform: aws-ec2-m5.large, instances: 1, invocation: {type: queue, visibility_timeout: 1m, max_receive_count: 3}}
`)
	if _, ok := s.callsOf(s.Systems[1])[0].Type.(interface{ Direct() bool }); !ok || s.callsOf(s.Systems[1])[0].Errors.Rate != 0.1 {
		t.Fatalf("fleet calls %+v", s.callsOf(s.Systems[1]))
	}
	if got := s.callsOf(s.Systems[1])[0].Type.String(); !strings.HasPrefix(got, "queue(") {
		t.Errorf("fleet's type %s, want the queue", got)
	}
	if got := s.callsOf(s.Systems[0])[0].Type.String(); !strings.HasPrefix(got, "async(") {
		t.Errorf("lambda's type %s, want the function's async", got)
	}
	find(t, problems(t, "s.yaml", head+"systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, invocation: {type: queue, batch_size: 0}}]\n"),
		"systems[0].invocation.batch_size", "want an integer >= 1")
	find(t, problems(t, "s.yaml", head+"systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, invocation: {type: schedule}}]\n"),
		"systems[0].invocation.type", "cron")
}
