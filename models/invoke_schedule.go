package models

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/sim"
)

// ScheduleInvocation is a function run on a schedule (EventBridge
// Scheduler, a cron rule): each firing of the function's cron workload is
// an asynchronous invocation (AsyncInvocation's queue, retries and maximum
// age), started at a uniformly drawn moment of the schedule's flexible time
// window after its scheduled time (stream "schedule/<function>"); its
// latency counts from the scheduled time. EventBridge Scheduler docs
// (flexible time windows: off, or 1 to 1,440 minutes; read 2026-12).
type ScheduleInvocation struct {
	Async          AsyncInvocation
	FlexibleWindow sim.Time // 0 (off) to 24 h
}

// MaxFlexibleWindow is EventBridge Scheduler's largest flexible window.
const MaxFlexibleWindow = 24 * time.Hour

func (s ScheduleInvocation) String() string {
	return fmt.Sprintf("schedule(window %v, retries %d, max age %v)", s.FlexibleWindow, s.Async.Retries, s.Async.MaxEventAge)
}

func (ScheduleInvocation) Direct() bool                 { return false }
func (s ScheduleInvocation) Attempts(p float64) float64 { return s.Async.Attempts(p) }

func (s ScheduleInvocation) NewInvoker(h *CallHost, fn int32) (Invoker, error) {
	if err := s.Async.check(); err != nil {
		return nil, err
	}
	if s.FlexibleWindow < 0 || s.FlexibleWindow > MaxFlexibleWindow {
		return nil, fmt.Errorf("flexible window %v, want 0 to %v", s.FlexibleWindow, MaxFlexibleWindow)
	}
	a := &asyncInvoker{h: h, fn: fn, cfg: s.Async, flex: s.FlexibleWindow}
	if s.FlexibleWindow > 0 {
		a.rng = h.Seed().Stream("schedule/" + h.Function(fn).Name)
	}
	return a, nil
}
