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

// HandlerID names a handler registered with an engine (Register): events
// carry it instead of the handler, so an event is 24 bytes, not 40.
type HandlerID uint16

// Lane names a FIFO lane of an engine (NewLane).
type Lane uint8

// An event's key packs its scheduling sequence (high 48 bits) over its
// handler (low 16): keys order as sequences do, since sequences are unique.
const (
	handlerBits = 16
	maxSeq      = 1<<(64-handlerBits) - 1
	dynamic     = 0 // handler of an event scheduled with a Handler value: arg indexes dyn
)

type event struct {
	at  Time
	key uint64
	arg uint64
}

// before reports whether a fires before b: earlier time first, and at equal
// times the event scheduled first (FIFO), always.
func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.key < b.key)
}

// lane is a FIFO ring of events scheduled in (time, sequence) order.
type lane struct {
	buf  []event
	head int
	n    int
}

func (l *lane) push(ev event) {
	if l.n == len(l.buf) {
		nb := make([]event, max(16, 2*len(l.buf)))
		for i := 0; i < l.n; i++ {
			nb[i] = l.buf[(l.head+i)&(len(l.buf)-1)]
		}
		l.buf, l.head = nb, 0
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = ev
	l.n++
}

func (l *lane) top() *event { return &l.buf[l.head] }

func (l *lane) last() *event { return &l.buf[(l.head+l.n-1)&(len(l.buf)-1)] }

func (l *lane) pop() {
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
}

// Engine runs events in order of (time, scheduling sequence). It is not safe
// for concurrent use: one engine per simulated system, run on one goroutine.
//
// Events wait in a radix queue (radix.go), or in a FIFO lane: a lane holds
// events its user schedules in time order (the next arrival; idle timers of
// a fixed length), so they cost O(1), and the next event is the earliest of
// the queue's and the lanes' heads. Which queue an event waits in never
// changes the order events fire in.
type Engine struct {
	now      Time
	seq      uint64
	q        radix
	lanes    []lane
	fired    uint64
	handlers []Handler // by HandlerID; [dynamic] unused
	dyn      []dynEvent
	dynFree  []uint32
	late     lane // Defer: events that fire after everything else due now
	until    Time // Run's bound; Stop lowers it below every event
	stopped  bool

	// Tick, if set, is called with the current time every 4096 events during
	// Run (for progress reports). It must not schedule events.
	Tick func(now Time)
}

// dynEvent is the handler and argument of an event scheduled with a
// Handler value rather than a HandlerID.
type dynEvent struct {
	h   Handler
	arg uint64
}

// New returns an engine at time zero with an empty queue.
func New() *Engine {
	return &Engine{handlers: make([]Handler, 1, 8)}
}

// Now is the current virtual time.
func (e *Engine) Now() Time { return e.now }

// Pending is the number of scheduled events not yet fired.
func (e *Engine) Pending() int {
	n := e.q.len() + e.late.n
	for i := range e.lanes {
		n += e.lanes[i].n
	}
	return n
}

// Fired is the number of events fired so far.
func (e *Engine) Fired() uint64 { return e.fired }

// Register names h for ScheduleID, AfterID and ScheduleLane: the way hot
// paths schedule. An engine holds up to 65,535 handlers.
func (e *Engine) Register(h Handler) HandlerID {
	if len(e.handlers) > 1<<handlerBits-1 {
		panic("sim: too many handlers")
	}
	e.handlers = append(e.handlers, h)
	return HandlerID(len(e.handlers) - 1)
}

// NewLane adds a FIFO lane (see Engine).
func (e *Engine) NewLane() Lane {
	if len(e.lanes) == 255 {
		panic("sim: too many lanes")
	}
	e.lanes = append(e.lanes, lane{})
	return Lane(len(e.lanes) - 1)
}

// next returns a new event's key for handler h. Scheduling in the past is
// a caller bug and panics.
func (e *Engine) next(at Time, h HandlerID) uint64 {
	if at < e.now {
		panic(fmt.Sprintf("sim: schedule at %v, before now %v", at, e.now))
	}
	e.seq++
	if e.seq > maxSeq {
		panic("sim: event sequence exhausted")
	}
	return e.seq<<handlerBits | uint64(h)
}

// ScheduleID arranges for handler h's Fire(e, arg) at time at.
func (e *Engine) ScheduleID(at Time, h HandlerID, arg uint64) EventID {
	ev := event{at: at, key: e.next(at, h), arg: arg}
	e.q.push(ev)
	return EventID(ev.key >> handlerBits)
}

// AfterID schedules handler h after delay d (d >= 0).
func (e *Engine) AfterID(d Time, h HandlerID, arg uint64) EventID {
	return e.ScheduleID(e.now+d, h, arg)
}

// ScheduleLane is ScheduleID through lane l: the event joins the lane if it
// is not before the lane's last event, else the radix queue. Either way it fires in
// (time, sequence) order.
func (e *Engine) ScheduleLane(l Lane, at Time, h HandlerID, arg uint64) EventID {
	ln := &e.lanes[l]
	if ln.n > 0 && at < ln.last().at {
		return e.ScheduleID(at, h, arg)
	}
	ev := event{at: at, key: e.next(at, h), arg: arg}
	ln.push(ev)
	return EventID(ev.key >> handlerBits)
}

// Defer arranges for handler h's Fire(e, arg) at the current time, after
// every other event due now, those scheduled while they fire included:
// what a poller sees at an instant is everything that arrived at it (200
// messages sent at once are one batch, not 200). Deferred events fire
// first-in first-out among themselves.
func (e *Engine) Defer(h HandlerID, arg uint64) {
	if h == dynamic || int(h) >= len(e.handlers) {
		panic("sim: Defer needs a registered handler")
	}
	e.late.push(event{at: e.now, key: uint64(h), arg: arg})
}

// Schedule arranges for h.Fire(e, arg) at time at, for handlers not
// registered (rare events: a cost of a small side table per event).
func (e *Engine) Schedule(at Time, h Handler, arg uint64) EventID {
	var slot uint32
	if n := len(e.dynFree); n > 0 {
		slot = e.dynFree[n-1]
		e.dynFree = e.dynFree[:n-1]
	} else {
		e.dyn = append(e.dyn, dynEvent{})
		slot = uint32(len(e.dyn) - 1)
	}
	id := e.ScheduleID(at, dynamic, uint64(slot))
	e.dyn[slot] = dynEvent{h: h, arg: arg}
	return id
}

// After schedules h after delay d (d >= 0).
func (e *Engine) After(d Time, h Handler, arg uint64) EventID {
	return e.Schedule(e.now+d, h, arg)
}

// Cancel removes a pending event and reports whether it was pending.
// It scans the queue (O(pending)): models on the hot path avoid cancelling by
// re-checking state when a timer fires; Cancel is for rare events.
func (e *Engine) Cancel(id EventID) bool {
	if ev, ok := e.q.cancel(uint64(id), handlerBits); ok {
		e.freeDyn(&ev)
		return true
	}
	for k := range e.lanes {
		l := &e.lanes[k]
		for j := 0; j < l.n; j++ {
			at := (l.head + j) & (len(l.buf) - 1)
			if l.buf[at].key>>handlerBits != uint64(id) {
				continue
			}
			e.freeDyn(&l.buf[at])
			for ; j < l.n-1; j++ { // close the gap: the lane stays in order
				a, b := (l.head+j)&(len(l.buf)-1), (l.head+j+1)&(len(l.buf)-1)
				l.buf[a] = l.buf[b]
			}
			l.n--
			return true
		}
	}
	return false
}

func (e *Engine) freeDyn(ev *event) {
	// ev is a copy or a slot about to be dropped: free its side-table entry
	if ev.key&(1<<handlerBits-1) == dynamic {
		e.dyn[ev.arg] = dynEvent{}
		e.dynFree = append(e.dynFree, uint32(ev.arg))
	}
}

// Run fires events in order until the queue is empty or the next event is
// after until; then the clock reads until (if it was not past it already).
// Events exactly at until fire. The context is checked every 4096 events.
// After Stop, Run returns once the event firing has returned, the clock
// left at the stop.
func (e *Engine) Run(ctx context.Context, until Time) error {
	if !e.stopped {
		e.until = until
	}
	for n := 0; ; n++ {
		if n&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if e.Tick != nil {
				e.Tick(e.now)
			}
		}
		ev, from := e.peek()
		if ev == nil || ev.at > e.until {
			break
		}
		e.fire(from)
	}
	if e.now < until && !e.stopped {
		e.now = until
	}
	return ctx.Err()
}

// Stop ends the run at the current time: Run returns when the event firing
// now returns, and fires nothing more (any later Run returns at once). The
// events still pending stay pending. A model calls it when it cannot go on
// (its backlog passed its memory budget); the check costs Run nothing per
// event, as it only lowers the bound Run compares every event with.
func (e *Engine) Stop() {
	e.stopped = true
	e.until = -1 // before every event: no time is negative
}

// Stopped reports whether Stop was called.
func (e *Engine) Stopped() bool { return e.stopped }

// Step fires the next event, if any (none after Stop), and reports whether
// it did.
func (e *Engine) Step() bool {
	ev, from := e.peek()
	if ev == nil || e.stopped {
		return false
	}
	e.fire(from)
	return true
}

// peek is the next event and where it waits: -1 the radix queue, -2 the
// deferred events, else a lane.
func (e *Engine) peek() (*event, int) {
	best := e.q.peek()
	from := -1
	for k := range e.lanes {
		if l := &e.lanes[k]; l.n > 0 {
			if t := l.top(); best == nil || t.before(best) {
				best, from = t, k
			}
		}
	}
	if e.late.n > 0 && (best == nil || best.at > e.now) {
		return e.late.top(), fromLate
	}
	return best, from
}

const fromLate = -2

// fire takes the next event from where it waits, advances the clock to it
// and fires it.
func (e *Engine) fire(from int) {
	var ev event
	switch {
	case from == fromLate:
		ev = *e.late.top()
		e.late.pop()
	case from < 0:
		ev = e.q.pop()
	default:
		l := &e.lanes[from]
		ev = *l.top()
		l.pop()
	}
	e.now = ev.at
	e.fired++
	h := HandlerID(ev.key & (1<<handlerBits - 1))
	if h != dynamic {
		e.handlers[h].Fire(e, ev.arg)
		return
	}
	d := e.dyn[ev.arg]
	e.dyn[ev.arg] = dynEvent{} // drop the handler reference
	e.dynFree = append(e.dynFree, uint32(ev.arg))
	d.h.Fire(e, d.arg)
}
