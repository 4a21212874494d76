package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// ServerConfig describes an always-on fleet.
type ServerConfig struct {
	Functions          int // size of the function table (records name functions by index)
	Instances          int
	WorkersPerInstance int      // requests one instance serves at once
	QueueLimit         int      // waiting requests at most; 0 = unbounded; beyond: reject
	Timeout            sim.Time // from arrival, queueing included; 0 = none
	Billing            ServerBilling
}

// Server is a fleet of Instances × WorkersPerInstance identical worker slots
// in front of one FIFO queue (a load balancer that holds requests until any
// worker is free). The timeout is the client's deadline: a request still
// queued at its deadline leaves the queue, one in service is cut there.
// The whole fleet is up, and billed, for the measured window.
type Server struct {
	cfg   ServerConfig
	slots int
	busy  int
	queue ring[int32]
	reqs  []srvRequest
	free  []int32
	obs   Observer
	w     Window
	rec   Record // reused for every report (a fresh &Record{} escaped: one allocation per request)
	load  gauge  // busy workers
}

var _ System = (*Server)(nil)

type srvRequest struct {
	arrival, exec sim.Time
	wait          sim.Time
	fn            int32
	out           Outcome
}

// NewServer checks cfg and returns a fleet ready to Start.
func NewServer(cfg ServerConfig) (*Server, error) {
	switch {
	case cfg.Instances < 1:
		return nil, fmt.Errorf("server: instances %d, want >= 1", cfg.Instances)
	case cfg.WorkersPerInstance < 1:
		return nil, fmt.Errorf("server: workers_per_instance %d, want >= 1", cfg.WorkersPerInstance)
	case cfg.QueueLimit < 0:
		return nil, fmt.Errorf("server: queue_limit %d, want >= 0", cfg.QueueLimit)
	}
	s := &Server{cfg: cfg, slots: cfg.Instances * cfg.WorkersPerInstance}
	return s, nil
}

// Start implements System.
func (s *Server) Start(_ *sim.Engine, obs Observer, w Window) {
	s.obs, s.w = obs, w
	s.load.warmup = w.Warmup
}

// Arrive implements System.
func (s *Server) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	now := e.Now()
	s.expire(now)
	r := s.newRequest()
	s.reqs[r] = srvRequest{arrival: inv.At, exec: inv.Exec, fn: inv.Fn}
	switch {
	case s.busy < s.slots:
		s.serve(e, r)
	case s.cfg.QueueLimit == 0 || s.queue.len() < s.cfg.QueueLimit:
		s.queue.push(r)
	default:
		s.reqs[r].out = Rejected
		s.end(now, r)
	}
}

// expire removes queued requests whose deadline has passed. The queue is
// FIFO and every deadline is arrival + Timeout, so expired ones are at the head.
func (s *Server) expire(now sim.Time) {
	if s.cfg.Timeout <= 0 {
		return
	}
	for s.queue.len() > 0 {
		r := *s.queue.peek()
		deadline := s.reqs[r].arrival + s.cfg.Timeout
		if deadline > now {
			return
		}
		s.queue.pop()
		s.reqs[r].out = TimedOut
		s.reqs[r].wait = s.cfg.Timeout
		s.end(deadline, r)
	}
}

func (s *Server) serve(e *sim.Engine, r int32) {
	now := e.Now()
	s.busy++
	s.load.add(now, 1)
	rq := &s.reqs[r]
	rq.wait = now - rq.arrival
	end := now + rq.exec
	if s.cfg.Timeout > 0 && end > rq.arrival+s.cfg.Timeout {
		end = rq.arrival + s.cfg.Timeout
		rq.out = TimedOut
	}
	e.Schedule(end, (*serverDone)(s), uint64(r))
}

type serverDone Server

// Fire: request arg ends; the worker takes the next queued request.
func (h *serverDone) Fire(e *sim.Engine, arg uint64) {
	s := (*Server)(h)
	now := e.Now()
	s.busy--
	s.load.add(now, -1)
	s.end(now, int32(arg))
	s.expire(now)
	if s.queue.len() > 0 {
		s.serve(e, s.queue.pop())
	}
}

func (s *Server) end(now sim.Time, r int32) {
	rq := &s.reqs[r]
	if rq.arrival >= s.w.Warmup {
		s.rec = Record{Arrival: rq.arrival, End: now, Wait: rq.wait, Fn: rq.fn, Outcome: rq.out}
		s.obs.Ended(&s.rec)
	}
	s.free = append(s.free, r)
}

func (s *Server) newRequest() int32 {
	if n := len(s.free); n > 0 {
		r := s.free[n-1]
		s.free = s.free[:n-1]
		return r
	}
	s.reqs = append(s.reqs, srvRequest{})
	return int32(len(s.reqs) - 1)
}

// Finish implements System. Busy instances are instance-equivalents: busy
// workers ÷ workers per instance.
func (s *Server) Finish() Summary {
	w := s.w
	s.expire(w.Horizon)
	busy := s.load.mean(w)
	usd := s.cfg.Billing.cost(s.cfg.Instances, w.Horizon-w.Warmup)
	return Summary{
		Cost: Cost{Items: []CostItem{{"servers", usd}}, MonthlyUSD: s.cfg.Billing.cost(s.cfg.Instances, Month)},
		Instances: InstanceStats{
			Mean:          float64(s.cfg.Instances),
			Max:           s.cfg.Instances,
			MeanBusy:      busy / float64(s.cfg.WorkersPerInstance),
			MeanBusySlots: busy,
		},
	}
}
