package scenarios

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
)

// undersizedPair: the fleet (1,000 requests a second on one
// worker of 100 ms) beside one that keeps up (200 workers), for an hour,
// with a 16 MB backlog budget: 699,050 queued requests.
const undersizedPair = `name: undersized
duration: 1h
max_backlog_mb: 16
workload: {type: poisson, rate: 1000}
systems:
  - {name: one, platform: aws-ec2-m5.large, instances: 1}
  - {name: enough, platform: aws-ec2-m5.large, instances: 1, workers_per_instance: 200}
`

// TestBacklogStopsOneSystem: the undersized fleet stops when its queue
// passes the budget, at (699,051 + 1) / (1,000 − 10) s = 706.1 s by hand
// (1%: the Poisson count's noise is 0.85 s), and reports the window up to
// then; the other runs to the end on the same workload; each conserves its
// requests; the bytes do not depend on --jobs.
func TestBacklogStopsOneSystem(t *testing.T) {
	s := decodeText(t, undersizedPair)
	if s.MaxBacklogMB != 16 {
		t.Fatalf("max_backlog_mb %v", s.MaxBacklogMB)
	}
	var out [2][]byte
	for k, jobs := range []int{1, 2} {
		res, err := s.Run(context.Background(), RunOptions{Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := reports.WriteJSON(&b, res); err != nil {
			t.Fatal(err)
		}
		out[k] = b.Bytes()
		one, enough := &res.Systems[0], &res.Systems[1]
		want := float64(16<<20/models.BytesPerQueued+2) / 990
		if one.StoppedAtSeconds == nil || math.Abs(*one.StoppedAtSeconds-want) > 0.01*want || !one.Has(reports.Saturated) {
			t.Fatalf("one: stopped at %v (want %.1f s), warnings %v", one.StoppedAtSeconds, want, one.Warnings)
		}
		if enough.StoppedAtSeconds != nil || enough.Has(reports.Saturated) || enough.InFlight > 200 {
			t.Errorf("enough: stopped %v, warnings %v, %d in flight", enough.StoppedAtSeconds, enough.Warnings, enough.InFlight)
		}
		// Arrivals of the one to its stop, of the other to the horizon.
		if r := float64(one.Requests); math.Abs(r-1000**one.StoppedAtSeconds) > 4*math.Sqrt(r) {
			t.Errorf("one: %d requests up to %.1f s", one.Requests, *one.StoppedAtSeconds)
		}
		if r := float64(enough.Requests); math.Abs(r-3.6e6) > 4*math.Sqrt(3.6e6) {
			t.Errorf("enough: %d requests in an hour", enough.Requests)
		}
		for _, sys := range res.Systems {
			if sys.Requests != sys.Completed+sys.Rejected+sys.TimedOut+sys.InFlight {
				t.Errorf("%s: counts do not conserve: %+v", sys.Name, sys.Counts)
			}
		}
		if *one.QueuedAtStop != 16<<20/models.BytesPerQueued+1 || one.InFlight != *one.QueuedAtStop+1 {
			t.Errorf("one: %d queued at the stop, %d in flight", *one.QueuedAtStop, one.InFlight)
		}
		// Its bill: the instance's seconds up to the stop at m5.large's
		// $0.096 an hour.
		if got, want := one.CostUSD.Total, 0.096*math.Ceil(*one.StoppedAtSeconds)/3600; math.Abs(got-want) > 1e-8 {
			t.Errorf("one: $%v, want $%v", got, want)
		}
		if !strings.Contains(reports.Verdict(res), "enough is the only system that serves the load") {
			t.Errorf("verdict: %s", reports.Verdict(res))
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("results.json differs between --jobs 1 and 2")
	}
}

// sqsFunction is a function of 100 ms called through an SQS queue that two
// pollers at most drain (maximum_concurrency 2): 20 messages a second.
const sqsFunction = "functions: [{name: f, exec: {dist: constant, value: 100ms}, " +
	"invocation: {type: queue, maximum_concurrency: 2, visibility_timeout: 1m}}]\n"

// TestEstimateSQSBacklog: a day of 1,000 messages a second into that queue
// grows it by 980 a second; the estimate counts it up to the budget
// (256 MiB at models.BytesPerHeld = 40 bytes: 6,710,886 messages, 48 bytes
// each with the free list: 307 MiB), says the system stops, and counts its
// events to about the stop (6.7 M ÷ 980 s = 1.9 h of the 24; at most 8 events
// a message: arrival, poll, invocation, end, timers), so the run is not
// refused; lifted, the machine's budget refuses it.
func TestEstimateSQSBacklog(t *testing.T) {
	s := decodeText(t, "name: e\nduration: 24h\nworkload: {type: poisson, rate: 1000}\n"+sqsFunction+
		"systems: [{name: l, platform: aws-lambda-x86, timeout: 30s}]\n")
	est := s.Estimate(1, 0)
	t.Logf("%.3g events, %.3g MB (%s)", est.Events, est.Bytes/(1<<20), est.BytesWhy)
	if err := s.CheckBudget(est, Budget{}); err != nil {
		t.Errorf("refused: %v", err)
	}
	if len(est.Stopping) != 1 || !strings.Contains(est.BytesWhy, "SQS queue") || !strings.Contains(est.BytesWhy, "max_backlog_mb") {
		t.Errorf("stopping %v, %q: want the SQS queue named and its stop", est.Stopping, est.BytesWhy)
	}
	if mb := est.Bytes / (1 << 20); mb < 307 || mb > 360 {
		t.Errorf("%.0f MB, want 307 (the queue) and a little", mb)
	}
	if most := float64(models.DefaultBacklogBudget / models.BytesPerHeld); est.Events > 8*1000*most/980 || est.Events < most {
		t.Errorf("%.3g events, want those of about %.3g s", est.Events, most/980)
	}
	lifted := decodeText(t, "name: e\nduration: 24h\nmax_backlog_mb: 100000\nworkload: {type: poisson, rate: 1000}\n"+sqsFunction+
		"systems: [{name: l, platform: aws-lambda-x86, timeout: 30s}]\n")
	if err := lifted.CheckBudget(lifted.Estimate(1, 0), Budget{}); err == nil || !strings.Contains(err.Error(), "--max-memory") {
		t.Errorf("with max_backlog_mb 100000: %v", err)
	}
}

// TestEstimateCapsBacklog: the two cases, a day each, were refused
// by the estimate (about 20 GB); with the queue counted up to the budget
// they run, the estimate saying that the system will stop, with its events
// those up to about the stop.
func TestEstimateCapsBacklog(t *testing.T) {
	for _, tc := range []struct{ name, yaml string }{
		{"fleet", "systems: [{name: s, platform: aws-ec2-m5.large, instances: 1}]\n"},
		{"faas", "systems: [{name: s, platform: aws-lambda-x86, max_concurrency: 10, on_throttle: queue}]\n"},
	} {
		s := decodeText(t, "name: e\nduration: 24h\nworkload: {type: poisson, rate: 1000}\n"+tc.yaml)
		est := s.Estimate(2, 0)
		t.Logf("%s: %.3g events, %.3g MB (%s)", tc.name, est.Events, est.Bytes/(1<<20), est.BytesWhy)
		if err := s.CheckBudget(est, Budget{}); err != nil {
			t.Errorf("%s: refused: %v", tc.name, err)
		}
		if len(est.Stopping) != 1 || !strings.Contains(est.BytesWhy, "max_backlog_mb") {
			t.Errorf("%s: stopping %v, %q", tc.name, est.Stopping, est.BytesWhy)
		}
		// 11.2 M queued at 32 bytes: 341 MB, and the other state.
		if mb := est.Bytes / (1 << 20); mb < 341 || mb > 400 {
			t.Errorf("%s: %.0f MB", tc.name, mb)
		}
		// The stop comes after 11.2 M arrivals at most (the queue grows at
		// 990 or 900 a second), not the day's 86 M: 2 or 3 events each.
		if est.Events > 3*1000*float64(s.maxQueued())/900*1.01 || est.Events < float64(s.maxQueued()) {
			t.Errorf("%s: %.3g events", tc.name, est.Events)
		}
		// Lifted, the budget is the machine's: refused with --max-memory.
		lifted := decodeText(t, "name: e\nduration: 24h\nmax_backlog_mb: 100000\nworkload: {type: poisson, rate: 1000}\n"+tc.yaml)
		if err := lifted.CheckBudget(lifted.Estimate(2, 0), Budget{}); err == nil || !strings.Contains(err.Error(), "--max-memory") {
			t.Errorf("%s with max_backlog_mb 100000: %v", tc.name, err)
		}
	}
}
