package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Metric is what an autoscaler tracks.
type Metric uint8

const (
	// MetricUtilization is busy workers ÷ workers of ready instances,
	// time-averaged over the evaluation interval (CloudWatch's average
	// CPU, with a worker standing in for a CPU share).
	MetricUtilization Metric = iota
	// MetricQueue is requests waiting in the queue per ready instance,
	// time-averaged over the evaluation interval (a backlog-per-instance
	// policy, as AWS suggests for queue workers).
	MetricQueue
)

func (m Metric) String() string {
	if m == MetricQueue {
		return "queue"
	}
	return "utilization"
}

// Autoscale is a target-tracking autoscaler, evaluated every Interval:
//
//	desired = ceil(mean ready instances over the interval × metric / Target)
//
// clamped to [max(Min, schedule floor), Max]. With metric utilization this
// is ceil(mean busy instance-equivalents / Target); with queue it is
// ceil(mean queue length / Target). A scale-out happens at once if
// ScaleOutCooldown has passed since the last scale-out; a scale-in only if
// ScaleInCooldown has passed since the last scaling activity of either kind
// (so a fleet that just grew is not shrunk on the next quiet minute).
type Autoscale struct {
	Metric           Metric
	Target           float64  // utilization in (0, 1], or queued requests per instance > 0
	Min, Max         int      // instances; 1 <= Min <= Max
	Interval         sim.Time // evaluation period, > 0
	ScaleOutCooldown sim.Time
	ScaleInCooldown  sim.Time
	ScaleIn          bool // false: the fleet never shrinks below what it reached
}

// FleetEventKind names a step in an instance's life.
type FleetEventKind uint8

const (
	FleetLaunch    FleetEventKind = iota // billed from here
	FleetReady                           // serves from here (launch + boot)
	FleetDrain                           // chosen for scale-in while busy: takes no new requests
	FleetTerminate                       // billed up to here
)

func (k FleetEventKind) String() string {
	return [...]string{"launch", "ready", "drain", "terminate"}[k]
}

// FleetEvent is one step of one instance; ID counts launches from 0.
type FleetEvent struct {
	At   sim.Time
	ID   int
	Kind FleetEventKind
}

// FleetStats is what a scaled fleet bought and wasted over the window.
type FleetStats struct {
	BilledSeconds float64 // instance-seconds billed (minimum and granularity applied)
	IdleSeconds   float64 // ready instances with no request in service
	BootSeconds   float64 // launched instances not yet serving
	ScaleOuts     int     // scaling activities that launched instances
	ScaleIns      int     // scaling activities that removed instances
	Launched      int     // instances launched in the window
	Terminated    int     // instances terminated in the window
}

// checkScaling validates the autoscaler and schedule and settles the count
// at time 0.
func checkScaling(c *ServerConfig) error {
	if a := c.Autoscale; a != nil {
		switch {
		case a.Min < 1 || a.Max < a.Min:
			return fmt.Errorf("autoscale min %d, max %d: want 1 <= min <= max", a.Min, a.Max)
		case a.Target <= 0 || (a.Metric == MetricUtilization && a.Target > 1):
			return fmt.Errorf("autoscale target %g: want (0, 1] for utilization, > 0 for queue", a.Target)
		case a.Interval <= 0 || a.ScaleOutCooldown < 0 || a.ScaleInCooldown < 0:
			return fmt.Errorf("autoscale interval %v, cooldowns %v, %v: want interval > 0, cooldowns >= 0",
				a.Interval, a.ScaleOutCooldown, a.ScaleInCooldown)
		}
	}
	if err := checkSchedule(c.Schedule); err != nil {
		return err
	}
	for i, sc := range c.Schedule {
		if c.Autoscale != nil && sc.Instances > c.Autoscale.Max {
			return fmt.Errorf("schedule[%d] instances %d: above autoscale max %d", i, sc.Instances, c.Autoscale.Max)
		}
	}
	if c.Instances == 0 {
		c.Instances = floorAt(c, 0)
	}
	if a := c.Autoscale; a != nil && (c.Instances < a.Min || c.Instances > a.Max) {
		return fmt.Errorf("instances %d: want within autoscale min %d and max %d", c.Instances, a.Min, a.Max)
	}
	return nil
}

// floorAt is the least count in force at time t: the schedule's, at least
// the autoscaler's minimum.
func floorAt(c *ServerConfig, t sim.Time) int {
	f := 0
	if len(c.Schedule) > 0 {
		f = countAt(c.Schedule, t)
	}
	if c.Autoscale != nil {
		f = max(f, c.Autoscale.Min)
	}
	return f
}

const (
	fiBooting uint8 = iota
	fiReady
	fiDraining
	fiGone
)

// listAvail tags the fleet's one list: instances ready, not draining, with
// a free worker, most recently freed first.
const listAvail listTag = 1

// fleetInst is one instance.
type fleetInst struct {
	gen      uint32
	id       int32
	state    uint8
	busy     int32
	launch   sim.Time
	idleFrom sim.Time // ready with busy == 0 since
	// interrupted: spot reclaimed it (purchase.go); it ends at the notice's
	// end, not with its last request.
	interrupted bool
}

// fleet is the instance side of a Server: the instances, the scaling
// controller and the books. Nothing here runs per request except take and
// release, which are O(1) and allocate nothing.
type fleet struct {
	c      *ServerConfig
	scaled bool
	insts  arena[fleetInst]
	links  []link // list links of insts, by index
	avail  ilist  // ready, not draining, with a free worker
	count  int    // launched, not draining, not terminated: the size the controller sets
	nextID int32
	boot   dist.Rander
	win    Window
	srv    *Server

	alive level // instances launched and not terminated
	// for the metric, over each evaluation interval: busy workers, queued
	// requests, ready instances
	inService, queued, readyAll level

	lastOut, lastAct sim.Time
	stats            FleetStats
	billed           durSum // billed durations of terminated instances
	idle, booting    durSum

	// purchase options (purchase.go): instances alive per clock-hour, for a
	// commitment; spot interruptions drawn, counted and the requests cut
	hours              hourly
	interrupt          dist.Rander
	interruptions, cut int
}

func (f *fleet) init(c *ServerConfig) {
	f.c = c
	f.scaled = c.Autoscale != nil || c.Schedule != nil
	f.avail = newIList()
	if c.Boot != nil {
		f.boot = c.Boot.New(c.Seed.Source("server/boot"))
	}
	if c.Purchase.interrupts() {
		f.interrupt = c.Purchase.Interruption.After.New(c.Seed.Source("server/interruption"))
	}
}

func (s *Server) startFleet(e *sim.Engine) {
	f := &s.fleet
	f.srv, f.win = s, s.w
	f.alive.from = s.w.Warmup
	f.hours.init(s.w)
	f.lastOut, f.lastAct = -1<<62, -1<<62
	for range s.cfg.Instances {
		f.launch(e, true)
	}
	if a := s.cfg.Autoscale; a != nil && a.Interval < s.w.Horizon {
		e.Schedule(a.Interval, (*fleetControl)(f), 0)
	}
	if sc := s.cfg.Schedule; len(sc) > 0 {
		if at, k := nextStep(sc, 0); at < s.w.Horizon {
			e.Schedule(at, (*fleetSchedule)(f), uint64(k))
		}
	}
}

func (f *fleet) event(at sim.Time, i int32, k FleetEventKind) {
	if f.c.OnFleet != nil {
		f.c.OnFleet(FleetEvent{At: at, ID: int(f.insts.items[i].id), Kind: k})
	}
}

// launch starts one instance; up is for the fleet standing at time 0.
func (f *fleet) launch(e *sim.Engine, up bool) {
	now := e.Now()
	i := f.insts.alloc()
	f.links = growLinks(f.links, i)
	in := &f.insts.items[i]
	*in = fleetInst{gen: in.gen, id: f.nextID, state: fiBooting, launch: now}
	f.nextID++
	f.count++
	f.alive.add(now, 1)
	f.hours.add(now, 1)
	if now >= f.win.Warmup {
		f.stats.Launched++
	}
	f.event(now, i, FleetLaunch)
	f.startInterruption(e, i)
	var d sim.Time
	if !up && f.boot != nil {
		d = dist.Seconds(f.boot.Rand())
	}
	if d == 0 {
		f.ready(e, i)
		return
	}
	e.After(d, (*fleetBoot)(f), uint64(i)|uint64(in.gen)<<32)
}

type fleetBoot fleet

// Fire: instance arg finished booting (unless it was terminated since).
func (h *fleetBoot) Fire(e *sim.Engine, arg uint64) {
	f := (*fleet)(h)
	i := int32(arg)
	if in := &f.insts.items[i]; in.gen != uint32(arg>>32) || in.state != fiBooting {
		return
	}
	f.ready(e, i)
	f.srv.drainQueue(e)
}

func (f *fleet) ready(e *sim.Engine, i int32) {
	now := e.Now()
	in := &f.insts.items[i]
	f.booting.add(f.clip(in.launch, now))
	in.state, in.idleFrom = fiReady, now
	f.readyAll.add(now, 1)
	f.srv.slots += int(f.srv.wpi)
	f.avail.pushFront(f.links, i, listAvail)
	f.event(now, i, FleetReady)
}

// take assigns a worker of the head available instance and returns it.
func (f *fleet) take(now sim.Time) int32 {
	i := f.avail.head
	in := &f.insts.items[i]
	if in.busy == 0 {
		f.idle.add(f.clip(in.idleFrom, now))
	}
	in.busy++
	if in.busy == f.srv.wpi {
		f.avail.remove(f.links, i)
	}
	return i
}

// release frees a worker of instance i: a draining instance ends when its
// last request does; another moves to the head of the available list.
func (f *fleet) release(e *sim.Engine, i int32) {
	in := &f.insts.items[i]
	in.busy--
	if in.state == fiDraining {
		if in.busy == 0 && !in.interrupted {
			f.terminate(e.Now(), i)
		}
		return
	}
	if in.busy == 0 {
		in.idleFrom = e.Now()
	}
	f.avail.moveFront(f.links, i, listAvail)
}

// shrink removes n instances: idle ready ones first (longest idle first),
// then booting ones (newest first), then the least busy ready ones, which
// drain: they take no new requests and end with their last one.
func (f *fleet) shrink(now sim.Time, n int) {
	for ; n > 0; n-- {
		best, bestKey := int32(-1), [3]int64{}
		for i := range f.insts.items {
			in := &f.insts.items[i]
			var key [3]int64
			switch {
			case in.state == fiReady && in.busy == 0:
				key = [3]int64{0, int64(in.idleFrom), 0}
			case in.state == fiBooting:
				key = [3]int64{1, -int64(in.launch), 0}
			case in.state == fiReady:
				key = [3]int64{2, int64(in.busy), int64(in.id)}
			default:
				continue
			}
			if best < 0 || less3(key, bestKey) {
				best, bestKey = int32(i), key
			}
		}
		if best < 0 {
			return
		}
		in := &f.insts.items[best]
		if in.state == fiReady && in.busy > 0 {
			in.state = fiDraining
			f.count--
			f.srv.slots -= int(f.srv.wpi)
			if f.links[best].tag == listAvail {
				f.avail.remove(f.links, best)
			}
			f.event(now, best, FleetDrain)
			continue
		}
		f.terminate(now, best)
	}
}

func less3(a, b [3]int64) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

// terminate ends instance i now and closes its books.
func (f *fleet) terminate(now sim.Time, i int32) {
	in := &f.insts.items[i]
	switch in.state {
	case fiBooting:
		f.booting.add(f.clip(in.launch, now))
		f.count--
	case fiReady:
		if in.busy == 0 {
			f.idle.add(f.clip(in.idleFrom, now))
		}
		f.srv.slots -= int(f.srv.wpi)
		f.count--
		f.readyAll.add(now, -1)
	case fiDraining:
		f.readyAll.add(now, -1)
	}
	if f.links[i].tag == listAvail {
		f.avail.remove(f.links, i)
	}
	f.billed.add(f.billOf(in, now))
	f.alive.add(now, -1)
	f.hours.add(now, -1)
	if now >= f.win.Warmup {
		f.stats.Terminated++
	}
	f.event(now, i, FleetTerminate)
	in.state = fiGone
	in.gen++
	f.insts.release(i)
}

// clip is the part of [a, b) inside the window.
func (f *fleet) clip(a, b sim.Time) sim.Time {
	a, b = max(a, f.win.Warmup), min(b, f.win.Horizon)
	if b <= a {
		return 0
	}
	return b - a
}

// bill is the billed duration of an instance up over [launch, end): its
// part in the window, at least the minimum if it was launched in the
// window (the minimum is incurred at launch), rounded up to the granularity.
func (f *fleet) bill(launch, end sim.Time) sim.Time {
	b := f.c.Billing
	if launch < f.win.Warmup {
		b.MinimumBilled = 0 // incurred at launch, before the window
	}
	return b.round(f.clip(launch, end))
}

// resize brings the count to n: launches (with boot) or shrinks.
func (f *fleet) resize(e *sim.Engine, n int) {
	now := e.Now()
	switch {
	case n > f.count:
		if now >= f.win.Warmup {
			f.stats.ScaleOuts++
		}
		for f.count < n {
			f.launch(e, false)
		}
		f.lastOut, f.lastAct = now, now
		f.srv.drainQueue(e) // instances without a boot delay serve at once
	case n < f.count:
		if now >= f.win.Warmup {
			f.stats.ScaleIns++
		}
		f.shrink(now, f.count-n)
		f.lastAct = now
	}
}

type fleetControl fleet

// Fire: one evaluation of the target-tracking autoscaler.
func (h *fleetControl) Fire(e *sim.Engine, _ uint64) {
	f := (*fleet)(h)
	a := f.c.Autoscale
	now := e.Now()
	if next := now + a.Interval; next < f.win.Horizon {
		e.Schedule(next, h, 0)
	}
	busy, queued, ready := f.inService.take(now), f.queued.take(now), f.readyAll.take(now)
	span := float64(a.Interval)
	var load float64 // mean ready instances × metric
	switch a.Metric {
	case MetricUtilization:
		if ready == 0 {
			return // nothing served: utilization undefined
		}
		load = busy / span / float64(f.srv.wpi)
	case MetricQueue:
		load = queued / span
	}
	desired := min(max(ceilTol(load/a.Target), floorAt(f.c, now)), a.Max)
	switch {
	case desired > f.count && now-f.lastOut >= a.ScaleOutCooldown:
		f.resize(e, desired)
	case desired < f.count && a.ScaleIn && now-f.lastAct >= a.ScaleInCooldown:
		f.resize(e, desired)
	}
}

type fleetSchedule fleet

// Fire: schedule entry arg takes effect. Alone it sets the count; under an
// autoscaler it raises the floor at once and leaves lowering to the
// autoscaler's scale-in.
func (h *fleetSchedule) Fire(e *sim.Engine, arg uint64) {
	f := (*fleet)(h)
	now := e.Now()
	j := int(arg)
	if at, k := nextStep(f.c.Schedule, now); at < f.win.Horizon {
		e.Schedule(at, h, uint64(k))
	}
	n := f.c.Schedule[j].Instances
	if a := f.c.Autoscale; a != nil {
		n = max(n, a.Min)
		if n <= f.count {
			return
		}
	}
	f.resize(e, n)
}

// closeBooks bills and counts the instances still up at the horizon
// (without ending them) and returns the fleet's figures.
func (f *fleet) closeBooks(h sim.Time) FleetStats {
	billed, idle, booting := f.upTo(h)
	st := f.stats
	st.BilledSeconds, st.IdleSeconds, st.BootSeconds = billed.Seconds(), idle.Seconds(), booting.Seconds()
	return st
}

// upTo is the fleet's billed, idle and booting time up to t: terminated
// instances' as booked, those still up counted to t without ending them.
// At the horizon it is the run's; before, what a time series has accrued.
func (f *fleet) upTo(t sim.Time) (billed, idle, booting durSum) {
	billed, idle, booting = f.billed, f.idle, f.booting
	for i := range f.insts.items {
		in := &f.insts.items[i]
		if in.state == fiGone {
			continue
		}
		billed.add(f.billOf(in, t))
		switch {
		case in.state == fiBooting:
			booting.add(f.clip(in.launch, t))
		case in.state == fiReady && in.busy == 0:
			idle.add(f.clip(in.idleFrom, t))
		}
	}
	return billed, idle, booting
}
