package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// The cost estimate: before a run, what it will take, from the scenario
// alone (rate × horizon, fan-out, instances, queues that grow under
// overload). A scenario beyond the budget is refused with the estimate and
// the flag that lifts it, instead of running for days or dying out of
// memory. The figures are orders of magnitude, deliberately on the high
// side; the test beside this file checks them against measured runs.

// shape is what the estimate needs of a workload; rates in requests per second.
type shape struct {
	mean, peak float64 // long-run and highest rate
	peakFor    float64 // seconds the peak lasts at a stretch (0: the whole run)
	burst      float64 // calls arriving at one instant (a cron fan-out)
	steps      float64 // generator steps per second beyond arrivals (state changes, thinning candidates)
	extra      float64 // arrivals beyond mean × horizon (a spike's crowd; a trace's calls)
	reorder    float64 // seconds of rows a row trace holds to reorder them
	exec       float64 // mean execution time of a row trace's rows, s (0: the functions' own)
	path       string  // the key that sets the rate, for messages
}

// plus superposes two workloads (a mix).
func (a shape) plus(b shape) shape {
	return shape{mean: a.mean + b.mean, peak: a.peak + b.peak, peakFor: math.Max(a.peakFor, b.peakFor),
		burst: a.burst + b.burst, steps: a.steps + b.steps, extra: a.extra + b.extra,
		reorder: math.Max(a.reorder, b.reorder), exec: math.Max(a.exec, b.exec), path: a.path}
}

// Per-unit costs, bytes, measured on the models (TestEstimateCovers): a
// FaaS instance is 72 bytes, a request 56, a pending event 40; slices grow
// by doubling, so each is counted twice and rounded up. A queued request is
// models.BytesPerQueued in chunks that do not double; a system whose queue
// passes its budget stops there, at a heap of about 1.1 times the budget
// (measured: 277 MiB for 256), so it is counted 4/3 times.
const (
	bytesPerInstance = 256  // FaaS or server instance, with its timer and list links
	bytesPerRequest  = 256  // a request in service, with its end event
	bytesPerQueued   = 32   // a queued request (models.BytesPerQueued and the heap's slack)
	bytesPerHeld     = 48   // an event an invocation layer holds (models.BytesPerHeld and the free list)
	bytesPerFunction = 8192 // latency sketches, meters, per-function state (a hybrid histogram's bins on top)
	bytesPerRow      = 64   // a trace row held for reordering
	eventsPerFaaS    = 3    // per request: arrival, end, idle timer (cold starts and timeouts add a few)
	eventsPerServer  = 2    // per request: arrival, end
)

// Budget is what a run may take; zero fields take the defaults.
type Budget struct {
	MaxEvents   float64 // simulated events and generator steps, all systems
	MaxMemoryMB float64 // model state of the systems simulated at once
}

// Default budgets: 10 billion events is about half an hour at the
// measured 3 to 10 million events a second per core; 1 GB of model state
// holds three systems whose backlogs reach the default max_backlog_mb.
const (
	DefaultMaxEvents   = 1e10
	DefaultMaxMemoryMB = 1024
)

// Estimate is what a run of the scenario will take, roughly.
type Estimate struct {
	Events float64 // engine events and generator steps, every system
	Bytes  float64 // peak model state of the systems run at once
	Rows   float64 // time-series rows written with --out, every system
	// What dominates each, for messages.
	EventsWhy, BytesWhy string
	// Stopping are the systems whose backlog is expected to pass the
	// budget (max_backlog_mb): they stop there, marked saturated.
	Stopping []string
}

// sysCost is one system's part of the estimate.
type sysCost struct {
	events, bytes     float64
	eventsWhy, memWhy string
	// runs is the share of the horizon the system is simulated for: less
	// than 1 when its backlog will pass the budget (max_backlog_mb) and
	// stop it.
	runs float64
}

// Estimate returns what a run takes when jobs systems run at once and, if
// series > 0, time series of that window are written.
func (s *Scenario) Estimate(jobs int, series time.Duration) Estimate {
	h := s.Duration.Seconds()
	var costs []sysCost
	var est Estimate
	for i := range s.Systems {
		c := s.systemCost(i, h)
		if series > 0 {
			c.events += h / series.Seconds()
			est.Rows += math.Ceil((s.Duration - s.Warmup).Seconds() / series.Seconds())
		}
		costs = append(costs, c)
		est.Events += c.events
		if c.runs < 1 {
			est.Stopping = append(est.Stopping, s.Systems[i].Name)
		}
	}
	if i := indexMax(costs, func(c sysCost) float64 { return c.events }); i >= 0 {
		est.EventsWhy = fmt.Sprintf("system %s: %s", quote(s.Systems[i].Name), costs[i].eventsWhy)
	}
	// Systems run jobs at a time: the largest jobs of them at once.
	order := make([]int, len(costs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return costs[order[a]].bytes > costs[order[b]].bytes })
	if jobs <= 0 {
		jobs = len(costs)
	}
	for k, i := range order {
		if k < jobs {
			est.Bytes += costs[i].bytes
		}
	}
	if len(order) > 0 {
		i := order[0]
		est.BytesWhy = fmt.Sprintf("system %s: %s", quote(s.Systems[i].Name), costs[i].memWhy)
	}
	if cells := s.traceCells(); cells > 0 {
		est.Bytes += 4 * cells // the per-minute counts of an azure2019 trace, held once
	}
	return est
}

func indexMax[T any](xs []T, f func(T) float64) int {
	best := -1
	for i, x := range xs {
		if best < 0 || f(x) > f(xs[best]) {
			best = i
		}
	}
	return best
}

// traceCells is the number of per-minute counts an azure2019 trace holds.
func (s *Scenario) traceCells() float64 {
	if tr := s.Workload.Trace; tr != nil && tr.Format == "azure2019" {
		return float64(len(tr.Functions)) * float64(tr.Minutes())
	}
	return 0
}

// fnLoad is one function's share of the workload.
type fnLoad struct {
	mean, peak, peakFor, burst, arrivals float64
	exec                                 float64 // mean execution time, s, at most the horizon
}

// loads splits the workload over the functions: by weight, or each
// function's own workload.
func (s *Scenario) loads(h float64) ([]fnLoad, shape) {
	var total shape
	out := make([]fnLoad, len(s.Functions))
	if s.perFunction != nil {
		for i, w := range s.perFunction {
			sh := w.shape
			total = total.plus(sh)
			if i < len(out) {
				out[i] = fnLoad{mean: sh.mean, peak: sh.peak, peakFor: sh.peakFor, burst: sh.burst, arrivals: sh.mean*h + sh.extra}
			}
		}
		total.path = "functions[0].workload"
	} else {
		total = s.Workload.shape
		if total.peak == 0 { // a trace: its calls over the run
			total.mean = total.extra / h
			total.peak, total.extra = total.mean, 0
		}
		var sum float64
		for _, f := range s.Functions {
			sum += f.Weight
		}
		for i, f := range s.Functions {
			w := 1 / float64(len(s.Functions))
			if sum > 0 {
				w = f.Weight / sum
			}
			out[i] = fnLoad{mean: total.mean * w, peak: total.peak * w, peakFor: total.peakFor, burst: total.burst * w,
				arrivals: (total.mean*h + total.extra) * w}
		}
	}
	for i, f := range s.Functions {
		switch {
		case total.exec > 0:
			out[i].exec = math.Min(total.exec, h)
		case f.Exec != nil:
			out[i].exec = math.Min(finite(f.Exec.Mean()), h)
		}
	}
	return out, total
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x > dist.MaxSeconds {
		return dist.MaxSeconds
	}
	return x
}

// systemCost estimates system i over a horizon of h seconds.
func (s *Scenario) systemCost(i int, h float64) sysCost {
	sys := s.Systems[i]
	loads, total := s.loads(h)
	arrivals := 0.0
	for _, l := range loads {
		arrivals += l.arrivals
	}
	c := sysCost{runs: 1}
	perRequest := float64(eventsPerServer)
	if sys.FaaS != nil {
		perRequest = eventsPerFaaS
	}
	c.events = arrivals*perRequest + total.steps*h
	c.eventsWhy = fmt.Sprintf("%.3g arrivals (%s) over %v, %g events each", arrivals, total.path, s.Duration, perRequest)
	if total.steps*h > arrivals*perRequest {
		c.eventsWhy = fmt.Sprintf("%.3g steps of the workload's process (%s) over %v", total.steps*h, total.path, s.Duration)
	}
	timers := func(n float64, why string) {
		c.events += n
		if n > arrivals*perRequest && n > total.steps*h {
			c.eventsWhy = why
		}
	}
	if calls := s.callsOf(sys); models.NeedsInvoked(calls) {
		timers(callEvents(calls, loads, perRequest+1), "the attempts, retries and timers of the functions' invocation types")
	}
	if total.reorder > 0 {
		c.bytes += total.mean * total.reorder * bytesPerRow
	}
	nfn := float64(len(s.Functions))
	c.bytes += nfn * bytesPerFunction
	switch {
	case sys.FaaS != nil:
		s.faasCost(&c, sys, loads, h, timers)
		s.pollerBacklog(&c, sys, loads, h)
	case sys.Server != nil:
		s.serverCost(&c, sys, loads, h, timers)
	}
	if fd := sys.FrontDoor; fd != nil && fd.Timeout > 0 {
		timers(arrivals, "the front door's deadline timer, one per request") // frontdoor.go
	}
	if c.runs < 1 {
		c.events *= c.runs
		c.eventsWhy += fmt.Sprintf(", over the %.3g%% of the run before its backlog stops it", c.runs*100)
	}
	return c
}

// maxQueued is the backlog at which a system stops (max_backlog_mb).
func (s *Scenario) maxQueued() float64 {
	return float64(s.budgetBytes() / models.BytesPerQueued)
}

// budgetBytes is each system's backlog budget, bytes.
func (s *Scenario) budgetBytes() int64 {
	if b := s.backlogBudget(); b > 0 {
		return b
	}
	return models.DefaultBacklogBudget
}

// capBacklog caps a system's estimated backlog at the budget; steady is
// the part the mean load's excess over capacity builds alone, steadily over
// the whole run: past the budget, the system stops by the time that alone
// reaches it (peaks make it sooner), a share of the run c.runs keeps.
func (s *Scenario) capBacklog(c *sysCost, backlog, steady float64) float64 {
	most := s.maxQueued()
	if steady > most {
		c.runs = most / steady
	}
	return math.Min(backlog, most)
}

// sumLoads is the functions' loads together: one pool (a fleet, an
// account's cap). Its exec is the mean over the peak's requests, each at most
// timeout.
func sumLoads(loads []fnLoad, timeout float64) fnLoad {
	var all fnLoad
	var work float64 // request-seconds per second at the peak
	for _, l := range loads {
		all.mean += l.mean
		all.peak += l.peak
		all.burst += l.burst
		all.arrivals += l.arrivals
		all.peakFor = math.Max(all.peakFor, l.peakFor)
		work += l.peak * math.Min(l.exec, timeout)
	}
	if all.peak > 0 {
		all.exec = work / all.peak
	}
	return all
}

// queueFor is the backlog a server of capacity slots (each serving
// requests of mean time exec) builds under load l: the excess rate over the
// peak's stretch, plus a burst beyond the capacity; and steady, the part the
// excess of the mean rate builds over the run. 0 when capacity is unbounded.
func queueFor(l fnLoad, slots, exec, h float64) (q, steady float64) {
	if slots <= 0 || math.IsInf(slots, 1) {
		return 0, 0
	}
	served := math.Inf(1)
	if exec > 0 {
		served = slots / exec
	}
	stretch := l.peakFor
	if stretch <= 0 || stretch > h {
		stretch = h
	}
	steady = math.Max(l.mean-served, 0) * h
	q = math.Max(l.peak-served, 0)*stretch + steady + math.Max(l.burst-slots, 0)
	return math.Min(q, l.arrivals), math.Min(steady, l.arrivals)
}

func (s *Scenario) faasCost(c *sysCost, sys System, loads []fnLoad, h float64, timers func(float64, string)) {
	cfg := sys.FaaS
	ic := float64(max(cfg.InstanceConcurrency, 1))
	cold := 0.0
	if cfg.ColdStart != nil {
		cold = math.Min(finite(cfg.ColdStart.Mean()), h)
	}
	timeout := math.Inf(1)
	if cfg.Timeout > 0 {
		timeout = cfg.Timeout.Seconds()
	}
	var instances, inService, backlog, steady float64
	keep := 0.0 // instances kept warm per function by the policy
	switch k := cfg.KeepAlive.(type) {
	case models.ProvisionedKeepAlive:
		keep = float64(k.Instances)
		for _, st := range k.Schedule {
			keep = math.Max(keep, float64(st.Instances))
		}
		if len(k.Schedule) > 0 {
			timers(h/86400*float64(len(k.Schedule))*float64(len(loads)), "the provisioned schedule's steps")
		}
	case models.PingKeepAlive:
		keep = float64(k.Concurrency)
		n := h / k.Every.Seconds() * float64(len(loads)) * (1 + eventsPerFaaS*float64(k.Concurrency))
		timers(n, fmt.Sprintf("%.3g keep-warm pings (keep_alive.every %v) over %v", n, k.Every, s.Duration))
	case models.HybridKeepAlive:
		c.bytes += float64(len(loads)) * 4 * float64(k.Params.Range/k.Params.Bin)
	}
	keep = math.Max(keep, float64(cfg.MinInstances))
	for _, l := range loads {
		e := math.Min(l.exec, timeout)
		demand := l.peak*(e+cold) + l.burst // requests at once (Little's law), a burst on top
		n := (demand+3*math.Sqrt(demand))/ic + 1
		capN := math.Inf(1)
		if cfg.MaxConcurrency > 0 {
			capN = float64(cfg.MaxConcurrency)
		}
		n = math.Min(n, capN)
		instances += n + keep
		inService += math.Min(demand, capN*ic)
		if cfg.OnThrottle == models.ThrottleQueue {
			q, st := queueFor(l, capN*ic, e+cold, h)
			backlog, steady = backlog+q, steady+st
		}
	}
	if a := float64(cfg.AccountConcurrency); a > 0 && instances > a+keep*float64(len(loads)) {
		// The account's cap: instances beyond it are refused (rejected), or
		// the requests wait in the queue.
		instances = a + keep*float64(len(loads))
		inService = math.Min(inService, a*ic)
		if cfg.OnThrottle == models.ThrottleQueue {
			all := sumLoads(loads, timeout)
			q, st := queueFor(all, a*ic, all.exec+cold, h)
			backlog, steady = math.Max(backlog, q), math.Max(steady, st)
		}
	}
	if cfg.QueueTimeout > 0 { // a queued request leaves at its deadline
		var sum fnLoad
		for _, l := range loads {
			sum.peak += l.peak
			sum.burst += l.burst
		}
		backlog = math.Min(backlog, sum.peak*cfg.QueueTimeout.Seconds()+sum.burst)
		steady = math.Min(steady, backlog)
	}
	full := backlog
	backlog = s.capBacklog(c, backlog, steady)
	c.bytes += instances*bytesPerInstance + inService*bytesPerRequest + backlog*bytesPerQueued
	c.memWhy = fmt.Sprintf("about %.3g instances and %.3g requests in flight", instances, inService+backlog)
	if backlog*bytesPerQueued > instances*bytesPerInstance && backlog*bytesPerQueued > inService*bytesPerRequest {
		c.memWhy = fmt.Sprintf("a queue of about %.3g requests (on_throttle: queue beyond max_concurrency)", backlog)
		if full > backlog {
			c.memWhy += capped(full)
		}
	}
}

// pollerBacklog adds the SQS queues a FaaS system's pollers cannot drain.
// A function called through a queue runs at most maximum_concurrency
// batches at once, each running its messages one after the other, so its
// pollers serve about maximum_concurrency ÷ exec messages a second
// whatever the batch size; the excess waits in the queue, models.BytesPerHeld
// a message, until the backlog budget stops the system.
func (s *Scenario) pollerBacklog(c *sysCost, sys System, loads []fnLoad, h float64) {
	var backlog, steady float64
	for i, call := range s.callsOf(sys) {
		if q, ok := call.Type.(models.QueueInvocation); ok && i < len(loads) {
			b, st := queueFor(loads[i], float64(q.MaxConcurrency), loads[i].exec, h)
			backlog, steady = backlog+b, steady+st
		}
	}
	if backlog == 0 {
		return
	}
	most := float64(s.budgetBytes() / models.BytesPerHeld)
	if steady > most {
		c.runs = math.Min(c.runs, most/steady)
	}
	full := backlog
	backlog = math.Min(backlog, most)
	if backlog*bytesPerHeld > c.bytes {
		c.memWhy = fmt.Sprintf("an SQS queue of about %.3g messages (its pollers at maximum_concurrency)", backlog)
		if full > backlog {
			c.memWhy += capped(full)
		}
	}
	c.bytes += backlog * bytesPerHeld
}

// capped says that a queue of about full requests is beyond the backlog
// budget: the system will stop, saturated, when its queue reaches it.
func capped(full float64) string {
	return fmt.Sprintf(", where the %.3g it would reach pass max_backlog_mb: it stops there, marked saturated", full)
}

func (s *Scenario) serverCost(c *sysCost, sys System, loads []fnLoad, h float64, timers func(float64, string)) {
	cfg := sys.Server
	most := float64(cfg.Instances)
	if a := cfg.Autoscale; a != nil {
		most = math.Max(most, float64(a.Max))
		n := h / a.Interval.Seconds()
		timers(n, fmt.Sprintf("%.3g autoscaler evaluations (autoscale.interval %v) over %v", n, a.Interval, s.Duration))
	}
	for _, st := range cfg.Schedule {
		most = math.Max(most, float64(st.Instances))
	}
	if len(cfg.Schedule) > 0 {
		timers(h/86400*float64(len(cfg.Schedule))*(1+most), "the schedule's steps")
	}
	if in := cfg.Purchase.Interruption; in.After != nil {
		// each: the notice, the reclaim and the replacement's boot
		n := 3 * most * h / math.Max(in.After.Mean(), 1)
		timers(n, fmt.Sprintf("%.3g spot interruptions (purchase.interruption.every) over %v", n/3, s.Duration))
	}
	slots := most * float64(cfg.WorkersPerInstance)
	all := sumLoads(loads, math.Inf(1))
	inService := math.Min(all.peak*all.exec+all.burst, slots)
	backlog, steady := queueFor(all, slots, all.exec, h)
	switch {
	case cfg.QueueLimit > 0:
		backlog = math.Min(backlog, float64(cfg.QueueLimit))
	case cfg.Timeout > 0: // a queued request leaves at its deadline
		backlog = math.Min(backlog, all.peak*cfg.Timeout.Seconds()+all.burst)
	}
	steady = math.Min(steady, backlog)
	full := backlog
	backlog = s.capBacklog(c, backlog, steady)
	c.bytes += most*bytesPerInstance + inService*bytesPerRequest + backlog*bytesPerQueued
	c.memWhy = fmt.Sprintf("%.3g instances (instances)", most)
	if inService*bytesPerRequest+backlog*bytesPerQueued > most*bytesPerInstance {
		c.memWhy = fmt.Sprintf("about %.3g requests in service or queued (the fleet serves %.3g at once)", inService+backlog, slots)
	}
	if backlog*bytesPerQueued > inService*bytesPerRequest {
		c.memWhy = fmt.Sprintf("a queue of about %.3g requests: arrivals outpace the %.3g workers (add instances, or set queue_limit or timeout)", backlog, slots)
		if full > backlog {
			c.memWhy += capped(full)
		}
	}
}

// CheckBudget refuses a scenario whose estimate is beyond b, with the
// estimate, what dominates it and the flag that lifts the budget.
func (s *Scenario) CheckBudget(e Estimate, b Budget) error {
	if b.MaxEvents <= 0 {
		b.MaxEvents = DefaultMaxEvents
	}
	if b.MaxMemoryMB <= 0 {
		b.MaxMemoryMB = DefaultMaxMemoryMB
	}
	var probs Problems
	if e.Events > b.MaxEvents || math.IsNaN(e.Events) {
		probs = append(probs, Problem{File: s.File, Msg: fmt.Sprintf(
			"a run needs about %.2g simulated events (%s), beyond the budget of %.3g (about %s of CPU at ~5 million a second); shorten duration or lower the load, or lift the budget with --max-events %s",
			e.Events, e.EventsWhy, b.MaxEvents, cpuTime(b.MaxEvents), roundUp(e.Events))})
	}
	if mb := e.Bytes / (1 << 20); mb > b.MaxMemoryMB || math.IsNaN(mb) {
		probs = append(probs, Problem{File: s.File, Msg: fmt.Sprintf(
			"a run needs about %s of memory for the model's state (%s), beyond the budget of %g MB; lift it with --max-memory %s (MB) if the machine has it",
			humanBytes(e.Bytes), e.BytesWhy, b.MaxMemoryMB, roundUp(mb))})
	}
	if b := e.Rows * bytesPerSeriesRow; b > maxSeriesBytes {
		probs = append(probs, Problem{File: s.File, Msg: fmt.Sprintf(
			"the time series would write about %s (%.3g rows over %d systems); want at most %s: a longer --interval or report.interval",
			humanBytes(b), e.Rows, len(s.Systems), humanBytes(maxSeriesBytes))})
	}
	if len(probs) > 0 {
		return probs
	}
	return nil
}

// The time series' disk: a row is about 75 bytes (the examples); 4 GB of
// them is 40 million rows, far more than a plot can show.
const (
	bytesPerSeriesRow = 100
	maxSeriesBytes    = 4 << 30
)

func cpuTime(events float64) string {
	return (time.Duration(events/5e6) * time.Second).Round(time.Minute).String()
}

// roundUp gives x to two significant figures, rounded up, as a flag value.
func roundUp(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || x > 1e300 {
		return "1e300"
	}
	if x < 1 {
		return "1"
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-1)
	v := math.Ceil(x/p) * p
	if v < 1e7 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

func humanBytes(b float64) string {
	switch {
	case b >= 1<<40:
		return fmt.Sprintf("%.3g TB", b/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.3g GB", b/(1<<30))
	}
	return fmt.Sprintf("%.3g MB", b/(1<<20))
}

// CheckWorkloadBudget refuses a workload alone (faasim workload preview)
// estimated to need more than maxEvents arrivals and generator steps.
func (s *Scenario) CheckWorkloadBudget(maxEvents float64) error {
	if maxEvents <= 0 {
		maxEvents = DefaultMaxEvents
	}
	h := s.Duration.Seconds()
	loads, total := s.loads(h)
	n := total.steps * h
	for _, l := range loads {
		n += l.arrivals
	}
	if n <= maxEvents && !math.IsNaN(n) {
		return nil
	}
	return Problems{{File: s.File, Msg: fmt.Sprintf("the workload makes about %.2g arrivals and steps (%s over %v), beyond the budget of %.3g; lift it with --max-events %s",
		n, total.path, s.Duration, maxEvents, roundUp(n))}}
}
