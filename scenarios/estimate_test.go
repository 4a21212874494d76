package scenarios

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// liveBytes runs system 0 of s and returns the heap still live at the
// horizon (forced GC), above what was live before the system was built: the
// model state the estimate is about, at the end, where each case below has
// its peak (a backlog that grew all run, a burst still in flight, a fleet
// that never shrinks).
func liveBytes(t *testing.T, s *Scenario) float64 {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	src, err := s.NewSource(sim.Seed(s.Seed))
	if err != nil {
		t.Fatal(err)
	}
	sys, err := s.NewSystem(0, sim.Seed(s.Seed))
	if err != nil {
		t.Fatal(err)
	}
	acc := reports.NewAccumulator(len(s.Functions))
	var live uint64
	_, err = models.SimulateProgress(context.Background(), sys, src, s.Window(), acc, func(now sim.Time) {
		if now == s.Duration {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = ms.HeapAlloc
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(sys)
	if live < base {
		return 0
	}
	return float64(live - base)
}

// The estimate is on the high side of the model state a run holds, and
// within a factor of 25 of it, for each kind of state it counts.
func TestEstimateCovers(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		min        float64 // bytes the state is at least, so the case measures something
	}{
		// A static fleet of 200,000 instances.
		{"fleet", "duration: 1m\nworkload: {type: poisson, rate: 1}\nsystems: [{name: s, platform: aws-ec2-m5.large, instances: 200000}]\n", 4e6},
		// One worker under 2,000 requests/s for 60 s: a backlog of ~120,000.
		{"backlog", "duration: 1m\nworkload: {type: poisson, rate: 2000}\nsystems: [{name: s, platform: aws-ec2-m5.large, instances: 1}]\n", 2e6},
		// FaaS with no cap at 5,000 requests/s of 2 s: ~10,000 instances busy.
		{"faas-concurrency", "duration: 30s\nworkload: {type: poisson, rate: 5000}\nfunctions: [{name: f, exec: {dist: constant, value: 2s}}]\n" +
			"systems: [{name: l, type: faas, cold_start: {dist: constant, value: 100ms}, price_per_gb_second: 0, price_per_million_requests: 0}]\n", 1e6},
		// A burst of 100,000 calls at once, each running 10 minutes.
		{"burst", "duration: 30s\nworkload: {type: cron, every: 1m, fanout: 100000}\nfunctions: [{name: f, exec: {dist: constant, value: 10m}}]\n" +
			"systems: [{name: l, type: faas, cold_start: {dist: constant, value: 100ms}, price_per_gb_second: 0, price_per_million_requests: 0}]\n", 5e6},
		// A FaaS queue behind a cap of 5 instances at 1,000 requests/s.
		{"faas-queue", "duration: 1m\nworkload: {type: poisson, rate: 1000}\nsystems: [{name: l, platform: aws-lambda-x86, max_concurrency: 5, on_throttle: queue}]\n", 1e6},
		// An SQS queue two pollers drain at 20 messages/s, fed 2,000/s: ~119,000 waiting.
		{"sqs-queue", "duration: 1m\nworkload: {type: poisson, rate: 2000}\n" + sqsFunction + "systems: [{name: l, platform: aws-lambda-x86, timeout: 30s}]\n", 2e6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := decodeText(t, "name: e\n"+tc.yaml)
			est := s.Estimate(1, 0)
			got := liveBytes(t, s)
			t.Logf("estimate %.3g MB (%s), live at the end %.3g MB", est.Bytes/(1<<20), est.BytesWhy, got/(1<<20))
			if got < tc.min {
				t.Fatalf("live state %.3g B: the case measures nothing", got)
			}
			if est.Bytes < got || est.Bytes > 25*got {
				t.Errorf("estimate %.3g B for %.3g B live; want at least the live state and at most 25 times it", est.Bytes, got)
			}
			if !strings.Contains(est.BytesWhy, "system") {
				t.Errorf("the estimate does not say what dominates it: %q", est.BytesWhy)
			}
		})
	}
}

// The event estimate is within a factor of 3 of the events a run fires
// (arrivals dominate), and above it.
func TestEstimateEvents(t *testing.T) {
	s := decodeText(t, "name: e\nduration: 10m\nworkload: {type: poisson, rate: 200}\n"+
		"systems: [{name: l, platform: aws-lambda-x86}, {name: s, platform: aws-ec2-m5.large, instances: 4, workers_per_instance: 8}]\n")
	est := s.Estimate(1, 0)
	var fired uint64
	for i := range s.Systems {
		src, _ := s.NewSource(sim.Seed(s.Seed))
		sys, _ := s.NewSystem(i, sim.Seed(s.Seed))
		e := sim.New()
		sys.Start(e, reports.NewAccumulator(len(s.Functions)), s.Window())
		d := &feeder{sys: sys, src: src, h: s.Duration}
		if src.Next(&d.next) {
			e.Schedule(d.next.At, d, 0)
		}
		if err := e.Run(context.Background(), s.Duration); err != nil {
			t.Fatal(err)
		}
		fired += e.Fired()
	}
	t.Logf("estimate %.3g events, fired %d", est.Events, fired)
	if est.Events < float64(fired) || est.Events > 3*float64(fired) {
		t.Errorf("estimate %.3g events for %d fired; want at least as many and at most 3 times", est.Events, fired)
	}
}

// feeder offers a source's invocations to a system one at a time, as
// models' driver does, so the test can count the engine's events.
type feeder struct {
	sys       models.System
	src       workloads.Source
	h         sim.Time
	next, cur workloads.Invocation
}

func (f *feeder) Fire(e *sim.Engine, _ uint64) {
	f.cur = f.next
	f.sys.Arrive(e, &f.cur)
	if f.src.Next(&f.next) && f.next.At < f.h {
		e.Schedule(f.next.At, f, 0)
	}
}

// decodeText decodes a YAML scenario, failing the test on any problem.
func decodeText(t *testing.T, text string) *Scenario {
	t.Helper()
	doc, err := readBytes("e.yaml", "yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	s, err := doc.Decode()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
