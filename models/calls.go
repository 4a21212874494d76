package models

import (
	"fmt"
	"math"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// How functions are called. A function's calls may go straight to the
// system (sync: one call, one attempt, the caller sees its outcome), or
// through an invocation type that stands between the caller and the system:
// Lambda's asynchronous event queue with its retries, a message queue
// polled in batches, a schedule. Each type is a strategy behind Invoker, in
// a file of its own (invoke_*.go); the Invoked system (invoked.go) hosts
// them and never asks which kind it holds.

// InvocationType is how a function is called, as a scenario states it: a
// value. A system builds from it, for each run and function, the Invoker
// that applies it.
type InvocationType interface {
	// NewInvoker returns a fresh invoker for function fn in one run of the
	// system behind h, or an error for settings that cannot be used.
	NewInvoker(h *CallHost, fn int32) (Invoker, error)
	// Direct reports that a call goes straight to the system and the caller
	// sees that one attempt's outcome (sync): a function called so, with no
	// errors and no state, needs no invocation layer at all.
	Direct() bool
	// Attempts is the expected attempts per event when each fails with
	// probability p (cost estimates before a run).
	Attempts(p float64) float64
	String() string
}

// geometric is 1 + p + ... + p^r: the expected attempts of an event
// allowed r retries, each attempt failing with probability p.
func geometric(p float64, r int) float64 {
	s, t := 0.0, 1.0
	for range r + 1 {
		s += t
		t *= p
	}
	return s
}

// TimeoutBounded is an InvocationType that only works on a FaaS platform
// whose function timeout fits it (an event source mapping's visibility
// timeout): CheckTimeout says why timeout (0 = none) does not.
type TimeoutBounded interface {
	CheckTimeout(timeout sim.Time) error
}

// Invoker is an invocation type at work for one function in one run.
type Invoker interface {
	// Start is called once at time 0; the invoker registers its handlers.
	Start(e *sim.Engine)
	// Arrive offers one event (a call, a message) of its function at
	// e.Now() == inv.At.
	Arrive(e *sim.Engine, inv *workloads.Invocation)
	// Ended reports the end of an attempt it ran with CallHost.Run: tag is
	// the tag it gave, r.Arrival the attempt's start.
	Ended(e *sim.Engine, tag uint32, r *Record)
	// Pending is the number of its events neither running nor ended: in
	// its queue, or waiting for a retry (time series' queue length).
	Pending() int
}

// Errors is how often a function's own code fails.
type Errors struct {
	// Rate is the probability that an attempt fails, in [0, 1]; each
	// attempt draws afresh (a retry may succeed).
	Rate float64
	// At, if > 0, is how long a failing attempt runs before it fails (a
	// crash early in the handler); 0: it fails at the end of its drawn
	// execution time. Scaled like execution time where CPU follows memory.
	At sim.Time
}

// State is what one call of a function reads and writes elsewhere (a
// key-value store): a stateless function pays it on every call.
type State struct {
	RoundTrips int       // per call (per message of a batch), >= 1
	Latency    dist.Spec // of one round trip; added to execution time, never scaled by CPU
	// PricePerMillion is the store's price per million round trips, US
	// dollars (DynamoDB on-demand: a read and a write request unit).
	PricePerMillion float64
}

// FunctionCalls is how one function is called.
type FunctionCalls struct {
	Type   InvocationType // nil: sync
	Errors Errors
	State  *State // nil: the function needs no state
}

// PassThrough reports whether fn's calls need no invocation layer.
func (c FunctionCalls) PassThrough() bool {
	return (c.Type == nil || c.Type.Direct()) && c.Errors.Rate == 0 && c.State == nil
}

// NeedsInvoked reports whether any function is called other than straight
// through to the system (Invoked is then needed).
func NeedsInvoked(calls []FunctionCalls) bool {
	for _, c := range calls {
		if !c.PassThrough() {
			return true
		}
	}
	return false
}

// InvokedConfig describes the invocation layer of one system.
type InvokedConfig struct {
	Functions []workloads.Function
	Calls     []FunctionCalls // by function; missing ones are sync
	// CacheHitRatio is the share of state round trips a server fleet
	// answers from its own memory (no latency, no charge), in [0, 1]. A
	// FaaS instance keeps nothing between calls: it must be 0 there.
	CacheHitRatio float64
	Seed          sim.Seed // streams "errors/<fn>", "state/<fn>", "state-cache/<fn>"
}

func (c *InvokedConfig) check() error {
	if len(c.Calls) > len(c.Functions) {
		return fmt.Errorf("calls: %d entries for %d functions", len(c.Calls), len(c.Functions))
	}
	if !(c.CacheHitRatio >= 0 && c.CacheHitRatio <= 1) {
		return fmt.Errorf("calls: cache hit ratio %v, want 0 to 1", c.CacheHitRatio)
	}
	for i, fc := range c.Calls {
		switch {
		case !(fc.Errors.Rate >= 0 && fc.Errors.Rate <= 1):
			return fmt.Errorf("calls: function %q error rate %v, want 0 to 1", c.Functions[i].Name, fc.Errors.Rate)
		case fc.Errors.At < 0:
			return fmt.Errorf("calls: function %q errors.at %v, want >= 0", c.Functions[i].Name, fc.Errors.At)
		case fc.State != nil && (fc.State.RoundTrips < 1 || fc.State.Latency == nil ||
			!(fc.State.PricePerMillion >= 0) || math.IsInf(fc.State.PricePerMillion, 0)):
			return fmt.Errorf("calls: function %q state needs round trips >= 1, a latency and a price >= 0", c.Functions[i].Name)
		}
	}
	return nil
}

// CallStats is what the invocation layer did over the measured window:
// attempts and invocations that started in it, events that arrived in it.
type CallStats struct {
	// Attempts are executions of an event or message that started (a
	// batch of n messages is n attempts), retries included; Retries those
	// beyond an event's first.
	Attempts, Retries int64
	// Invocations are the platform invocations that ran: one per batch
	// when a queue is polled in batches, else equal to Attempts.
	Invocations int64
	// Throttled are invocations the system turned away (a throttle, a full
	// queue) that the invocation type tried again later.
	Throttled int64
	// Expired are the events dead-lettered because they grew older than
	// their maximum age (or a queue's retention) before they could run.
	Expired int64
	// EventAge is the age of events when their first attempt started
	// (time in the platform's queue, a batching window, a back-off):
	// seconds; nil without such events.
	EventAge *AgeStats
	// StateRoundTrips went to the state store; CacheHits were answered
	// from a fleet's memory.
	StateRoundTrips, CacheHits int64
	// MaxConcurrentBatches is the most batches a queue poller had in
	// flight at once (0 without one).
	MaxConcurrentBatches int
}

// AgeStats summarise event ages, seconds; percentiles within 0.78%.
type AgeStats struct {
	Mean, P50, P99, Max float64
}

// CallHost is what an Invoker may do in one run of its system: run
// attempts, decide its function's errors, report what the caller sees.
type CallHost struct{ x *Invoked }

// Run starts one attempt of function fn now: one platform invocation
// executing exec (a batch: its messages' executions one after the other)
// plus the state round trips of msgs calls. retries of the msgs are
// repeated attempts. tag comes back with the attempt's Record.
func (h *CallHost) Run(e *sim.Engine, fn int32, exec sim.Time, msgs, retries int, tag uint32) {
	h.x.run(e, fn, exec, msgs, retries, tag)
}

// Fails reports whether attempt number attempt (0 = the first) of the
// event numbered key (its place among fn's events) fails: the same answer
// in every system of a scenario (common random numbers), whatever order
// they run attempts in.
func (h *CallHost) Fails(fn int32, key uint64, attempt int) bool {
	return h.x.fails(fn, key, attempt)
}

// FailedExec is how long a failing attempt of fn that would run exec runs.
func (h *CallHost) FailedExec(fn int32, exec sim.Time) sim.Time {
	if at := h.x.calls[fn].Errors.At; at > 0 {
		return at
	}
	return exec
}

// Report tells the caller's observer how an event ended (r.Arrival its
// arrival; events arriving before the warm-up are not reported).
func (h *CallHost) Report(r *Record) {
	h.x.held--
	if r.Arrival >= h.x.w.Warmup {
		h.x.obs.Ended(r)
	}
}

// Started records the age of an event of fn (arrived at arrival) when its
// first attempt started.
func (h *CallHost) Started(arrival, now sim.Time) {
	if arrival >= h.x.w.Warmup {
		h.x.age.add(uint64(now - arrival))
		h.x.ageSum.add(now - arrival)
		h.x.ageMax = max(h.x.ageMax, now-arrival)
	}
}

// Expired counts an event of fn dead-lettered for its age.
func (h *CallHost) Expired(arrival sim.Time) {
	if arrival >= h.x.w.Warmup {
		h.x.stats.Expired++
	}
}

// Batches notes n batches in flight at once (a poller's concurrency).
func (h *CallHost) Batches(n int) {
	h.x.stats.MaxConcurrentBatches = max(h.x.stats.MaxConcurrentBatches, n)
}

// Pulls reports whether the system's workers take work from a queue
// themselves (a server fleet) rather than being invoked by a poller.
func (h *CallHost) Pulls() bool { return h.x.inner.pulls() }

// Function is function fn of the system.
func (h *CallHost) Function(fn int32) workloads.Function { return h.x.cfg.Functions[fn] }

// Seed is the run's master seed, for an invoker's own named streams.
func (h *CallHost) Seed() sim.Seed { return h.x.cfg.Seed }

// Window is the measured window (from Start on).
func (h *CallHost) Window() Window { return h.x.w }

// splitmix64 is the finaliser of sim.Seed's streams, here a counter-based
// generator: the draw for (key, counter) needs no draw before it.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniform is the draw for (key, counter) in [0, 1).
func uniform(key, counter uint64) float64 {
	return float64(splitmix64(key^splitmix64(counter))>>11) / (1 << 53)
}
