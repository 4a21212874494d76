package scenarios

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"testing"
)

// bench1000 is the yardstick scenario: Poisson 1000 req/s, lognormal
// cold starts, a 10-minute keep-alive, one FaaS system.
const bench1000 = `
name: bench-poisson-1000
duration: %s
workload: {type: poisson, rate: 1000}
functions:
  - name: api
    memory_mb: 512
    exec: {dist: lognormal, median: 80ms, p99: 400ms}
systems:
  - name: lambda
    platform: aws-lambda-x86
    cold_start: {dist: lognormal, median: 250ms, p99: 1200ms}
    keep_alive: {policy: fixed, idle: 10m}
`

func loadBench(b *testing.B, duration string) *Scenario {
	path := filepath.Join(b.TempDir(), "bench.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(bench1000, duration)), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkRunPoisson1000 measures end-to-end simulated requests per wall
// second (scenario -> workload -> FaaS model -> accumulator -> result).
// Compare with ../shared/bench/bareloop on the same machine (target >= 1/4).
func BenchmarkRunPoisson1000(b *testing.B) {
	s := loadBench(b, "1000s")
	var reqs int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Run(context.Background(), RunOptions{Jobs: 1})
		if err != nil {
			b.Fatal(err)
		}
		reqs += res.Systems[0].Requests
	}
	b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkMemoryFlat reports the peak heap in use while simulating 1,000 s
// and 10,000 s of the same workload: the two must be about equal (memory
// does not grow with the number of requests).
func BenchmarkMemoryFlat(b *testing.B) {
	for _, d := range []string{"1000s", "10000s"} {
		b.Run(d, func(b *testing.B) {
			s := loadBench(b, d)
			for i := 0; i < b.N; i++ {
				runtime.GC()
				stop := sampleHeap()
				if _, err := s.Run(context.Background(), RunOptions{Jobs: 1}); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MiB")
			}
		})
	}
}

// TestProgress: the progress callback ends at 1 and never changes results.
func TestProgress(t *testing.T) {
	s, err := Open("steady-api")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last float64
	calls := 0
	withP, err := s.Run(context.Background(), RunOptions{Progress: func(d float64) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		last = max(last, d)
	}})
	if err != nil {
		t.Fatal(err)
	}
	without, _ := s.Run(context.Background(), RunOptions{})
	if calls < 10 || last != 1 {
		t.Errorf("%d progress calls, last %v; want many, ending at 1", calls, last)
	}
	if !reflect.DeepEqual(withP, without) {
		t.Error("results differ with a progress callback")
	}
}
