package models

import (
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// SyncInvocation is a synchronous call (an HTTP request through a front
// door, RequestResponse): one attempt, whose outcome the caller sees at
// once: a throttle is rejected, a function error failed, a timeout timed
// out. Nobody retries.
type SyncInvocation struct{}

func (SyncInvocation) String() string           { return "sync" }
func (SyncInvocation) Direct() bool             { return true }
func (SyncInvocation) Attempts(float64) float64 { return 1 }

func (SyncInvocation) NewInvoker(h *CallHost, fn int32) (Invoker, error) {
	return &syncInvoker{h: h, fn: fn}, nil
}

// syncInvoker runs a function with errors or state synchronously: it only
// remembers which attempts fail.
type syncInvoker struct {
	h     *CallHost
	fn    int32
	fails arena[bool]
}

func (s *syncInvoker) Start(*sim.Engine) {}
func (s *syncInvoker) Pending() int      { return 0 }

func (s *syncInvoker) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	fails := s.h.Fails(s.fn, s.h.Key(s.fn), 0)
	exec := inv.Exec
	if fails {
		exec = s.h.FailedExec(s.fn, exec)
	}
	i := s.fails.alloc()
	s.fails.items[i] = fails
	s.h.Run(e, s.fn, exec, 1, 0, uint32(i))
}

func (s *syncInvoker) Ended(_ *sim.Engine, tag uint32, r *Record) {
	i := int32(tag)
	if s.fails.items[i] && r.Outcome == Completed {
		r.Outcome = Failed
	}
	s.fails.release(i)
	s.h.Report(r)
}
