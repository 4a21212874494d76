package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// runner is a system an invocation layer can drive: a FaaS platform or a
// server fleet.
type runner interface {
	System
	// attempt runs an attempt of fn from now: exec as the system scales
	// execution, plus extra (I/O, never scaled), for msgs requests (a
	// batch), reported with tag.
	attempt(e *sim.Engine, fn int32, exec, extra sim.Time, msgs int, tag uint32)
	// readAll makes the system report every request, those of the
	// warm-up too (the layer needs every attempt's end; it filters);
	// extra is what an attempt costs beyond the system's own bill; the
	// records of attempts (tag != 0) go to tagged, not to the observer.
	readAll(extra func(tag uint32) float64, tagged func(tag uint32, r *Record))
	// pulls reports whether the system's workers take work from a queue.
	pulls() bool
	// backlog is the system's queued requests now and the guard of its
	// backlog budget, which the layer's own events count against too.
	backlog() (queued int, g *backlogGuard)
}

var (
	_ runner = (*FaaS)(nil)
	_ runner = (*Server)(nil)
)

// reportAll is the from of a system that reports every request.
const reportAll = sim.Time(math.MinInt64)

// Invoked is a system behind an invocation layer: each function's events
// go to its Invoker, which runs attempts on the system and reports to the
// observer what the caller sees; functions called straight through go to
// the system as they come (no cost per request beyond one branch). The
// layer adds the state store's charges to the bill.
type Invoked struct {
	cfg   InvokedConfig
	calls []FunctionCalls // by function, every function
	inner runner
	inv   []Invoker // by function; nil: straight through
	host  CallHost
	obs   Observer
	w     Window
	e     *sim.Engine

	errKey []uint64      // per function: the key of its error draws
	seq    []uint64      // per function: events seen so far (Invoker keys)
	state  []dist.Rander // per function: round-trip latency, made at first use
	hits   []*rand.Rand  // per function: cache hit draws (fleets with a cache)
	trips  []int64       // per function: round trips to the store in the window

	att    pages[attemptSlot]
	held   int // events the layer holds: arrived, not yet reported (queued, retrying, running)
	stats  CallStats
	age    logHist
	ageSum durSum
	ageMax sim.Time
}

// attemptSlot is one attempt in flight: whose, and what to count when it
// ends.
type attemptSlot struct {
	owner   uint32 // the invoker's tag
	fn      int32
	msgs    int32
	retries int32
	trips   int32 // state round trips to the store
	hits    int32 // state round trips answered from memory
	counted bool  // started in the window
}

var (
	_ System      = (*Invoked)(nil)
	_ Snapshotter = (*Invoked)(nil)
)

// NewInvoked puts the invocation layer cfg before inner, a system returned
// by NewFaaS or NewServer.
func NewInvoked(cfg InvokedConfig, inner System) (*Invoked, error) {
	r, ok := inner.(runner)
	if !ok {
		return nil, fmt.Errorf("calls: %T cannot run attempts", inner)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if _, isFaaS := inner.(*FaaS); isFaaS && cfg.CacheHitRatio > 0 {
		return nil, fmt.Errorf("calls: a FaaS instance keeps no state between calls: cache hit ratio must be 0")
	}
	n := len(cfg.Functions)
	x := &Invoked{cfg: cfg, inner: r, calls: make([]FunctionCalls, n), inv: make([]Invoker, n),
		errKey: make([]uint64, n), seq: make([]uint64, n), state: make([]dist.Rander, n),
		hits: make([]*rand.Rand, n), trips: make([]int64, n)}
	copy(x.calls, cfg.Calls)
	x.host.x = x
	x.age.init()
	for fn := range n {
		c := x.calls[fn]
		x.errKey[fn] = cfg.Seed.Source("errors/" + cfg.Functions[fn].Name).Uint64()
		if c.PassThrough() {
			continue
		}
		t := c.Type
		if t == nil {
			t = SyncInvocation{}
		}
		v, err := t.NewInvoker(&x.host, int32(fn))
		if err != nil {
			return nil, fmt.Errorf("calls: function %q: %s: %w", cfg.Functions[fn].Name, t, err)
		}
		x.inv[fn] = v
	}
	r.readAll(x.attemptUSD, x.attemptEnded)
	return x, nil
}

// Start implements System.
func (x *Invoked) Start(e *sim.Engine, obs Observer, w Window) {
	x.e, x.obs, x.w = e, obs, w
	x.inner.Start(e, (*invokedObs)(x), w)
	for _, v := range x.inv {
		if v != nil {
			v.Start(e)
		}
	}
}

// Arrive implements System.
func (x *Invoked) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	if v := x.inv[inv.Fn]; v != nil {
		x.held++
		v.Arrive(e, inv)
		x.checkBacklog(e)
		return
	}
	x.inner.Arrive(e, inv)
}

// checkBacklog stops the run when the events the layer holds and the
// requests queued in the system pass the system's budget together
// (BytesPerHeld and BytesPerQueued each): an SQS queue its pollers cannot
// drain, or async events retrying against a throttled function, grow as
// a fleet's queue does. The stop is the system's (its guard), so its
// figures end there too.
func (x *Invoked) checkBacklog(e *sim.Engine) {
	q, g := x.inner.backlog()
	if int64(x.held)*BytesPerHeld+int64(q)*BytesPerQueued > g.budget {
		g.trip(e, x.held+q)
	}
}

// Key is the next key of fn's events (their order of arrival, the same in
// every system), for CallHost.Fails.
func (h *CallHost) Key(fn int32) uint64 {
	k := h.x.seq[fn]
	h.x.seq[fn]++
	return k
}

func (x *Invoked) fails(fn int32, key uint64, attempt int) bool {
	p := x.calls[fn].Errors.Rate
	return p > 0 && uniform(x.errKey[fn], key<<8|uint64(attempt&0xff)) < p
}

// run starts an attempt: state round trips first (their latency is the
// extra the system adds, unscaled), then the system's own attempt.
func (x *Invoked) run(e *sim.Engine, fn int32, exec sim.Time, msgs, retries int, tag uint32) {
	var extra sim.Time
	trips, hits := 0, 0
	if st := x.calls[fn].State; st != nil {
		if x.state[fn] == nil {
			name := x.cfg.Functions[fn].Name
			x.state[fn] = st.Latency.New(x.cfg.Seed.Source("state/" + name))
			if x.cfg.CacheHitRatio > 0 {
				x.hits[fn] = x.cfg.Seed.Stream("state-cache/" + name)
			}
		}
		for range msgs * st.RoundTrips {
			if h := x.hits[fn]; h != nil && h.Float64() < x.cfg.CacheHitRatio {
				hits++
				continue
			}
			trips++
			extra += dist.Seconds(x.state[fn].Rand())
		}
	}
	s := x.att.alloc()
	*x.att.at(s) = attemptSlot{owner: tag, fn: fn, msgs: int32(msgs), retries: int32(retries), trips: int32(trips),
		hits: int32(hits), counted: e.Now() >= x.w.Warmup}
	x.inner.attempt(e, fn, exec, extra, msgs, uint32(s)+1)
}

// attemptUSD is the state store's charge for the attempt the system knows
// as tag.
func (x *Invoked) attemptUSD(tag uint32) float64 {
	a := x.att.at(int32(tag - 1))
	if a.trips == 0 {
		return 0
	}
	return float64(a.trips) * x.calls[a.fn].State.PricePerMillion / 1e6
}

// invokedObs receives the system's records.
type invokedObs Invoked

func (o *invokedObs) Arrived(*workloads.Invocation) {} // systems never call it

// Ended: a call straight through ended.
func (o *invokedObs) Ended(r *Record) {
	if x := (*Invoked)(o); r.Arrival >= x.w.Warmup {
		x.obs.Ended(r)
	}
}

// attemptEnded: the attempt the system knows as tag ended.
func (x *Invoked) attemptEnded(tag uint32, r *Record) {
	s := int32(tag - 1)
	a := *x.att.at(s)
	x.att.release(s)
	if a.counted {
		if r.Outcome == Rejected {
			x.stats.Throttled++
		} else {
			x.stats.Invocations++
			x.stats.Attempts += int64(a.msgs)
			x.stats.Retries += int64(a.retries)
			x.trips[r.Fn] += int64(a.trips)
			x.stats.CacheHits += int64(a.hits)
		}
	}
	x.inv[r.Fn].Ended(x.e, a.owner, r)
}

// stateCost is the state store's bill per function, US dollars.
func (x *Invoked) stateCost() (float64, []float64) {
	per := make([]float64, len(x.calls))
	var total float64
	for fn, c := range x.calls {
		if c.State != nil {
			per[fn] = float64(x.trips[fn]) * c.State.PricePerMillion / 1e6
			total += per[fn]
		}
	}
	return total, per
}

// Finish implements System: the system's summary, with the state store's
// line and what the layer did.
func (x *Invoked) Finish() Summary {
	sum := x.inner.Finish()
	w := x.w
	if sum.Stopped != nil {
		w.Horizon = max(sum.Stopped.At, w.Warmup)
		if w.Horizon == w.Warmup {
			return sum // stopped in the warm-up: nothing measured
		}
	}
	st := x.stats
	for _, n := range x.trips {
		st.StateRoundTrips += n
	}
	if n := x.age.count(); n > 0 {
		st.EventAge = &AgeStats{Mean: x.ageSum.Seconds() / float64(n), P50: x.age.quantile(0.5) / 1e9,
			P99: x.age.quantile(0.99) / 1e9, Max: x.ageMax.Seconds()}
	}
	sum.Calls = &st
	if usd, per := x.stateCost(); x.hasState() {
		sum.Cost.Items = append(sum.Cost.Items, CostItem{Name: "state", USD: usd})
		sum.Cost.MonthlyUSD = sum.Cost.Total() * float64(Month) / float64(w.Horizon-w.Warmup)
		for fn := range sum.FunctionCost {
			sum.FunctionCost[fn] += per[fn]
		}
	}
	return sum
}

func (x *Invoked) hasState() bool {
	for _, c := range x.calls {
		if c.State != nil {
			return true
		}
	}
	return false
}

// Snapshot implements Snapshotter: the system's state, with the events
// the layer holds counted as queued and the store's charges so far.
func (x *Invoked) Snapshot(now sim.Time) Snapshot {
	var s Snapshot
	if sn, ok := x.inner.(Snapshotter); ok {
		s = sn.Snapshot(now)
	}
	for _, v := range x.inv {
		if v != nil {
			s.Queued += v.Pending()
		}
	}
	if now > x.w.Warmup {
		usd, _ := x.stateCost()
		s.CostUSD += usd
	}
	return s
}
