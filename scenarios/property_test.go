package scenarios

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/faasim/faasim/reports"
)

// Invariants under random valid scenarios: every generated scenario must
// validate (a refusal is a bug of the decoder or of the generator), and its
// run must conserve requests (requests = completed + rejected + timed out +
// in flight), have no negative count or cost, a cost equal to the sum of its
// breakdown, time series that add up to the totals exactly, and the same
// bytes for the same seed whatever the number of jobs.

var propertyN = flag.Int("property.n", 40, "random scenarios in TestRandomScenarioInvariants")

// gen writes one random valid scenario.
type gen struct{ r *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) f(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

// logf is uniform in log between lo and hi.
func (g gen) logf(lo, hi float64) float64 {
	return math.Exp(g.f(math.Log(lo), math.Log(hi)))
}

func (g gen) ms(lo, hi float64) string { return fmt.Sprintf("%.3fms", g.logf(lo, hi)) }

func (g gen) dist(lo, hi float64) string {
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("{dist: constant, value: %s}", g.ms(lo, hi))
	case 1:
		return fmt.Sprintf("{dist: exponential, mean: %s}", g.ms(lo, hi))
	case 2:
		med := g.logf(lo, hi)
		return fmt.Sprintf("{dist: lognormal, median: %.3fms, p99: %.3fms}", med, med*g.logf(1.1, 20))
	case 3:
		return fmt.Sprintf("{dist: gamma, mean: %s, cv: %.2f}", g.ms(lo, hi), g.logf(0.2, 3))
	}
	a := g.logf(lo, hi)
	return fmt.Sprintf("{dist: empirical, percentiles: {0: %.3fms, 50: %.3fms, 99: %.3fms, 100: %.3fms}}", a/2, a, 4*a, 8*a)
}

func (g gen) workload() string {
	rate := func() float64 { return g.logf(0.05, 40) }
	switch g.pick("poisson", "constant", "mmpp", "onoff", "diurnal", "spike", "cron", "ramp", "mix") {
	case "constant":
		return fmt.Sprintf("{type: constant, rate: %.3f}", rate())
	case "mmpp":
		return fmt.Sprintf("{type: mmpp, states: [{rate: %.3f, mean_sojourn: %s}, {rate: %.3f, mean_sojourn: %s}]}",
			rate(), g.pick("10s", "1m", "5m"), g.f(0, 5), g.pick("30s", "2m"))
	case "onoff":
		return fmt.Sprintf("{type: onoff, rate: %.3f, on: %s, off: %s}", rate(), g.pick("5s", "30s", "1m"), g.pick("10s", "1m"))
	case "diurnal":
		return fmt.Sprintf("{type: diurnal, trough: %.3f, peak: %.3f, period: %s, peak_at: 3m}", g.f(0, 1), 1+rate(), g.pick("10m", "30m"))
	case "spike":
		return fmt.Sprintf("{type: spike, rate: %.3f, multiplier: %.1f, at: 2m, length: %s}", rate(), g.logf(1.5, 20), g.pick("30s", "2m"))
	case "cron":
		return fmt.Sprintf("{type: cron, every: %s, fanout: %d, jitter: %s}", g.pick("30s", "1m", "5m"), 1+g.r.IntN(50), g.pick("0s", "1s", "10s"))
	case "ramp":
		return fmt.Sprintf("{type: ramp, from: %.3f, to: %.3f, length: 5m}", g.f(0, 2), rate())
	case "mix":
		return fmt.Sprintf("{type: mix, components: [{type: poisson, rate: %.3f}, {type: cron, every: 1m, fanout: %d}]}", rate(), 1+g.r.IntN(10))
	}
	return fmt.Sprintf("{type: poisson, rate: %.3f}", rate())
}

func (g gen) keepAlive() string {
	switch g.r.IntN(8) {
	case 0:
		return "{policy: none}"
	case 1:
		return "{policy: forever}"
	case 2:
		return fmt.Sprintf("{policy: random, idle: %s}", g.dist(1e3, 6e5))
	case 3:
		return fmt.Sprintf("{policy: provisioned, instances: %d}", g.r.IntN(3))
	case 4:
		return fmt.Sprintf("{policy: ping, every: %s, concurrency: %d}", g.pick("1m", "5m"), 1+g.r.IntN(2))
	case 5:
		return fmt.Sprintf("{policy: hybrid-histogram, bin: %s, range: 1h, min_samples: 2}", g.pick("10s", "1m"))
	}
	return fmt.Sprintf("{policy: fixed, idle: %s}", g.pick("30s", "5m", "10m"))
}

func (g gen) system(i int) string {
	name := fmt.Sprintf("s%d", i)
	if g.r.IntN(2) == 0 {
		keys := []string{"name: " + name}
		if g.r.IntN(3) == 0 {
			keys = append(keys, "type: faas", "cold_start: "+g.dist(10, 2000), "price_per_gb_second: 0.00002", "price_per_million_requests: 0.3")
		} else {
			keys = append(keys, "platform: "+g.pick("aws-lambda-x86", "aws-lambda-arm", "gcp-cloud-run", "azure-functions-consumption"))
		}
		keys = append(keys, "keep_alive: "+g.keepAlive())
		if g.r.IntN(2) == 0 {
			keys = append(keys, fmt.Sprintf("max_concurrency: %d", 3+g.r.IntN(6)), "on_throttle: "+g.pick("reject", "queue")) // at least the provisioned count
		}
		if g.r.IntN(3) == 0 {
			keys = append(keys, "timeout: "+g.pick("1s", "5s", "30s"))
		}
		return "{" + strings.Join(keys, ", ") + "}"
	}
	keys := []string{"name: " + name, "platform: " + g.pick("aws-ec2-m5.large", "aws-ec2-t3.small", "aws-fargate-x86"),
		fmt.Sprintf("workers_per_instance: %d", 1+g.r.IntN(8))}
	switch g.r.IntN(4) {
	case 0:
		keys = append(keys, fmt.Sprintf("boot: %s, autoscale: {target: %.2f, max: %d, interval: 30s, scale_out_cooldown: 30s, scale_in_cooldown: 60s}",
			g.dist(1e3, 6e4), g.f(0.3, 0.9), 1+g.r.IntN(6)))
	case 1:
		keys = append(keys, fmt.Sprintf(`boot: {dist: constant, value: 10s}, schedule: [{at: "00:00", instances: %d}, {at: "00:04", instances: %d}]`,
			1+g.r.IntN(3), g.r.IntN(4)))
	default:
		keys = append(keys, fmt.Sprintf("instances: %d", 1+g.r.IntN(4)))
	}
	if g.r.IntN(2) == 0 {
		keys = append(keys, fmt.Sprintf("queue_limit: %d", g.r.IntN(50)))
	}
	if g.r.IntN(3) == 0 {
		keys = append(keys, "timeout: "+g.pick("2s", "10s"))
	}
	return "{" + strings.Join(keys, ", ") + "}"
}

func (g gen) scenario(seed uint64) string {
	var b strings.Builder
	dur := g.pick("2m", "5m", "10m")
	fmt.Fprintf(&b, "name: random-%d\nseed: %d\nduration: %s\nwarmup: %s\n", seed, g.r.Uint64()>>1, dur, g.pick("0s", "30s", "1m"))
	fmt.Fprintf(&b, "workload: %s\n", g.workload())
	if g.r.IntN(2) == 0 {
		b.WriteString("report: {interval: " + g.pick("10s", "1m", "7s") + "}\n")
	}
	b.WriteString("functions:\n")
	for i := range 1 + g.r.IntN(3) {
		fmt.Fprintf(&b, "  - {name: f%d, memory_mb: %d, weight: %.2f, exec: %s}\n", i, 128<<g.r.IntN(4), g.logf(0.1, 10), g.dist(1, 3000))
	}
	b.WriteString("systems:\n")
	for i := range 1 + g.r.IntN(3) {
		fmt.Fprintf(&b, "  - %s\n", g.system(i))
	}
	return b.String()
}

func TestRandomScenarioInvariants(t *testing.T) {
	for k := range *propertyN {
		seed := uint64(k)
		text := gen{rand.New(rand.NewPCG(seed, 11))}.scenario(seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			doc, err := readBytes("random.yaml", "yaml", []byte(text))
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			s, err := doc.Decode()
			if err != nil {
				t.Fatalf("a valid scenario refused: %v\n%s", err, text)
			}
			if err := s.CheckBudget(s.Estimate(2, s.Report.Interval), Budget{}); err != nil {
				t.Fatalf("a small scenario beyond the default budget: %v\n%s", err, text)
			}
			dir := t.TempDir()
			res, err := s.Run(context.Background(), RunOptions{Jobs: 2, SeriesDir: dir})
			if err != nil {
				t.Fatalf("run: %v\n%s", err, text)
			}
			checkResults(t, res)
			checkSeries(t, dir, res)
			// Determinism: the same bytes with one job and without series.
			again, err := s.Run(context.Background(), RunOptions{Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if err := reports.WriteJSON(&a, res); err != nil {
				t.Fatal(err)
			}
			reports.WriteJSON(&b, again)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("results differ between runs of one seed (jobs 2 with series, jobs 1 without)\n%s", text)
			}
			if t.Failed() {
				t.Logf("scenario:\n%s", text)
			}
		})
	}
}

// checkSeries: each system's time series adds up to its totals.
func checkSeries(t *testing.T, dir string, res *reports.Results) {
	t.Helper()
	if err := reports.WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	run, err := reports.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, sys := range res.Systems {
		var arr, comp, cold, rej, tout int64
		var cost float64
		for _, w := range run.Series[i] {
			arr += w.Arrivals
			comp += w.Completions
			cold += w.ColdStarts
			rej += w.Rejections
			tout += w.Timeouts
			cost += w.Cost
			for name, v := range map[string]int64{"starting": w.Starting, "busy": w.Busy, "idle": w.Idle, "in service": w.InService, "queue": w.Queue} {
				if v < 0 {
					t.Errorf("%s: window at %gs: %s %d < 0", sys.Name, w.Start, name, v)
				}
			}
		}
		c := sys.Counts
		if arr != c.Requests || comp != c.Completed || cold != c.ColdStarts || rej != c.Rejected || tout != c.TimedOut {
			t.Errorf("%s: series sum to %d arrivals, %d completions, %d cold, %d rejected, %d timed out; totals %d, %d, %d, %d, %d",
				sys.Name, arr, comp, cold, rej, tout, c.Requests, c.Completed, c.ColdStarts, c.Rejected, c.TimedOut)
		}
		// Each row is a difference of rounded cumulative costs; their float
		// sum is the total within rounding.
		if d := math.Abs(cost - sys.CostUSD.Total); d > 1e-9*math.Max(1, sys.CostUSD.Total) {
			t.Errorf("%s: series cost sums to %v, total %v", sys.Name, cost, sys.CostUSD.Total)
		}
	}
}
