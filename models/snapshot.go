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
//
// The cost is what has been incurred up to now: requests billed as they
// end, the instance time of instances still up (instance billing models)
// and of min instances' baseline up to now, and the policy's charges
// (provisioned capacity through its configured periods so far, pings), so
// a time series puts each charge in the window it was incurred.
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
	s.InService = int(f.slots.v)
	for i := range f.fns {
		s.Queued += int(f.fns[i].queued)
	}
	if now > f.w.Warmup {
		m := f.meter.clone()
		f.openPeriods(&m, now)
		c, _ := m.cost(f.mem, f.eph, f.baselineSeconds(min(now, f.w.Horizon)), f.w)
		s.CostUSD = c.Total()
		items, _ := policyCostAt(f.pol, now)
		for _, it := range items {
			s.CostUSD += it.USD
		}
	}
	return s
}

// openPeriods meters, into m, the instance time of instances still up at
// t under the instance billing models, as Finish does at the horizon.
func (f *FaaS) openPeriods(m *faasMeter, t sim.Time) {
	for i := range f.insts.items {
		in := &f.insts.items[i]
		switch {
		case in.state == instGone:
		case f.cfg.Billing.Model == InstanceLifetime:
			m.period(in.fn, in.born, t, f.w)
		case f.cfg.Billing.Model == InstanceActive && in.active > 0:
			m.period(in.fn, in.busySince, t, f.w)
		}
	}
}

// costAccruer is a Policy whose charges grow between its events
// (provisioned capacity, billed by configured periods): CostAt is Cost as
// if the run ended at now, without closing anything.
type costAccruer interface {
	CostAt(now sim.Time) ([]CostItem, []float64)
}

// policyCostAt is what p has charged up to now.
func policyCostAt(p Policy, now sim.Time) ([]CostItem, []float64) {
	if a, ok := p.(costAccruer); ok {
		return a.CostAt(now)
	}
	return p.Cost() // charged as it goes (pings), or nothing
}

// Snapshot implements Snapshotter: the fleet's instances as they are now
// (booting, ready and serving, ready and idle; a draining instance is
// busy), so a scaled fleet's columns follow its scaling, and the bill
// incurred up to now (a scaled fleet's instance-seconds so far, each
// instance's minimum at its launch).
func (s *Server) Snapshot(now sim.Time) Snapshot {
	snap := Snapshot{InService: s.busy, Queued: s.queue.len()}
	for i := range s.insts.items {
		in := &s.insts.items[i]
		switch {
		case in.state == fiBooting:
			snap.Starting++
		case in.state == fiGone:
		case in.busy > 0:
			snap.Busy++
		default:
			snap.Idle++
		}
	}
	if now > s.w.Warmup {
		items, _ := s.bill(min(now, s.w.Horizon)) // as Finish prices it
		snap.CostUSD = Cost{Items: items}.Total()
	}
	return snap
}

// SimulateOptions add optional observation to a run; none changes what is
// simulated (sampling draws no random numbers and moves no request).
type SimulateOptions struct {
	// Interval and Sample: Sample is called at Warmup + k·Interval (k >= 1)
	// for every such instant before the horizon, from a periodic engine event
	// (so sampling costs nothing per request), and once more at the horizon
	// (a system stopped by its backlog budget: at the stop) after Finish,
	// with CostUSD set to the final bill, so the last sample's cost always
	// equals the summary's. Events at the very instant of a
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
	end := w.Horizon
	if sum.Stopped != nil {
		end = max(sum.Stopped.At, w.Warmup) // the series ends where the run did
	}
	last := snap.Snapshot(end)
	last.CostUSD = sum.Cost.Total()
	o.Sample(end, last)
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
