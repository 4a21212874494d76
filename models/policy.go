package models

import (
	"fmt"
	"strings"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// This file holds the keep-warm policies beyond a fixed idle TTL: random
// lifetimes, provisioned (always-warm) instances, keep-warm pings and the
// hybrid histogram policy. Each is a KeepAlive value; the FaaS model builds a
// policyState from it and calls the hooks below at a few points of an
// instance's life. Nothing here runs per request except the hybrid policy's
// O(1) idle-time count.

// RandomKeepAlive ends an idle instance after a lifetime drawn from Idle
// (stream "keepalive/<function>"): platforms reclaim idle instances on
// their own schedule, not after a fixed TTL.
type RandomKeepAlive struct{ Idle dist.Spec }

func (k RandomKeepAlive) TTL(int32) sim.Time { return sim.Time(k.Idle.Mean() * 1e9) }
func (k RandomKeepAlive) String() string     { return "random(" + k.Idle.String() + ")" }

// ScheduleStep sets the provisioned count from a time of day on (At is the
// offset from midnight; the scenario starts at midnight; the schedule repeats
// every 24 h).
type ScheduleStep struct {
	At        sim.Time
	Instances int
}

// ProvisionedKeepAlive keeps Instances instances of every function always
// warm (or the counts of Schedule by time of day), as Lambda provisioned
// concurrency, Cloud Run minimum instances or Azure always-ready instances.
// Requests beyond them spill over to on-demand instances, which follow
// OnDemand. Instances present at time 0 are ready at once (provisioned before
// the run); later increases take a cold start that no request waits for
// unless it arrives during it.
type ProvisionedKeepAlive struct {
	Instances int
	Schedule  []ScheduleStep // sorted by At; empty: Instances all day
	OnDemand  KeepAlive
}

func (k ProvisionedKeepAlive) TTL(fn int32) sim.Time { return k.OnDemand.TTL(fn) }
func (k ProvisionedKeepAlive) String() string {
	if len(k.Schedule) == 0 {
		return fmt.Sprintf("provisioned(%d)", k.Instances)
	}
	var parts []string
	for _, s := range k.Schedule {
		parts = append(parts, fmt.Sprintf("%v:%d", s.At, s.Instances))
	}
	return "provisioned(" + strings.Join(parts, ", ") + ")"
}

// countAt is the provisioned count at virtual time t.
func (k *ProvisionedKeepAlive) countAt(t sim.Time) int {
	if len(k.Schedule) == 0 {
		return k.Instances
	}
	tod := t % day
	n := k.Schedule[len(k.Schedule)-1].Instances // before the first step: yesterday's last
	for _, s := range k.Schedule {
		if s.At <= tod {
			n = s.Instances
		}
	}
	return n
}

const day = 24 * sim.Time(3600e9)

// PingKeepAlive is the keep-warm hack: every Every, Concurrency invocations
// of every function at once (the first at time 0), each running Exec. They
// occupy instances and are billed like any call; they are not user requests
// and appear in no request figure. Instances otherwise follow Idle.
type PingKeepAlive struct {
	Every       sim.Time
	Concurrency int
	Exec        sim.Time
	Idle        KeepAlive
}

func (k PingKeepAlive) TTL(fn int32) sim.Time { return k.Idle.TTL(fn) }
func (k PingKeepAlive) String() string {
	return fmt.Sprintf("ping(every %v, concurrency %d)", k.Every, k.Concurrency)
}

// HybridKeepAlive is the hybrid histogram policy of Shahrad et al. (ATC
// 2020), per function (the paper's unit is the application; faasim's
// function is the unit that owns instances). See docs/keepalive.md.
type HybridKeepAlive struct{ Params HybridParams }

func (k HybridKeepAlive) TTL(int32) sim.Time { return k.Params.Fallback }
func (k HybridKeepAlive) String() string     { return "hybrid-histogram" }

// policy kinds
const (
	polTTL uint8 = iota // anything with a plain TTL
	polRandom
	polProvisioned
	polPing
	polHybrid
)

// policyState is the FaaS model's working state for its keep-alive policy.
type policyState struct {
	kind   uint8
	random []dist.Rander // per function
	prov   *ProvisionedKeepAlive
	ping   *PingKeepAlive
	hyb    *HybridParams
	fns    []policyFn

	provStep []sim.Time // provisioned: times of the coming count changes (one event chain)
}

// policyFn is per-function policy state and what the policy bought.
type policyFn struct {
	inflight   int      // requests arrived and not ended (hybrid learns idle times from it)
	idleSince  sim.Time // when inflight last fell to 0; -1 before the first request
	hist       idleHistogram
	prewarmGen uint32

	provWant int // provisioned: configured count now
	provHave int // provisioned instances alive (starting or ready)

	idle gauge // ready instances with no request in service

	// what the policy cost and bought, over the measured window
	prewarms     int64    // instances started ahead of demand (hybrid)
	prewarmHits  int64    // requests served by a pre-warmed instance, warm
	provServed   int64    // requests served by a provisioned instance
	pings        int64    // ping invocations that ran
	provUnits    int64    // provisioned capacity: instance-granules configured
	provRunUnits int64    // execution granules on provisioned instances (reduced rate)
	pingUnits    int64    // execution granules of pings
	provSince    sim.Time // start of the current configured period
}

func newPolicyState(k KeepAlive, seed sim.Seed, names []string) (policyState, error) {
	p := policyState{fns: make([]policyFn, len(names))}
	for i := range p.fns {
		p.fns[i].idleSince = -1
	}
	switch k := k.(type) {
	case RandomKeepAlive:
		p.kind = polRandom
		for _, n := range names {
			p.random = append(p.random, k.Idle.New(seed.Source("keepalive/"+n)))
		}
	case ProvisionedKeepAlive:
		if k.OnDemand == nil || k.Instances < 0 {
			return p, fmt.Errorf("provisioned: need instances >= 0 and an on-demand keep-alive")
		}
		p.kind = polProvisioned
		p.prov = &k
	case PingKeepAlive:
		if k.Every <= 0 || k.Concurrency < 1 || k.Idle == nil {
			return p, fmt.Errorf("ping: need every > 0, concurrency >= 1 and an idle keep-alive")
		}
		p.kind = polPing
		p.ping = &k
	case HybridKeepAlive:
		hp := k.Params
		if hp.Bin <= 0 || hp.Range < hp.Bin || hp.Head < 0 || hp.Tail > 100 || hp.Head > hp.Tail {
			return p, fmt.Errorf("hybrid-histogram: bad parameters %+v", hp)
		}
		p.kind = polHybrid
		p.hyb = &hp
	}
	return p, nil
}

// PolicyStats is what a keep-alive policy cost and bought, over the window.
type PolicyStats struct {
	Policy string
	// IdleInstanceSeconds: ready instances with no request in service (the
	// memory paid for, or reserved, while waiting); IdleGBSeconds weights it
	// by the function's memory.
	IdleInstanceSeconds float64
	IdleGBSeconds       float64
	Prewarms            int64   // instances started ahead of demand (hybrid)
	PrewarmHits         int64   // requests a pre-warmed instance served warm
	ProvisionedServed   int64   // requests served by provisioned instances
	ProvisionedSeconds  float64 // provisioned instance-seconds billed (after rounding)
	Pings               int64   // keep-warm invocations that ran
	Functions           []FunctionPolicyStats
}

// FunctionPolicyStats is one function's share of PolicyStats.
type FunctionPolicyStats struct {
	IdleInstanceSeconds, IdleGBSeconds float64
	Prewarms, PrewarmHits              int64
	ProvisionedServed, Pings           int64
	// Hybrid only: idle times learned, and whether the histogram was
	// representative at the end (else the fallback keep-alive applied).
	IdleTimes      int
	Representative bool
}

// readyList is the list a ready instance with a free slot belongs in:
// provisioned instances are tried first (as Lambda routes to provisioned
// concurrency before on-demand), each list most recently used first.
func (f *FaaS) readyList(in *instance) (*ilist, uint8) {
	if in.prov {
		return &f.fns[in.fn].prov, 3
	}
	return &f.fns[in.fn].ready, 1
}

// setIdle moves the function's idle gauge (ready instances without a request).
func (f *FaaS) setIdle(fn int32, now sim.Time, delta int) {
	f.pol.fns[fn].idle.add(now, delta)
}

// policyStart creates provisioned instances and schedules the policy's own events.
func (f *FaaS) policyStart(e *sim.Engine) {
	p := &f.pol
	for i := range p.fns {
		p.fns[i].idle.warmup = f.w.Warmup
	}
	switch p.kind {
	case polProvisioned:
		for fn := range p.fns {
			pf := &p.fns[fn]
			pf.provWant = p.prov.countAt(0)
			for k := 0; k < pf.provWant; k++ {
				f.newInstance(e, int32(fn), true, true) // provisioned before the run: ready now
			}
		}
		if t, ok := f.nextProvStep(0); ok {
			e.Schedule(t, (*faasProvStep)(f), 0)
		}
	case polPing:
		e.Schedule(0, (*faasPing)(f), 0)
	}
}

// nextProvStep is the first schedule boundary after t.
func (f *FaaS) nextProvStep(t sim.Time) (sim.Time, bool) {
	s := f.pol.prov.Schedule
	if len(s) == 0 {
		return 0, false
	}
	base := t - t%day
	for d := sim.Time(0); d < 2; d++ {
		for _, st := range s {
			if at := base + d*day + st.At; at > t {
				return at, true
			}
		}
	}
	return 0, false
}

type faasProvStep FaaS

// Fire: a provisioned schedule boundary; every function moves to the new count.
func (h *faasProvStep) Fire(e *sim.Engine, _ uint64) {
	f := (*FaaS)(h)
	now := e.Now()
	p := &f.pol
	want := p.prov.countAt(now)
	for fn := range p.fns {
		pf := &p.fns[fn]
		f.closeProvPeriod(int32(fn), now)
		pf.provWant = want
		for pf.provHave < want {
			f.newInstance(e, int32(fn), true, false) // a cold start, ahead of demand
		}
		if pf.provHave > want {
			f.releaseProvisioned(e, int32(fn), pf.provHave-want)
		}
	}
	if t, ok := f.nextProvStep(now); ok {
		e.Schedule(t, h, 0)
	}
}

// releaseProvisioned turns n provisioned instances of fn into on-demand
// ones, idle ones first; they then follow the on-demand keep-alive.
func (f *FaaS) releaseProvisioned(e *sim.Engine, fn int32, n int) {
	for pass := 0; pass < 2 && n > 0; pass++ {
		for i := range f.insts {
			in := &f.insts[i]
			if n == 0 {
				break
			}
			if !in.prov || in.fn != fn || in.state == instGone || (pass == 0 && in.active > 0) {
				continue
			}
			list, tag := f.readyList(in)
			wasListed := in.list == tag
			if wasListed {
				list.remove(f.insts, int32(i))
			}
			in.prov = false
			f.pol.fns[fn].provHave--
			n--
			if wasListed {
				l, t := f.readyList(in)
				l.pushFront(f.insts, int32(i), t)
			}
			if in.state == instReady && in.active == 0 {
				f.idle(e, int32(i))
			}
		}
	}
}

// closeProvPeriod bills the configured provisioned capacity of fn from the
// start of the current period to now: count × the period clipped to the
// window, rounded up to the provisioned granularity (Lambda: 5 minutes).
func (f *FaaS) closeProvPeriod(fn int32, now sim.Time) {
	pf := &f.pol.fns[fn]
	from, to := max(pf.provSince, f.w.Warmup), min(now, f.w.Horizon)
	pf.provSince = now
	if to <= from || pf.provWant == 0 {
		return
	}
	g := f.cfg.Billing.Provisioned.Rounding
	if g <= 0 {
		g = 1
	}
	pf.provUnits += int64(pf.provWant) * int64((to-from+g-1)/g)
}

type faasPing FaaS

// Fire: send Concurrency keep-warm invocations of every function, now.
func (h *faasPing) Fire(e *sim.Engine, _ uint64) {
	f := (*FaaS)(h)
	now := e.Now()
	for fn := range f.fns {
		for k := 0; k < f.pol.ping.Concurrency; k++ {
			r := f.newRequest()
			f.reqs[r] = request{arrival: now, exec: f.pol.ping.Exec, fn: int32(fn), inst: -1, next: -1, ping: true}
			f.dispatch(e, r)
		}
	}
	e.After(f.pol.ping.Every, h, 0)
}

// policyArrive lets the hybrid policy learn the function's idle times: the
// gap from the end of its last execution to this invocation.
func (f *FaaS) policyArrive(fn int32, now sim.Time) {
	pf := &f.pol.fns[fn]
	if pf.inflight == 0 && pf.idleSince >= 0 {
		pf.hist.add(f.pol.hyb, now-pf.idleSince)
	}
	pf.inflight++
}

// policyEnd: a (non-ping) request of fn ended.
func (f *FaaS) policyEnd(fn int32, now sim.Time) {
	pf := &f.pol.fns[fn]
	pf.inflight--
	if pf.inflight == 0 {
		pf.idleSince = now
	}
}

// decide returns the idle lifetime of instance i, which just went idle, or
// false if the policy ended it (or will replace it by pre-warming).
func (f *FaaS) decide(e *sim.Engine, i int32) (sim.Time, bool) {
	in := &f.insts[i]
	fn := in.fn
	p := &f.pol
	switch p.kind {
	case polRandom:
		return dist.Seconds(p.random[fn].Rand()), true
	case polProvisioned:
		if in.prov {
			return Forever, true
		}
	case polHybrid:
		pf := &p.fns[fn]
		pre, ka, _ := pf.hist.windows(p.hyb)
		switch {
		case in.prewarmed:
			return ka, true // loaded ahead of demand: wait the keep-alive window
		case pf.inflight > 0:
			return pre + ka, true // others still running: keep through the window
		case pre > 0:
			// Unload after use; load a fresh instance when the next call is due.
			pf.prewarmGen++
			e.After(pre, (*faasPrewarm)(f), uint64(fn)|uint64(pf.prewarmGen)<<32)
			return 0, true
		}
		return ka, true
	}
	return f.cfg.KeepAlive.TTL(fn), true
}

type faasPrewarm FaaS

// Fire: the hybrid pre-warm window of a function has passed: load an
// instance if it has none.
func (h *faasPrewarm) Fire(e *sim.Engine, arg uint64) {
	f := (*FaaS)(h)
	fn := int32(arg)
	pf := &f.pol.fns[fn]
	if uint32(arg>>32) != pf.prewarmGen || f.fns[fn].alive > 0 {
		return
	}
	f.newInstance(e, fn, false, false)
	if e.Now() >= f.w.Warmup {
		pf.prewarms++
	}
}

// policyClose bills the last provisioned period, up to the horizon.
func (f *FaaS) policyClose() {
	if f.pol.kind == polProvisioned {
		for fn := range f.pol.fns {
			f.closeProvPeriod(int32(fn), f.w.Horizon)
		}
	}
}

// policyStats reports what the policy cost and bought.
func (f *FaaS) policyStats() PolicyStats {
	p := &f.pol
	st := PolicyStats{Policy: f.cfg.KeepAlive.String()}
	g := f.cfg.Billing.Provisioned.Rounding
	if g <= 0 {
		g = 1
	}
	for fn := range p.fns {
		pf := &p.fns[fn]
		idle := pf.idle.mean(f.w) * (f.w.Horizon - f.w.Warmup).Seconds()
		fs := FunctionPolicyStats{
			IdleInstanceSeconds: idle,
			IdleGBSeconds:       idle * float64(f.mem[fn]) / 1024,
			Prewarms:            pf.prewarms,
			PrewarmHits:         pf.prewarmHits,
			ProvisionedServed:   pf.provServed,
			Pings:               pf.pings,
		}
		if p.kind == polHybrid {
			_, _, fs.Representative = pf.hist.windows(p.hyb)
			fs.IdleTimes = pf.hist.total + pf.hist.oob
		}
		st.Functions = append(st.Functions, fs)
		st.IdleInstanceSeconds += fs.IdleInstanceSeconds
		st.IdleGBSeconds += fs.IdleGBSeconds
		st.Prewarms += fs.Prewarms
		st.PrewarmHits += fs.PrewarmHits
		st.ProvisionedServed += fs.ProvisionedServed
		st.Pings += fs.Pings
		st.ProvisionedSeconds += float64(pf.provUnits) * g.Seconds()
	}
	return st
}

// policyCost is the bill of what the policy adds: provisioned capacity and
// execution on provisioned instances (at the provisioned duration rate), and
// pings (execution at the on-demand rate plus the request fee). Per function
// too, to add to FunctionCost.
func (f *FaaS) policyCost() (items []CostItem, per []float64) {
	b := f.cfg.Billing
	gran := f.meter.gran.Seconds()
	pg := b.Provisioned.Rounding
	if pg <= 0 {
		pg = 1
	}
	per = make([]float64, len(f.pol.fns))
	var capacity, provRun, pings float64
	for fn := range f.pol.fns {
		pf := &f.pol.fns[fn]
		gb := float64(f.mem[fn]) / 1024
		c := float64(pf.provUnits) * pg.Seconds() * gb * b.Provisioned.PricePerGBSecond
		r := float64(pf.provRunUnits) * gran * gb * b.Provisioned.DurationPricePerGBSecond
		pi := float64(pf.pingUnits)*gran*gb*b.PricePerGBSecond + float64(pf.pings)*b.PricePerMillionRequests/1e6
		per[fn] = c + r + pi
		capacity += c
		provRun += r
		pings += pi
	}
	switch f.pol.kind {
	case polProvisioned:
		items = []CostItem{{Name: "provisioned", USD: capacity}, {Name: "provisioned_compute", USD: provRun}}
	case polPing:
		items = []CostItem{{Name: "pings", USD: pings}}
	}
	return items, per
}

// bill routes one request's billed time: pings and execution on provisioned
// instances have their own meters; everything else is on-demand.
func (f *FaaS) bill(rq *request, in *instance, run, init sim.Time) {
	pf := &f.pol.fns[rq.fn]
	perRequest := f.cfg.Billing.Model == PerRequest
	switch {
	case rq.ping:
		// Under the instance billing models the instance's time is metered
		// by the model whoever uses it; a ping adds its request fee.
		pf.pings++
		if perRequest {
			pf.pingUnits += f.meter.granules(run, init)
		}
	case in.prov && perRequest:
		pf.provRunUnits += f.meter.granules(run, 0)
		f.meter.requests[rq.fn]++
	default:
		f.meter.bill(rq.fn, run, init)
	}
}

// newInstance starts an instance of fn ahead of demand: provisioned (prov)
// or pre-warmed. readyNow makes it ready at once (provisioned before the
// run); otherwise it takes a cold start, and requests that arrive meanwhile
// may wait for it rather than start another.
func (f *FaaS) newInstance(e *sim.Engine, fn int32, prov, readyNow bool) {
	i := f.startInstance(e, fn, !readyNow)
	in := &f.insts[i]
	in.prov, in.prewarmed = prov, !prov
	if prov {
		f.pol.fns[fn].provHave++
	}
	if readyNow {
		in.state = instReady
		list, tag := f.readyList(in)
		list.pushFront(f.insts, i, tag)
		f.setIdle(fn, e.Now(), 1)
		f.released(e) // idle: no longer counted against the account limit
		return
	}
	f.fns[fn].starting.pushFront(f.insts, i, 2)
}
