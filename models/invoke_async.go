package models

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// AsyncInvocation is an asynchronous invocation (Lambda's Event type: S3,
// SNS, EventBridge triggers): the caller sees only that the event was
// accepted into the platform's internal queue; the platform runs it, and
//   - on a function error (the handler's, or a timeout) runs it again up to
//     Retries more times, one minute after the first attempt ends, two
//     minutes after the second;
//   - on a throttle (no concurrency left) returns it to the queue and tries
//     again after 1 s, 2 s, 4 s, ... at most 5 minutes apart;
//   - gives it up (dead-letters it) once it is out of retries, or once it
//     would next run later than MaxEventAge after it arrived (then at that
//     age).
//
// Its latency is from the event's arrival to the end of the attempt that
// succeeded, the queue and every retry included. On a server fleet the
// same events wait in the fleet's queue, and the retries and their delays
// are the worker pool's (a queue whose failed messages reappear after the
// same delays). Lambda docs: invocation-async-error-handling,
// invocation-async-configuring (read 2026-12).
type AsyncInvocation struct {
	Retries     int      // after a function error, 0 to 2
	MaxEventAge sim.Time // 60 s to 6 h
}

// Lambda's figures for asynchronous invocation.
const (
	DefaultAsyncRetries  = 2
	DefaultMaxEventAge   = 6 * time.Hour
	MinMaxEventAge       = time.Minute
	throttleBackoffFirst = time.Second
	throttleBackoffMax   = 5 * time.Minute
)

// asyncRetryDelays are the waits before the second and third attempts.
var asyncRetryDelays = [DefaultAsyncRetries]sim.Time{time.Minute, 2 * time.Minute}

func (a AsyncInvocation) String() string {
	return fmt.Sprintf("async(retries %d, max age %v)", a.Retries, a.MaxEventAge)
}

func (AsyncInvocation) Direct() bool                 { return false }
func (a AsyncInvocation) Attempts(p float64) float64 { return geometric(p, a.Retries) }

func (a AsyncInvocation) check() error {
	switch {
	case a.Retries < 0 || a.Retries > DefaultAsyncRetries:
		return fmt.Errorf("retries %d, want 0 to %d", a.Retries, DefaultAsyncRetries)
	case a.MaxEventAge < MinMaxEventAge || a.MaxEventAge > DefaultMaxEventAge:
		return fmt.Errorf("max event age %v, want %v to %v", a.MaxEventAge, MinMaxEventAge, DefaultMaxEventAge)
	}
	return nil
}

func (a AsyncInvocation) NewInvoker(h *CallHost, fn int32) (Invoker, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	return &asyncInvoker{h: h, fn: fn, cfg: a}, nil
}

// asyncEvent is one event in the platform's hands.
type asyncEvent struct {
	arrival, exec sim.Time
	key           uint64
	ran           uint16 // attempts that ran
	throttles     uint16 // throttles since the last attempt that ran
	fails         bool   // the attempt running fails
	cold          bool   // an attempt waited for a cold start
	started       bool
}

// asyncInvoker applies AsyncInvocation (and ScheduleInvocation, which
// starts each event within a flexible window).
type asyncInvoker struct {
	h       *CallHost
	fn      int32
	cfg     AsyncInvocation
	evs     pages[asyncEvent]
	pending int    // events waiting for a retry, a back-off or their window
	rec     Record // reused for every report (a fresh &Record{} escapes: one allocation per event)

	hTry, hExpire sim.HandlerID

	flex sim.Time   // ScheduleInvocation: first attempts spread over [0, flex)
	rng  *rand.Rand // its draws
}

func (a *asyncInvoker) Start(e *sim.Engine) {
	a.hTry, a.hExpire = e.Register((*asyncTry)(a)), e.Register((*asyncExpire)(a))
}

func (a *asyncInvoker) Pending() int { return a.pending }

func (a *asyncInvoker) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	i := a.evs.alloc()
	*a.evs.at(i) = asyncEvent{arrival: inv.At, exec: inv.Exec, key: a.h.Key(a.fn)}
	if a.flex > 0 {
		a.pending++
		e.ScheduleID(inv.At+sim.Time(a.rng.Int64N(int64(a.flex))), a.hTry, uint64(i))
		return
	}
	a.try(e, i)
}

// try runs an attempt of event i now.
func (a *asyncInvoker) try(e *sim.Engine, i int32) {
	ev := a.evs.at(i)
	ev.fails = a.h.Fails(a.fn, ev.key, int(ev.ran))
	exec := ev.exec
	if ev.fails {
		exec = a.h.FailedExec(a.fn, exec)
	}
	retry := 0
	if ev.ran > 0 {
		retry = 1
	}
	a.h.Run(e, a.fn, exec, 1, retry, uint32(i))
}

func (a *asyncInvoker) Ended(e *sim.Engine, tag uint32, r *Record) {
	i := int32(tag)
	ev := a.evs.at(i)
	now := e.Now()
	ev.cold = ev.cold || r.Cold
	if r.Outcome == Rejected {
		ev.throttles++
		d := throttleBackoffFirst << min(ev.throttles-1, 16)
		a.later(e, i, now+min(d, throttleBackoffMax))
		return
	}
	if !ev.started {
		ev.started = true
		a.h.Started(ev.arrival, r.Arrival+r.Wait) // given capacity then
	}
	ev.throttles = 0
	ev.ran++
	switch {
	case r.Outcome == Completed && !ev.fails:
		a.rec = Record{Arrival: ev.arrival, End: now, Wait: r.Arrival - ev.arrival + r.Wait, Init: r.Init,
			Fn: a.fn, Outcome: Completed, Cold: ev.cold}
		a.h.Report(&a.rec)
		a.evs.release(i)
	case int(ev.ran) > a.cfg.Retries:
		a.deadLetter(now, i)
	default:
		a.later(e, i, now+asyncRetryDelays[ev.ran-1])
	}
}

// later runs event i again at at, or dead-letters it when it reaches its
// maximum age first.
func (a *asyncInvoker) later(e *sim.Engine, i int32, at sim.Time) {
	a.pending++
	if deadline := a.evs.at(i).arrival + a.cfg.MaxEventAge; at > deadline {
		e.ScheduleID(max(deadline, e.Now()), a.hExpire, uint64(i))
		return
	}
	e.ScheduleID(at, a.hTry, uint64(i))
}

func (a *asyncInvoker) deadLetter(now sim.Time, i int32) {
	ev := a.evs.at(i)
	a.rec = Record{Arrival: ev.arrival, End: now, Wait: now - ev.arrival, Fn: a.fn, Outcome: DeadLettered, Cold: ev.cold}
	a.h.Report(&a.rec)
	a.evs.release(i)
}

type asyncTry asyncInvoker

// Fire: event arg's retry (or first attempt) is due.
func (h *asyncTry) Fire(e *sim.Engine, arg uint64) {
	a := (*asyncInvoker)(h)
	a.pending--
	a.try(e, int32(arg))
}

type asyncExpire asyncInvoker

// Fire: event arg reached its maximum age waiting.
func (h *asyncExpire) Fire(e *sim.Engine, arg uint64) {
	a := (*asyncInvoker)(h)
	a.pending--
	a.h.Expired(a.evs.at(int32(arg)).arrival)
	a.deadLetter(e.Now(), int32(arg))
}
