package models

import "github.com/faasim/faasim/sim"

// The backlog budget. A system that cannot keep up queues every request it
// cannot serve, and the queue is model state: an undersized fleet (1,000
// requests a second on one worker) adds a million queued requests every
// 17 minutes of simulated time. Each queued request is held compactly
// (BytesPerQueued; its full record is made when a worker or an instance
// takes it), and when a system's queued requests pass its budget the
// system stops: its engine fires nothing more, and its figures cover the
// time up to the crossing (Summary.Stopped). The check is one comparison
// where a request joins a queue, nothing on the path of a request served
// at once.

// BytesPerQueued is what one queued request holds, bytes: its arrival and
// execution time, its function or what marks it as the policy's own
// (srvQueued, faasQueued). A system's backlog is its queued requests times
// this; the fifo holding them adds at most two chunks.
const BytesPerQueued = 24

// BytesPerHeld is what an event held by an invocation layer holds, bytes:
// a message of an SQS queue (queueMsg) with its index in the queue, an
// async event (asyncEvent), a sync call's slot, with the slot of its
// attempt while one runs (attemptSlot's 28 are shared by a batch's
// messages, and a sync event's attempt is also queued in the system).
const BytesPerHeld = 40

// DefaultBacklogBudget is the backlog a system may hold, bytes: 256 MiB,
// 11,184,810 queued requests. A backlog of a million requests (24 MB) runs
// to the end; an overloaded system's backlog grows by its arrival rate
// minus its service rate, so a system 1,000 requests a second short of its
// load crosses the budget after about three simulated hours.
const DefaultBacklogBudget = 256 << 20

// Stop is where a system stopped before the horizon: its backlog passed
// its budget.
type Stop struct {
	At     sim.Time // the crossing: when the request that passed the budget joined the queue
	Queued int64    // requests queued then, that one included
	Budget int64    // the budget, bytes
}

// backlogGuard stops a run whose backlog passes its budget.
type backlogGuard struct {
	max    int // requests that may wait at once; one more stops the run
	budget int64
	stop   *Stop
}

func (g *backlogGuard) init(budget int64) {
	if budget <= 0 {
		budget = DefaultBacklogBudget
	}
	g.budget, g.max = budget, int(min(budget/BytesPerQueued, 1<<62))
}

// trip stops the run now, with queued requests waiting: more than the
// budget holds.
func (g *backlogGuard) trip(e *sim.Engine, queued int) {
	if g.stop == nil {
		g.stop = &Stop{At: e.Now(), Queued: int64(queued), Budget: g.budget}
	}
	e.Stop()
}

// window is w as far as the run went: up to the stop, if it stopped (an
// empty window if that was before the warm-up ended).
func (g *backlogGuard) window(w Window) Window {
	if g.stop != nil {
		w.Horizon = max(g.stop.At, w.Warmup)
	}
	return w
}
