package models

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// QueueInvocation is a function fed by a message queue (Amazon SQS, a
// standard queue): each event is a message sent to the queue.
//
// On a FaaS platform an event source mapping polls the queue: a poller
// gathers up to BatchSize messages (waiting at most BatchWindow after the
// first, or not at all with no window) and invokes the function once with
// the batch, which runs its messages one after the other: one invocation,
// billed for the batch's whole duration. The mapping runs 5 batches at once
// at first and, while messages wait, 300 more each minute, up to
// MaxConcurrency; when none waited through a minute it falls back to the
// batches it used (at least 5). A batch is invisible to other pollers for
// VisibilityTimeout from its receipt: if it has not finished by then its
// messages are delivered again (to another batch, while the first runs
// on). A batch that fails (a message's error, a timeout) or is throttled
// returns its messages at the end of the visibility timeout; with
// PartialBatchResponse only the failed messages return, the others are
// deleted. A message received more than MaxReceiveCount times goes to the
// dead-letter queue; one older than Retention is deleted: both are
// dead-lettered.
//
// On a server fleet the same queue is consumed by the fleet's workers: a
// message waits in the fleet's queue for a worker, which processes it
// alone; a failed one reappears VisibilityTimeout after its receipt (the
// workers extend the timeout while they work, so a slow message is not
// delivered twice). Batch size, window and poller scaling are the
// mapping's and do not apply. Lambda docs: with-sqs, services-sqs-scaling,
// services-sqs-errorhandling; SQS quotas (read 2026-12).
type QueueInvocation struct {
	BatchSize            int      // 1 to 10,000
	BatchWindow          sim.Time // 0 to 300 s; at least 1 s when BatchSize > 10
	MaxConcurrency       int      // batches at once, 2 to 1,000
	VisibilityTimeout    sim.Time // 1 s to 12 h
	MaxReceiveCount      int      // receives before the dead-letter queue, 1 to 1,000; 0 = no dead-letter queue
	PartialBatchResponse bool     // the function reports which messages failed
	Retention            sim.Time // 60 s to 14 days
}

// The figures of Lambda's SQS event source and of SQS.
const (
	DefaultBatchSize         = 10
	MaxBatchSize             = 10_000
	MaxBatchWindow           = 300 * time.Second
	DefaultQueueConcurrency  = 1000
	DefaultVisibilityTimeout = 30 * time.Second
	MaxVisibilityTimeout     = 12 * time.Hour
	DefaultRetention         = 4 * 24 * time.Hour
	MaxRetention             = 14 * 24 * time.Hour
	MaxReceiveCountLimit     = 1000
	pollersStart             = 5
	pollersStep              = 300 // more batches at once per pollersEvery
	pollersEvery             = time.Minute
)

func (q QueueInvocation) String() string {
	return fmt.Sprintf("queue(batch %d, window %v, visibility %v)", q.BatchSize, q.BatchWindow, q.VisibilityTimeout)
}

func (QueueInvocation) Direct() bool { return false }

// CheckTimeout implements TimeoutBounded: Lambda refuses an SQS event
// source mapping whose queue's visibility timeout is shorter than the
// function's timeout (a batch could then outlive its invisibility and be
// delivered again while it runs, over and over).
func (q QueueInvocation) CheckTimeout(timeout sim.Time) error {
	switch {
	case timeout == 0:
		return fmt.Errorf("polled from a queue, a function needs a timeout no longer than the visibility timeout (%v); this system has none", q.VisibilityTimeout)
	case timeout > q.VisibilityTimeout:
		return fmt.Errorf("visibility timeout %v is shorter than the function timeout %v: Lambda refuses such a mapping; want a visibility timeout of at least the timeout (AWS advises 6 times it), or a shorter timeout",
			q.VisibilityTimeout, timeout)
	}
	return nil
}

// Attempts: up to MaxReceiveCount receipts; without a dead-letter queue,
// as many as it takes (1/(1 - p), p at most 0.999).
func (q QueueInvocation) Attempts(p float64) float64 {
	if q.MaxReceiveCount > 0 {
		return geometric(p, q.MaxReceiveCount-1)
	}
	return 1 / (1 - min(p, 0.999))
}

func (q QueueInvocation) check() error {
	switch {
	case q.BatchSize < 1 || q.BatchSize > MaxBatchSize:
		return fmt.Errorf("batch size %d, want 1 to %d", q.BatchSize, MaxBatchSize)
	case q.BatchWindow < 0 || q.BatchWindow > MaxBatchWindow:
		return fmt.Errorf("batch window %v, want 0 to %v", q.BatchWindow, MaxBatchWindow)
	case q.BatchSize > 10 && q.BatchWindow < time.Second:
		return fmt.Errorf("batch size %d needs a batch window of at least 1s", q.BatchSize)
	case q.MaxConcurrency < 2 || q.MaxConcurrency > DefaultQueueConcurrency:
		return fmt.Errorf("maximum concurrency %d, want 2 to %d", q.MaxConcurrency, DefaultQueueConcurrency)
	case q.VisibilityTimeout < time.Second || q.VisibilityTimeout > MaxVisibilityTimeout:
		return fmt.Errorf("visibility timeout %v, want 1s to %v", q.VisibilityTimeout, MaxVisibilityTimeout)
	case q.MaxReceiveCount < 0 || q.MaxReceiveCount > MaxReceiveCountLimit:
		return fmt.Errorf("max receive count %d, want 0 (none) or 1 to %d", q.MaxReceiveCount, MaxReceiveCountLimit)
	case q.Retention < time.Minute || q.Retention > MaxRetention:
		return fmt.Errorf("retention %v, want 1m to %v", q.Retention, MaxRetention)
	}
	return nil
}

func (q QueueInvocation) NewInvoker(h *CallHost, fn int32) (Invoker, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	return &queueInvoker{h: h, fn: fn, cfg: q, workers: h.Pulls(), open: -1,
		limit: min(pollersStart, q.MaxConcurrency)}, nil
}

// queueMsg is one message.
type queueMsg struct {
	arrival, exec sim.Time
	key           uint64
	receives      uint16
	fails         bool // fails in the batch it is in
	cold          bool
	started       bool
}

// queueBatch is one batch a poller received.
type queueBatch struct {
	msgs    []int32 // storage reused with the slot
	start   sim.Time
	gen     uint32
	running bool // invoked, not ended
	expired bool // its visibility timeout passed while it ran: its messages went back
}

// queueInvoker applies QueueInvocation: the queue, the pollers (FaaS) or
// the workers' receipts (a fleet).
type queueInvoker struct {
	h       *CallHost
	fn      int32
	cfg     QueueInvocation
	workers bool // the system's workers consume the queue (a fleet)

	msgs    pages[queueMsg]
	queue   fifo[int32] // visible messages, in the order they became visible
	batches arena[queueBatch]
	open    int32 // the batch a poller is gathering; -1 none
	held    int   // messages received, not running, waiting for their visibility timeout

	limit, busy, peak int    // pollers: batches allowed at once, gathering or running, most since the last step
	waited            bool   // a message waited for a poller since the last step
	polling           bool   // a poll is deferred to the end of this instant
	rec               Record // reused for every report (no allocation per message)

	hPoll, hWindow, hVisible, hStep, hReturn sim.HandlerID
}

func (q *queueInvoker) Start(e *sim.Engine) {
	q.hPoll = e.Register((*queuePoll)(q))
	q.hWindow = e.Register((*queueWindow)(q))
	q.hVisible = e.Register((*queueVisible)(q))
	q.hStep = e.Register((*queueStep)(q))
	q.hReturn = e.Register((*queueReturn)(q))
	if !q.workers {
		e.ScheduleID(pollersEvery, q.hStep, 0)
	}
}

func (q *queueInvoker) Pending() int {
	n := q.queue.len() + q.held
	if q.open >= 0 {
		n += len(q.batches.items[q.open].msgs)
	}
	return n
}

func (q *queueInvoker) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	m := q.msgs.alloc()
	*q.msgs.at(m) = queueMsg{arrival: inv.At, exec: inv.Exec, key: q.h.Key(q.fn)}
	if q.workers {
		q.deliver(e, m)
		return
	}
	q.queue.push(m)
	q.kick(e)
}

// receive counts a receipt of message m now and reports whether it may be
// processed: one received more than MaxReceiveCount times goes to the
// dead-letter queue, one past its retention is deleted.
func (q *queueInvoker) receive(now sim.Time, m int32) bool {
	msg := q.msgs.at(m)
	if now-msg.arrival >= q.cfg.Retention {
		q.h.Expired(msg.arrival)
		q.deadLetter(now, m)
		return false
	}
	msg.receives++
	if q.cfg.MaxReceiveCount > 0 && int(msg.receives) > q.cfg.MaxReceiveCount {
		q.deadLetter(now, m)
		return false
	}
	msg.fails = q.h.Fails(q.fn, msg.key, int(msg.receives)-1)
	return true
}

// execOf is message m's execution in the attempt it is received for.
func (q *queueInvoker) execOf(m int32) sim.Time {
	msg := q.msgs.at(m)
	if msg.fails {
		return q.h.FailedExec(q.fn, msg.exec)
	}
	return msg.exec
}

func (q *queueInvoker) deadLetter(now sim.Time, m int32) {
	msg := q.msgs.at(m)
	q.rec = Record{Arrival: msg.arrival, End: now, Wait: now - msg.arrival, Fn: q.fn, Outcome: DeadLettered, Cold: msg.cold}
	q.h.Report(&q.rec)
	q.msgs.release(m)
}

func (q *queueInvoker) complete(now sim.Time, m int32, r *Record, start sim.Time) {
	msg := q.msgs.at(m)
	q.rec = Record{Arrival: msg.arrival, End: now, Wait: start - msg.arrival + r.Wait, Init: r.Init,
		Fn: q.fn, Outcome: Completed, Cold: msg.cold || r.Cold}
	q.h.Report(&q.rec)
	q.msgs.release(m)
}

// The workers of a fleet.

// deliver gives message m to the fleet now (it waits there for a worker).
func (q *queueInvoker) deliver(e *sim.Engine, m int32) {
	if !q.receive(e.Now(), m) {
		return
	}
	retry := 0
	if q.msgs.at(m).receives > 1 {
		retry = 1
	}
	q.h.Run(e, q.fn, q.execOf(m), 1, retry, uint32(m))
}

func (q *queueInvoker) endWorker(e *sim.Engine, tag uint32, r *Record) {
	m := int32(tag)
	msg := q.msgs.at(m)
	now := e.Now()
	msg.cold = msg.cold || r.Cold
	if r.Outcome != Rejected && !msg.started { // a worker took it when its wait ended
		msg.started = true
		q.h.Started(msg.arrival, r.Arrival+r.Wait)
	}
	switch {
	case r.Outcome == Rejected: // the fleet's queue is full: the message stays in SQS
		msg.receives--
		q.held++
		e.ScheduleID(now+throttleBackoffFirst, q.hReturn, uint64(m))
	case r.Outcome == Completed && !msg.fails:
		q.complete(now, m, r, r.Arrival)
	default: // visible again a visibility timeout after the worker received it
		q.held++
		e.ScheduleID(max(now, r.Arrival+r.Wait+q.cfg.VisibilityTimeout), q.hReturn, uint64(m))
	}
}

type queueReturn queueInvoker

// Fire: message arg is visible again; a worker receives it.
func (h *queueReturn) Fire(e *sim.Engine, arg uint64) {
	q := (*queueInvoker)(h)
	q.held--
	q.deliver(e, int32(arg))
}

// The pollers of a FaaS platform's event source mapping.

// kick makes sure a poll runs at the end of this instant, when every
// message sent now is in the queue.
func (q *queueInvoker) kick(e *sim.Engine) {
	if !q.polling {
		q.polling = true
		e.Defer(q.hPoll, 0)
	}
}

type queuePoll queueInvoker

// Fire: free pollers take the visible messages into batches.
func (h *queuePoll) Fire(e *sim.Engine, _ uint64) {
	q := (*queueInvoker)(h)
	q.polling = false
	q.poll(e)
}

func (q *queueInvoker) poll(e *sim.Engine) {
	now := e.Now()
	for q.queue.len() > 0 {
		if q.open < 0 {
			if q.busy >= q.limit {
				q.waited = true
				return
			}
			q.open = q.batches.alloc()
			b := &q.batches.items[q.open]
			*b = queueBatch{msgs: b.msgs[:0], gen: b.gen}
			q.busy++
			q.peak = max(q.peak, q.busy)
			q.h.Batches(q.busy)
			if q.cfg.BatchWindow > 0 {
				e.ScheduleID(now+q.cfg.BatchWindow, q.hWindow, uint64(q.open)|uint64(b.gen)<<32)
			}
		}
		b := &q.batches.items[q.open]
		for len(b.msgs) < q.cfg.BatchSize && q.queue.len() > 0 {
			if m := q.queue.pop(); q.receive(now, m) {
				b.msgs = append(b.msgs, m)
			}
		}
		if len(b.msgs) == q.cfg.BatchSize || q.cfg.BatchWindow == 0 {
			q.close(e)
		}
	}
}

// close ends the gathering of the open batch: invoked if it holds any
// message, else given back.
func (q *queueInvoker) close(e *sim.Engine) {
	bi := q.open
	q.open = -1
	b := &q.batches.items[bi]
	if len(b.msgs) == 0 {
		q.free(bi)
		q.busy--
		return
	}
	now := e.Now()
	var exec sim.Time
	retries := 0
	for _, m := range b.msgs {
		exec += q.execOf(m)
		msg := q.msgs.at(m)
		if msg.receives > 1 {
			retries++
		}
		if !msg.started { // it starts with its batch: the window is part of its age
			msg.started = true
			q.h.Started(msg.arrival, now)
		}
	}
	b.start, b.running = now, true
	gen, n := b.gen, len(b.msgs)
	// The timer first: a throttled invocation ends within Run.
	e.ScheduleID(now+q.cfg.VisibilityTimeout, q.hVisible, uint64(bi)|uint64(gen)<<32)
	q.h.Run(e, q.fn, exec, n, retries, uint32(bi))
}

func (q *queueInvoker) free(bi int32) {
	q.batches.items[bi].gen++
	q.batches.release(bi)
}

type queueWindow queueInvoker

// Fire: the batching window of batch arg is over.
func (h *queueWindow) Fire(e *sim.Engine, arg uint64) {
	q := (*queueInvoker)(h)
	bi := int32(arg)
	if bi != q.open || q.batches.items[bi].gen != uint32(arg>>32) {
		return // closed full before its window ended
	}
	q.close(e)
	q.kick(e)
}

func (q *queueInvoker) Ended(e *sim.Engine, tag uint32, r *Record) {
	if q.workers {
		q.endWorker(e, tag, r)
		return
	}
	bi := int32(tag)
	b := &q.batches.items[bi]
	now := e.Now()
	b.running = false
	q.busy--
	q.kick(e)
	if b.expired { // its messages were delivered again already
		q.free(bi)
		return
	}
	anyFail := false
	for _, m := range b.msgs {
		msg := q.msgs.at(m)
		msg.cold = msg.cold || r.Cold
		anyFail = anyFail || msg.fails
	}
	kept := b.msgs[:0]
	for _, m := range b.msgs {
		ok := r.Outcome == Completed && !q.msgs.at(m).fails && (!anyFail || q.cfg.PartialBatchResponse)
		if ok {
			q.complete(now, m, r, b.start)
		} else {
			kept = append(kept, m)
		}
	}
	b.msgs = kept
	if len(kept) == 0 {
		q.free(bi)
		return
	}
	q.held += len(kept) // back when the visibility timeout ends
}

type queueVisible queueInvoker

// Fire: the visibility timeout of batch arg is over: the messages it still
// holds are visible again, whether it still runs or failed.
func (h *queueVisible) Fire(e *sim.Engine, arg uint64) {
	q := (*queueInvoker)(h)
	bi := int32(arg)
	b := &q.batches.items[bi]
	if b.gen != uint32(arg>>32) {
		return // ended well, slot reused
	}
	now := e.Now()
	if !b.running {
		q.held -= len(b.msgs)
	}
	for _, m := range b.msgs {
		q.requeue(now, m)
	}
	b.msgs = b.msgs[:0]
	if b.running {
		b.expired = true
	} else {
		q.free(bi)
	}
	q.kick(e)
}

// requeue makes message m visible again (or deletes it past its retention).
func (q *queueInvoker) requeue(now sim.Time, m int32) {
	if msg := q.msgs.at(m); now-msg.arrival >= q.cfg.Retention {
		q.h.Expired(msg.arrival)
		q.deadLetter(now, m)
		return
	}
	q.queue.push(m)
}

type queueStep queueInvoker

// Fire: once a minute the mapping scales: 300 more batches at once if
// messages waited, else back to what it used (at least 5).
func (h *queueStep) Fire(e *sim.Engine, _ uint64) {
	q := (*queueInvoker)(h)
	if q.waited || q.queue.len() > 0 {
		q.limit = min(q.cfg.MaxConcurrency, q.limit+pollersStep)
		q.kick(e)
	} else {
		q.limit = max(min(pollersStart, q.cfg.MaxConcurrency), q.peak)
	}
	q.peak, q.waited = q.busy, false
	e.ScheduleID(e.Now()+pollersEvery, q.hStep, 0)
}
