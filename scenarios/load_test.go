package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// write puts text in a file called name in a fresh folder and returns its path.
func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// problems loads text as a file called name and returns its problems,
// failing the test on any other outcome.
func problems(t *testing.T, name, text string) Problems {
	t.Helper()
	p := write(t, name, text)
	s, err := Load(p)
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load = %+v, %v; want Problems", s, err)
	}
	for _, pr := range probs {
		if pr.File != p {
			t.Errorf("problem %q names file %q, want %q", pr.Msg, pr.File, p)
		}
	}
	return probs
}

// find returns the problem at path whose message contains every one of
// msg, or reports all problems.
func find(t *testing.T, probs Problems, path string, msg ...string) {
	t.Helper()
next:
	for _, p := range probs {
		if p.Path != path {
			continue
		}
		for _, m := range msg {
			if !strings.Contains(p.Msg, m) {
				continue next
			}
		}
		return
	}
	t.Errorf("no problem at %q containing %q; got:\n%v", path, msg, probs)
}

// Building blocks of the test scenarios.
const (
	head   = "name: t\nduration: 1h\nworkload: {type: poisson, rate: 1}\n"
	server = "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1}]\n"
)

// faas is a complete FaaS system without a platform, with extra keys
// added or replacing its own.
func faas(extra string) string {
	keys := []string{"name: f", "type: faas", "cold_start: {dist: constant, value: 1ms}",
		"price_per_gb_second: 0", "price_per_million_requests: 0"}
	var kept []string
	for _, k := range keys {
		if !strings.Contains(extra, k[:strings.Index(k, ":")+1]) {
			kept = append(kept, k)
		}
	}
	if extra != "" {
		kept = append(kept, extra)
	}
	return "systems: [{" + strings.Join(kept, ", ") + "}]\n"
}

// fn is head and a server system with one function of the given flow-map body.
func fn(body string) string { return head + server + "functions: [{" + body + "}]\n" }

func TestProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		path string
		msg  []string
	}{
		// Top level.
		{"unknown top-level key", head + server + "colour: red\n", "colour", []string{"unknown key", "allowed: duration, functions, goal, max_backlog_mb, name, report, seed, slo, sweep, systems, warmup, workload"}},
		{"name missing", "duration: 1h\nworkload: {type: poisson, rate: 1}\n" + server, "name", []string{"missing", "string"}},
		{"empty name", strings.Replace(head, "name: t", "name: ''", 1) + server, "name", []string{"want a non-empty string", `found ""`}},
		{"name not a string", strings.Replace(head, "name: t", "name: [a]", 1) + server, "name", []string{"want a non-empty string, found a list"}},
		{"negative seed", head + server + "seed: -1\n", "seed", []string{"want an integer >= 0, found -1"}},
		{"fractional seed", head + server + "seed: 2.5\n", "seed", []string{"want an integer >= 0, found 2.5"}},
		{"duration missing", "name: t\nworkload: {type: poisson, rate: 1}\n" + server, "duration", []string{"missing", "24h"}},
		{"duration as a bare number", strings.Replace(head, "1h", "60", 1) + server, "duration", []string{"want a duration like 250ms", "found 60"}},
		{"duration zero", strings.Replace(head, "1h", "0", 1) + server, "duration", []string{"want a duration > 0"}},
		{"duration negative", strings.Replace(head, "1h", "-1h", 1) + server, "duration", []string{"want a duration >= 0", "-1h"}},
		{"duration in days", strings.Replace(head, "1h", "1d", 1) + server, "duration", []string{"units ns, us, ms, s, m, h", `"1d"`}},
		{"warm-up as long as the run", head + server + "warmup: 1h\n", "warmup", []string{"shorter than duration"}},

		// The SLO: constraints checked when the file is loaded.
		{"slo not a list", head + server + "slo: 3\n", "slo", []string{"want a list of constraints"}},
		{"slo empty", head + server + "slo: []\n", "slo", []string{"want at least one constraint"}},
		{"slo entry not a string", head + server + "slo: [{p99: 3}]\n", "slo[0]", []string{`want a constraint like "latency_ms.p99 < 300"`}},
		{"slo unknown metric", head + server + "slo: ['latency_ms.p99 < 300', 'latency.p99 < 3']\n", "slo[1]", []string{`"latency.p99 < 3": latency.p99: unknown metric`}},
		{"slo no comparison", head + server + "slo: ['latency_ms.p99']\n", "slo[0]", []string{"want one comparison"}},
		{"slo syntax", head + server + "slo: ['latency_ms.p99 < 300ms']\n", "slo[0]", []string{"column"}},

		// Workload.
		{"workload missing", "name: t\nduration: 1h\n" + server, "workload", []string{"missing", "poisson"}},
		{"workload type missing", "name: t\nduration: 1h\nworkload: {rate: 1}\n" + server, "workload.type", []string{"missing", "constant | cron | diurnal | mix | mmpp | onoff | poisson | ramp | spike | trace"}},
		{"mmpp keys", "name: t\nduration: 1h\nworkload: {type: mmpp, rate: 1}\n" + server, "workload.rate", []string{`unknown key; allowed: states, type, zipf`}},
		{"unknown workload type", "name: t\nduration: 1h\nworkload: {type: bursty}\n" + server, "workload.type", []string{"want one of constant | cron |", `"bursty"`}},
		{"zero rate", "name: t\nduration: 1h\nworkload: {type: constant, rate: 0}\n" + server, "workload.rate", []string{"want a number > 0, found 0"}},
		{"rate missing", "name: t\nduration: 1h\nworkload: {type: poisson}\n" + server, "workload.rate", []string{"missing", "requests per second"}},
		{"rate as a string", "name: t\nduration: 1h\nworkload: {type: poisson, rate: fast}\n" + server, "workload.rate", []string{`found "fast"`}},
		{"unknown workload key", "name: t\nduration: 1h\nworkload: {type: poisson, rate: 1, burst: 3}\n" + server, "workload.burst", []string{"allowed: rate, type, zipf"}},
		{"workload not a map", "name: t\nduration: 1h\nworkload: poisson\n" + server, "workload", []string{"want a map", `"poisson"`}},

		// Functions.
		{"empty function list", head + server + "functions: []\n", "functions", []string{"at least one"}},
		{"function not a map", head + server + "functions: [api]\n", "functions[0]", []string{"want a map", `"api"`}},
		{"second function unnamed", head + server + "functions: [{name: a}, {memory_mb: 256}]\n", "functions[1].name", []string{"missing", "unique name"}},
		{"duplicate function names", head + server + "functions: [{name: a}, {name: a}]\n", "functions[1].name", []string{`"a" is already the name of functions[0]`}},
		{"fractional memory", fn("memory_mb: 2.5"), "functions[0].memory_mb", []string{"want an integer >= 1, found 2.5"}},
		{"zero memory", fn("memory_mb: 0"), "functions[0].memory_mb", []string{"want an integer >= 1, found 0"}},
		{"zero weight", fn("weight: 0"), "functions[0].weight", []string{"want a number > 0, found 0"}},
		{"unknown function key", fn("mem: 5"), "functions[0].mem", []string{"allowed: cpu_bound, ephemeral_storage_mb, errors, exec, exec_reference_memory_mb, invocation, memory_mb, name, package_mb, runtime, snapstart, state, weight"}},

		// Distributions (through exec; cold_start shares the code).
		{"distribution as a bare duration", fn("exec: 100ms"), "functions[0].exec", []string{"want a distribution like {dist: constant, value: 100ms}", `"100ms"`}},
		{"dist missing", fn("exec: {value: 1ms}"), "functions[0].exec.dist", []string{"missing", "constant | empirical | exponential | gamma | lognormal"}},
		{"unknown dist", fn("exec: {dist: weibull}"), "functions[0].exec.dist", []string{`found "weibull"`, "constant | empirical"}},
		{"key of another dist", fn("exec: {dist: constant, value: 1ms, mean: 2ms}"), "functions[0].exec.mean", []string{"allowed: dist, value"}},
		{"negative constant", fn("exec: {dist: constant, value: -1ms}"), "functions[0].exec.value", []string{"want a duration >= 0"}},
		{"constant without value", fn("exec: {dist: constant}"), "functions[0].exec.value", []string{"missing", "duration >= 0"}},
		{"zero exponential mean", fn("exec: {dist: exponential, mean: 0}"), "functions[0].exec.mean", []string{"want a duration > 0"}},
		{"lognormal p99 below median", fn("exec: {dist: lognormal, median: 100ms, p99: 50ms}"), "functions[0].exec.p99", []string{"above the median (100ms)", "50ms"}},
		{"lognormal both forms", fn("exec: {dist: lognormal, median: 1ms, p99: 2ms, mu: 0, sigma: 1}"), "functions[0].exec", []string{"median and p99, or mu and sigma, not both"}},
		{"lognormal median alone", fn("exec: {dist: lognormal, median: 1ms}"), "functions[0].exec.p99", []string{"missing", "above the median"}},
		{"lognormal mu alone", fn("exec: {dist: lognormal, mu: -2}"), "functions[0].exec.sigma", []string{"missing", ">= 0"}},
		{"negative sigma", fn("exec: {dist: lognormal, mu: -2, sigma: -1}"), "functions[0].exec.sigma", []string{"want a number >= 0, found -1"}},
		// mu may be any number: the message says so, not "> -Inf".
		{"mu not a number", fn("exec: {dist: lognormal, mu: fast, sigma: 1}"), "functions[0].exec.mu", []string{`want a number, found "fast"`}},
		{"lognormal neither form", fn("exec: {dist: lognormal}"), "functions[0].exec.median", []string{"missing", "or give mu and sigma"}},
		{"zero gamma cv", fn("exec: {dist: gamma, mean: 1ms, cv: 0}"), "functions[0].exec.cv", []string{"want a number > 0, found 0"}},
		{"gamma mean missing", fn("exec: {dist: gamma, cv: 1}"), "functions[0].exec.mean", []string{"missing", "duration > 0"}},
		{"empirical without 100", fn("exec: {dist: empirical, percentiles: {0: 1ms, 50: 2ms}}"), "functions[0].exec.percentiles", []string{"must include 0 and 100"}},
		{"empirical decreasing", fn("exec: {dist: empirical, percentiles: {0: 1ms, 50: 5ms, 100: 2ms}}"), "functions[0].exec.percentiles", []string{"must not decrease"}},
		{"percentile above 100", fn("exec: {dist: empirical, percentiles: {0: 1ms, 100: 2ms, 101: 3ms}}"), "functions[0].exec.percentiles[101]", []string{"from 0 to 100", `"101"`}},
		{"percentile value a number", fn("exec: {dist: empirical, percentiles: {0: 0, 99.9: 5, 100: 9ms}}"), "functions[0].exec.percentiles[99.9]", []string{"want a duration like 250ms", "found 5"}},
		{"percentiles not a map", fn("exec: {dist: empirical, percentiles: [1ms]}"), "functions[0].exec.percentiles", []string{"want a map, found a list"}},

		// Systems.
		{"systems missing", head, "systems", []string{"missing", "one or more"}},
		{"no systems", head + "systems: []\n", "systems", []string{"at least one system"}},
		{"system not a map", head + "systems: [lambda]\n", "systems[0]", []string{"want a map", `"lambda"`}},
		{"system name missing", head + "systems: [{platform: aws-ec2-m5.large, instances: 1}]\n", "systems[0].name", []string{"missing", "unique name"}},
		{"duplicate system names", head + "systems: [{name: a, platform: aws-ec2-m5.large, instances: 1}, {name: a, platform: aws-lambda-x86}]\n", "systems[1].name", []string{`"a" is already the name of systems[0]`}},
		{"no type and no platform", head + "systems: [{name: a, instances: 1}]\n", "systems[0].type", []string{"missing; want faas or server, or name a platform (known: ", "aws-lambda-x86"}},
		{"unknown type", head + "systems: [{name: a, type: vm}]\n", "systems[0].type", []string{"want one of faas | server", `"vm"`}},
		{"unknown platform", head + "systems: [{name: a, platform: gcp-run}]\n", "systems[0].platform", []string{`unknown platform "gcp-run"`, "known: ", "aws-ec2-m5.large", "aws-lambda-x86"}},
		{"type disagrees with platform", head + "systems: [{name: a, type: server, platform: aws-lambda-x86, instances: 1}]\n", "systems[0].type", []string{"aws-lambda-x86 is a faas platform", "want type faas"}},
		{"platform not a string", head + "systems: [{name: a, platform: 3}]\n", "systems[0].platform", []string{"want a non-empty string, found 3"}},
		{"unknown system key", head + faas("colour: red"), "systems[0].colour", []string{"unknown key", "allowed: ", "bill_init", "cold_start", "platform"}},

		// FaaS systems.
		{"faas cold start needs a platform", head + "systems: [{name: f, type: faas, price_per_gb_second: 0, price_per_million_requests: 0}]\n", "systems[0].cold_start", []string{"name a platform (known: ", "or set cold_start"}},
		{"faas price needs a platform", head + "systems: [{name: f, type: faas, cold_start: {dist: constant, value: 1ms}, price_per_million_requests: 0}]\n", "systems[0].price_per_gb_second", []string{"or set price_per_gb_second"}},
		{"server key on a faas system", head + faas("instances: 2"), "systems[0].instances", []string{"key of server systems; this system is faas", "allowed: "}},
		{"cold start not a distribution", head + faas("cold_start: 1s"), "systems[0].cold_start", []string{"want a distribution like"}},
		{"ping without interval", head + faas("keep_alive: {policy: ping}"), "systems[0].keep_alive.every", []string{"missing", "ping interval"}},
		{"unknown keep-alive policy", head + faas("keep_alive: {policy: lru}"), "systems[0].keep_alive.policy", []string{"want one of fixed | forever | hybrid-histogram | none | ping | provisioned | random", `"lru"`}},
		{"provisioned count and schedule", head + faas("keep_alive: {policy: provisioned, instances: 2, schedule: [{at: '08:00', instances: 3}]}"), "systems[0].keep_alive.schedule", []string{"not both"}},
		{"schedule time of day", head + faas("keep_alive: {policy: provisioned, schedule: [{at: '25:00', instances: 3}]}"), "systems[0].keep_alive.schedule[0].at", []string{`"HH:MM"`, `"25:00"`}},
		{"provisioned above max_concurrency", head + faas("max_concurrency: 2, keep_alive: {policy: provisioned, instances: 3}"), "systems[0].keep_alive", []string{"above max_concurrency 2"}},
		{"nested provisioned", head + faas("keep_alive: {policy: ping, every: 5m, idle: {policy: provisioned, instances: 1}}"), "systems[0].keep_alive.idle", []string{"want a plain keep-alive"}},
		{"hybrid head above tail", head + faas("keep_alive: {policy: hybrid-histogram, head: 99, tail: 5}"), "systems[0].keep_alive.head", []string{"above tail"}},
		{"random without idle", head + faas("keep_alive: {policy: random}"), "systems[0].keep_alive.idle", []string{"missing", "distribution"}},
		{"zero idle", head + faas("keep_alive: {policy: fixed, idle: 0}"), "systems[0].keep_alive.idle", []string{"want a duration > 0"}},
		{"fixed without idle", head + faas("keep_alive: {policy: fixed}"), "systems[0].keep_alive.idle", []string{"missing", "duration > 0"}},
		{"idle on policy none", head + faas("keep_alive: {policy: none, idle: 1m}"), "systems[0].keep_alive.idle", []string{"unknown key; allowed: policy"}},
		{"keep-alive not a map", head + faas("keep_alive: fixed"), "systems[0].keep_alive", []string{"want a map", `"fixed"`}},
		{"negative max concurrency", head + faas("max_concurrency: -1"), "systems[0].max_concurrency", []string{"want an integer >= 0, found -1"}},
		{"zero instance concurrency", head + faas("instance_concurrency: 0"), "systems[0].instance_concurrency", []string{"want an integer >= 1, found 0"}},
		{"unknown throttle action", head + faas("on_throttle: drop"), "systems[0].on_throttle", []string{"want one of reject | queue", `"drop"`}},
		{"timeout as a bare number", head + faas("timeout: 30"), "systems[0].timeout", []string{"want a duration like 250ms", "found 30"}},
		{"negative price", head + faas("price_per_million_requests: -0.2"), "systems[0].price_per_million_requests", []string{"want a number >= 0, found -0.2"}},
		{"zero billing granularity", head + faas("billing_granularity: 0"), "systems[0].billing_granularity", []string{"want a duration > 0"}},
		{"bill_init not a bool", head + faas("bill_init: maybe"), "systems[0].bill_init", []string{"want true or false", `"maybe"`}},

		// Server systems.
		{"instances missing", head + "systems: [{name: s, platform: aws-ec2-m5.large}]\n", "systems[0].instances", []string{"missing", "integer >= 1"}},
		{"fractional instances", head + "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1.5}]\n", "systems[0].instances", []string{"want an integer >= 1, found 1.5"}},
		{"server price needs a platform", head + "systems: [{name: s, type: server, instances: 1}]\n", "systems[0].price_per_hour", []string{"name a platform (known: ", "or set price_per_hour"}},
		{"faas key on a server system", head + "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, cold_start: {dist: constant, value: 1s}}]\n", "systems[0].cold_start", []string{"key of faas systems; this system is server"}},
		{"zero workers", head + "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, workers_per_instance: 0}]\n", "systems[0].workers_per_instance", []string{"want an integer >= 1, found 0"}},
		{"negative queue limit", head + "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1, queue_limit: -1}]\n", "systems[0].queue_limit", []string{"want an integer >= 0, found -1"}},

		// Platform limits.
		{"timeout above the platform's", head + "systems: [{name: l, platform: aws-lambda-x86, timeout: 901s}]\n", "systems[0].timeout", []string{"15m1s exceeds platform aws-lambda-x86's limit", "15m0s"}},
		{"no timeout where the platform has one", head + "systems: [{name: l, platform: aws-lambda-x86, timeout: 0}]\n", "systems[0].timeout", []string{"0 (no timeout) exceeds"}},
		{"memory below the platform's", head + "functions: [{memory_mb: 64}]\nsystems: [{name: l, platform: aws-lambda-x86}]\n", "functions[0].memory_mb", []string{"64 MB", "aws-lambda-x86", `system "l"`, "128 to 10240"}},
		{"ephemeral storage above the platform's", head + "functions: [{ephemeral_storage_mb: 20000}]\nsystems: [{name: l, platform: aws-lambda-x86}]\n", "functions[0].ephemeral_storage_mb", []string{"20000 MB of ephemeral storage", `system "l"`, "512 to 10240"}},
		{"system ephemeral storage below the platform's", head + "systems: [{name: l, platform: aws-lambda-arm, ephemeral_storage_mb: 256}]\n", "systems[0].ephemeral_storage_mb", []string{"256 MB of ephemeral storage", "aws-lambda-arm", "512 to 10240"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, "s.yaml", tt.yaml), tt.path, tt.msg...)
		})
	}
}

// Every problem of a file is reported, not just the first.
func TestAllProblemsAtOnce(t *testing.T) {
	probs := problems(t, "s.yaml", `
name: t
duration: 90
warmup: -1m
workload: {type: poisson, rate: -1}
functions:
  - {name: a, memory_mb: 2.5}
  - {name: a, exec: {dist: gamma, mean: 1ms}}
systems:
  - {name: l, platform: aws-lambda-x86, instances: 3, keep_alive: {policy: ping}}
  - {name: s, type: server}
  - {name: l2, platform: aws-lambda-x86, timeout: 30}
`)
	want := []struct{ path, msg string }{
		{"duration", "want a duration like 250ms"},
		{"warmup", "want a duration >= 0"},
		{"workload.rate", "want a number > 0"},
		{"functions[0].memory_mb", "integer"},
		{"functions[1].name", "already"},
		{"functions[1].exec.cv", "missing"},
		{"systems[0].instances", "key of server systems"},
		{"systems[0].keep_alive.every", "missing"},
		{"systems[1].instances", "missing"},
		{"systems[1].price_per_hour", "name a platform"},
		{"systems[2].timeout", "want a duration like 250ms"}, // once, though the platform's limit checks it too
	}
	for _, w := range want {
		find(t, probs, w.path, w.msg)
	}
	if len(probs) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(probs), len(want), probs)
	}
	// One line per problem, "FILE: PATH: MSG".
	lines := strings.Split(probs.Error(), "\n")
	if len(lines) != len(probs) || !strings.HasPrefix(lines[0], probs[0].File+": "+probs[0].Path+": ") {
		t.Errorf("Error() =\n%s", probs.Error())
	}
}

// Parse errors name the file and, where the parser says it, the line.
func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, file, text, path, msg string
	}{
		// A key indented under a scalar.
		{"yaml", "s.yaml", "name: t\nseed: 1\n  bad: indent\n", "line 3", "yaml syntax: mapping values are not allowed"},
		// YAML allows no duplicate keys.
		{"yaml duplicate", "s.yml", "name: t\nname: u\n", "line 2", `mapping key "name" already defined at line 1`},
		// A value missing after =.
		{"toml", "s.toml", "name = \"t\"\nduration = \n", "line 2", "toml syntax"},
		// A missing value before }.
		{"json", "s.json", "{\"name\": \"t\",\n \"duration\": }", "line 2", "json syntax"},
		// Not one of the formats.
		{"extension", "s.ini", "name=t\n", "", `unsupported file type ".ini"; want .yaml, .yml, .toml or .json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, tt.file, tt.text), tt.path, tt.msg)
		})
	}
}

// A missing file is an I/O error, not Problems, and names the file.
func TestMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := Load(p)
	var probs Problems
	if err == nil || errors.As(err, &probs) || !strings.Contains(err.Error(), p) {
		t.Errorf("Load(missing) = %v; want an I/O error naming %s", err, p)
	}
}

// full uses every kind of value: the same scenario in three formats.
var full = map[string]string{
	"s.yaml": `
name: formats
seed: 7
duration: 2h
warmup: 10m
workload: {type: constant, rate: 2.5}
functions:
  - name: api
    memory_mb: 256
    weight: 3
    exec: {dist: empirical, percentiles: {0: 1ms, 50: 20ms, 99.9: 300ms, 100: 1s}}
  - name: job
    exec: {dist: lognormal, mu: -2, sigma: 0.5}
systems:
  - name: lambda
    platform: aws-lambda-x86
    cold_start: {dist: gamma, mean: 300ms, cv: 0.5}
    keep_alive: {policy: none}
    on_throttle: queue
    timeout: 30s
  - name: vms
    type: server
    instances: 2
    price_per_hour: 0.1
`,
	"s.toml": `
name = "formats"
seed = 7
duration = "2h"
warmup = "10m"
workload = {type = "constant", rate = 2.5}

[[functions]]
name = "api"
memory_mb = 256
weight = 3
exec = {dist = "empirical", percentiles = {0 = "1ms", 50 = "20ms", "99.9" = "300ms", 100 = "1s"}}

[[functions]]
name = "job"
exec = {dist = "lognormal", mu = -2, sigma = 0.5}

[[systems]]
name = "lambda"
platform = "aws-lambda-x86"
cold_start = {dist = "gamma", mean = "300ms", cv = 0.5}
keep_alive = {policy = "none"}
on_throttle = "queue"
timeout = "30s"

[[systems]]
name = "vms"
type = "server"
instances = 2
price_per_hour = 0.1
`,
	"s.json": `{
  "name": "formats", "seed": 7, "duration": "2h", "warmup": "10m",
  "workload": {"type": "constant", "rate": 2.5},
  "functions": [
    {"name": "api", "memory_mb": 256, "weight": 3,
     "exec": {"dist": "empirical", "percentiles": {"0": "1ms", "50": "20ms", "99.9": "300ms", "100": "1s"}}},
    {"name": "job", "exec": {"dist": "lognormal", "mu": -2, "sigma": 0.5}}
  ],
  "systems": [
    {"name": "lambda", "platform": "aws-lambda-x86", "cold_start": {"dist": "gamma", "mean": "300ms", "cv": 0.5},
     "keep_alive": {"policy": "none"}, "on_throttle": "queue", "timeout": "30s"},
    {"name": "vms", "type": "server", "instances": 2, "price_per_hour": 0.1}
  ]
}`,
}

// YAML, TOML and JSON of the same scenario decode to the same Scenario.
func TestFormatsAgree(t *testing.T) {
	var got []*Scenario
	for _, name := range []string{"s.yaml", "s.toml", "s.json"} {
		s, err := Load(write(t, name, full[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.File = ""
		got = append(got, s)
	}
	for i := 1; i < len(got); i++ {
		if !reflect.DeepEqual(got[0], got[i]) {
			t.Errorf("formats differ:\n%+v\n%+v", got[0], got[i])
		}
	}
	s := got[0]
	e, err := dist.NewEmpirical(map[float64]float64{0: 0.001, 50: 0.02, 99.9: 0.3, 100: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantFns := []workloads.Function{
		{Name: "api", MemoryMB: 256, Exec: e, Weight: 3, EphemeralStorageMB: 512},
		{Name: "job", MemoryMB: 128, Exec: dist.LogNormal{Mu: -2, Sigma: 0.5}, Weight: 1, EphemeralStorageMB: 512},
	}
	if !reflect.DeepEqual(s.Functions, wantFns) {
		t.Errorf("functions = %+v, want %+v", s.Functions, wantFns)
	}
	if s.Seed != 7 || s.Duration != 2*time.Hour || s.Warmup != 10*time.Minute || s.Workload.Type != "constant" || s.Workload.Rate != 2.5 {
		t.Errorf("scenario = %+v", s)
	}
	wantSrv := &models.ServerConfig{Instances: 2, WorkersPerInstance: 1, Billing: models.ServerBilling{
		PricePerHour: 0.1, MinimumBilled: time.Minute, Granularity: time.Second}}
	if !reflect.DeepEqual(s.Systems[1].Server, wantSrv) {
		t.Errorf("server = %+v, want %+v", s.Systems[1].Server, wantSrv)
	}
}

// Keys match whatever their case, inside lists too.
func TestKeysIgnoreCase(t *testing.T) {
	for _, name := range []string{"s.yaml", "s.json"} {
		text := strings.NewReplacer("name", "Name", "memory_mb", "Memory_MB", "percentiles", "Percentiles", "platform", "PLATFORM").Replace(full[name])
		s, err := Load(write(t, name, text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Functions[0].MemoryMB != 256 || s.Systems[0].Platform != "aws-lambda-x86" {
			t.Errorf("%s: %+v", name, s)
		}
	}
}

// A platform's keys are the starting point; the scenario's keys override
// them one by one, a nested map whole.
func TestPresetMerge(t *testing.T) {
	s, err := Load(write(t, "s.yaml", head+`
systems:
  - name: plain
    platform: aws-lambda-x86
  - name: tuned
    platform: aws-lambda-x86
    cold_start: {dist: constant, value: 1s}   # replaces the preset's lognormal whole
    max_concurrency: 10
    bill_init: false
`))
	if err != nil {
		t.Fatal(err)
	}
	plain, tuned := s.Systems[0].FaaS, s.Systems[1].FaaS
	if s.Systems[0].Type != "faas" || s.Systems[0].Platform != "aws-lambda-x86" {
		t.Errorf("system = %+v; want type faas implied by the platform", s.Systems[0])
	}
	want := models.FaaSConfig{
		ColdStart:           dist.LogNormalMedianP99(0.1318, 0.5145), // the pooled lambda-perf fit
		KeepAlive:           models.FixedKeepAlive{Idle: 10 * time.Minute},
		AccountConcurrency:  1000,
		BurstRate:           1000,
		InstanceConcurrency: 1,
		Timeout:             900 * time.Second,
		Billing: models.FaaSBilling{PricePerGBSecond: 0.0000166667, PricePerMillionRequests: 0.2,
			Granularity: time.Millisecond, InitBilled: true, VCPU: 1,
			Tiers: []models.PriceTier{{AboveGBSeconds: 6e9, PricePerGBSecond: 0.000015}, {AboveGBSeconds: 15e9, PricePerGBSecond: 0.0000133334}},
			Free:  models.FreeTier{Requests: 1e6, GBSeconds: 400000},
			Provisioned: models.ProvisionedRates{PricePerGBSecond: 0.0000041667, DurationPricePerGBSecond: 0.0000097222,
				Rounding: 5 * time.Minute},
			EphemeralPricePerGBSecond: 0.0000000309, EphemeralFreeMB: 512},
		CPU:                   models.CPUScaling{FullVCPUMemoryMB: 1769, Ceiling: 1},
		ColdStartPerPackageMB: 104 * time.Millisecond,
	}
	if !reflect.DeepEqual(*plain, want) {
		t.Errorf("preset alone:\n got %+v\nwant %+v", *plain, want)
	}
	want.ColdStart, want.MaxConcurrency, want.Billing.InitBilled = dist.Constant{Value: 1}, 10, false
	if !reflect.DeepEqual(*tuned, want) {
		t.Errorf("overridden:\n got %+v\nwant %+v", *tuned, want)
	}
}

// Every preset decodes as a system on its own, and its limits are ones
// the decoder checks.
func TestEveryPreset(t *testing.T) {
	for _, name := range models.PresetNames() {
		p, _ := models.LookupPreset(name)
		sys := "{name: x, platform: " + name + "}"
		switch {
		case p.Kind == "server":
			sys = "{name: x, platform: " + name + ", instances: 1}"
		case p.Kind == FrontDoorKind && frontDoorFor[name] == "faas":
			sys = "{name: x, platform: aws-lambda-x86, front_door: {type: " + name + "}}"
		case p.Kind == FrontDoorKind:
			sys = "{name: x, platform: aws-ec2-m5.large, instances: 1, front_door: {type: " + name + "}}"
		}
		if _, err := Load(write(t, "s.yaml", head+"systems: ["+sys+"]\n")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for k := range p.Limits {
			switch k {
			case "max_timeout", "min_memory_mb", "max_memory_mb", "max_instance_concurrency",
				"min_ephemeral_storage_mb", "max_ephemeral_storage_mb", "purchase_options":
			default:
				t.Errorf("%s: limit %q is not checked by scenarios", name, k)
			}
		}
	}
}

// A scenario without functions gets one function with every default.
func TestDefaults(t *testing.T) {
	s, err := Load(write(t, "s.yaml", head+faas("")))
	if err != nil {
		t.Fatal(err)
	}
	wantFns := []workloads.Function{{Name: "default", MemoryMB: 128, Exec: dist.Constant{Value: 0.1}, Weight: 1, EphemeralStorageMB: 512}}
	if !reflect.DeepEqual(s.Functions, wantFns) || s.Seed != 1 || s.Warmup != 0 {
		t.Errorf("scenario = %+v", s)
	}
	want := models.FaaSConfig{ColdStart: dist.Constant{Value: 0.001}, KeepAlive: models.FixedKeepAlive{Idle: 10 * time.Minute},
		InstanceConcurrency: 1, Billing: models.FaaSBilling{Granularity: time.Millisecond, InitBilled: true, VCPU: 1,
			Provisioned: models.ProvisionedRates{Rounding: 5 * time.Minute}, EphemeralFreeMB: 512}}
	if !reflect.DeepEqual(*s.Systems[0].FaaS, want) {
		t.Errorf("faas = %+v, want %+v", *s.Systems[0].FaaS, want)
	}
	// The scenario's defaults are the library's.
	lib := models.DefaultFaaSConfig()
	lib.ColdStart = want.ColdStart
	if !reflect.DeepEqual(lib, want) {
		t.Errorf("models.DefaultFaaSConfig() = %+v, want the scenario's %+v", lib, want)
	}
	s, err = Load(write(t, "s.yaml", head+server))
	if err != nil {
		t.Fatal(err)
	}
	srv := models.DefaultServerConfig()
	srv.Instances, srv.Billing.PricePerHour = 1, s.Systems[0].Server.Billing.PricePerHour
	if !reflect.DeepEqual(*s.Systems[0].Server, srv) {
		t.Errorf("server = %+v, want models.DefaultServerConfig() %+v", *s.Systems[0].Server, srv)
	}
}

// Open takes a path first, then an example's name.
func TestOpen(t *testing.T) {
	p := write(t, "mine.yaml", head+server)
	tests := []struct {
		name, arg, file string
	}{
		{"by path", p, p}, // an existing file
		{"by name", "quickstart", "embedded:quickstart"},                 // an embedded example
		{"by name with extension", "quickstart.yaml", "quickstart.yaml"}, // in this folder it is also a path
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.arg)
			if err != nil {
				t.Fatal(err)
			}
			if s.File != tt.file {
				t.Errorf("File = %q, want %q", s.File, tt.file)
			}
		})
	}
	_, err := Open("no-such-example")
	var probs Problems
	if !errors.As(err, &probs) || !strings.Contains(err.Error(), "examples: "+strings.Join(Examples(), ", ")) {
		t.Errorf("Open(unknown) = %v; want Problems listing the examples", err)
	}
}

// Every embedded example loads, and builds a workload and every system.
func TestExamples(t *testing.T) {
	if len(Examples()) == 0 {
		t.Fatal("no embedded examples")
	}
	for _, name := range Examples() {
		t.Run(name, func(t *testing.T) {
			s, err := Open(name)
			if err != nil {
				t.Fatal(err)
			}
			seed := sim.Seed(s.Seed)
			src, err := s.NewSource(seed)
			if err != nil {
				t.Fatal(err)
			}
			var inv workloads.Invocation
			if !src.Next(&inv) {
				t.Error("the workload yields nothing")
			}
			for i := range s.Systems {
				if _, err := s.NewSystem(i, seed); err != nil {
					t.Errorf("system %d: %v", i, err)
				}
			}
			if w := s.Window(); w.Horizon != s.Duration || w.Warmup != s.Warmup {
				t.Errorf("Window() = %+v", w)
			}
		})
	}
}

// TestReportSection: report.interval defaults to a minute, is checked like
// every duration, and unknown keys under report are errors.
func TestReportSection(t *testing.T) {
	base := "name: r\nduration: 1h\nworkload: {type: poisson, rate: 1}\nsystems: [{name: l, platform: aws-lambda-x86}]\n"
	dir := t.TempDir()
	write := func(extra string) string {
		p := filepath.Join(dir, "s.yaml")
		if err := os.WriteFile(p, []byte(base+extra), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s, err := Open(write(""))
	if err != nil || s.Report.Interval != time.Minute {
		t.Fatalf("default: %v %+v", err, s)
	}
	s, err = Open(write("report: {interval: 10s}\n"))
	if err != nil || s.Report.Interval != 10*time.Second {
		t.Fatalf("10s: %v", err)
	}
	for _, c := range []struct{ extra, path, msg string }{
		{"report: {interval: 0s}\n", "report.interval", "want"},             // zero width
		{"report: {interval: 1ns}\n", "report.interval", "at most 1000000"}, // too many windows
		{"report: {intervall: 1m}\n", "report.intervall", "did you mean"},   // typo
		{"report: 5\n", "report", "want a map"},                             // not a map
	} {
		_, err := Open(write(c.extra))
		if err == nil || !strings.Contains(err.Error(), c.path+": ") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want one at %s containing %q", c.extra, err, c.path, c.msg)
		}
	}
}
