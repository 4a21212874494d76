package models_test

import (
	"math"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// list is a Source of given invocations (already in time order).
type list struct {
	inv []workloads.Invocation
	i   int
}

func (l *list) Next(inv *workloads.Invocation) bool {
	if l.i >= len(l.inv) {
		return false
	}
	*inv = l.inv[l.i]
	l.i++
	return true
}
func (l *list) Err() error { return nil }

// every is n invocations of function 0, k at once every gap from time 0,
// each running exec.
func every(n, k int, gap, exec sim.Time) *list {
	l := &list{}
	for i := 0; i < n; i++ {
		l.inv = append(l.inv, workloads.Invocation{At: sim.Time(i/k) * gap, Exec: exec})
	}
	return l
}

// openFaaS is a FaaS system with no limit, instant cold starts and
// instances kept forever: the invocation type alone shapes what happens.
func openFaaS(t testing.TB, fns []workloads.Function) *models.FaaS {
	t.Helper()
	return newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{}, KeepAlive: models.ForeverKeepAlive{},
		Billing: models.FaaSBilling{Model: models.PerRequest, Granularity: time.Millisecond, PricePerGBSecond: 1e-5,
			PricePerMillionRequests: 0.2}})
}

func invoked(t testing.TB, inner models.System, fns []workloads.Function, calls ...models.FunctionCalls) *models.Invoked {
	t.Helper()
	x, err := models.NewInvoked(models.InvokedConfig{Functions: fns, Calls: calls, Seed: 7}, inner)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func run(t testing.TB, sys models.System, src workloads.Source, horizon sim.Time) (models.Summary, *collector) {
	t.Helper()
	c := &collector{keep: true}
	sum, err := models.Simulate(contextBG, sys, src, models.Window{Horizon: horizon}, c)
	if err != nil {
		t.Fatal(err)
	}
	return sum, c
}

var lambdaAsync = models.AsyncInvocation{Retries: 2, MaxEventAge: 6 * time.Hour}

// TestAsyncRetriesTheory: N events, each attempt failing with probability
// p independently, R retries: an event makes 1 + p + ... + p^R attempts on
// average and is dead-lettered with probability p^(R+1). Checked within 4
// standard deviations of the sums (attempts: N × Var of one event's count;
// dead letters binomial), for R = 0, 1, 2 and p = 5% and 30%. The retries
// come one and then two minutes after a failure: the horizon leaves room.
func TestAsyncRetriesTheory(t *testing.T) {
	const n = 20000
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.1})}
	for _, p := range []float64{0.05, 0.3} {
		for r := 0; r <= 2; r++ {
			typ := models.AsyncInvocation{Retries: r, MaxEventAge: 6 * time.Hour}
			x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: typ, Errors: models.Errors{Rate: p}})
			sum, c := run(t, x, every(n, 1, 10*time.Millisecond, 100*time.Millisecond), time.Hour)
			// Attempts per event A = sum_{j=0..R} prod_{i<j} F_i, F_i ~ Bernoulli(p).
			var mean, sq float64
			for j := 0; j <= r; j++ {
				mean += math.Pow(p, float64(j))
				for k := 0; k <= r; k++ {
					sq += math.Pow(p, float64(max(j, k)))
				}
			}
			if got := typ.Attempts(p); math.Abs(got-mean) > 1e-12 {
				t.Errorf("AsyncInvocation.Attempts(%v) = %v, want %v", p, got, mean)
			}
			sdA := math.Sqrt(n * (sq - mean*mean))
			pd := math.Pow(p, float64(r+1))
			sdD := math.Sqrt(n * pd * (1 - pd))
			within(t, "attempts", float64(sum.Calls.Attempts), n*mean, 4*sdA+1e-9, 0)
			within(t, "dead-lettered", float64(c.outcome[models.DeadLettered]), n*pd, 4*sdD, 0)
			if got := sum.Calls.Retries; got != sum.Calls.Attempts-n {
				t.Errorf("p %v R %d: retries %d, want attempts - events = %d", p, r, got, sum.Calls.Attempts-n)
			}
			if sum.Calls.Invocations != sum.Calls.Attempts || c.completed()+c.outcome[models.DeadLettered] != n {
				t.Errorf("p %v R %d: invocations %d, attempts %d, ended %d", p, r, sum.Calls.Invocations, sum.Calls.Attempts, c.ended)
			}
		}
	}
}

// TestAsyncRetryDelays: an event that always fails runs at 0, at the end
// of its first attempt + 1 minute, at the end of its second + 2 minutes,
// then is dead-lettered when the third ends; its failed attempts are billed.
func TestAsyncRetryDelays(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
	x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: lambdaAsync, Errors: models.Errors{Rate: 1}})
	sum, c := run(t, x, every(1, 1, 0, time.Second), time.Hour)
	if len(c.records) != 1 || c.records[0].Outcome != models.DeadLettered {
		t.Fatalf("records %+v, want one dead letter", c.records)
	}
	// 0-1 s, 61-62 s, 182-183 s.
	if got, want := c.records[0].End, 183*time.Second; got != want {
		t.Errorf("dead-lettered at %v, want %v", got, want)
	}
	if sum.Calls.Attempts != 3 || sum.Calls.Retries != 2 {
		t.Errorf("attempts %d retries %d, want 3 and 2", sum.Calls.Attempts, sum.Calls.Retries)
	}
	// 3 s of 1 GB at 1e-5 $/GB-s and 3 requests at $0.2/M.
	if got, want := sum.Cost.Total(), 3*1e-5+3*0.2/1e6; math.Abs(got-want) > 1e-15 {
		t.Errorf("bill %v, want %v (every failed attempt billed)", got, want)
	}
}

// backoffFate is the rule of Lambda's documentation, written again here:
// an event arriving at a that is throttled until free tries at a, then
// after 1 s, 2 s, 4 s, ... (at most 5 min apart) and is given up when its
// next try would come later than a + age. It returns when the event runs,
// or false with the time it is given up.
func backoffFate(a, free, age sim.Time) (sim.Time, bool) {
	t, d := a, time.Second
	for t < free {
		next := t + d
		if next > a+age {
			return a + age, false
		}
		t, d = next, min(2*d, 5*time.Minute)
	}
	return t, true
}

// TestMaxEventAgeDropsExactly: one instance, held 600 s by a first event;
// the 599 events arriving meanwhile (at k s + k ms, each running 0.5 ms, so
// no two tries meet) are throttled and back off. Exactly those whose next
// try after 600 s would fall beyond their 2-minute age are dead-lettered,
// each at its age; every other runs at the try the rule gives.
func TestMaxEventAgeDropsExactly(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.1})}
	f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{}, KeepAlive: models.ForeverKeepAlive{},
		MaxConcurrency: 1})
	const age = 2 * time.Minute
	x := invoked(t, f, fns, models.FunctionCalls{Type: models.AsyncInvocation{Retries: 2, MaxEventAge: age}})
	src := &list{inv: []workloads.Invocation{{At: 0, Exec: 600 * time.Second}}}
	for k := 1; k < 600; k++ {
		src.inv = append(src.inv, workloads.Invocation{At: sim.Time(k)*time.Second + sim.Time(k)*time.Millisecond, Exec: 500 * time.Microsecond})
	}
	_, c := run(t, x, src, 2*time.Hour)
	byArrival := map[sim.Time]models.Record{}
	for _, r := range c.records {
		byArrival[r.Arrival] = r
	}
	dropped := 0
	for _, inv := range src.inv[1:] {
		r, ok := byArrival[inv.At]
		if !ok {
			t.Fatalf("event at %v never ended", inv.At)
		}
		at, runs := backoffFate(inv.At, 600*time.Second, age)
		switch {
		case runs && (r.Outcome != models.Completed || r.End != at+inv.Exec):
			t.Errorf("event at %v: %v at %v, want completed at %v", inv.At, r.Outcome, r.End, at+inv.Exec)
		case !runs && (r.Outcome != models.DeadLettered || r.End != at):
			t.Errorf("event at %v: %v at %v, want dead-lettered at %v", inv.At, r.Outcome, r.End, at)
		}
		if !runs {
			dropped++
		}
	}
	t.Logf("%d of 599 events dead-lettered for their age, %d completed", dropped, 599-dropped)
	if dropped == 0 || dropped == 599 {
		t.Errorf("%d dropped: the case should drop some and keep some", dropped)
	}
}

// batchesOf groups the completed records by end time (with constant
// execution and instant cold starts, a batch's messages end together) and
// returns the batch sizes in order.
func batchesOf(c *collector) []int {
	ends := map[sim.Time]int{}
	for _, r := range c.records {
		if r.Outcome == models.Completed {
			ends[r.End]++
		}
	}
	keys := make([]sim.Time, 0, len(ends))
	for k := range ends {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	sizes := make([]int, len(keys))
	for i, k := range keys {
		sizes[i] = ends[k]
	}
	return sizes
}

func sqs(batch int, window sim.Time) models.QueueInvocation {
	return models.QueueInvocation{BatchSize: batch, BatchWindow: window, MaxConcurrency: 1000,
		VisibilityTimeout: 30 * time.Second, Retention: 96 * time.Hour}
}

// TestQueueBatchesNoWindow: with no batching window a poller takes what
// is visible at the instant it polls. A producer sending B messages at a
// time at a constant rate gives exactly messages / B invocations of B
// messages each, billed once each for B executions; single messages at a
// constant rate the idle pollers take one by one: one invocation each.
func TestQueueBatchesNoWindow(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.01})}
	for _, b := range []int{1, 4, 10} {
		const n = 6000
		x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: sqs(b, 0)})
		sum, c := run(t, x, every(n, b, time.Second, 10*time.Millisecond), 2*time.Hour)
		if sum.Calls.Invocations != n/int64(b) || sum.Calls.Attempts != n || c.completed() != n {
			t.Errorf("B %d: %d invocations, %d attempts, %d completed; want %d, %d, %d", b, sum.Calls.Invocations,
				sum.Calls.Attempts, c.completed(), n/b, n, n)
		}
		for _, s := range batchesOf(c) {
			if s != b {
				t.Fatalf("B %d: a batch of %d", b, s)
			}
		}
		// One invocation of B × 10 ms each: n × 10 ms of 1 GB, n/B requests.
		if got, want := sum.Cost.Total(), n*0.01*1e-5+float64(n/b)*0.2/1e6; math.Abs(got-want) > 1e-12 {
			t.Errorf("B %d: bill %v, want %v", b, got, want)
		}
		// Each message's share of its invocation's bill.
		if got, want := sum.RequestCost.P50, (float64(b)*0.01*1e-5+0.2/1e6)/float64(b); math.Abs(got-want) > 0.0078*want {
			t.Errorf("B %d: a message's bill %v, want %v ± 0.78%%", b, got, want)
		}
	}
	x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: sqs(10, 0)})
	sum, _ := run(t, x, every(3000, 1, 100*time.Millisecond, 10*time.Millisecond), time.Hour)
	if sum.Calls.Invocations != 3000 {
		t.Errorf("single messages 100 ms apart, B 10: %d invocations, want 3000 (one each)", sum.Calls.Invocations)
	}
}

// TestQueueBatchWindow: messages every 1/λ s; a batch opens at its first
// message and closes when full or W after: min(B, ⌊λW⌋ + 1) messages
// (λW not an integer), the next batch opening at the next message. Each
// message waits for its batch to close.
func TestQueueBatchWindow(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.001})}
	for _, tc := range []struct {
		rate   float64 // messages per second
		window sim.Time
		batch  int
		want   int // hand-derived batch size
	}{
		{10, 250 * time.Millisecond, 10, 3},   // 0, 0.1, 0.2 s; the window ends at 0.25
		{10, 1050 * time.Millisecond, 20, 11}, // λW = 10.5
		{10, 5 * time.Second, 20, 20},         // full at 1.9 s, before the window ends
		{100, 1 * time.Second, 10, 10},        // full at 90 ms
	} {
		const n = 6600
		gap := sim.Time(float64(time.Second) / tc.rate)
		x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: sqs(tc.batch, tc.window)})
		sum, c := run(t, x, every(n, 1, gap, time.Millisecond), 4*time.Hour)
		sizes := batchesOf(c)
		for i, s := range sizes[:len(sizes)-1] { // the last may be short
			if s != tc.want {
				t.Fatalf("λ %v W %v B %d: batch %d has %d messages, want %d", tc.rate, tc.window, tc.batch, i, s, tc.want)
			}
		}
		if want := (n + tc.want - 1) / tc.want; sum.Calls.Invocations != int64(want) {
			t.Errorf("λ %v W %v B %d: %d invocations, want %d", tc.rate, tc.window, tc.batch, sum.Calls.Invocations, want)
		}
		// The first batch's first message waits for the batch to close:
		// the window, or the arrival of the message that fills it.
		closeAt := tc.window
		if tc.want == tc.batch && sim.Time(tc.batch-1)*gap < tc.window {
			closeAt = sim.Time(tc.batch-1) * gap
		}
		first := c.records[0]
		for _, r := range c.records {
			if r.Arrival == 0 {
				first = r
			}
		}
		if want := closeAt + sim.Time(tc.want)*time.Millisecond; first.End != want {
			t.Errorf("λ %v W %v: first message ends at %v, want %v", tc.rate, tc.window, first.End, want)
		}
	}
}

// TestQueuePollerRampUp: a backlog from time 0 (1,000 messages/s of 1 s
// each, batch size 1): the mapping runs 5 batches at once in the first
// minute and 300 more in each minute after, so minute k starts exactly
// 60 × (5 + 300k) batches (each poller starts one a second), up to the
// mapping's maximum concurrency.
func TestQueuePollerRampUp(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}
	for _, maxc := range []int{1000, 500} {
		q := sqs(1, 0)
		q.MaxConcurrency = maxc
		q.VisibilityTimeout = time.Hour
		x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: q})
		sum, c := run(t, x, every(300_000, 1, time.Millisecond, time.Second), 5*time.Minute)
		started := make([]int, 4)
		for _, r := range c.records {
			if k := int((r.End - time.Second) / time.Minute); k < len(started) {
				started[k]++
			}
		}
		for k, got := range started {
			if want := 60 * min(5+300*k, maxc); got != want {
				t.Errorf("max %d: minute %d started %d batches, want 60 × %d = %d", maxc, k, got, min(5+300*k, maxc), want)
			}
		}
		if want := min(905+300, maxc); sum.Calls.MaxConcurrentBatches != want {
			t.Errorf("max %d: at most %d batches at once, want %d", maxc, sum.Calls.MaxConcurrentBatches, want)
		}
	}
}

// TestQueueVisibilityRedelivery: a message whose batch runs 40 s past a
// 30 s visibility timeout is delivered again at 30 s and 60 s while the
// earlier batches run on; its fourth receipt (at 90 s) exceeds a maximum
// receive count of 3 and it goes to the dead-letter queue. All three
// invocations ran to their end and are billed. Under the timeout (20 s) it
// completes once.
func TestQueueVisibilityRedelivery(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 1})}
	q := sqs(1, 0)
	q.MaxReceiveCount = 3
	for _, tc := range []struct {
		exec                 sim.Time
		outcome              models.Outcome
		end                  sim.Time
		attempts, billedSecs int64
	}{
		{40 * time.Second, models.DeadLettered, 90 * time.Second, 3, 120},
		{20 * time.Second, models.Completed, 20 * time.Second, 1, 20},
	} {
		x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: q})
		sum, c := run(t, x, every(1, 1, 0, tc.exec), time.Hour)
		if len(c.records) != 1 || c.records[0].Outcome != tc.outcome || c.records[0].End != tc.end {
			t.Fatalf("exec %v: records %+v, want one %v at %v", tc.exec, c.records, tc.outcome, tc.end)
		}
		if sum.Calls.Attempts != tc.attempts || sum.Calls.Retries != tc.attempts-1 || sum.Calls.Invocations != tc.attempts {
			t.Errorf("exec %v: attempts %d retries %d invocations %d, want %d, %d, %d", tc.exec, sum.Calls.Attempts,
				sum.Calls.Retries, sum.Calls.Invocations, tc.attempts, tc.attempts-1, tc.attempts)
		}
		if got, want := sum.Cost.Total(), float64(tc.billedSecs)*1e-5+float64(tc.attempts)*0.2/1e6; math.Abs(got-want) > 1e-12 {
			t.Errorf("exec %v: bill %v, want %v", tc.exec, got, want)
		}
	}
}

// TestQueueFailureReturnsAfterVisibility: a message that always fails is
// received at 0 s, 30 s and 60 s (each time the visibility timeout after
// the last receipt) and dead-lettered at its fourth receipt, 90 s.
func TestQueueFailureReturnsAfterVisibility(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}
	q := sqs(1, 0)
	q.MaxReceiveCount = 3
	x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: q, Errors: models.Errors{Rate: 1}})
	sum, c := run(t, x, every(1, 1, 0, time.Second), time.Hour)
	if len(c.records) != 1 || c.records[0].Outcome != models.DeadLettered || c.records[0].End != 90*time.Second {
		t.Fatalf("records %+v, want one dead letter at 90 s", c.records)
	}
	if sum.Calls.Attempts != 3 {
		t.Errorf("attempts %d, want 3", sum.Calls.Attempts)
	}
}

// TestQueuePartialBatchFailure: batches of 10, each message failing with
// probability p, one receipt allowed. With a partial batch response only
// the failed messages return (and are dead-lettered): N p of them; without
// it a batch with any failure returns whole: N (1 - (1-p)^10). Within 4
// standard deviations (binomial over messages, or over batches of 10).
func TestQueuePartialBatchFailure(t *testing.T) {
	const n, p = 100000, 0.1
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.01})}
	for _, partial := range []bool{true, false} {
		q := sqs(10, 0)
		q.MaxReceiveCount = 1
		q.PartialBatchResponse = partial
		x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: q, Errors: models.Errors{Rate: p}})
		_, c := run(t, x, every(n, 10, time.Second, 10*time.Millisecond), 30*time.Hour)
		dead := float64(c.outcome[models.DeadLettered])
		if partial {
			within(t, "dead-lettered, partial batch response", dead, n*p, 4*math.Sqrt(n*p*(1-p)), 0)
		} else {
			pb := 1 - math.Pow(1-p, 10)
			within(t, "dead-lettered, whole batches", dead, n*pb, 4*10*math.Sqrt(n/10*pb*(1-pb)), 0)
		}
		if c.completed()+int(dead) != n {
			t.Errorf("partial %v: %d completed + %v dead of %d", partial, c.completed(), dead, n)
		}
	}
}

// TestQueueOnFleet: the same queue consumed by a fleet's workers: each
// message alone; a failed one is received again a visibility timeout after
// its receipt. Two workers, messages of 10 s every 10 s failing always:
// receipts at 0, 30, 60 s, dead-lettered at 90 s.
func TestQueueOnFleet(t *testing.T) {
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 10})}
	q := sqs(10, 0)
	q.MaxReceiveCount = 3
	x := invoked(t, newServer(t, models.ServerConfig{Instances: 2}), fns, models.FunctionCalls{Type: q, Errors: models.Errors{Rate: 1}})
	sum, c := run(t, x, every(1, 1, 0, 10*time.Second), time.Hour)
	if len(c.records) != 1 || c.records[0].Outcome != models.DeadLettered || c.records[0].End != 90*time.Second {
		t.Fatalf("records %+v, want one dead letter at 90 s", c.records)
	}
	if sum.Calls.Attempts != 3 || sum.Calls.Invocations != 3 {
		t.Errorf("attempts %d invocations %d, want 3 and 3", sum.Calls.Attempts, sum.Calls.Invocations)
	}
}

// TestStateShiftsExactly: K round trips of constant latency L at X dollars
// per million, on a FaaS platform (no cache): every latency is longer by
// exactly K·L, the compute bill by N·K·L of billed time, and a state line
// of N·K·X/10⁶ appears; the fleet with a full cache pays neither.
func TestStateShiftsExactly(t *testing.T) {
	const n, k = 5000, 3
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 0.05})}
	st := &models.State{RoundTrips: k, Latency: dist.Constant{Value: 0.004}, PricePerMillion: 1.25}
	src := func() workloads.Source { return every(n, 1, time.Second, 50*time.Millisecond) }
	base, c0 := run(t, openFaaS(t, fns), src(), 2*time.Hour)
	with, c1 := run(t, invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{State: st}), src(), 2*time.Hour)
	for i := range c0.records {
		if d := c1.records[i].Latency() - c0.records[i].Latency(); d != k*4*time.Millisecond {
			t.Fatalf("request %d: latency shifted by %v, want %v", i, d, k*4*time.Millisecond)
		}
	}
	compute := func(s models.Summary) float64 { return s.Cost.Items[0].USD }
	if got, want := compute(with)-compute(base), n*k*0.004*0.5*1e-5; math.Abs(got-want) > 1e-12 {
		t.Errorf("compute shifted by %v, want %v", got, want)
	}
	state := with.Cost.Items[len(with.Cost.Items)-1]
	if got, want := state.USD, n*k*1.25/1e6; state.Name != "state" || math.Abs(got-want) > 1e-12 {
		t.Errorf("state line %+v, want %v", state, want)
	}
	// A request's bill: its compute, its fee and its round trips.
	if got, want := with.RequestCost.P50, (50+k*4)*0.001*0.5*1e-5+0.2/1e6+k*1.25/1e6; math.Abs(got-want) > 0.0078*want {
		t.Errorf("a request's bill %v, want %v ± 0.78%%", got, want)
	}
	if with.Calls.StateRoundTrips != n*k {
		t.Errorf("%d round trips, want %d", with.Calls.StateRoundTrips, n*k)
	}
	// A fleet answering every round trip from memory: the base latencies.
	x, err := models.NewInvoked(models.InvokedConfig{Functions: fns, Calls: []models.FunctionCalls{{State: st}}, CacheHitRatio: 1, Seed: 7},
		newServer(t, models.ServerConfig{Instances: 1}))
	if err != nil {
		t.Fatal(err)
	}
	fleet, c2 := run(t, x, src(), 2*time.Hour)
	for i := range c0.records {
		if c2.records[i].Latency() != c0.records[i].Latency() {
			t.Fatalf("cached fleet request %d: latency %v, want %v", i, c2.records[i].Latency(), c0.records[i].Latency())
		}
	}
	if fleet.Calls.CacheHits != n*k || fleet.Cost.Items[len(fleet.Cost.Items)-1].USD != 0 {
		t.Errorf("cached fleet: %d hits, state bill %v; want %d and 0", fleet.Calls.CacheHits, fleet.Cost.Items, n*k)
	}
}

// TestSyncErrorsSameEverywhere: a synchronous function failing with
// probability p fails the same calls on every system (common random
// numbers): a FaaS platform and a fleet report the same failed count,
// N·p within 4 SD; failed calls are billed as long as they ran, or errors.at.
func TestSyncErrorsSameEverywhere(t *testing.T) {
	const n, p = 20000, 0.2
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.1})}
	calls := models.FunctionCalls{Errors: models.Errors{Rate: p}}
	src := func() workloads.Source { return every(n, 1, 100*time.Millisecond, 100*time.Millisecond) }
	plain, _ := run(t, openFaaS(t, fns), src(), time.Hour)
	sum, c := run(t, invoked(t, openFaaS(t, fns), fns, calls), src(), time.Hour)
	_, cs := run(t, invoked(t, newServer(t, models.ServerConfig{Instances: 2}), fns, calls), src(), time.Hour)
	within(t, "failed calls", float64(c.outcome[models.Failed]), n*p, 4*math.Sqrt(n*p*(1-p)), 0)
	if c.outcome[models.Failed] != cs.outcome[models.Failed] {
		t.Errorf("FaaS failed %d calls, the fleet %d: the same calls should fail", c.outcome[models.Failed], cs.outcome[models.Failed])
	}
	if sum.Cost.Total() != plain.Cost.Total() {
		t.Errorf("bill %v with errors, %v without: failed calls run as long and are billed", sum.Cost.Total(), plain.Cost.Total())
	}
	calls.Errors.At = 10 * time.Millisecond
	at, c2 := run(t, invoked(t, openFaaS(t, fns), fns, calls), src(), time.Hour)
	failed := float64(c2.outcome[models.Failed])
	if got, want := plain.Cost.Total()-at.Cost.Total(), failed*0.09*1e-5; math.Abs(got-want) > 1e-12 {
		t.Errorf("failing at 10 ms saves %v, want %v", got, want)
	}
}

// TestScheduleFlexibleWindow: scheduled events start uniformly within the
// flexible window after their time: the mean age at start is W/2 (within
// 4 SE of the uniform), every age under W, latency counted from the
// scheduled time.
func TestScheduleFlexibleWindow(t *testing.T) {
	const n = 4000
	fns := []workloads.Function{fn("f", 128, dist.Constant{Value: 0.1})}
	w := 10 * time.Minute
	typ := models.ScheduleInvocation{Async: lambdaAsync, FlexibleWindow: w}
	sum, c := run(t, invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: typ}), every(n, 1, time.Minute, 100*time.Millisecond), 80*time.Hour)
	a := sum.Calls.EventAge
	if a == nil || a.Max >= w.Seconds() {
		t.Fatalf("event ages %+v, want all under %v", a, w)
	}
	within(t, "mean age at start, s", a.Mean, w.Seconds()/2, 4*w.Seconds()/math.Sqrt(12*n), 0)
	for _, r := range c.records {
		if r.Latency() < 100*time.Millisecond || r.Latency() > w+100*time.Millisecond {
			t.Fatalf("latency %v outside [exec, window + exec]", r.Latency())
		}
	}
}

// TestRequestCostQuantiles: the bill of one invocation at p50/p90/p99
// of the invocations billed, against the hand-computed bill of an
// execution at those quantiles (uniform executions of 1..100 ms, 1 GB):
// within the histogram's 0.78%.
func TestRequestCostQuantiles(t *testing.T) {
	fns := []workloads.Function{fn("f", 1024, dist.Constant{Value: 0.1})}
	src := &list{}
	for i := 0; i < 10000; i++ {
		src.inv = append(src.inv, workloads.Invocation{At: sim.Time(i) * time.Second, Exec: sim.Time(i%100+1) * time.Millisecond})
	}
	sum, _ := run(t, openFaaS(t, fns), src, 3*time.Hour)
	q := sum.RequestCost
	if q == nil {
		t.Fatal("no invocation cost quantiles")
	}
	bill := func(ms float64) float64 { return ms/1000*1e-5 + 0.2/1e6 }
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"p50", q.P50, bill(50)}, {"p90", q.P90, bill(90)}, {"p99", q.P99, bill(99)}} {
		if math.Abs(c.got-c.want) > 0.0078*c.want {
			t.Errorf("%s: %v, want %v ± 0.78%%", c.name, c.got, c.want)
		}
	}
}

// benchCalls simulates 60 s of 1,000 events/s (Poisson) of a function
// called through typ, 5% of attempts failing, on an unlimited FaaS
// platform, and reports events per wall second.
func benchCalls(b *testing.B, typ models.InvocationType) {
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	const d = 60 * time.Second
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x := invoked(b, openFaaS(b, fns), fns, models.FunctionCalls{Type: typ, Errors: models.Errors{Rate: 0.05}})
		src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := models.Simulate(contextBG, x, src, models.Window{Horizon: d + 10*time.Minute}, nop{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000*d.Seconds()/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCallsAsync: Lambda's asynchronous invocation with its retries.
func BenchmarkCallsAsync(b *testing.B) { benchCalls(b, lambdaAsync) }

// BenchmarkCallsQueue: an SQS mapping, batches of 10 within 100 ms.
func BenchmarkCallsQueue(b *testing.B) { benchCalls(b, sqs(10, 100*time.Millisecond)) }

// BenchmarkCallsSyncErrors: synchronous calls with errors (the layer's
// cheapest path), beside BenchmarkFaaSPoisson1000 without it.
func BenchmarkCallsSyncErrors(b *testing.B) { benchCalls(b, models.SyncInvocation{}) }

// TestCallsMemoryFlat: the invocation layers' state is per event in their
// hands, never per event served: past the few minutes their retries take to
// reach a steady state (10 min), 10 times the events (100 min) allocate less
// than twice the bytes. (Not parallel: TotalAlloc is process-wide.)
func TestCallsMemoryFlat(t *testing.T) {
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	for _, typ := range []models.InvocationType{lambdaAsync, sqs(10, 100*time.Millisecond)} {
		runFor := func(d time.Duration) uint64 {
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			x := invoked(t, openFaaS(t, fns), fns, models.FunctionCalls{Type: typ, Errors: models.Errors{Rate: 0.05}})
			src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, d)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := models.Simulate(contextBG, x, src, models.Window{Horizon: d + 10*time.Minute}, nop{}); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&m1)
			return m1.TotalAlloc - m0.TotalAlloc
		}
		short, long := runFor(10*time.Minute), runFor(100*time.Minute)
		t.Logf("%s: %d bytes for 10 min, %d for 100 min (ratio %.2f)", typ, short, long, float64(long)/float64(short))
		if long >= 2*short {
			t.Errorf("%s: %d bytes for 100 min, %d for 10 min: memory grows with the events", typ, long, short)
		}
	}
}
