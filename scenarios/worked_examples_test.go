package scenarios

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// The providers' published worked examples that faasim models, each run as
// a simulation of the preset on the example's traffic and compared line by
// line, to the cent, with the page (read 2026-12-01; docs/platforms.md
// lists them, and notes the examples whose own arithmetic does not follow
// from the page's price table). The pages bill duration only, so the cold
// start is 0 here; each example's requests are spread evenly over its
// period, ending early enough that all complete in the window.

// evenly is n arrivals spread evenly over [0, span]: the k-th at k·span/(n−1).
type evenly struct {
	n, k int
	span sim.Time
}

func (a *evenly) Next() (sim.Time, bool) {
	if a.k >= a.n {
		return 0, false
	}
	t := sim.Time(math.Round(float64(a.k) * float64(a.span) / float64(a.n-1)))
	a.k++
	return t, true
}

// example simulates the scenario's one system on n requests spread over
// [0, span] in the window [0, horizon) and returns its bill by item.
func example(t *testing.T, yaml string, n int, span, horizon time.Duration) map[string]float64 {
	t.Helper()
	return exampleOn(t, yaml, &evenly{n: n, span: span}, n, models.Window{Horizon: horizon})
}

// spaced is n arrivals every step from 0.
type spaced struct {
	n, k int
	step sim.Time
}

func (a *spaced) Next() (sim.Time, bool) {
	if a.k >= a.n {
		return 0, false
	}
	a.k++
	return sim.Time(a.k-1) * a.step, true
}

// exampleOn simulates the scenario's one system on the arrivals over the
// window, checks that want requests completed in it and returns the bill by
// item (plus "total" and "monthly").
func exampleOn(t *testing.T, yaml string, arr workloads.Arrivals, want int, w models.Window) map[string]float64 {
	t.Helper()
	sc, err := Load(write(t, "example.yaml", yaml))
	if err != nil {
		t.Fatal(err)
	}
	sys, err := sc.NewSystem(0, sim.Seed(1))
	if err != nil {
		t.Fatal(err)
	}
	src, err := workloads.NewMixed(1, arr, sc.Functions, w.Horizon)
	if err != nil {
		t.Fatal(err)
	}
	acc := reports.NewAccumulator(len(sc.Functions))
	sum, err := models.Simulate(context.Background(), sys, src, w, acc)
	if err != nil {
		t.Fatal(err)
	}
	r := acc.Result(reports.SystemInfo{Name: "s", Type: sc.Systems[0].Type, Functions: []string{"f"}}, sum)
	if r.Completed != int64(want) {
		t.Fatalf("%d requests completed in the window, want %d", r.Completed, want)
	}
	items := map[string]float64{"total": sum.Cost.Total(), "monthly": sum.Cost.MonthlyUSD,
		"instances_max": float64(sum.Instances.Max)}
	for _, it := range sum.Cost.Items {
		items[it.Name] += it.USD
	}
	return items
}

// cents rounds to the cent, as the pages print their figures.
func cents(usd float64) float64 { return math.Round(usd*100) / 100 }

// lines checks each named bill line: the exact value (the page's arithmetic
// before rounding, 1e-9 relative) and the page's figure to the cent.
func lines(t *testing.T, got map[string]float64, want map[string][2]float64) {
	t.Helper()
	for k, w := range want {
		exact, page := w[0], w[1]
		if g := got[k]; math.Abs(g-exact) > 1e-9*math.Max(1, exact) || cents(g) != page {
			t.Errorf("%s: faasim $%.9f (%.2f), want $%.9f, the page's $%.2f", k, g, cents(g), exact, page)
		}
	}
}

const day = 24 * time.Hour

// Lambda pricing page, Example 1 (mobile application backend): 3 M requests
// a month of 120 ms at 1,536 MB on x86, free tier applied. Compute 3 M ×
// 0.12 s × 1.5 GB = 540,000 GB-s, less 400,000 free, × $0.0000166667 =
// $2.33; requests (3 M − 1 M) × $0.20/M = $0.40; total $2.73.
func TestLambdaPricingExample1(t *testing.T) {
	t.Parallel()
	got := example(t, `name: ex
duration: 720h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 1536, exec: {dist: constant, value: 120ms}}]
systems: [{name: s, platform: aws-lambda-x86, free_tier: true, cold_start: {dist: constant, value: 0s}}]
`, 3_000_000, 30*day-time.Second, 30*day)
	lines(t, got, map[string][2]float64{
		"compute":  {(540_000 - 400_000) * 0.0000166667, 2.33},
		"requests": {2 * 0.20, 0.40},
		"total":    {(540_000-400_000)*0.0000166667 + 0.40, 2.73},
	})
}

// Example 2 (enriching streaming telemetry): 10,000 vehicles × 24 × 31 =
// 7.44 M requests of 2 s at 1,024 MB in a 31-day month, no free tier applied
// by the page: requests 7.44 × $0.20 = $1.49 (1.488); compute 14.88 M GB-s ×
// $0.0000166667 = $248.00; total $249.49.
func TestLambdaPricingExample2(t *testing.T) {
	t.Parallel()
	got := example(t, `name: ex
duration: 744h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 1024, exec: {dist: constant, value: 2s}}]
systems: [{name: s, platform: aws-lambda-x86, cold_start: {dist: constant, value: 0s}}]
`, 7_440_000, 31*day-3*time.Second, 31*day)
	lines(t, got, map[string][2]float64{
		"requests": {7.44 * 0.20, 1.49},
		"compute":  {14_880_000 * 0.0000166667, 248.00},
		"total":    {7.44*0.20 + 14_880_000*0.0000166667, 249.49},
	})
}

// Example 3 (ML on support tickets): 6 M requests of 280 ms at 4,096 MB and
// 2,048 MB of ephemeral storage, free tier applied. Compute 6 M × 0.28 s ×
// 4 GB = 6,720,000 GB-s, less 400,000, × $0.0000166667 = $105.33; requests
// 5 M × $0.20 = $1.00; ephemeral storage 1,680,000 s × (2,048 − 512) MB =
// 2,520,000 GB-s × $0.0000000309 = $0.08; total $106.41.
func TestLambdaPricingExample3EphemeralStorage(t *testing.T) {
	t.Parallel()
	got := example(t, `name: ex
duration: 720h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 4096, ephemeral_storage_mb: 2048, exec: {dist: constant, value: 280ms}}]
systems: [{name: s, platform: aws-lambda-x86, free_tier: true, cold_start: {dist: constant, value: 0s}}]
`, 6_000_000, 30*day-time.Second, 30*day)
	compute, eph := (6_720_000-400_000)*0.0000166667, 2_520_000*0.0000000309
	lines(t, got, map[string][2]float64{
		"compute":           {compute, 105.33},
		"requests":          {5 * 0.20, 1.00},
		"ephemeral_storage": {eph, 0.08},
		"total":             {compute + 1 + eph, 106.41},
	})
}

// Provisioned concurrency, Example 1 (mobile application launch): 3 M
// requests in the month at 1,536 MB; on launch day, provisioned concurrency
// 100 from noon to 8 p.m. serves 500,000 requests of 100 ms; the other
// 2.5 M run on demand, 120 ms each, with the free tier:
//
//	provisioned 100 × 1.5 GB × 28,800 s = 4.32 M GB-s × $0.0000041667 = $18.00
//	compute on provisioned 50,000 s × 1.5 GB = 75,000 GB-s × $0.0000097222 = $0.73
//	compute on demand 2.5 M × 0.12 s × 1.5 GB = 450,000 GB-s, less 400,000, × $0.0000166667 = $0.83
//	requests (3 M − 1 M free) × $0.20/M = $0.40; total $19.96.
//
// faasim runs the eight hours (constant provisioned concurrency, no free
// tier, as the page says of provisioned functions) and the month of
// on-demand traffic (free tier on) separately: allowances subtract from
// sums, so the request line is 0.5 M × $0.20 + (2.5 M − 1 M) × $0.20 =
// $0.40 either way.
func TestLambdaProvisionedExample1(t *testing.T) {
	t.Parallel()
	launch := example(t, `name: launch
duration: 8h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 1536, exec: {dist: constant, value: 100ms}}]
systems: [{name: s, platform: aws-lambda-x86, cold_start: {dist: constant, value: 0s}, keep_alive: {policy: provisioned, instances: 100}}]
`, 500_000, 8*time.Hour-time.Second, 8*time.Hour)
	month := example(t, `name: month
duration: 720h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 1536, exec: {dist: constant, value: 120ms}}]
systems: [{name: s, platform: aws-lambda-x86, free_tier: true, cold_start: {dist: constant, value: 0s}}]
`, 2_500_000, 30*day-time.Second, 30*day)
	lines(t, launch, map[string][2]float64{
		"provisioned":         {4_320_000 * 0.0000041667, 18.00},
		"provisioned_compute": {75_000 * 0.0000097222, 0.73},
		"compute":             {0, 0},
	})
	lines(t, month, map[string][2]float64{"compute": {50_000 * 0.0000166667, 0.83}})
	requests := launch["requests"] + month["requests"]
	total := launch["total"] + month["total"]
	lines(t, map[string]float64{"requests": requests, "total": total}, map[string][2]float64{
		"requests": {0.40, 0.40},
		"total":    {4_320_000*0.0000041667 + 75_000*0.0000097222 + 50_000*0.0000166667 + 0.40, 19.96},
	})
}

// Provisioned concurrency, Example 2 (Cyber Monday): 2 M requests of 280 ms
// at 4,096 MB during the 24 hours of a sale, provisioned concurrency 7 (it
// serves all of them: 7 × 43.2 ms > 280 ms), no free tier:
//
//	provisioned 7 × 4 GB × 86,400 s = 2,419,200 GB-s × $0.0000041667 = $10.08
//	compute 2 M × 0.28 s × 4 GB = 2,240,000 GB-s × $0.0000097222 = $21.78
//	requests 2 M × $0.20/M = $0.40; total $32.26.
func TestLambdaProvisionedExample2(t *testing.T) {
	t.Parallel()
	got := example(t, `name: sale
duration: 24h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 4096, exec: {dist: constant, value: 280ms}}]
systems: [{name: s, platform: aws-lambda-x86, cold_start: {dist: constant, value: 0s}, keep_alive: {policy: provisioned, instances: 7}}]
`, 2_000_000, day-time.Second, day)
	lines(t, got, map[string][2]float64{
		"provisioned":         {2_419_200 * 0.0000041667, 10.08},
		"provisioned_compute": {2_240_000 * 0.0000097222, 21.78},
		"compute":             {0, 0},
		"requests":            {0.40, 0.40},
		"total":               {2_419_200*0.0000041667 + 2_240_000*0.0000097222 + 0.40, 32.26},
	})
}

// Cloud Run pricing page, Example 4 (lightweight FaaS for image resizing):
// request-based billing, 10 M requests a month of 200 ms, 0.167 vCPU,
// 256 MiB, one request per instance. With the free tier: vCPU 10 M × 0.2 s ×
// 0.167 = 334,000 vCPU-s, less 180,000, × $0.000024 = $3.696; memory
// 500,000 GiB-s, less 360,000, × $0.0000025 = $0.35; requests (10 M − 2 M) ×
// $0.40/M = $3.20: $7.25, the page's figure. "Without the vCPU/Memory free
// tier" (the request allowance kept): $8.016 + $1.25 + $3.20 = $12.47, the
// page's too. faasim simulates a tenth of the month (1 M requests in 72 h,
// allowances pro rata) and compares the monthly estimate, bill × 10.
func TestCloudRunPricingExample4(t *testing.T) {
	t.Parallel()
	run := func(extra string) map[string]float64 {
		return example(t, `name: ex
duration: 72h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 256, exec: {dist: constant, value: 200ms}}]
systems: [{name: s, platform: gcp-cloud-run, free_tier: true, vcpu: 0.167, instance_concurrency: 1, cold_start: {dist: constant, value: 0s}`+extra+`}]
`, 1_000_000, 3*day-time.Second, 3*day)
	}
	got := run("")
	lines(t, map[string]float64{"monthly": got["monthly"]}, map[string][2]float64{
		"monthly": {(334_000-180_000)*0.000024 + (500_000-360_000)*0.0000025 + 8*0.40, 7.25},
	})
	got = run(", free_vcpu_seconds_per_month: 0, free_gb_seconds_per_month: 0")
	lines(t, map[string]float64{"monthly": got["monthly"]}, map[string][2]float64{
		"monthly": {334_000*0.000024 + 500_000*0.0000025 + 8*0.40, 12.47},
	})
}

// Cloud Run pricing page, Example 2 (single concurrency, CPU-intensive): 10 M
// requests of 400 ms, 1 vCPU, 512 MiB, one request per instance. The page
// says $81.72 ($86.49 without the vCPU/memory free tier); its own table gives
// vCPU 4 M vCPU-s, less 180,000, × $0.000024 = $91.68, memory 2 M GiB-s,
// less 360,000, × $0.0000025 = $4.10, requests 8 M × $0.40 = $3.20: $98.98
// ($96 + $5 + $3.20 = $104.20 without). faasim follows the table; the page's
// figures are noted in docs/platforms.md.
func TestCloudRunPricingExample2(t *testing.T) {
	t.Parallel()
	run := func(extra string) float64 {
		return example(t, `name: ex
duration: 72h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 512, exec: {dist: constant, value: 400ms}}]
systems: [{name: s, platform: gcp-cloud-run, free_tier: true, instance_concurrency: 1, cold_start: {dist: constant, value: 0s}`+extra+`}]
`, 1_000_000, 3*day-time.Second, 3*day)["monthly"]
	}
	lines(t, map[string]float64{"with": run(""), "without": run(", free_vcpu_seconds_per_month: 0, free_gb_seconds_per_month: 0")},
		map[string][2]float64{
			"with":    {(4_000_000-180_000)*0.000024 + (2_000_000-360_000)*0.0000025 + 8*0.40, 98.98},
			"without": {4_000_000*0.000024 + 2_000_000*0.0000025 + 8*0.40, 104.20},
		})
}

// Cloud Run pricing page, Example 5 (batch job): 730 executions a month of
// one minute each, 1 vCPU, 512 MiB, instance-based rates (a job is billed
// "for the entire lifetime of any instance started, with a minimum of 1
// minute"). With the free tier (240,000 vCPU-s, 450,000 GiB-s) it costs
// $0.00, as the page says; without it the table gives 43,800 vCPU-s ×
// $0.000018 + 21,900 GiB-s × $0.000002 = $0.83, where the page says $0.45.
func TestCloudRunPricingExample5(t *testing.T) {
	t.Parallel()
	run := func(free string) float64 {
		return example(t, `name: ex
duration: 720h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 512, exec: {dist: constant, value: 1m}}]
systems: [{name: s, platform: gcp-cloud-run-instance, free_tier: `+free+`, instance_concurrency: 1, keep_alive: {policy: none}, cold_start: {dist: constant, value: 0s}}]
`, 730, 30*day-2*time.Minute, 30*day)["total"]
	}
	lines(t, map[string]float64{"with": run("true"), "without": run("false")}, map[string][2]float64{
		"with":    {0, 0},
		"without": {43_800*0.000018 + 21_900*0.000002, 0.83},
	})
}

// Azure Functions, the Consumption rule: "memory usage is rounded up to the
// nearest 128-MB bucket. When your process is using 160 MB, you're charged
// for 256 MB", execution time to 1 ms with a 100 ms minimum. 1 M executions
// of 50 ms at 160 MB bill 1 M × 0.1 s × 0.25 GB = 25,000 GB-s × $0.000016 =
// $0.40, and 1 M × $0.20/M = $0.20 (no free grant).
func TestAzureConsumptionRule(t *testing.T) {
	t.Parallel()
	got := example(t, `name: ex
duration: 24h
workload: {type: poisson, rate: 1}
functions: [{name: f, memory_mb: 160, exec: {dist: constant, value: 50ms}}]
systems: [{name: s, platform: azure-functions-consumption, cold_start: {dist: constant, value: 0s}}]
`, 1_000_000, day-time.Second, day)
	lines(t, got, map[string][2]float64{
		"compute":  {25_000 * 0.000016, 0.40},
		"requests": {0.20, 0.20},
	})
}

// Azure Flex Consumption, Microsoft's IO-bound example: 40 requests/s, 10 in
// flight at once, all on one 2,048 MB instance (concurrency 10), no free
// grant: the instance is active the whole hour, 2 GB × 3,600 s = 7,200 GB-s
// × $0.000026 = $0.1872; executions 144,000 × $0.40/M = $0.0576; "$0.245"
// an hour (to a tenth of a cent). faasim measures the second hour of a
// steady run (arrivals every 25 ms, each ending as the tenth next arrives):
// one instance, busy the whole window; the nine requests still running at
// its end are not billed yet (143,991 executions: the one ending at the horizon counts).
func TestFlexConsumptionExample(t *testing.T) {
	t.Parallel()
	got := exampleOn(t, `name: ex
duration: 2h
workload: {type: poisson, rate: 1}
functions: [{name: f, exec: {dist: constant, value: 250ms}}]
systems: [{name: s, platform: azure-functions-flex, instance_concurrency: 10, cold_start: {dist: constant, value: 0s}}]
`, &spaced{n: 2 * 144_000, step: 25 * time.Millisecond}, 143_991, models.Window{Warmup: time.Hour, Horizon: 2 * time.Hour})
	if got["instances_max"] != 1 {
		t.Errorf("%v instances, want 1", got["instances_max"])
	}
	lines(t, got, map[string][2]float64{
		"compute":  {7200 * 0.000026, 0.19},
		"requests": {0.143991 * 0.40, 0.06},
	})
	if exact := 7200*0.000026 + 0.143991*0.40; math.Abs(got["total"]-exact) > 1e-12 || math.Round(got["total"]*1000)/1000 != 0.245 {
		t.Errorf("total $%.9f, want $%.9f, the page's $0.245", got["total"], exact)
	}
}
