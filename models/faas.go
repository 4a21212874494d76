package models

import (
	"fmt"
	"math"
	"time"

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

// FaaSConfig describes one FaaS system. Start from DefaultFaaSConfig: a
// zero number means its default there too (see each field), but a false
// InitBilled and a zero VCPU are settings of their own.
type FaaSConfig struct {
	Functions           []workloads.Function
	ColdStart           dist.Spec // time for a new instance to become ready
	KeepAlive           KeepAlive // nil = FixedKeepAlive{DefaultIdle}
	MaxConcurrency      int       // instances of one function at once (Lambda reserved concurrency, Cloud Run max instances); 0 = unlimited
	AccountConcurrency  int       // instances in use (starting or serving) across all functions at once; 0 = unlimited
	BurstRate           int       // new instances per 10 s per function (token bucket of that size); 0 = unlimited
	MinInstances        int       // instances per function started at time 0 and never reclaimed; 0 = none
	InstanceConcurrency int       // requests one instance serves at once; 0 = 1
	OnThrottle          Throttle  // beyond any of the limits above
	// QueueTimeout bounds the wait of a request queued by ThrottleQueue: one
	// still queued this long after its arrival is rejected then (Cloud Run:
	// 10 s, then HTTP 429). 0 = it waits without limit.
	QueueTimeout       sim.Time
	Timeout            sim.Time // cuts execution (not the cold start); 0 = none
	Billing            FaaSBilling
	CPU                CPUScaling
	MemoryMB           int      // overrides every function's memory on this system; 0 = the function's own
	EphemeralStorageMB int      // overrides every function's ephemeral storage; 0 = the function's own
	Seed               sim.Seed // cold starts draw from "coldstart/<function>"
	// ColdStartPerPackageMB is the cold start added by each MB of a
	// function's zipped package (its PackageMB); runtimes.go.
	ColdStartPerPackageMB sim.Time
	// BacklogBudget is the memory the throttle queues may hold together,
	// bytes (BytesPerQueued a request); one more stops the run
	// (backlog.go). 0 = DefaultBacklogBudget.
	BacklogBudget int64
}

// DefaultIdle is the default keep-alive: AWS Lambda's observed idle
// lifetime of an instance.
const DefaultIdle = 10 * time.Minute

// DefaultFaaSConfig is a FaaS system with every default a scenario has:
// a fixed 10-minute keep-alive, one request per instance, rejection beyond
// the limits, per-request billing in 1 ms granules with the cold start
// billed, one vCPU, provisioned capacity in 5-minute periods. Functions,
// ColdStart and the prices are left to the caller.
func DefaultFaaSConfig() FaaSConfig {
	return FaaSConfig{
		KeepAlive:           FixedKeepAlive{Idle: DefaultIdle},
		InstanceConcurrency: 1,
		OnThrottle:          ThrottleReject,
		Billing: FaaSBilling{
			Model:       PerRequest,
			Granularity: DefaultGranularity,
			InitBilled:  true,
			VCPU:        1,
			Provisioned: ProvisionedRates{Rounding: DefaultProvisionedRounding},
			// Lambda gives every function 512 MB of ephemeral storage free.
			EphemeralFreeMB: 512,
		},
	}
}

// BurstWindow is the period a BurstRate refers to (AWS Lambda: 1,000 new
// execution environments every 10 seconds per function).
const BurstWindow = 10 * time.Second

// FaaS is a function platform: per function, a pool of instances that start
// on demand (cold start), serve InstanceConcurrency requests at once, and are
// reclaimed by the keep-alive policy (a Policy, called at a few points of an
// instance's life).
//
// Routing: a request goes to the most recently used ready instance with a
// free slot, reserved (provisioned) instances first (AWS Lambda and Azure
// route to warm instances this way, which lets the least recently used ones
// idle out); else it joins an instance still starting that has a free slot
// (instance concurrency > 1); else a new instance starts if the function is
// below MaxConcurrency; else it is throttled (rejected or queued).
type FaaS struct {
	cfg    FaaSConfig
	ic     int32
	fns    []fnState
	fx     []fnExtra // by function, beside fns
	insts  arena[instance]
	links  []link         // list links of insts, by index
	reqs   arena[request] // requests given an instance (queued ones are faasQueued)
	guard  backlogGuard
	mem    []int
	eph    []int     // per function: ephemeral storage configured, MB (0 = the free allowance)
	scale  []float64 // per function: execution time factor at this system's memory (CPUScaling)
	meter  faasMeter
	pol    Policy
	reqObs RequestObserver // pol, if it learns from requests; else nil
	host   PolicyHost
	inUse  int      // instances starting or serving, all functions (AccountConcurrency)
	queued int      // requests queued, all functions
	burstT sim.Time // BurstWindow / BurstRate: one token's refill time
	obs    Observer
	w      Window
	from   sim.Time // requests arriving from here are reported: the warm-up, or all (readAll)
	// extraUSD is what an attempt of the invocation layer costs beyond
	// the platform's bill (its state round trips), for the histogram of
	// request bills; nil without one.
	extraUSD func(tag uint32) float64
	// tagged receives the records of the invocation layer's attempts
	// (those with a tag); the others go to obs.
	tagged func(tag uint32, r *Record)
	rec    Record // reused for every report (a fresh &Record{} escaped: one allocation per request)

	// The engine's names for the model's events; idle timers go through a
	// lane (a fixed TTL schedules them in time order: O(1) each).
	hDone, hReady, hExpire, hWake sim.HandlerID
	hQueueTimeout                 sim.HandlerID // queuetimeout.go
	timers                        sim.Lane

	alive, busy, slots level
}

var _ System = (*FaaS)(nil)

// The lists of a function's instances with a free slot (listTag values).
const (
	listReady    listTag = 1 + iota // ready, most recently used first
	listStarting                    // in their cold start
	listReserved                    // ready and reserved by the policy: tried first
	nLists
)

// fnState is what every request of a function touches, in one 64-byte
// cache line: with 100,000 functions these lines, not the instances, are
// what a request misses in cache (fnExtra holds the rest).
type fnState struct {
	lists  [nLists]ilist // by listTag; lists[listNone] is unused
	alive  int32
	queued int32 // requests in its throttle queue
	idle   level // ready instances with no request in service
	_      [8]byte
}

// fnExtra is the rest of a function's state.
type fnExtra struct {
	queue fifo[faasQueued]
	cold  dist.Rander // made at the first cold start (a stream's draws do not depend on when)
	tat   sim.Time    // burst bucket: theoretical arrival time of the next token (GCRA)
	wake  bool        // a burst wake-up timer is pending
	qwake bool        // a queue-timeout timer is pending (queuetimeout.go)
	busyN int         // instances with a request, waiting for their start or in service
	// minIdle is max(0, MinInstances − busyN): the min instances idle, which
	// Billing.BaselineIdleOnly bills at the baseline rates (minidle.go).
	minIdle level
	// A cold start is a draw of cold × coldScale + coldShift (runtime,
	// package size, SnapStart: runtimes.go).
	coldScale float64
	coldShift sim.Time

	// counted over the window, for PolicyStats
	reservedServed int64 // requests served by a reserved instance
	prewarmHits    int64 // requests served warm by a pre-warmed instance
	prewarms       int64 // instances started ahead of demand, not reserved
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
	state        uint8
	timerPending bool
	reserved     bool     // held by the policy (provisioned): routed first, billed by the policy
	prewarmed    bool     // started ahead of demand and not used yet
	timerAt      sim.Time // when the pending idle timer fires; earlier ones are stale
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
	next    int32  // wait list link
	tag     uint32 // the invocation layer's attempt; 0 = a workload's request
	msgs    uint16 // requests the invocation serves (a batch's messages); 0 = 1
	cold    bool
	starter bool // started its instance: its bill carries the instance's init
	own     bool // the policy's own invocation (a ping), not a user request
	out     Outcome
}

// faasQueued is a request in its function's throttle queue: what it needs
// to be dispatched, in BytesPerQueued bytes (a request is 56, and was held
// for every queued one with its index in the queue beside it: 60 bytes and
// more). Its function is its queue's.
type faasQueued struct {
	arrival, exec sim.Time
	tag           uint32 // the invocation layer's attempt; 0 = a workload's request
	msgs          uint16 // requests the invocation serves (a batch's messages); 0 = 1
	own           bool
}

// NewFaaS checks cfg and returns a system ready to Start. Zero numbers take
// their defaults (DefaultFaaSConfig).
func NewFaaS(cfg FaaSConfig) (*FaaS, error) {
	if cfg.InstanceConcurrency == 0 {
		cfg.InstanceConcurrency = 1
	}
	if cfg.KeepAlive == nil {
		cfg.KeepAlive = FixedKeepAlive{Idle: DefaultIdle}
	}
	if cfg.Billing.Granularity == 0 {
		cfg.Billing.Granularity = DefaultGranularity
	}
	switch {
	case len(cfg.Functions) == 0:
		return nil, fmt.Errorf("faas: no functions")
	case cfg.InstanceConcurrency < 1:
		return nil, fmt.Errorf("faas: instance_concurrency %d, want >= 1", cfg.InstanceConcurrency)
	case cfg.MaxConcurrency < 0 || cfg.AccountConcurrency < 0 || cfg.BurstRate < 0 || cfg.MinInstances < 0:
		return nil, fmt.Errorf("faas: concurrency limits, burst rate and min instances must be >= 0")
	case cfg.MaxConcurrency > 0 && cfg.MinInstances > cfg.MaxConcurrency:
		return nil, fmt.Errorf("faas: min instances %d above max_concurrency %d", cfg.MinInstances, cfg.MaxConcurrency)
	case cfg.Billing.SavingsPlanDiscount < 0 || cfg.Billing.SavingsPlanDiscount >= 1:
		return nil, fmt.Errorf("faas: savings plan discount %g, want in [0, 1)", cfg.Billing.SavingsPlanDiscount)
	case cfg.QueueTimeout < 0:
		return nil, fmt.Errorf("faas: queue timeout %v, want >= 0", cfg.QueueTimeout)
	case cfg.MemoryMB < 0 || cfg.EphemeralStorageMB < 0:
		return nil, fmt.Errorf("faas: memory_mb %d and ephemeral_storage_mb %d, want >= 0", cfg.MemoryMB, cfg.EphemeralStorageMB)
	case cfg.ColdStart == nil:
		return nil, fmt.Errorf("faas: a cold start distribution is required")
	case cfg.ColdStartPerPackageMB < 0:
		return nil, fmt.Errorf("faas: cold start per package MB %v, want >= 0", cfg.ColdStartPerPackageMB)
	}
	if err := cfg.Billing.Validate(); err != nil {
		return nil, fmt.Errorf("faas: %w", err)
	}
	if err := cfg.CPU.Validate(); err != nil {
		return nil, fmt.Errorf("faas: %w", err)
	}
	f := &FaaS{cfg: cfg, ic: int32(cfg.InstanceConcurrency), meter: newFaaSMeter(cfg.Billing, len(cfg.Functions))}
	f.guard.init(cfg.BacklogBudget)
	f.host.f = f
	if cfg.BurstRate > 0 {
		f.burstT = max(1, BurstWindow/sim.Time(cfg.BurstRate))
	}
	n := len(cfg.Functions)
	f.fns, f.fx = make([]fnState, 0, n), make([]fnExtra, 0, n)
	f.mem, f.scale = make([]int, 0, n), make([]float64, 0, n)
	for _, fn := range cfg.Functions {
		fs := fnState{}
		for t := range fs.lists {
			fs.lists[t] = newIList()
		}
		f.fns = append(f.fns, fs)
		scale, shift, err := coldStartShape(fn, cfg.ColdStartPerPackageMB)
		if err != nil {
			return nil, fmt.Errorf("faas: %w", err)
		}
		f.fx = append(f.fx, fnExtra{coldScale: scale, coldShift: shift})
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
	f.meter.price(f.mem, f.eph)
	var err error
	if f.pol, err = cfg.KeepAlive.NewPolicy(&f.host); err != nil {
		return nil, fmt.Errorf("faas: keep-alive %w", err)
	}
	f.reqObs, _ = f.pol.(RequestObserver)
	return f, nil
}

// Start implements System: min instances start at time 0 (cold, with no
// request waiting); the keep-alive policy may start instances or timers of
// its own (provisioned instances, pings).
func (f *FaaS) Start(e *sim.Engine, obs Observer, w Window) {
	f.obs, f.w = obs, w
	if f.from != reportAll {
		f.from = w.Warmup
	}
	f.hDone, f.hReady = e.Register((*faasDone)(f)), e.Register((*faasReady)(f))
	f.hExpire, f.hWake = e.Register((*faasExpire)(f)), e.Register((*faasWake)(f))
	f.hQueueTimeout = e.Register((*faasQueueTimeout)(f))
	f.timers = e.NewLane()
	for _, g := range []*level{&f.alive, &f.busy, &f.slots} {
		g.from = w.Warmup
	}
	for fn := range f.fns {
		f.fns[fn].idle.from = w.Warmup
		f.startMinIdle(int32(fn))
		for range f.cfg.MinInstances {
			i := f.startInstance(e, int32(fn), true)
			f.fns[fn].lists[listStarting].pushFront(f.links, i, listStarting) // requests may join it while it starts
		}
	}
	f.pol.Start(e)
}

// Arrive implements System.
func (f *FaaS) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	exec := inv.Exec
	if s := f.scale[inv.Fn]; s != 1 {
		exec = sim.Time(float64(exec) * s)
	}
	if f.reqObs != nil {
		f.reqObs.Arrived(inv.Fn, inv.At)
	}
	f.dispatch(e, inv.Fn, faasQueued{arrival: inv.At, exec: exec})
}

// attempt implements runner: the invocation layer runs an attempt of fn
// now, exec scaled as Arrive scales it, plus extra (state round trips: I/O,
// not scaled by CPU).
func (f *FaaS) attempt(e *sim.Engine, fn int32, exec, extra sim.Time, msgs int, tag uint32) {
	if s := f.scale[fn]; s != 1 {
		exec = sim.Time(float64(exec) * s)
	}
	now := e.Now()
	if f.reqObs != nil {
		f.reqObs.Arrived(fn, now)
	}
	f.dispatch(e, fn, faasQueued{arrival: now, exec: exec + extra, tag: tag, msgs: uint16(msgs)})
}

// readAll implements runner: every request is reported, warm-up ones too;
// extra prices an attempt's charges beyond the platform's, tagged receives
// the attempts' records.
func (f *FaaS) readAll(extra func(tag uint32) float64, tagged func(tag uint32, r *Record)) {
	f.from, f.extraUSD, f.tagged = reportAll, extra, tagged
}

// pulls implements runner: a FaaS platform is invoked, it polls nothing.
func (f *FaaS) pulls() bool { return false }

// backlog implements runner: the throttle queues hold the requests.
func (f *FaaS) backlog() (int, *backlogGuard) { return f.queued, &f.guard }

// newRequest makes the record of request q of fn, given an instance now.
func (f *FaaS) newRequest(fn int32, q faasQueued) int32 {
	r := f.reqs.alloc()
	f.reqs.items[r] = request{arrival: q.arrival, exec: q.exec, fn: fn, inst: -1, next: -1, own: q.own, tag: q.tag, msgs: q.msgs}
	return r
}

// dispatch gives request q of fn an instance, or throttles it.
func (f *FaaS) dispatch(e *sim.Engine, fn int32, q faasQueued) {
	fs := &f.fns[fn]
	now := e.Now()
	if i := fs.lists[listReserved].head; i >= 0 && (f.insts.items[i].active > 0 || f.accountFree()) {
		f.serve(e, i, f.newRequest(fn, q))
		return
	}
	if i := fs.lists[listReady].head; i >= 0 && (f.insts.items[i].active > 0 || f.accountFree()) {
		f.serve(e, i, f.newRequest(fn, q))
		return
	}
	if i := fs.lists[listStarting].head; i >= 0 {
		f.join(e, i, f.newRequest(fn, q))
		return
	}
	if f.canStart(fn, now) {
		f.takeToken(fn, now)
		r := f.newRequest(fn, q)
		f.join(e, f.startInstance(e, fn, true), r)
		f.reqs.items[r].starter = true
		return
	}
	if f.cfg.OnThrottle == ThrottleQueue {
		f.fx[fn].queue.push(q)
		fs.queued++
		f.queued++
		if f.queued > f.guard.max {
			f.guard.trip(e, f.queued)
		}
		f.wakeForBurst(e, fn)
		f.armQueueTimeout(e, fn)
		return
	}
	f.report(fn, q, now, Rejected)
}

// accountFree reports room under the account-level concurrency limit.
func (f *FaaS) accountFree() bool {
	return f.cfg.AccountConcurrency == 0 || f.inUse < f.cfg.AccountConcurrency
}

// canStart reports whether function fn may start a new instance now: below
// its own limit, the account's, and with a burst token.
func (f *FaaS) canStart(fn int32, now sim.Time) bool {
	fs := &f.fns[fn]
	return (f.cfg.MaxConcurrency == 0 || int(fs.alive) < f.cfg.MaxConcurrency) && f.accountFree() &&
		(f.burstT == 0 || f.nextToken(fn) <= now)
}

// The burst limit is a token bucket of BurstRate tokens refilled one per
// burstT, kept as GCRA: a token is available from nextToken on.
func (f *FaaS) nextToken(fn int32) sim.Time {
	return f.fx[fn].tat + f.burstT - BurstWindow
}

func (f *FaaS) takeToken(fn int32, now sim.Time) {
	if f.burstT > 0 {
		fx := &f.fx[fn]
		fx.tat = max(fx.tat, now) + f.burstT
	}
}

// wakeForBurst schedules a retry of fn's queue when its next burst token is
// due, if the burst limit is what holds it back.
func (f *FaaS) wakeForBurst(e *sim.Engine, fn int32) {
	fx := &f.fx[fn]
	if f.burstT == 0 || fx.wake || (f.cfg.MaxConcurrency > 0 && int(f.fns[fn].alive) >= f.cfg.MaxConcurrency) || !f.accountFree() {
		return
	}
	fx.wake = true
	e.ScheduleID(max(f.nextToken(fn), e.Now()), f.hWake, uint64(fn))
}

type faasWake FaaS

// Fire: a burst token of function arg is due; its queue moves on.
func (h *faasWake) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	fn := int32(arg)
	f.fx[fn].wake = false
	f.drain(e, fn)
}

// drain dispatches fn's queued requests while they can be served.
func (f *FaaS) drain(e *sim.Engine, fn int32) {
	fs := &f.fns[fn]
	for fs.queued > 0 {
		i := fs.lists[listReady].head
		if !(i >= 0 && (f.insts.items[i].active > 0 || f.accountFree())) && fs.lists[listStarting].head < 0 && !f.canStart(fn, e.Now()) {
			f.wakeForBurst(e, fn)
			return
		}
		f.dispatch(e, fn, f.dequeue(fn))
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
		if f.fns[fn].queued > 0 {
			f.drain(e, int32(fn))
			if !f.accountFree() {
				return
			}
		}
	}
}

// dequeue takes the head of fn's throttle queue.
func (f *FaaS) dequeue(fn int32) faasQueued {
	f.fns[fn].queued--
	f.queued--
	return f.fx[fn].queue.pop()
}

// readyList is the list a ready instance with a free slot belongs in:
// reserved instances are tried first (as Lambda routes to provisioned
// concurrency before on-demand).
func readyList(in *instance) listTag {
	if in.reserved {
		return listReserved
	}
	return listReady
}

// serve starts request r on ready instance i (the head of its function's
// ready or reserved list) now.
func (f *FaaS) serve(e *sim.Engine, i, r int32) {
	in := &f.insts.items[i]
	now := e.Now()
	in.active++
	if in.active == 1 {
		f.busy.add(now, 1)
		f.setIdle(in.fn, now, -1)
		f.busyChanged(in.fn, now, 1)
		f.inUse++
		in.busySince = now
	}
	if in.active == f.ic {
		f.fns[in.fn].lists[readyList(in)].remove(f.links, i)
	}
	if rq := &f.reqs.items[r]; (in.reserved || in.prewarmed) && rq.arrival >= f.w.Warmup && !rq.own {
		fx := &f.fx[in.fn]
		if in.reserved {
			fx.reservedServed++
		}
		if in.prewarmed {
			fx.prewarmHits++
		}
	}
	in.prewarmed = false
	f.start(e, i, r)
}

// start runs request r on instance i from now, without a cold start.
func (f *FaaS) start(e *sim.Engine, i, r int32) {
	rq := &f.reqs.items[r]
	rq.inst = i
	rq.joined = e.Now()
	rq.wait = rq.joined - rq.arrival
	f.run(e, r, i)
}

// run schedules the end of request r on instance i, whose execution starts
// now. The event carries both, so its handler loads them independently.
func (f *FaaS) run(e *sim.Engine, r, i int32) {
	f.slots.add(e.Now(), 1)
	rq := &f.reqs.items[r]
	d := rq.exec
	if f.cfg.Timeout > 0 && d > f.cfg.Timeout {
		d = f.cfg.Timeout
		rq.out = TimedOut
	}
	e.AfterID(d, f.hDone, uint64(r)|uint64(i)<<32)
}

// join assigns r to starting instance i: r waits for the cold start.
func (f *FaaS) join(e *sim.Engine, i, r int32) {
	in := &f.insts.items[i]
	rq := &f.reqs.items[r]
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
		f.busyChanged(in.fn, rq.joined, 1)
	}
	starting := &f.fns[in.fn].lists[listStarting]
	if in.active == f.ic {
		starting.remove(f.links, i)
	} else if f.links[i].tag == listNone {
		starting.pushFront(f.links, i, listStarting)
	}
}

// startInstance allocates an instance of fn, starting; with cold, its ready
// event is scheduled after a drawn cold start.
func (f *FaaS) startInstance(e *sim.Engine, fn int32, cold bool) int32 {
	i := f.insts.alloc()
	f.links = growLinks(f.links, i)
	in := &f.insts.items[i]
	now := e.Now()
	*in = instance{gen: in.gen, fn: fn, state: instStarting, waitHead: -1, born: now, busySince: now}
	f.fns[fn].alive++
	f.inUse++
	f.alive.add(now, 1)
	if cold {
		fx := &f.fx[fn]
		if fx.cold == nil {
			fx.cold = f.cfg.ColdStart.New(f.cfg.Seed.Source("coldstart/" + f.cfg.Functions[fn].Name))
		}
		d := dist.Seconds(fx.cold.Rand())
		if fx.coldScale != 1 {
			d = sim.Time(math.Round(float64(d) * fx.coldScale))
		}
		d += fx.coldShift
		e.AfterID(d, f.hReady, uint64(i)|uint64(in.gen)<<32)
	}
	return i
}

type faasReady FaaS

// Fire: instance arg finished its cold start; its waiting requests run.
func (h *faasReady) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	i := int32(arg)
	in := &f.insts.items[i]
	now := e.Now()
	fs := &f.fns[in.fn]
	in.state = instReady
	if f.links[i].tag == listStarting {
		fs.lists[listStarting].remove(f.links, i)
	}
	if in.active > 0 {
		f.busy.add(now, 1)
	}
	for r := in.waitHead; r >= 0; r = f.reqs.items[r].next {
		f.reqs.items[r].init = now - f.reqs.items[r].joined
		f.run(e, r, i)
	}
	in.waitHead = -1
	if in.active < f.ic {
		tag := readyList(in)
		fs.lists[tag].pushFront(f.links, i, tag)
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
	r, i := int32(arg), int32(arg>>32)
	now := e.Now()
	rq := &f.reqs.items[r]
	in := &f.insts.items[i]
	fn := rq.fn
	if rq.arrival >= f.w.Warmup {
		// One instance start is billed once, to the request that caused it,
		// even when instance concurrency lets others wait for it too.
		var init sim.Time
		if rq.starter {
			init = rq.init
		}
		f.bill(rq, in, now-rq.joined-rq.init, init)
	}
	f.slots.add(now, -1)
	f.end(now, r)

	fs := &f.fns[fn]
	if fs.queued > 0 {
		// A queue means every instance is full: hand the slot straight over.
		f.start(e, i, f.newRequest(fn, f.dequeue(fn)))
		return
	}
	in.active--
	tag := readyList(in)
	if in.active == f.ic-1 {
		fs.lists[tag].pushFront(f.links, i, tag)
	} else {
		fs.lists[tag].moveFront(f.links, i, tag)
	}
	if in.active == 0 {
		f.busy.add(now, -1)
		f.setIdle(fn, now, 1)
		f.busyChanged(fn, now, -1)
		if f.cfg.Billing.Model == InstanceActive {
			f.meter.period(fn, in.busySince, now, f.w)
		}
		f.released(e)
		f.idle(e, i)
	}
}

// bill routes one request's billed time: the policy decides for its own
// requests and its reserved instances; everything else is on-demand.
func (f *FaaS) bill(rq *request, in *instance, run, init sim.Time) {
	if rq.own || in.reserved {
		switch f.pol.Bill(rq.fn, rq.own, in.reserved, run, init) {
		case BillPolicy:
			return
		case BillFeeOnly:
			f.meter.requests[rq.fn]++
			return
		}
	}
	g, ok := f.meter.bill(rq.fn, run, init)
	switch {
	case !ok:
	case rq.tag == 0:
		f.meter.count(rq.fn, g)
	default: // an invocation layer's attempt: maybe a batch, maybe state
		var extra float64
		if f.extraUSD != nil {
			extra = f.extraUSD(rq.tag)
		}
		f.meter.addShared(rq.fn, g, rq.msgs, extra)
	}
}

// setIdle moves the function's idle level (ready instances without a request).
func (f *FaaS) setIdle(fn int32, now sim.Time, delta int) {
	f.fns[fn].idle.add(now, delta)
}

// idle applies the keep-alive policy to instance i, which just went idle.
func (f *FaaS) idle(e *sim.Engine, i int32) {
	in := &f.insts.items[i]
	if int(f.fns[in.fn].alive) <= f.cfg.MinInstances {
		return // kept: min instances are never reclaimed
	}
	ttl := f.pol.Idle(e, IdleInstance{Fn: in.fn, Reserved: in.reserved, Prewarmed: in.prewarmed})
	in = &f.insts.items[i]
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
			e.ScheduleLane(f.timers, in.expireAt, f.hExpire, uint64(i)|uint64(in.gen)<<32)
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
	in := &f.insts.items[i]
	if in.gen != uint32(arg>>32) || in.state == instGone || !in.timerPending || e.Now() != in.timerAt {
		return // stale: the instance is gone, or a newer timer took over
	}
	in.timerPending = false
	if in.active > 0 {
		return
	}
	if e.Now() >= in.expireAt {
		if int(f.fns[in.fn].alive) <= f.cfg.MinInstances {
			return
		}
		f.destroy(e, i)
		return
	}
	in.timerPending, in.timerAt = true, in.expireAt
	e.ScheduleLane(f.timers, in.expireAt, f.hExpire, arg)
}

// destroy reclaims idle instance i; freed capacity goes to queued requests.
func (f *FaaS) destroy(e *sim.Engine, i int32) {
	in := &f.insts.items[i]
	fs := &f.fns[in.fn]
	if t := f.links[i].tag; t != listNone {
		fs.lists[t].remove(f.links, i)
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
	f.insts.release(i)
	if fs.queued > 0 {
		f.drain(e, in.fn)
	}
}

// end reports request r and frees its slot.
func (f *FaaS) end(now sim.Time, r int32) {
	rq := &f.reqs.items[r]
	if !rq.own {
		if f.reqObs != nil {
			f.reqObs.Ended(rq.fn, now)
		}
		if rq.arrival >= f.from {
			f.rec = Record{Arrival: rq.arrival, End: now, Wait: rq.wait, Init: rq.init,
				Fn: rq.fn, Outcome: rq.out, Cold: rq.cold}
			if rq.tag != 0 {
				f.tagged(rq.tag, &f.rec)
			} else {
				f.obs.Ended(&f.rec)
			}
		}
	}
	f.reqs.release(r)
}

// report ends request q of fn, which was never given an instance: throttled
// (Rejected) at once or after waiting in the queue until now.
func (f *FaaS) report(fn int32, q faasQueued, now sim.Time, out Outcome) {
	if q.own {
		return
	}
	if f.reqObs != nil {
		f.reqObs.Ended(fn, now)
	}
	if q.arrival >= f.from {
		f.rec = Record{Arrival: q.arrival, End: now, Wait: now - q.arrival, Fn: fn, Outcome: out}
		if q.tag != 0 {
			f.tagged(q.tag, &f.rec)
		} else {
			f.obs.Ended(&f.rec)
		}
	}
}

// startAhead starts an instance of fn ahead of demand: reserved by the
// policy, or pre-warmed. readyNow makes it ready at once (provisioned
// before the run); otherwise it takes a cold start, and requests that
// arrive meanwhile may wait for it rather than start another.
func (f *FaaS) startAhead(e *sim.Engine, fn int32, reserved, readyNow bool) {
	i := f.startInstance(e, fn, !readyNow)
	in := &f.insts.items[i]
	in.reserved, in.prewarmed = reserved, !reserved
	if !reserved && e.Now() >= f.w.Warmup {
		f.fx[fn].prewarms++
	}
	fs := &f.fns[fn]
	if readyNow {
		in.state = instReady
		tag := readyList(in)
		fs.lists[tag].pushFront(f.links, i, tag)
		f.setIdle(fn, e.Now(), 1)
		f.released(e) // idle: no longer counted against the account limit
		return
	}
	fs.lists[listStarting].pushFront(f.links, i, listStarting)
}

// unreserve turns up to n reserved instances of fn into on-demand ones,
// idle ones first; they then follow the policy's idle decisions as
// on-demand instances. It returns how many it released.
func (f *FaaS) unreserve(e *sim.Engine, fn int32, n int) int {
	released := 0
	for pass := 0; pass < 2 && n > 0; pass++ {
		for i := range f.insts.items {
			in := &f.insts.items[i]
			if n == 0 {
				break
			}
			if !in.reserved || in.fn != fn || in.state == instGone || (pass == 0 && in.active > 0) {
				continue
			}
			fs := &f.fns[fn]
			listed := f.links[i].tag == listReserved
			if listed {
				fs.lists[listReserved].remove(f.links, int32(i))
			}
			in.reserved = false
			released++
			n--
			if listed {
				fs.lists[listReady].pushFront(f.links, int32(i), listReady)
			}
			if in.state == instReady && in.active == 0 {
				f.idle(e, int32(i))
			}
		}
	}
	return released
}

// Finish implements System. Instances still alive (or busy) at the horizon
// are billed up to it; a system stopped by its backlog budget closes its
// books at the stop.
func (f *FaaS) Finish() Summary {
	w := f.guard.window(f.w)
	f.w = w // the policy's too (PolicyHost.Window)
	if w.Horizon == w.Warmup {
		// Stopped in the warm-up: nothing measured.
		return Summary{Stopped: f.guard.stop, Policy: PolicyStats{Policy: f.cfg.KeepAlive.String()}}
	}
	sum := f.finish(w)
	sum.Stopped = f.guard.stop
	return sum
}

func (f *FaaS) finish(w Window) Summary {
	f.pol.Close(w.Horizon)
	for i := range f.insts.items {
		in := &f.insts.items[i]
		switch {
		case in.state == instGone:
		case f.cfg.Billing.Model == InstanceLifetime:
			f.meter.period(in.fn, in.born, w.Horizon, w)
		case f.cfg.Billing.Model == InstanceActive && in.active > 0:
			f.meter.period(in.fn, in.busySince, w.Horizon, w)
		}
	}
	cost, per := f.meter.cost(f.mem, f.eph, f.baselineSeconds(w.Horizon), w)
	items, polPer := f.pol.Cost()
	if len(items) > 0 {
		// The policy's lines scale with the window like the rest.
		cost.Items = append(cost.Items, items...)
		cost.MonthlyUSD = cost.Total() * float64(Month) / float64(w.Horizon-w.Warmup)
	}
	for i := range polPer {
		per[i] += polPer[i]
	}
	return Summary{
		Cost:         cost,
		FunctionCost: per,
		RequestCost:  f.meter.hist.quantiles(),
		Policy:       f.policyStats(),
		Purchase:     f.cfg.Billing.purchase(),
		Instances: InstanceStats{
			Mean:          f.alive.mean(w),
			Max:           int(f.alive.max),
			MeanBusy:      f.busy.mean(w),
			MeanBusySlots: f.slots.mean(w),
		},
	}
}

// policyStats reports what the policy cost and bought: the figures common
// to every policy here, the policy's own from it.
func (f *FaaS) policyStats() PolicyStats {
	st := PolicyStats{Policy: f.cfg.KeepAlive.String(), Functions: make([]FunctionPolicyStats, 0, len(f.fns))}
	for fn := range f.fns {
		fx := &f.fx[fn]
		idle := f.fns[fn].idle.mean(f.w) * (f.w.Horizon - f.w.Warmup).Seconds()
		s := FunctionPolicyStats{
			IdleInstanceSeconds: idle,
			IdleGBSeconds:       idle * float64(f.mem[fn]) / 1024,
			Prewarms:            fx.prewarms,
			PrewarmHits:         fx.prewarmHits,
			ProvisionedServed:   fx.reservedServed,
		}
		st.Functions = append(st.Functions, s)
		st.IdleInstanceSeconds += s.IdleInstanceSeconds
		st.IdleGBSeconds += s.IdleGBSeconds
		st.Prewarms += s.Prewarms
		st.PrewarmHits += s.PrewarmHits
		st.ProvisionedServed += s.ProvisionedServed
	}
	f.pol.Stats(&st)
	return st
}
