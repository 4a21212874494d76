package models

import (
	"context"
	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// Outcome is how a request ended.
type Outcome uint8

const (
	Completed Outcome = iota // served to the end
	Rejected                 // throttled or turned away by a full queue; never started
	TimedOut                 // cut at the timeout (billed up to it)
	// Failed: the function ran and returned an error (errors: in the
	// scenario), which is what the caller of a synchronous call sees.
	Failed
	// DeadLettered: an asynchronous event or queued message given up, out of
	// retries or past its maximum age (calls.go).
	DeadLettered
	nOutcomes
)

// NumOutcomes is the number of outcomes, for tables indexed by Outcome.
const NumOutcomes = int(nOutcomes)

func (o Outcome) String() string {
	switch o {
	case Completed:
		return "completed"
	case Rejected:
		return "rejected"
	case TimedOut:
		return "timed_out"
	case Failed:
		return "failed"
	case DeadLettered:
		return "dead_lettered"
	}
	return "unknown"
}

// Record is one request's fate. Latency is End - Arrival: queueing, cold
// start and execution.
type Record struct {
	Arrival sim.Time
	End     sim.Time // completion, rejection or timeout time
	Wait    sim.Time // time queued for capacity (throttle queue, server queue)
	Init    sim.Time // time waiting for a new instance to start (cold start)
	Fn      int32
	Outcome Outcome
	Cold    bool // waited for a new instance to start
}

// Latency is the time from arrival to the end of the request.
func (r *Record) Latency() sim.Time { return r.End - r.Arrival }

// Observer receives what happens, one request at a time. Only requests
// arriving at or after the warm-up are reported. The pointers are valid only
// during the call (systems reuse one Record: no allocation per request).
type Observer interface {
	Arrived(inv *workloads.Invocation)
	Ended(r *Record)
}

// Window is the measured part of a run: statistics and bills cover
// [Warmup, Horizon); arrivals stop at Horizon.
type Window struct {
	Warmup, Horizon sim.Time
}

// System is one simulated platform or fleet. A System is used for one run.
type System interface {
	// Start schedules whatever the system does on its own (timers,
	// pre-warming), names where records go and the window measured.
	Start(e *sim.Engine, obs Observer, w Window)
	// Arrive offers one invocation at e.Now() == inv.At.
	Arrive(e *sim.Engine, inv *workloads.Invocation)
	// Finish closes the books at the horizon of the window.
	Finish() Summary
}

// Summary is what a system reports at the end of a run, beside the records.
type Summary struct {
	Cost      Cost
	Instances InstanceStats
	// FunctionCost is the part of Cost attributable to each function (FaaS
	// only; nil for server fleets, whose cost is shared).
	FunctionCost []float64
	// Policy is what the keep-alive policy cost and bought (FaaS only).
	Policy PolicyStats
	// Calls is what the invocation layer did (attempts, retries, dead
	// letters, batches); nil when every call went straight to the system.
	Calls *CallStats
	// RequestCost is the bill of one request at quantiles over the
	// requests billed: an on-demand invocation's bill, shared equally by
	// the messages of its batch (per-request billing only; nil otherwise).
	RequestCost *CostQuantiles
	// FrontDoor is what the gateway or load balancer in front saw; nil
	// without one.
	FrontDoor *FrontDoorStats
	// Purchase is what a purchase option other than on demand did (a
	// fleet's commitment or spot, a FaaS savings plan); nil on demand.
	Purchase *PurchaseStats
	// Stopped is where the system stopped, its backlog over its budget
	// (backlog.go); nil when it ran to the horizon. Every figure then
	// covers the window up to the stop: bills, instance means, and the
	// requests reported (those still queued or in service at the stop are
	// in flight).
	Stopped *Stop `json:",omitempty"`
}

// InstanceStats are time-weighted over the window.
type InstanceStats struct {
	Mean     float64 // instances alive (starting, busy or idle)
	Max      int     // most instances alive at once
	MeanBusy float64 // instances serving at least one request
	// MeanBusySlots is the mean number of requests in service (for a fleet,
	// busy workers); by Little's law it equals throughput × mean service time.
	MeanBusySlots float64
	// Fleet is what a scaled server fleet bought and wasted; nil otherwise.
	Fleet *FleetStats
}

// Simulate drives one system with one workload over the window on a fresh
// engine and returns its summary. The source must be new: every system is
// given its own Source built from the same seed (common random numbers).
func Simulate(ctx context.Context, sys System, src workloads.Source, w Window, obs Observer) (Summary, error) {
	return SimulateProgress(ctx, sys, src, w, obs, nil)
}

// SimulateProgress is Simulate that calls progress with the virtual time
// reached, now and then (every few thousand events), and at the end.
func SimulateProgress(ctx context.Context, sys System, src workloads.Source, w Window, obs Observer, progress func(sim.Time)) (Summary, error) {
	if w.Horizon <= w.Warmup || w.Warmup < 0 {
		return Summary{}, fmt.Errorf("models: window %+v: want 0 <= warm-up < horizon", w)
	}
	return simulate(ctx, sys, src, w, obs, progress, nil)
}

// simulate runs the engine; hook, if set, schedules extra events (sampling)
// once the system has started.
func simulate(ctx context.Context, sys System, src workloads.Source, w Window, obs Observer, progress func(sim.Time), hook func(*sim.Engine)) (Summary, error) {
	e := sim.New()
	e.Tick = progress
	if progress != nil {
		defer progress(w.Horizon)
	}
	d := &driver{sys: sys, src: src, obs: obs, w: w}
	sys.Start(e, obs, w)
	if hook != nil {
		hook(e)
	}
	// One arrival is pending at a time, in time order: a lane of its own.
	d.h, d.lane = e.Register(d), e.NewLane()
	if src.Next(&d.next) && d.next.At < w.Horizon {
		e.ScheduleLane(d.lane, d.next.At, d.h, 0)
	}
	if err := e.Run(ctx, w.Horizon); err != nil {
		return Summary{}, err
	}
	if err := src.Err(); err != nil {
		return Summary{}, err
	}
	return sys.Finish(), nil
}

// driver feeds arrivals one at a time: only the next arrival is ever queued.
type driver struct {
	sys  System
	src  workloads.Source
	obs  Observer
	w    Window
	next workloads.Invocation
	cur  workloads.Invocation
	h    sim.HandlerID
	lane sim.Lane
}

func (d *driver) Fire(e *sim.Engine, _ uint64) {
	d.cur = d.next
	if d.cur.At >= d.w.Warmup {
		d.obs.Arrived(&d.cur)
	}
	d.sys.Arrive(e, &d.cur)
	if d.src.Next(&d.next) && d.next.At < d.w.Horizon {
		e.ScheduleLane(d.lane, d.next.At, d.h, 0)
	}
}

// ring is a FIFO queue that reuses its storage.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (q *ring[T]) len() int { return q.size }

func (q *ring[T]) push(x T) {
	if q.size == len(q.buf) {
		n := make([]T, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = x
	q.size++
}

func (q *ring[T]) peek() *T { return &q.buf[q.head] }

func (q *ring[T]) pop() T {
	x := q.buf[q.head]
	var zero T
	q.buf[q.head] = zero
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return x
}
