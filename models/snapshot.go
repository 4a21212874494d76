package models

import (
	"context"
	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// Snapshot is a system's state at one instant of virtual time: what a time
// series samples every interval. Instance counts are instantaneous levels,
// not averages.
type Snapshot struct {
	Starting  int // instances in their cold start
	Busy      int // ready instances serving at least one request
	Idle      int // ready instances serving none (kept alive, or an idle server)
	InService int // requests being executed
	Queued    int // requests waiting for capacity (throttle queue, server queue)
	// CostUSD is the bill accrued over the measured window so far, US
	// dollars: FaaS requests billed as they end (from the meter's integer
	// units), a fleet's instance-seconds from the warm-up to now.
	CostUSD float64
}

// Snapshotter is a System whose state can be sampled during a run.
type Snapshotter interface {
	Snapshot(now sim.Time) Snapshot
}

var (
	_ Snapshotter = (*FaaS)(nil)
	_ Snapshotter = (*Server)(nil)
)

// Snapshot implements Snapshotter. It scans the instance table: O(instances
// ever alive at once), called once per sampling interval, never per request.
func (f *FaaS) Snapshot(now sim.Time) Snapshot {
	var s Snapshot
	for i := range f.insts.items {
		in := &f.insts.items[i]
		switch {
		case in.state == instStarting:
			s.Starting++
		case in.state == instReady && in.active > 0:
			s.Busy++
		case in.state == instReady:
			s.Idle++
		}
	}
	s.InService = f.slots.v
	for i := range f.fns {
		s.Queued += f.fns[i].queue.len()
	}
	if now > f.w.Warmup {
		c, _ := f.meter.cost(f.mem, f.eph, f.baselineSeconds(now), f.w)
		s.CostUSD = c.Total()
	}
	return s
}

// Snapshot implements Snapshotter. The fleet is one pool of worker slots, so
// busy instances are the fewest that could hold the busy workers:
// ceil(busy workers ÷ workers per instance).
func (s *Server) Snapshot(now sim.Time) Snapshot {
	wpi := s.cfg.WorkersPerInstance
	busy := (s.busy + wpi - 1) / wpi
	snap := Snapshot{Busy: busy, Idle: s.cfg.Instances - busy, InService: s.busy, Queued: s.queue.len()}
	if now > s.w.Warmup {
		snap.CostUSD = s.cfg.Billing.cost(s.cfg.Instances, now-s.w.Warmup)
	}
	return snap
}

// SimulateOptions add optional observation to a run; none changes what is
// simulated (sampling draws no random numbers and moves no request).
type SimulateOptions struct {
	// Interval and Sample: Sample is called at Warmup + k·Interval (k >= 1)
	// for every such instant before the horizon, from a periodic engine event
	// (so sampling costs nothing per request), and once more at the horizon
	// after Finish, with CostUSD set to the final bill, so the last sample's
	// cost always equals the summary's. Events at the very instant of a
	// sample may fall on either side of it (ties fire in scheduling order).
	Interval sim.Time
	Sample   func(now sim.Time, s Snapshot)
	// Progress is called with the virtual time reached now and then.
	Progress func(sim.Time)
}

// SimulateWith is Simulate with sampling and progress. Sampling needs a
// System that is a Snapshotter.
func SimulateWith(ctx context.Context, sys System, src workloads.Source, w Window, obs Observer, o SimulateOptions) (Summary, error) {
	if o.Sample == nil {
		return SimulateProgress(ctx, sys, src, w, obs, o.Progress)
	}
	snap, ok := sys.(Snapshotter)
	switch {
	case !ok:
		return Summary{}, fmt.Errorf("models: %T cannot be sampled (not a Snapshotter)", sys)
	case o.Interval <= 0:
		return Summary{}, fmt.Errorf("models: sampling interval %v, want > 0", o.Interval)
	case w.Horizon <= w.Warmup || w.Warmup < 0:
		return Summary{}, fmt.Errorf("models: window %+v: want 0 <= warm-up < horizon", w)
	}
	sp := &sampler{sys: snap, o: o, w: w}
	sum, err := simulate(ctx, sys, src, w, obs, o.Progress, func(e *sim.Engine) {
		if t := w.Warmup + o.Interval; t < w.Horizon {
			e.Schedule(t, sp, 0)
		}
	})
	if err != nil {
		return Summary{}, err
	}
	last := snap.Snapshot(w.Horizon)
	last.CostUSD = sum.Cost.Total()
	o.Sample(w.Horizon, last)
	return sum, nil
}

// sampler is the periodic sampling event.
type sampler struct {
	sys Snapshotter
	o   SimulateOptions
	w   Window
}

func (s *sampler) Fire(e *sim.Engine, _ uint64) {
	now := e.Now()
	s.o.Sample(now, s.sys.Snapshot(now))
	if t := now + s.o.Interval; t < s.w.Horizon {
		e.Schedule(t, s, 0)
	}
}
