package scenarios

import (
	"context"
	"math"
	"testing"
)

// TestFrontDoorProblems: front doors are checked like any section, each
// problem at its key path.
func TestFrontDoorProblems(t *testing.T) {
	const lambda = "{name: l, platform: aws-lambda-x86, "
	const vms = "{name: v, platform: aws-ec2-m5.large, instances: 2, "
	for _, tt := range []struct {
		name, system, path string
		msg                []string
	}{
		{"unknown type", lambda + "front_door: {type: nginx}}", "systems[0].front_door.type",
			[]string{"want one of aws-alb | aws-api-gateway-http | aws-api-gateway-rest | aws-lambda-function-url | gcp-cloud-run-ingress", `"nginx"`}},
		{"type missing", lambda + "front_door: {timeout: 1s}}", "systems[0].front_door.type", []string{"missing; want a front door"}},
		{"not a map", lambda + "front_door: aws-alb}", "systems[0].front_door", []string{"want a map like {type: aws-api-gateway-http}"}},
		{"function URL before a fleet", vms + "front_door: {type: aws-lambda-function-url}}", "systems[0].front_door.type",
			[]string{"fronts faas systems only; this system is server"}},
		{"a front door as a platform", "{name: g, platform: aws-api-gateway-http}", "systems[0].platform",
			[]string{"is a front door, not a platform", "front_door: {type: aws-api-gateway-http}"}},
		{"timeout above the HTTP API's", lambda + "front_door: {type: aws-api-gateway-http, timeout: 31s}}", "systems[0].front_door.timeout",
			[]string{"31s exceeds aws-api-gateway-http's limit", "30s"}},
		{"a load-balancer key on a gateway", lambda + "front_door: {type: aws-api-gateway-rest, kb_per_request: 4}}", "systems[0].front_door.kb_per_request",
			[]string{"unknown key", "price_per_million_requests", "request_tiers"}},
		{"fewer than one request per connection", vms + "front_door: {type: aws-alb, requests_per_connection: 0.5}}", "systems[0].front_door.requests_per_connection",
			[]string{"want a number >= 1, found 0.5"}},
		{"tiers out of order", lambda + "front_door: {type: aws-api-gateway-http, request_tiers: [{above_requests: 5e8, price_per_million_requests: 0.9}, {above_requests: 1e8, price_per_million_requests: 0.8}]}}",
			"systems[0].front_door.request_tiers[1].above_requests", []string{"ascending order"}},
		{"bad latency", lambda + "front_door: {type: aws-alb, latency: 5ms}}", "systems[0].front_door.latency", []string{"want a distribution"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			find(t, problems(t, "s.yaml", head+"systems: ["+tt.system+"]\n"), tt.path, tt.msg...)
		})
	}
}

// TestFrontDoorRun: a scenario's front doors reach results.json. 100 s at
// 10 requests/s of 50 ms: the HTTP API bills 1,000 requests at $1.00 per
// million (the 300 M tier is 11,574 requests in 100 s: not reached); the
// ALB in front of two VMs bills 100 s of its hour and the LCUs of 10 new
// connections a second, 10/25 = 0.4 LCU for 100/3600 h; a function URL
// bills nothing and puts no line on the bill.
func TestFrontDoorRun(t *testing.T) {
	sc, err := Load(write(t, "s.yaml", `name: doors
duration: 100s
workload: {type: constant, rate: 10}
functions: [{name: f, memory_mb: 512, exec: {dist: constant, value: 50ms}}]
systems:
  - {name: gw, platform: aws-lambda-x86, cold_start: {dist: constant, value: 0s}, front_door: {type: aws-api-gateway-http, latency: {dist: constant, value: 5ms}}}
  - {name: url, platform: aws-lambda-x86, cold_start: {dist: constant, value: 0s}, front_door: {type: aws-lambda-function-url}}
  - {name: lb, platform: aws-ec2-m5.large, instances: 2, front_door: {type: aws-alb}}
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sc.Run(context.Background(), RunOptions{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	gw, url, lb := res.Systems[0], res.Systems[1], res.Systems[2]
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-15+1e-8*math.Abs(b) }
	if fd := gw.FrontDoor; fd == nil || fd.Type != "aws-api-gateway-http" || fd.Requests != 1000 || fd.TimedOut != 0 ||
		!near(gw.CostUSD.Breakdown["api_gateway"], 1000*1.0/1e6) {
		t.Errorf("gateway: front door %+v, api_gateway $%v; want 1,000 requests, $0.001", gw.FrontDoor, gw.CostUSD.Breakdown["api_gateway"])
	}
	// The gateway's 5 ms is on every response: the median goes from 50 to 55 ms.
	if math.Abs(gw.LatencyMS.P50-55) > 55*0.005 || math.Abs(url.LatencyMS.P50-50) > 50*0.005 {
		t.Errorf("p50 %v ms behind the gateway, %v ms behind the URL; want 55 and 50", gw.LatencyMS.P50, url.LatencyMS.P50)
	}
	if _, ok := url.CostUSD.Breakdown["api_gateway"]; ok || url.FrontDoor == nil || url.CostUSD.Total != gw.CostUSD.Total-gw.CostUSD.Breakdown["api_gateway"] {
		t.Errorf("function URL: breakdown %v, front door %+v; want Lambda's bill alone", url.CostUSD.Breakdown, url.FrontDoor)
	}
	want := 100.0/3600*0.0225 + 0.4*100/3600*0.008
	if got := lb.CostUSD.Breakdown["load_balancer"]; !near(got, want) || !near(lb.FrontDoor.LCUHours, 0.4*100/3600) {
		t.Errorf("ALB: $%.9g, %.9g LCU-hours; want $%.9g, %.9g", got, lb.FrontDoor.LCUHours, want, 0.4*100/3600)
	}
}
