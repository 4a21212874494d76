package models

import (
	"time"

	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// Throttle is what a FaaS platform does with a request that finds every
// instance busy and the concurrency limit reached.
type Throttle uint8

const (
	ThrottleReject Throttle = iota // reject at once (HTTP 429)
	ThrottleQueue                  // wait in a FIFO queue until an instance frees up
)

// FaaSConfig describes one FaaS system.
type FaaSConfig struct {
	Functions           []workloads.Function
	ColdStart           dist.Spec // time for a new instance to become ready
	KeepAlive           KeepAlive
	MaxConcurrency      int      // instances of one function at once (Lambda reserved concurrency, Cloud Run max instances); 0 = unlimited
	AccountConcurrency  int      // instances in use (starting or serving) across all functions at once; 0 = unlimited
	BurstRate           int      // new instances per 10 s per function (token bucket of that size); 0 = unlimited
	MinInstances        int      // instances per function started at time 0 and never reclaimed; 0 = none
	InstanceConcurrency int      // requests one instance serves at once (>= 1)
	OnThrottle          Throttle // beyond any of the limits above
	Timeout             sim.Time // cuts execution (not the cold start); 0 = none
	Billing             FaaSBilling
	CPU                 CPUScaling
	MemoryMB            int      // overrides every function's memory on this system; 0 = the function's own
	EphemeralStorageMB  int      // overrides every function's ephemeral storage; 0 = the function's own
	Seed                sim.Seed // cold starts draw from "coldstart/<function>"
}

// BurstWindow is the period a BurstRate refers to (AWS Lambda: 1,000 new
// execution environments every 10 seconds per function).
const BurstWindow = 10 * time.Second

// FaaS is a function platform: per function, a pool of instances that start
// on demand (cold start), serve InstanceConcurrency requests at once, and are
// reclaimed by the keep-alive policy.
//
// Routing: a request goes to the most recently used ready instance with a
// free slot (AWS Lambda and Azure route to warm instances this way, which
// lets the least recently used ones idle out); else it joins an instance
// still starting that has a free slot (instance concurrency > 1); else a new
// instance starts if the function is below MaxConcurrency; else it is
// throttled (rejected or queued).
type FaaS struct {
	cfg    FaaSConfig
	ic     int32
	fns    []fnState
	insts  []instance
	free   []int32 // free instance slots
	reqs   []request
	rfree  []int32 // free request slots
	mem    []int
	eph    []int     // per function: ephemeral storage configured, MB (0 = the free allowance)
	scale  []float64 // per function: execution time factor at this system's memory (CPUScaling)
	meter  faasMeter
	pol    policyState
	inUse  int      // instances starting or serving, all functions (AccountConcurrency)
	queued int      // requests queued, all functions
	burstT sim.Time // BurstWindow / BurstRate: one token's refill time
	obs    Observer
	w      Window
	rec    Record // reused for every report (a fresh &Record{} escaped: one allocation per request)

	alive, busy, slots gauge
}

var _ System = (*FaaS)(nil)

type fnState struct {
	alive    int
	ready    ilist // ready instances with a free slot, most recently used first
	prov     ilist // ready provisioned instances with a free slot, tried first
	starting ilist // starting instances with a free slot
	queue    ring[int32]
	cold     dist.Rander
	tat      sim.Time // burst bucket: theoretical arrival time of the next token (GCRA)
	wake     bool     // a burst wake-up timer is pending
}

const (
	instStarting uint8 = iota
	instReady
	instGone
)

type instance struct {
	gen          uint32
	fn           int32
	active       int32 // requests assigned (waiting for start or in service)
	prev, next   int32 // links in one of the function's lists
	list         uint8 // 0 none, 1 ready, 2 starting
	state        uint8
	timerPending bool
	timerAt      sim.Time // when the pending idle timer fires; earlier ones are stale
	prov         bool     // provisioned: never expires, billed as capacity
	prewarmed    bool     // loaded ahead of demand and not used yet
	expireAt     sim.Time
	waitHead     int32    // requests waiting for this instance to start
	born         sim.Time // when it started (InstanceLifetime billing)
	busySince    sim.Time // when active last went from 0 to 1 (InstanceActive billing)
}

type request struct {
	arrival sim.Time
	exec    sim.Time
	joined  sim.Time // when it was given an instance
	wait    sim.Time
	init    sim.Time
	inst    int32
	fn      int32
	next    int32 // wait list link
	cold    bool
	starter bool // started its instance: its bill carries the instance's init
	ping    bool // a keep-warm invocation, not a user request
	out     Outcome
}

// NewFaaS checks cfg and returns a system ready to Start.
func NewFaaS(cfg FaaSConfig) (*FaaS, error) {
	switch {
	case len(cfg.Functions) == 0:
		return nil, fmt.Errorf("faas: no functions")
	case cfg.InstanceConcurrency < 1:
		return nil, fmt.Errorf("faas: instance_concurrency %d, want >= 1", cfg.InstanceConcurrency)
	case cfg.MaxConcurrency < 0 || cfg.AccountConcurrency < 0 || cfg.BurstRate < 0 || cfg.MinInstances < 0:
		return nil, fmt.Errorf("faas: concurrency limits, burst rate and min instances must be >= 0")
	case cfg.MaxConcurrency > 0 && cfg.MinInstances > cfg.MaxConcurrency:
		return nil, fmt.Errorf("faas: min instances %d above max_concurrency %d", cfg.MinInstances, cfg.MaxConcurrency)
	case cfg.MemoryMB < 0 || cfg.EphemeralStorageMB < 0:
		return nil, fmt.Errorf("faas: memory_mb %d and ephemeral_storage_mb %d, want >= 0", cfg.MemoryMB, cfg.EphemeralStorageMB)
	case cfg.ColdStart == nil || cfg.KeepAlive == nil:
		return nil, fmt.Errorf("faas: cold start and keep-alive are required")
	}
	if err := cfg.Billing.Validate(); err != nil {
		return nil, fmt.Errorf("faas: %w", err)
	}
	if err := cfg.CPU.Validate(); err != nil {
		return nil, fmt.Errorf("faas: %w", err)
	}
	f := &FaaS{cfg: cfg, ic: int32(cfg.InstanceConcurrency), meter: newFaaSMeter(cfg.Billing, len(cfg.Functions))}
	if cfg.BurstRate > 0 {
		f.burstT = max(1, BurstWindow/sim.Time(cfg.BurstRate))
	}
	var names []string
	for _, fn := range cfg.Functions {
		names = append(names, fn.Name)
		f.fns = append(f.fns, fnState{
			ready:    newIList(),
			prov:     newIList(),
			starting: newIList(),
			cold:     cfg.ColdStart.New(cfg.Seed.Source("coldstart/" + fn.Name)),
		})
		mem := fn.MemoryMB
		if cfg.MemoryMB > 0 {
			mem = cfg.MemoryMB
		}
		f.mem = append(f.mem, mem)
		eph := fn.EphemeralStorageMB
		if cfg.EphemeralStorageMB > 0 {
			eph = cfg.EphemeralStorageMB
		}
		f.eph = append(f.eph, eph)
		f.scale = append(f.scale, cfg.CPU.ExecFactor(fn, mem))
	}
	var err error
	if f.pol, err = newPolicyState(cfg.KeepAlive, cfg.Seed, names); err != nil {
		return nil, fmt.Errorf("faas: keep-alive %w", err)
	}
	return f, nil
}

// Start implements System: min instances start at time 0 (cold, with no
// request waiting); the keep-alive policy may start instances or timers of
// its own (provisioned instances, pings).
func (f *FaaS) Start(e *sim.Engine, obs Observer, w Window) {
	f.obs, f.w = obs, w
	for _, g := range []*gauge{&f.alive, &f.busy, &f.slots} {
		g.warmup = w.Warmup
	}
	for fn := range f.fns {
		for range f.cfg.MinInstances {
			i := f.startInstance(e, int32(fn), true)
			f.fns[fn].starting.pushFront(f.insts, i, 2) // requests may join it while it starts
		}
	}
	f.policyStart(e)
}

// Arrive implements System.
func (f *FaaS) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	r := f.newRequest()
	exec := inv.Exec
	if s := f.scale[inv.Fn]; s != 1 {
		exec = sim.Time(float64(exec) * s)
	}
	f.reqs[r] = request{arrival: inv.At, exec: exec, fn: inv.Fn, inst: -1, next: -1}
	if f.pol.kind == polHybrid {
		f.policyArrive(inv.Fn, inv.At)
	}
	f.dispatch(e, r)
}

// dispatch gives request r an instance, or throttles it.
func (f *FaaS) dispatch(e *sim.Engine, r int32) {
	fn := f.reqs[r].fn
	fs := &f.fns[fn]
	now := e.Now()
	if i := fs.prov.head; i >= 0 && (f.insts[i].active > 0 || f.accountFree()) {
		f.serve(e, i, r)
		return
	}
	if i := fs.ready.head; i >= 0 && (f.insts[i].active > 0 || f.accountFree()) {
		f.serve(e, i, r)
		return
	}
	if i := fs.starting.head; i >= 0 {
		f.join(e, i, r)
		return
	}
	if f.canStart(fn, now) {
		f.takeToken(fn, now)
		f.join(e, f.startInstance(e, fn, true), r)
		f.reqs[r].starter = true
		return
	}
	if f.cfg.OnThrottle == ThrottleQueue {
		fs.queue.push(r)
		f.queued++
		f.wakeForBurst(e, fn)
		return
	}
	f.reqs[r].out = Rejected
	f.end(now, r)
}

// accountFree reports room under the account-level concurrency limit.
func (f *FaaS) accountFree() bool {
	return f.cfg.AccountConcurrency == 0 || f.inUse < f.cfg.AccountConcurrency
}

// canStart reports whether function fn may start a new instance now: below
// its own limit, the account's, and with a burst token.
func (f *FaaS) canStart(fn int32, now sim.Time) bool {
	fs := &f.fns[fn]
	return (f.cfg.MaxConcurrency == 0 || fs.alive < f.cfg.MaxConcurrency) && f.accountFree() &&
		(f.burstT == 0 || f.nextToken(fn) <= now)
}

// The burst limit is a token bucket of BurstRate tokens refilled one per
// burstT, kept as GCRA: a token is available from nextToken on.
func (f *FaaS) nextToken(fn int32) sim.Time {
	return f.fns[fn].tat + f.burstT - BurstWindow
}

func (f *FaaS) takeToken(fn int32, now sim.Time) {
	if f.burstT > 0 {
		fs := &f.fns[fn]
		fs.tat = max(fs.tat, now) + f.burstT
	}
}

// wakeForBurst schedules a retry of fn's queue when its next burst token is
// due, if the burst limit is what holds it back.
func (f *FaaS) wakeForBurst(e *sim.Engine, fn int32) {
	fs := &f.fns[fn]
	if f.burstT == 0 || fs.wake || (f.cfg.MaxConcurrency > 0 && fs.alive >= f.cfg.MaxConcurrency) || !f.accountFree() {
		return
	}
	fs.wake = true
	e.Schedule(max(f.nextToken(fn), e.Now()), (*faasWake)(f), uint64(fn))
}

type faasWake FaaS

// Fire: a burst token of function arg is due; its queue moves on.
func (h *faasWake) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	fn := int32(arg)
	f.fns[fn].wake = false
	f.drain(e, fn)
}

// drain dispatches fn's queued requests while they can be served.
func (f *FaaS) drain(e *sim.Engine, fn int32) {
	fs := &f.fns[fn]
	for fs.queue.len() > 0 {
		i := fs.ready.head
		if !(i >= 0 && (f.insts[i].active > 0 || f.accountFree())) && fs.starting.head < 0 && !f.canStart(fn, e.Now()) {
			f.wakeForBurst(e, fn)
			return
		}
		f.queued--
		f.dispatch(e, fs.queue.pop())
	}
}

// released is called when an instance stops being in use: account capacity
// freed goes to another function's queue (first function first).
func (f *FaaS) released(e *sim.Engine) {
	f.inUse--
	if f.queued == 0 || f.cfg.AccountConcurrency == 0 {
		return
	}
	for fn := range f.fns {
		if f.fns[fn].queue.len() > 0 {
			f.drain(e, int32(fn))
			if !f.accountFree() {
				return
			}
		}
	}
}

// serve starts request r on ready instance i (the head of its function's
// ready list) now.
func (f *FaaS) serve(e *sim.Engine, i, r int32) {
	in := &f.insts[i]
	now := e.Now()
	in.active++
	if in.active == 1 {
		f.busy.add(now, 1)
		f.setIdle(in.fn, now, -1)
		f.inUse++
		in.busySince = now
	}
	if in.active == f.ic {
		list, _ := f.readyList(in)
		list.remove(f.insts, i)
	}
	if rq := &f.reqs[r]; rq.arrival >= f.w.Warmup && !rq.ping {
		pf := &f.pol.fns[in.fn]
		if in.prov {
			pf.provServed++
		}
		if in.prewarmed {
			pf.prewarmHits++
		}
	}
	in.prewarmed = false
	f.start(e, i, r)
}

// start runs request r on instance i from now, without a cold start.
func (f *FaaS) start(e *sim.Engine, i, r int32) {
	rq := &f.reqs[r]
	rq.inst = i
	rq.joined = e.Now()
	rq.wait = rq.joined - rq.arrival
	f.run(e, r)
}

// run schedules the end of request r, whose execution starts now.
func (f *FaaS) run(e *sim.Engine, r int32) {
	f.slots.add(e.Now(), 1)
	rq := &f.reqs[r]
	d := rq.exec
	if f.cfg.Timeout > 0 && d > f.cfg.Timeout {
		d = f.cfg.Timeout
		rq.out = TimedOut
	}
	e.After(d, (*faasDone)(f), uint64(r))
}

// join assigns r to starting instance i: r waits for the cold start.
func (f *FaaS) join(e *sim.Engine, i, r int32) {
	in := &f.insts[i]
	rq := &f.reqs[r]
	rq.cold = true
	rq.inst = i
	rq.joined = e.Now()
	rq.wait = rq.joined - rq.arrival
	rq.next = in.waitHead // order does not matter: all start together
	in.waitHead = r
	in.active++
	in.prewarmed = false // it will serve a request that waited for it
	if in.active == 1 && in.state == instStarting {
		in.busySince = rq.joined // billed from the request's arrival at a starting instance
	}
	fs := &f.fns[in.fn]
	if in.active == f.ic {
		fs.starting.remove(f.insts, i)
	} else if in.list == 0 {
		fs.starting.pushFront(f.insts, i, 2)
	}
}

// startInstance allocates an instance of fn, starting; with cold, its ready
// event is scheduled after a drawn cold start.
func (f *FaaS) startInstance(e *sim.Engine, fn int32, cold bool) int32 {
	var i int32
	if n := len(f.free); n > 0 {
		i = f.free[n-1]
		f.free = f.free[:n-1]
	} else {
		f.insts = append(f.insts, instance{})
		i = int32(len(f.insts) - 1)
	}
	in := &f.insts[i]
	now := e.Now()
	*in = instance{gen: in.gen, fn: fn, state: instStarting, prev: -1, next: -1, waitHead: -1, born: now, busySince: now}
	f.fns[fn].alive++
	f.inUse++
	f.alive.add(e.Now(), 1)
	if cold {
		d := dist.Seconds(f.fns[fn].cold.Rand())
		e.After(d, (*faasReady)(f), uint64(i)|uint64(in.gen)<<32)
	}
	return i
}

type faasReady FaaS

// Fire: instance arg finished its cold start; its waiting requests run.
func (h *faasReady) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	i := int32(arg)
	in := &f.insts[i]
	now := e.Now()
	fs := &f.fns[in.fn]
	in.state = instReady
	if in.list == 2 {
		fs.starting.remove(f.insts, i)
	}
	if in.active > 0 {
		f.busy.add(now, 1)
	}
	for r := in.waitHead; r >= 0; r = f.reqs[r].next {
		f.reqs[r].init = now - f.reqs[r].joined
		f.run(e, r)
	}
	in.waitHead = -1
	if in.active < f.ic {
		list, tag := f.readyList(in)
		list.pushFront(f.insts, i, tag)
	}
	if in.active == 0 {
		f.setIdle(in.fn, now, 1)
		f.released(e) // a min instance, started with no request
		f.idle(e, i)
	}
}

type faasDone FaaS

// Fire: request arg ends (completed or timed out).
func (h *faasDone) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	r := int32(arg)
	now := e.Now()
	rq := &f.reqs[r]
	i := rq.inst
	in := &f.insts[i]
	fn := in.fn
	if rq.arrival >= f.w.Warmup {
		// One instance start is billed once, to the request that caused it,
		// even when instance concurrency lets others wait for it too.
		var init sim.Time
		if rq.starter {
			init = rq.init
		}
		f.bill(rq, in, now-rq.joined-rq.init, init)
	}
	if f.pol.kind == polHybrid && !rq.ping {
		f.policyEnd(fn, now)
	}
	f.slots.add(now, -1)
	f.end(now, r)

	fs := &f.fns[fn]
	if fs.queue.len() > 0 {
		// A queue means every instance is full: hand the slot straight over.
		f.queued--
		f.start(e, i, fs.queue.pop())
		return
	}
	in.active--
	list, tag := f.readyList(in)
	if in.active == f.ic-1 {
		list.pushFront(f.insts, i, tag)
	} else {
		list.moveFront(f.insts, i, tag)
	}
	if in.active == 0 {
		f.busy.add(now, -1)
		f.setIdle(fn, now, 1)
		if f.cfg.Billing.Model == InstanceActive {
			f.meter.period(fn, in.busySince, now, f.w)
		}
		f.released(e)
		f.idle(e, i)
	}
}

// idle applies the keep-alive policy to instance i, which just went idle.
func (f *FaaS) idle(e *sim.Engine, i int32) {
	in := &f.insts[i]
	if f.fns[in.fn].alive <= f.cfg.MinInstances {
		return // kept: min instances are never reclaimed
	}
	ttl, _ := f.decide(e, i)
	switch {
	case ttl == 0:
		f.destroy(e, i)
	case ttl < 0:
	default:
		in.expireAt = e.Now() + ttl
		// A pending timer due before the new expiry re-arms itself when it
		// fires; one due after it (a random TTL can be shorter than the last)
		// is superseded by a new timer and ignored when it fires.
		if !in.timerPending || in.expireAt < in.timerAt {
			in.timerPending, in.timerAt = true, in.expireAt
			e.Schedule(in.expireAt, (*faasExpire)(f), uint64(i)|uint64(in.gen)<<32)
		}
	}
}

type faasExpire FaaS

// Fire: the idle timer of instance arg is due. Timers are never cancelled;
// a timer that finds the instance busy or re-idled since does nothing or
// re-arms itself (cheaper than cancelling on every request).
func (h *faasExpire) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	i := int32(arg)
	in := &f.insts[i]
	if in.gen != uint32(arg>>32) || in.state == instGone || !in.timerPending || e.Now() != in.timerAt {
		return // stale: the instance is gone, or a newer timer took over
	}
	in.timerPending = false
	if in.active > 0 {
		return
	}
	if e.Now() >= in.expireAt {
		if f.fns[in.fn].alive <= f.cfg.MinInstances {
			return
		}
		f.destroy(e, i)
		return
	}
	in.timerPending, in.timerAt = true, in.expireAt
	e.Schedule(in.expireAt, h, arg)
}

// destroy reclaims idle instance i; freed capacity goes to queued requests.
func (f *FaaS) destroy(e *sim.Engine, i int32) {
	in := &f.insts[i]
	fs := &f.fns[in.fn]
	switch in.list {
	case 1:
		fs.ready.remove(f.insts, i)
	case 2:
		fs.starting.remove(f.insts, i)
	case 3:
		fs.prov.remove(f.insts, i)
	}
	if in.state == instReady && in.active == 0 {
		f.setIdle(in.fn, e.Now(), -1)
	}
	if f.cfg.Billing.Model == InstanceLifetime {
		f.meter.period(in.fn, in.born, e.Now(), f.w)
	}
	in.state = instGone
	in.gen++
	fs.alive--
	f.alive.add(e.Now(), -1)
	f.free = append(f.free, i)
	if fs.queue.len() > 0 {
		f.drain(e, in.fn)
	}
}

// end reports request r and frees its slot.
func (f *FaaS) end(now sim.Time, r int32) {
	rq := &f.reqs[r]
	if rq.arrival >= f.w.Warmup && !rq.ping {
		f.rec = Record{Arrival: rq.arrival, End: now, Wait: rq.wait, Init: rq.init,
			Fn: rq.fn, Outcome: rq.out, Cold: rq.cold}
		f.obs.Ended(&f.rec)
	}
	f.rfree = append(f.rfree, r)
}

func (f *FaaS) newRequest() int32 {
	if n := len(f.rfree); n > 0 {
		r := f.rfree[n-1]
		f.rfree = f.rfree[:n-1]
		return r
	}
	f.reqs = append(f.reqs, request{})
	return int32(len(f.reqs) - 1)
}

// Finish implements System. Instances still alive (or busy) at the horizon
// are billed up to it.
func (f *FaaS) Finish() Summary {
	w := f.w
	f.policyClose()
	for i := range f.insts {
		in := &f.insts[i]
		switch {
		case in.state == instGone:
		case f.cfg.Billing.Model == InstanceLifetime:
			f.meter.period(in.fn, in.born, w.Horizon, w)
		case f.cfg.Billing.Model == InstanceActive && in.active > 0:
			f.meter.period(in.fn, in.busySince, w.Horizon, w)
		}
	}
	cost, per := f.meter.cost(f.mem, f.eph, f.cfg.MinInstances, w)
	items, polPer := f.policyCost()
	if len(items) > 0 {
		// The policy's lines scale with the window like the rest.
		cost.Items = append(cost.Items, items...)
		cost.MonthlyUSD = cost.Total() * float64(Month) / float64(w.Horizon-w.Warmup)
	}
	for i := range per {
		per[i] += polPer[i]
	}
	return Summary{
		Cost:         cost,
		FunctionCost: per,
		Policy:       f.policyStats(),
		Instances: InstanceStats{
			Mean:          f.alive.mean(w),
			Max:           f.alive.max,
			MeanBusy:      f.busy.mean(w),
			MeanBusySlots: f.slots.mean(w),
		},
	}
}
