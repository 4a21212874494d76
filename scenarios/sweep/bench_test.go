package sweep

import (
	"context"
	"testing"
)

// sweep100 is a 100-point grid (10 rates × 10 fleet sizes), one
// replication each, of Lambda against a fleet: about 1.3 million simulated
// requests per system.
const sweep100 = `name: sweep100
duration: 2m
workload: {type: poisson, rate: 20}
functions:
  - name: api
    memory_mb: 512
    exec: {dist: lognormal, median: 40ms, p99: 200ms}
systems:
  - name: lambda
    platform: aws-lambda-x86
  - name: vms
    platform: aws-ec2-m5.large
    instances: 1
    workers_per_instance: 8
sweep:
  axes:
    workload.rate: {from: 20, to: 200, step: 20}
    systems[vms].instances: {from: 1, to: 10}
`

// BenchmarkSweep100 is the wall time of a 100-point sweep; run with -cpu
// 1,2 for the parallel speed-up (the sweep's workers are GOMAXPROCS).
func BenchmarkSweep100(b *testing.B) {
	s, err := prepare(b, sweep100, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Points) != 100 {
		b.Fatalf("%d points", len(s.Points))
	}
	for b.Loop() {
		if _, err := s.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "points/s")
}
