package models

import "github.com/faasim/faasim/sim"

// The bounded pending queue. Beyond max instances Cloud Run holds a request
// for at most about 10 s ("If no instances become available during the
// window, the request fails with a 429 error code"); QueueTimeout models it
// as a deadline of arrival + QueueTimeout on every request that ThrottleQueue
// queues. A function's queue is FIFO and every deadline has the same
// length, so the head's is the earliest: one timer per function, re-armed
// for the new head, rejects the requests past their deadline.

// armQueueTimeout makes sure a timer is pending for fn's queue.
func (f *FaaS) armQueueTimeout(e *sim.Engine, fn int32) {
	fs := &f.fx[fn]
	if f.cfg.QueueTimeout == 0 || fs.qwake || fs.queue.len() == 0 {
		return
	}
	fs.qwake = true
	head := fs.queue.peek().arrival
	e.ScheduleID(max(head+f.cfg.QueueTimeout, e.Now()), f.hQueueTimeout, uint64(fn))
}

type faasQueueTimeout FaaS

// Fire: the head of function arg's queue may be past its deadline; every
// request that is, is rejected now (its wait ends at its deadline).
func (h *faasQueueTimeout) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	fn := int32(arg)
	fs := &f.fx[fn]
	fs.qwake = false
	now := e.Now()
	for fs.queue.len() > 0 {
		if fs.queue.peek().arrival+f.cfg.QueueTimeout > now {
			break
		}
		f.fns[fn].queued--
		f.queued--
		f.report(fn, fs.queue.pop(), now, Rejected)
	}
	f.armQueueTimeout(e, fn)
}
