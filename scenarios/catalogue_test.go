package scenarios

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// billWorkload is the small deterministic workload every preset is billed
// on: 1 request/s for 100 s (arrivals at 0, 1, ..., 99 s), 123.4 ms of
// execution, 200 MB, a 250 ms cold start and instances kept forever, so one
// instance serves everything and only the request at 0 s is cold.
const billWorkload = `name: bill
duration: 100s
workload: {type: constant, rate: 1}
functions: [{name: f, memory_mb: 200, exec: {dist: constant, value: 123.4ms}}]
`

// window is the measured window as a share of the 30-day month the free
// allowances and volume tiers refer to.
const frac = 100.0 / (30 * 24 * 3600)

// TestPresetBills bills the workload on every preset; each expected value
// is the providers' rule written as arithmetic. Tolerance 1e-12 USD, far
// below one granule of any preset (1 ms × 0.125 GB × $0.000016 = 2e-9).
func TestPresetBills(t *testing.T) {
	const gb = 200.0 / 1024 // memory in GB (1 GB = 1024 MB)
	// Per-request, 1 ms, init billed: the cold request ceil(250 + 123.4) =
	// 374 ms, the 99 warm ones ceil(123.4) = 124 ms.
	const lambdaSeconds = (374 + 99*124) / 1000.0
	tests := []struct {
		name     string
		system   string // YAML of the one system
		compute  float64
		requests float64
		baseline float64
	}{
		{"lambda x86", "{name: s, platform: aws-lambda-x86, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			lambdaSeconds * gb * 0.0000166667, 100 * 0.20 / 1e6, 0},
		// Free tier: 400,000 GB-s a month covers the 2.47 GB-s; of 1M free
		// requests a month, 1e6 × frac ≈ 38.6 fall in the window.
		{"lambda x86 free tier", "{name: s, platform: aws-lambda-x86, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			0, (100 - 1e6*frac) * 0.20 / 1e6, 0},
		{"lambda arm", "{name: s, platform: aws-lambda-arm, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			lambdaSeconds * gb * 0.0000133334, 100 * 0.20 / 1e6, 0},
		// GCF gen1: init not billed; 123.4 ms rounds up to 200 ms: 100 × 0.2 s
		// = 20 s at the 256 MB tier (0.25 GB, 0.4 GHz).
		{"gcf gen1", "{name: s, platform: gcp-functions-gen1, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			20*0.25*0.0000025 + 20*0.4*0.00001, 100 * 0.40 / 1e6, 0},
		// Free: 400,000 GB-s covers 5 GB-s; 200,000 GHz-s × frac = 7.72 of 8
		// GHz-s; 2M requests × frac = 77.2 of 100.
		{"gcf gen1 free tier", "{name: s, platform: gcp-functions-gen1, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(20*0.4 - 200000*frac) * 0.00001, (100 - 2e6*frac) * 0.40 / 1e6, 0},
		// Cloud Run request-based: the instance is busy 0-373.4 ms (its start
		// and the first request) -> 400 ms, then 99 periods of 123.4 -> 200 ms:
		// 20.2 s of 1 vCPU and 200 MB.
		{"cloud run", "{name: s, platform: gcp-cloud-run, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			20.2*0.000024 + 20.2*gb*0.0000025, 100 * 0.40 / 1e6, 0},
		// Free: 180,000 vCPU-s × frac = 6.94 of 20.2; 360,000 GiB-s covers
		// 3.95; 2M requests × frac = 77.2 of 100.
		{"cloud run free tier", "{name: s, platform: gcp-cloud-run, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(20.2 - 180000*frac) * 0.000024, (100 - 2e6*frac) * 0.40 / 1e6, 0},
		// One min instance: billed at the active rate while it serves (as
		// above) and at the idle rate only while it has no request: busy
		// 0-373.4 ms (its start, with the first request waiting, and the
		// request) and 123.4 ms for each of the 99 others, 12.59 s; idle the
		// other 87.41 s of the 100.
		{"cloud run min instance", "{name: s, platform: gcp-cloud-run, min_instances: 1, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(0.4+99*0.2)*0.000024 + (0.4+99*0.2)*gb*0.0000025, 100 * 0.40 / 1e6, (100 - 0.3734 - 99*0.1234) * (gb*0.0000025 + 0.0000025)},
		// Billed for the whole window instead (baseline_idle_only: false, as
		// Azure Flex bills always-ready instances): the idle rate on its 12.59 s
		// busy too, 100 / 87.41 = 1.144 times the baseline above.
		{"cloud run min instance, whole window", "{name: s, platform: gcp-cloud-run, min_instances: 1, baseline_idle_only: false, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(0.4+99*0.2)*0.000024 + (0.4+99*0.2)*gb*0.0000025, 100 * 0.40 / 1e6, 100 * (gb*0.0000025 + 0.0000025)},
		// Cloud Run instance-based: the one instance lives the whole 100 s.
		{"cloud run instance-based", "{name: s, platform: gcp-cloud-run-instance, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			100*0.000018 + 100*gb*0.000002, 0, 0},
		// Keep-alive none: each request has its own instance, living 250 +
		// 123.4 = 373.4 ms, billed the one-minute minimum: 100 × 60 s.
		{"cloud run instance-based minimum", "{name: s, platform: gcp-cloud-run-instance, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: none}}",
			6000*0.000018 + 6000*gb*0.000002, 0, 0},
		// Its own free tier: 240,000 vCPU-s and 450,000 GiB-s a month, pro
		// rata: 9.26 of the 100 vCPU-s and 17.4 of the 19.5 GiB-s are free.
		{"cloud run instance-based free tier", "{name: s, platform: gcp-cloud-run-instance, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(100-240000*frac)*0.000018 + (100*gb-450000*frac)*0.000002, 0, 0},
		// Azure Consumption: 200 MB is billed as 256 MB (128 MB steps); 1 ms
		// steps, so 12.65 s as Lambda.
		{"azure consumption", "{name: s, platform: azure-functions-consumption, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			lambdaSeconds * 0.25 * 0.000016, 100 * 0.20 / 1e6, 0},
		// The 100 ms minimum: 50 ms requests are billed 100 ms (the cold one
		// 300 ms); 1,500 MB rounds up to 1,536 MB (the platform refuses
		// more, so the 1,536 MB cap is checked in package models).
		{"azure consumption minimum", "{name: s, platform: azure-functions-consumption, memory_mb: 1500, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			0, 100 * 0.20 / 1e6, 0}, // compute filled below (exec differs)
		{"azure consumption free tier", "{name: s, platform: azure-functions-consumption, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			0, (100 - 1e6*frac) * 0.20 / 1e6, 0},
		// Flex: instances of 2,048 MB, billed while they execute, each
		// activity period rounded up to 100 ms and at least 1 s. With one
		// always-ready instance the request at 0 s joins it while it starts
		// (0 to 373.4 ms -> 1 s); the 99 others run 123.4 ms each (-> 1 s):
		// 100 s × 2 GB; baseline 100 s × 2 GB × $0.000004.
		{"azure flex", "{name: s, platform: azure-functions-flex, min_instances: 1, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			100 * 1.0 * 2 * 0.000026, 100 * 0.40 / 1e6, 100 * 2 * 0.000004},
		// Its on-demand free grant (100,000 GB-s and 250,000 executions a
		// month) with no always-ready instance: the first request's period
		// is its instance's start and itself, 373.4 ms -> 1 s, like the rest.
		{"azure flex free grant", "{name: s, platform: azure-functions-flex, free_tier: true, cold_start: {dist: constant, value: 250ms}, keep_alive: {policy: forever}}",
			(100*2 - 100000*frac) * 0.000026, (100 - 250000*frac) * 0.40 / 1e6, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := billWorkload
			if tt.name == "azure consumption minimum" {
				body = strings.Replace(body, "123.4ms", "50ms", 1)
				// cold: 250 + 50 = 300 ms; warm: 50 ms -> the 100 ms minimum;
				// 1,500 MB -> 1,536 MB = 1.5 GB.
				tt.compute = (0.3 + 99*0.1) * 1.5 * 0.000016
			}
			s := runBill(t, body+"systems: ["+tt.system+"]\n")
			checkBill(t, s, tt.compute, tt.requests, tt.baseline)
		})
	}
}

// TestServerPresetBills: servers bill instance-seconds with a 60 s minimum
// (EC2) or vCPU- and GB-hours (Fargate) for the measured window. Relative
// tolerance 1e-8: results.json keeps 9 significant digits.
func TestServerPresetBills(t *testing.T) {
	tests := []struct {
		system string
		usd    float64
	}{
		{"{name: s, platform: aws-ec2-t3.small, instances: 2}", 2 * 100.0 / 3600 * 0.0208},
		{"{name: s, platform: aws-ec2-t4g.small, instances: 1}", 100.0 / 3600 * 0.0168},
		{"{name: s, platform: aws-ec2-t3.medium, instances: 1}", 100.0 / 3600 * 0.0416},
		{"{name: s, platform: aws-ec2-t3.large, instances: 1}", 100.0 / 3600 * 0.0832},
		{"{name: s, platform: aws-ec2-m5.large, instances: 1}", 100.0 / 3600 * 0.096},
		{"{name: s, platform: aws-ec2-m6i.large, instances: 1}", 100.0 / 3600 * 0.095},
		{"{name: s, platform: aws-ec2-c6g.large, instances: 1}", 100.0 / 3600 * 0.068},
		{"{name: s, platform: aws-ec2-m7g.large, instances: 1}", 100.0 / 3600 * 0.0816},
		// Fargate: 0.5 vCPU and 1 GB per task, two tasks.
		{"{name: s, platform: aws-fargate-x86, instances: 2, vcpu: 0.5, memory_gb: 1}", 2 * 100.0 / 3600 * (0.5*0.04048 + 1*0.004445)},
		{"{name: s, platform: aws-fargate-arm, instances: 2, vcpu: 0.5, memory_gb: 1}", 2 * 100.0 / 3600 * (0.5*0.03238 + 1*0.00356)},
	}
	for _, tt := range tests {
		s := runBill(t, billWorkload+"systems: ["+tt.system+"]\n")
		if math.Abs(s.total-tt.usd) > 1e-8*tt.usd {
			t.Errorf("%s: total %.12g, want %.12g", tt.system, s.total, tt.usd)
		}
		// A month of the fleet is 720 h.
		if math.Abs(s.monthly-tt.usd*30*24*36) > 1e-8*tt.usd*30*24*36 {
			t.Errorf("%s: monthly %.12g, want %.12g", tt.system, s.monthly, tt.usd*30*24*36)
		}
	}
}

type bill struct {
	breakdown      map[string]float64
	total, monthly float64
}

func runBill(t *testing.T, yaml string) bill {
	t.Helper()
	sc, err := Load(write(t, "s.yaml", yaml))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sc.Run(context.Background(), RunOptions{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Systems[0]
	if r.Completed != 100 {
		t.Fatalf("%d completed, want 100", r.Completed)
	}
	return bill{r.CostUSD.Breakdown, r.CostUSD.Total, r.CostUSD.MonthlyEstimate}
}

// checkBill compares with a relative tolerance of 1e-8 (results.json keeps
// 9 significant digits) or 1e-15 USD absolute.
func checkBill(t *testing.T, s bill, compute, requests, baseline float64) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-15+1e-8*math.Abs(b) }
	if !near(s.breakdown["compute"], compute) || !near(s.breakdown["requests"], requests) || !near(s.breakdown["baseline"], baseline) {
		t.Errorf("compute %.12g requests %.12g baseline %.12g; want %.12g, %.12g, %.12g",
			s.breakdown["compute"], s.breakdown["requests"], s.breakdown["baseline"], compute, requests, baseline)
	}
	total := compute + requests + baseline
	if !near(s.total, total) {
		t.Errorf("total %.12g, want %.12g", s.total, total)
	}
	// Tiers and allowances are pro rata, so a month of the same traffic is
	// the bill × 30 days / 100 s.
	if !near(s.monthly, total/frac) {
		t.Errorf("monthly %.12g, want %.12g", s.monthly, total/frac)
	}
}

// TestLambdaArmTiers: the Arm duration tiers are $0.0000133334 per GB-s for
// the first 7.5 B GB-s a month, $0.0000120001 for the next 11.25 B and
// $0.0000106667 beyond 18.75 B, thresholds pro rata to the window. 1,000
// requests/s of 1 s at 10,240 MB for 100 s bill 10 GB-s each, about 1 M
// GB-s, past the third threshold (18.75e9 × 100 s / 30 days = 723,380 GB-s).
func TestLambdaArmTiers(t *testing.T) {
	sc, err := Load(write(t, "s.yaml", `name: tiers
duration: 100s
workload: {type: constant, rate: 1000}
functions: [{name: f, memory_mb: 10240, exec: {dist: constant, value: 1s}}]
systems:
  - {name: s, platform: aws-lambda-arm, cold_start: {dist: constant, value: 0s}, account_concurrency: 0, burst_rate: 0, keep_alive: {policy: forever}}
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sc.Run(context.Background(), RunOptions{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Systems[0]
	gbs := float64(r.Completed) * 10 // every completed request: 1 s × 10 GB
	t1, t2 := 7.5e9*frac, 18.75e9*frac
	want := t1*0.0000133334 + (t2-t1)*0.0000120001 + (gbs-t2)*0.0000106667
	if gbs <= t2 {
		t.Fatalf("%g GB-s does not reach the third tier (%g)", gbs, t2)
	}
	if got := r.CostUSD.Breakdown["compute"]; math.Abs(got-want) > 1e-8*want {
		t.Errorf("%d requests, %g GB-s: compute $%.9g, want $%.9g (two tiers would give $%.9g)", r.Completed, gbs, got, want,
			t1*0.0000133334+(gbs-t1)*0.0000120001)
	}
}

// TestCloudRunPendingQueue: beyond max instances Cloud Run queues a request
// for at most 10 s, then answers 429. Two instances of one request each
// serve 2 requests/s of 1 s; 3 arrive each second for 10 minutes. With the
// preset's bound, once waits reach 10 s (the k-th arrival waits about k/6
// s: from about 20 s on) one arrival in three is rejected, 1 a second: about
// 570 of the 1,800 (600 s less the first 20 and the last 10, whose requests
// are still queued at the end), and no request takes more than 10 s queued
// + 1 s; without it (queue_timeout: 0)
// nothing is rejected, the queue grows by one a second and the last request
// to complete (arrived at 400 s) took 200 s; the later ones are still queued
// at the end.
func TestCloudRunPendingQueue(t *testing.T) {
	run := func(extra string) (rejected int64, maxMS float64) {
		sc, err := Load(write(t, "s.yaml", `name: overload
duration: 600s
workload: {type: constant, rate: 3}
functions: [{name: f, exec: {dist: constant, value: 1s}}]
systems: [{name: s, platform: gcp-cloud-run, max_concurrency: 2, instance_concurrency: 1, cold_start: {dist: constant, value: 0s}`+extra+`}]
`))
		if err != nil {
			t.Fatal(err)
		}
		res, err := sc.Run(context.Background(), RunOptions{Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Systems[0]
		return r.Rejected, r.LatencyMS.Max
	}
	rej, worst := run("")
	if rej < 560 || rej > 580 || worst > 11000 {
		t.Errorf("10 s bound: %d rejected, worst latency %v ms; want about 570 and at most 11 s", rej, worst)
	}
	rej, worst = run(", queue_timeout: 0s")
	if rej != 0 || worst < 199_000 {
		t.Errorf("no bound: %d rejected, worst %v ms; want 0 and about 200 s", rej, worst)
	}
}

// TestAzureTimeouts: Consumption runs a function 5 minutes by default and
// 10 at most, on up to 200 instances (Windows; 100 on Linux); Flex 30
// minutes by default, up to 1,000 instances (the service limits table,
// read 2026-12-01). A longer timeout is refused at the system's key.
func TestAzureTimeouts(t *testing.T) {
	for _, tt := range []struct {
		system    string
		want      time.Duration
		instances int
	}{
		{"{name: a, platform: azure-functions-consumption}", 5 * time.Minute, 200},
		{"{name: a, platform: azure-functions-consumption, timeout: 10m}", 10 * time.Minute, 200},
		{"{name: a, platform: azure-functions-flex}", 30 * time.Minute, 1000},
	} {
		sc, err := Load(write(t, "s.yaml", head+"systems: ["+tt.system+"]\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Systems[0].FaaS; got.Timeout != tt.want || got.MaxConcurrency != tt.instances {
			t.Errorf("%s: timeout %v, %d instances; want %v, %d", tt.system, got.Timeout, got.MaxConcurrency, tt.want, tt.instances)
		}
	}
	find(t, problems(t, "s.yaml", head+"systems: [{name: a, platform: azure-functions-consumption, timeout: 11m}]\n"),
		"systems[0].timeout", "11m0s exceeds platform azure-functions-consumption's limit", "10m0s")
}

// TestEphemeralStorageLimit: Lambda's ephemeral storage is 512 to 10,240
// MB; beyond, an error naming the function, or with override_limits a
// warning and a run.
func TestEphemeralStorageLimit(t *testing.T) {
	fns := "functions: [{name: f, ephemeral_storage_mb: 20480}]\n"
	find(t, problems(t, "s.yaml", head+fns+"systems: [{name: l, platform: aws-lambda-x86}]\n"),
		"functions[0].ephemeral_storage_mb", "20480 MB of ephemeral storage is outside what platform aws-lambda-x86", "512 to 10240",
		"override_limits")
	sc, err := Load(write(t, "s.yaml", head+fns+"systems: [{name: l, platform: aws-lambda-x86, override_limits: [ephemeral_storage_mb]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Warnings) != 1 || !strings.Contains(sc.Warnings[0].Msg, "simulated anyway") {
		t.Errorf("warnings %v, want one saying it is simulated anyway", sc.Warnings)
	}
}
