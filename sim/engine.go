package sim

import (
	"context"
	"fmt"
	"time"
)

// Time is virtual time: nanoseconds since the start of the scenario.
type Time = time.Duration

// Handler receives an event. arg is whatever the scheduler passed (an index,
// an id); handlers are long-lived values, so scheduling allocates nothing.
type Handler interface {
	Fire(e *Engine, arg uint64)
}

// HandlerFunc adapts a function to Handler. Converting a closure allocates,
// so keep it off hot paths; long-lived model objects implement Handler.
type HandlerFunc func(e *Engine, arg uint64)

// Fire calls f.
func (f HandlerFunc) Fire(e *Engine, arg uint64) { f(e, arg) }

// EventID names a scheduled event so it can be cancelled.
type EventID uint64

type event struct {
	at  Time
	seq uint64
	h   Handler
	arg uint64
}

// before reports whether a fires before b: earlier time first, and at equal
// times the event scheduled first (FIFO), always.
func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Engine runs events in order of (time, scheduling sequence). It is not safe
// for concurrent use: one engine per simulated system, run on one goroutine.
type Engine struct {
	now   Time
	seq   uint64
	heap  []event // 4-ary min-heap: shallower than binary, fewer cache misses
	fired uint64

	// Tick, if set, is called with the current time every 4096 events during
	// Run (for progress reports). It must not schedule events.
	Tick func(now Time)
}

// New returns an engine at time zero with an empty queue.
func New() *Engine { return &Engine{heap: make([]event, 0, 64)} }

// Now is the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Pending is the number of scheduled events not yet fired.
func (e *Engine) Pending() int { return len(e.heap) }

// Fired is the number of events fired so far.
func (e *Engine) Fired() uint64 { return e.fired }

// Schedule arranges for h.Fire(e, arg) at time at. Scheduling in the past is
// a caller bug and panics.
func (e *Engine) Schedule(at Time, h Handler, arg uint64) EventID {
	if at < e.now {
		panic(fmt.Sprintf("sim: schedule at %v, before now %v", at, e.now))
	}
	e.seq++
	e.heap = append(e.heap, event{at: at, seq: e.seq, h: h, arg: arg})
	e.up(len(e.heap) - 1)
	return EventID(e.seq)
}

// After schedules h after delay d (d >= 0).
func (e *Engine) After(d Time, h Handler, arg uint64) EventID {
	return e.Schedule(e.now+d, h, arg)
}

// Cancel removes a pending event and reports whether it was pending.
// It scans the queue (O(pending)): models on the hot path avoid cancelling by
// re-checking state when a timer fires; Cancel is for rare events.
func (e *Engine) Cancel(id EventID) bool {
	for i := range e.heap {
		if e.heap[i].seq == uint64(id) {
			e.remove(i)
			return true
		}
	}
	return false
}

// Run fires events in order until the queue is empty or the next event is
// after until; then the clock reads until (if it was not past it already).
// Events exactly at until fire. The context is checked every 4096 events.
func (e *Engine) Run(ctx context.Context, until Time) error {
	for n := 0; len(e.heap) > 0; n++ {
		if n&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if e.Tick != nil {
				e.Tick(e.now)
			}
		}
		if e.heap[0].at > until {
			break
		}
		e.fireNext()
	}
	if e.now < until {
		e.now = until
	}
	return ctx.Err()
}

// Step fires the next event, if any, and reports whether it did.
func (e *Engine) Step() bool {
	if len(e.heap) == 0 {
		return false
	}
	e.fireNext()
	return true
}

// fireNext pops the earliest event, advances the clock to it and fires it.
func (e *Engine) fireNext() {
	ev := e.heap[0]
	e.remove(0)
	e.now = ev.at
	e.fired++
	ev.h.Fire(e, ev.arg)
}

func (e *Engine) remove(i int) {
	h := e.heap
	n := len(h) - 1
	if i != n {
		h[i] = h[n]
	}
	h[n] = event{} // drop the handler reference
	e.heap = h[:n]
	if i < n {
		if !e.down(i) {
			e.up(i)
		}
	}
}

func (e *Engine) up(i int) {
	h := e.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

// down sifts h[i] toward the leaves and reports whether it moved.
func (e *Engine) down(i0 int) bool {
	h := e.heap
	n := len(h)
	i := i0
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&x) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = x
	return i > i0
}
