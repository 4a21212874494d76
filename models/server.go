package models

import (
	"fmt"
	"math"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// ServerConfig describes an always-on fleet: a static one (Instances, no
// Autoscale, no Schedule) or one whose size changes over the run. Start
// from DefaultServerConfig: a zero number means its default there too (see
// each field), but a zero Billing.MinimumBilled is a setting of its own.
type ServerConfig struct {
	Functions          int      // size of the function table (records name functions by index)
	Instances          int      // static: the fleet; scaled: the count at time 0 (0 = the floor then)
	WorkersPerInstance int      // requests one instance serves at once; 0 = 1
	QueueLimit         int      // waiting requests at most; 0 = unbounded; beyond: reject
	Timeout            sim.Time // from arrival, queueing included; 0 = none
	Billing            ServerBilling
	Purchase           Purchase // on demand, a commitment or spot (purchase.go); zero = on demand

	// Boot is the time from an instance's launch until it serves, for
	// instances launched after time 0 (those of time 0 are already up);
	// nil = 0. It draws from the stream "server/boot".
	Boot      dist.Spec
	Autoscale *Autoscale       // nil: no autoscaler
	Schedule  []ScheduledCount // counts by time of day; nil: none
	Seed      sim.Seed
	// BacklogBudget is the memory the queued requests may hold, bytes
	// (BytesPerQueued each); one more stops the run (backlog.go). 0 =
	// DefaultBacklogBudget.
	BacklogBudget int64
	// OnFleet, if set, is called at every launch, ready, drain and
	// termination (timelines, tests). Never per request.
	OnFleet func(FleetEvent)
}

// Server is a fleet of instances, each with WorkersPerInstance worker slots,
// in front of one FIFO queue (a load balancer that holds requests until any
// worker of a ready instance is free). The timeout is the client's
// deadline: a request still queued at its deadline leaves the queue, one in
// service is cut there.
//
// A request goes to the ready instance that most recently freed a worker
// (packing, as the FaaS routing does), so spare instances go idle and
// scale-in finds idle ones to remove. Which worker serves does not change
// any latency: workers are identical and the queue is shared.
//
// A static fleet is up, and billed, for the whole measured window. A scaled
// fleet (autoscaler or schedule, see fleet.go) bills each instance from its
// launch to its termination.
type Server struct {
	cfg   ServerConfig
	wpi   int32
	slots int // workers of ready instances that take new requests
	busy  int
	queue fifo[srvQueued]
	guard backlogGuard
	reqs  arena[srvRequest] // requests in service
	obs   Observer
	w     Window
	from  sim.Time // requests arriving from here are reported: the warm-up, or all (readAll)
	// tagged receives the records of the invocation layer's attempts.
	tagged func(tag uint32, r *Record)
	rec    Record // reused for every report (a fresh &Record{} escaped: one allocation per request)
	load   level  // busy workers
	hDone  sim.HandlerID

	fleet
}

var _ System = (*Server)(nil)

type srvRequest struct {
	arrival, exec sim.Time
	wait          sim.Time
	fn            int32
	inst          int32 // serving on; -1 once ended
	gen           uint32
	tag           uint32 // the invocation layer's attempt; 0 = a workload's request
	out           Outcome
}

// srvQueued is a request waiting for a worker: what it needs to start, in
// BytesPerQueued bytes (a srvRequest is 40, and was held for every queued
// request with its index in the queue beside it: 48 bytes and more).
type srvQueued struct {
	arrival, exec sim.Time
	fn            int32
	tag           uint32 // the invocation layer's attempt; 0 = a workload's request
}

// DefaultServerConfig is a fleet with every default a scenario has: one
// worker per instance, an unbounded queue, no timeout, billed per second
// with a 60-second minimum per instance (as EC2 bills Linux instances).
// Instances and the price are left to the caller.
func DefaultServerConfig() ServerConfig {
	return ServerConfig{
		WorkersPerInstance: 1,
		Billing:            ServerBilling{MinimumBilled: DefaultServerMinimum, Granularity: DefaultServerGranularity},
	}
}

// NewServer checks cfg and returns a fleet ready to Start. Zero numbers
// take their defaults (DefaultServerConfig).
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.WorkersPerInstance == 0 {
		cfg.WorkersPerInstance = 1
	}
	if cfg.Billing.Granularity == 0 {
		cfg.Billing.Granularity = DefaultServerGranularity
	}
	scaled := cfg.Autoscale != nil || cfg.Schedule != nil
	switch {
	case cfg.Instances < 1 && !scaled:
		return nil, fmt.Errorf("server: instances %d, want >= 1", cfg.Instances)
	case cfg.Instances < 0:
		return nil, fmt.Errorf("server: instances %d, want >= 0", cfg.Instances)
	case cfg.WorkersPerInstance < 1:
		return nil, fmt.Errorf("server: workers_per_instance %d, want >= 1", cfg.WorkersPerInstance)
	case cfg.QueueLimit < 0:
		return nil, fmt.Errorf("server: queue_limit %d, want >= 0", cfg.QueueLimit)
	}
	if err := checkScaling(&cfg); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := cfg.Purchase.check(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{cfg: cfg, wpi: int32(cfg.WorkersPerInstance)}
	s.guard.init(cfg.BacklogBudget)
	s.fleet.init(&s.cfg)
	return s, nil
}

// Start implements System.
func (s *Server) Start(e *sim.Engine, obs Observer, w Window) {
	s.obs, s.w = obs, w
	if s.from != reportAll {
		s.from = w.Warmup
	}
	s.hDone = e.Register((*serverDone)(s))
	s.load.from = w.Warmup
	s.startFleet(e)
}

// Arrive implements System.
func (s *Server) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	s.arrive(e, inv.At, inv.Exec, inv.Fn, 0)
}

// attempt implements runner: the invocation layer runs an attempt of fn
// now for exec + extra (a fleet's workers run at one speed).
func (s *Server) attempt(e *sim.Engine, fn int32, exec, extra sim.Time, msgs int, tag uint32) {
	s.arrive(e, e.Now(), exec+extra, fn, tag)
}

// readAll implements runner: every request is reported, warm-up ones too.
func (s *Server) readAll(_ func(uint32) float64, tagged func(tag uint32, r *Record)) {
	s.from, s.tagged = reportAll, tagged
}

// pulls implements runner: a fleet's workers take work from a queue.
func (s *Server) pulls() bool { return true }

// backlog implements runner: the queue for a worker holds the requests.
func (s *Server) backlog() (int, *backlogGuard) { return s.queue.len(), &s.guard }

func (s *Server) arrive(e *sim.Engine, at, exec sim.Time, fn int32, tag uint32) {
	now := e.Now()
	s.expire(now)
	q := srvQueued{arrival: at, exec: exec, fn: fn, tag: tag}
	switch {
	case s.avail.head >= 0:
		s.serve(e, q)
	case s.cfg.QueueLimit == 0 || s.queue.len() < s.cfg.QueueLimit:
		s.queued.add(now, 1)
		s.queue.push(q)
		if s.queue.len() > s.guard.max {
			s.guard.trip(e, s.queue.len())
		}
	default:
		s.report(q, now, 0, Rejected)
	}
}

// expire removes queued requests whose deadline has passed. The queue is
// FIFO and every deadline is arrival + Timeout, so expired ones are at the head.
func (s *Server) expire(now sim.Time) {
	if s.cfg.Timeout <= 0 {
		return
	}
	for s.queue.len() > 0 {
		q := s.queue.peek()
		deadline := q.arrival + s.cfg.Timeout
		if deadline > now {
			return
		}
		s.queued.add(deadline, -1)
		s.report(s.queue.pop(), deadline, s.cfg.Timeout, TimedOut)
	}
}

// dequeue takes the head of the queue.
func (s *Server) dequeue(now sim.Time) srvQueued {
	s.queued.add(now, -1)
	return s.queue.pop()
}

// serve starts request q now on the head of the available list (there must
// be one).
func (s *Server) serve(e *sim.Engine, q srvQueued) {
	now := e.Now()
	s.busy++
	s.load.add(now, 1)
	s.inService.add(now, 1)
	r := s.reqs.alloc()
	rq := &s.reqs.items[r]
	*rq = srvRequest{arrival: q.arrival, exec: q.exec, fn: q.fn, gen: rq.gen, tag: q.tag}
	rq.inst = s.take(now)
	rq.wait = now - rq.arrival
	end := now + rq.exec
	if s.cfg.Timeout > 0 && end > rq.arrival+s.cfg.Timeout {
		end = rq.arrival + s.cfg.Timeout
		rq.out = TimedOut
	}
	e.ScheduleID(end, s.hDone, uint64(r)|uint64(rq.gen)<<32)
}

type serverDone Server

// Fire: request arg ends; a free worker takes the next queued request.
func (h *serverDone) Fire(e *sim.Engine, arg uint64) {
	s := (*Server)(h)
	now := e.Now()
	r := int32(arg)
	if s.reqs.items[r].gen != uint32(arg>>32) {
		return // cut by a spot interruption (purchase.go)
	}
	s.busy--
	s.load.add(now, -1)
	s.inService.add(now, -1)
	s.release(e, s.reqs.items[r].inst)
	s.end(now, r)
	s.expire(now)
	if s.queue.len() > 0 && s.avail.head >= 0 {
		s.serve(e, s.dequeue(now))
	}
}

// drainQueue gives queued requests to free workers (after an instance
// becomes ready).
func (s *Server) drainQueue(e *sim.Engine) {
	now := e.Now()
	s.expire(now)
	for s.queue.len() > 0 && s.avail.head >= 0 {
		s.serve(e, s.dequeue(now))
	}
}

func (s *Server) end(now sim.Time, r int32) {
	rq := &s.reqs.items[r]
	if rq.arrival >= s.from {
		s.rec = Record{Arrival: rq.arrival, End: now, Wait: rq.wait, Fn: rq.fn, Outcome: rq.out}
		if rq.tag != 0 {
			s.tagged(rq.tag, &s.rec)
		} else {
			s.obs.Ended(&s.rec)
		}
	}
	rq.inst = -1
	rq.gen++
	s.reqs.release(r)
}

// report ends request q, which never started: rejected by a full queue, or
// timed out in it.
func (s *Server) report(q srvQueued, now, wait sim.Time, out Outcome) {
	if q.arrival >= s.from {
		s.rec = Record{Arrival: q.arrival, End: now, Wait: wait, Fn: q.fn, Outcome: out}
		if q.tag != 0 {
			s.tagged(q.tag, &s.rec)
		} else {
			s.obs.Ended(&s.rec)
		}
	}
}

// Finish implements System. Busy instances are instance-equivalents: busy
// workers ÷ workers per instance. A fleet stopped by its backlog budget
// closes its books at the stop.
func (s *Server) Finish() Summary {
	w := s.guard.window(s.w)
	s.w, s.fleet.win, s.hours.w = w, w, w
	if w.Horizon == w.Warmup {
		return Summary{Stopped: s.guard.stop} // stopped in the warm-up: nothing measured
	}
	sum := s.finish(w)
	sum.Stopped = s.guard.stop
	return sum
}

func (s *Server) finish(w Window) Summary {
	s.expire(w.Horizon)
	busy := s.load.mean(w)
	stats := InstanceStats{
		MeanBusy:      busy / float64(s.cfg.WorkersPerInstance),
		MeanBusySlots: busy,
	}
	items, ps := s.bill(w.Horizon)
	if !s.perInstance() {
		stats.Mean, stats.Max = float64(s.cfg.Instances), s.cfg.Instances
		monthly := s.cfg.Billing.cost(s.cfg.Instances, Month)
		if s.cfg.Purchase.Option != OnDemand {
			monthly = Cost{Items: items}.Total() * float64(Month) / float64(w.Horizon-w.Warmup)
		}
		return Summary{Cost: Cost{Items: items, MonthlyUSD: monthly}, Instances: stats, Purchase: ps}
	}
	fs := s.closeBooks(w.Horizon)
	stats.Mean, stats.Max = s.alive.mean(w), int(s.alive.max)
	stats.Fleet = &fs
	// A per-instance fleet's month is this window's bill scaled to 30 days.
	monthly := Cost{Items: items}.Total() * float64(Month) / float64(w.Horizon-w.Warmup)
	return Summary{Cost: Cost{Items: items, MonthlyUSD: monthly}, Instances: stats, Purchase: ps}
}

// ceilTol is ceil that forgives float noise just above an integer (3 +
// 1e-12 is 3, not 4): the controller's desired count.
func ceilTol(x float64) int {
	return int(math.Ceil(x - 1e-9))
}
