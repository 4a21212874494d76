package scenarios

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestResolvedParams: each system's params are its keys as it ran (the
// file's over the preset's over the defaults), with memory_mb and a
// fleet's price_per_hour made explicit, and none of them becomes a metric.
func TestResolvedParams(t *testing.T) {
	s, err := Load(write(t, "s.yaml", `name: t
duration: 10m
workload: {type: poisson, rate: 1}
functions:
  - {name: a, memory_mb: 256}
  - {name: b, memory_mb: 256}
systems:
  - name: lambda
    platform: aws-lambda-x86
    keep_alive: {policy: provisioned, instances: 2}
  - name: big
    platform: aws-lambda-arm
    memory_mb: 2048
  - name: vms
    platform: aws-ec2-m5.large
    instances: 3
    workers_per_instance: 4
  - name: tasks
    platform: aws-fargate-x86
    instances: 1
    vcpu: 2
    memory_gb: 4
`))
	if err != nil {
		t.Fatal(err)
	}
	p := func(i int) map[string]any { return s.Systems[i].Params }
	// The provisioned policy's nested on-demand keep-alive gets its default.
	wantKA := map[string]any{"policy": "provisioned", "instances": 2.0, "on_demand": map[string]any{"policy": "fixed", "idle": "10m"}}
	if !reflect.DeepEqual(p(0)["keep_alive"], wantKA) {
		t.Errorf("lambda keep_alive = %v, want %v", p(0)["keep_alive"], wantKA)
	}
	for _, c := range []struct {
		sys  int
		key  string
		want any
	}{
		{0, "memory_mb", 256.0},          // the functions share 256 MB
		{0, "timeout", "900s"},           // the preset's
		{0, "instance_concurrency", 1.0}, // the default
		{0, "account_concurrency", 1000.0},
		{1, "memory_mb", 2048.0}, // the system's own replaces the functions'
		{2, "instances", 3.0},
		{2, "workers_per_instance", 4.0},
		{2, "price_per_hour", 0.096},
		{3, "price_per_hour", 2*0.04048 + 4*0.004445}, // Fargate: sized by vcpu and memory_gb
	} {
		got := p(c.sys)[c.key]
		if g, ok := got.(float64); ok {
			if w, _ := c.want.(float64); math.Abs(g-w) <= 1e-12*math.Abs(w) {
				continue
			}
		}
		if got != c.want {
			t.Errorf("%s.%s = %v, want %v", s.Systems[c.sys].Name, c.key, got, c.want)
		}
	}
	for _, k := range []string{"name", "type", "platform"} {
		if _, ok := p(0)[k]; ok {
			t.Errorf("params repeat %q, which the system object already has", k)
		}
	}
	// Functions of different memories: no one memory_mb to report.
	s2, err := Load(write(t, "s.yaml", `name: t
duration: 10m
workload: {type: poisson, rate: 1}
functions: [{name: a, memory_mb: 256}, {name: b, memory_mb: 512}]
systems: [{name: lambda, platform: aws-lambda-x86}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := s2.Systems[0].Params["memory_mb"]; ok {
		t.Errorf("memory_mb = %v with functions of 256 and 512 MB; want none", m)
	}
	// results.json carries them; a sweep's metrics (Numbers) do not.
	res, err := s2.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Systems[0].Params["timeout"] != "900s" {
		t.Errorf("results params = %v", res.Systems[0].Params)
	}
	for _, n := range res.Systems[0].Numbers() {
		if strings.HasPrefix(n.Path, "params") {
			t.Errorf("metric %s: params are not metrics", n.Path)
		}
	}
}
