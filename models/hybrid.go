package models

import (
	"fmt"
	"math"

	"github.com/faasim/faasim/sim"
)

// HybridKeepAlive is the hybrid histogram policy of Shahrad et al. (ATC
// 2020), per function (the paper's unit is the application; faasim's
// function is the unit that owns instances). See docs/keepalive.md.
type HybridKeepAlive struct{ Params HybridParams }

func (k HybridKeepAlive) String() string { return "hybrid-histogram" }

func (k HybridKeepAlive) NewPolicy(h *PolicyHost) (Policy, error) {
	hp := k.Params
	if hp.Bin <= 0 || hp.Range < hp.Bin || hp.Head < 0 || hp.Tail > 100 || hp.Head > hp.Tail {
		return nil, fmt.Errorf("hybrid-histogram: bad parameters %+v", hp)
	}
	p := &hybridPolicy{p: hp, h: h, fns: make([]hybridFn, len(h.Functions()))}
	for i := range p.fns {
		p.fns[i].idleSince = -1
	}
	return p, nil
}

// hybridPolicy learns each function's idle times (the end of its last
// execution to its next invocation: O(1) per request) and, once the
// histogram is representative, unloads an instance after use and loads a
// fresh one when the next call is due.
type hybridPolicy struct {
	PolicyBase
	p   HybridParams
	h   *PolicyHost
	fns []hybridFn
}

var _ RequestObserver = (*hybridPolicy)(nil)

type hybridFn struct {
	inflight   int      // requests arrived and not ended
	idleSince  sim.Time // when inflight last fell to 0; -1 before the first request
	hist       idleHistogram
	prewarmGen uint32 // the pending pre-warm event of this generation is the live one
}

// Arrived learns an idle time: the gap from the end of the function's last
// execution to this invocation.
func (p *hybridPolicy) Arrived(fn int32, now sim.Time) {
	pf := &p.fns[fn]
	if pf.inflight == 0 && pf.idleSince >= 0 {
		pf.hist.add(&p.p, now-pf.idleSince)
	}
	pf.inflight++
}

func (p *hybridPolicy) Ended(fn int32, now sim.Time) {
	pf := &p.fns[fn]
	pf.inflight--
	if pf.inflight == 0 {
		pf.idleSince = now
	}
}

func (p *hybridPolicy) Idle(e *sim.Engine, in IdleInstance) sim.Time {
	pf := &p.fns[in.Fn]
	pre, ka, _ := pf.hist.windows(&p.p)
	switch {
	case in.Prewarmed:
		return ka // loaded ahead of demand: wait the keep-alive window
	case pf.inflight > 0:
		return pre + ka // others still running: keep through the window
	case pre > 0:
		// Unload after use; load a fresh instance when the next call is due.
		pf.prewarmGen++
		e.After(pre, p, uint64(in.Fn)|uint64(pf.prewarmGen)<<32)
		return 0
	}
	return ka
}

// Fire: the pre-warm window of function arg has passed: load an instance
// if it has none (a later idle period superseded an older event).
func (p *hybridPolicy) Fire(e *sim.Engine, arg uint64) {
	fn := int32(arg)
	if uint32(arg>>32) != p.fns[fn].prewarmGen || p.h.Alive(fn) > 0 {
		return
	}
	p.h.StartAhead(e, fn, false, false)
}

func (p *hybridPolicy) Stats(st *PolicyStats) {
	for fn := range p.fns {
		h := &p.fns[fn].hist
		_, _, st.Functions[fn].Representative = h.windows(&p.p)
		st.Functions[fn].IdleTimes = h.total + h.oob
	}
}

// HybridParams are the knobs of the hybrid histogram keep-alive policy of
// Shahrad et al., "Serverless in the Wild" (USENIX ATC 2020). Defaults
// (DefaultHybridParams) follow the paper where it gives a value; the rest
// are faasim's choices, documented in docs/keepalive.md.
type HybridParams struct {
	Bin         sim.Time // histogram bin width (paper: 1 minute)
	Range       sim.Time // histogram range (paper: 4 hours)
	Head        float64  // pre-warm percentile (paper: 5th)
	Tail        float64  // keep-alive percentile (paper: 99th)
	Margin      float64  // widen the window by this share on both sides (paper: 10%)
	MinCV       float64  // bin-count CV below which the histogram is not representative (paper: 2)
	MinSamples  int      // fewer idle times than this: not representative (our choice: 10)
	MaxOOBShare float64  // more out-of-range idle times than this share: not representative (our choice: 0.5)
	Fallback    sim.Time // fixed keep-alive while not representative (paper: 4 hours)
}

// DefaultHybridParams are the paper's settings plus faasim's choices.
func DefaultHybridParams() HybridParams {
	return HybridParams{
		Bin: sim.Time(60e9), Range: sim.Time(4 * 3600e9),
		Head: 5, Tail: 99, Margin: 0.10, MinCV: 2,
		MinSamples: 10, MaxOOBShare: 0.5, Fallback: sim.Time(4 * 3600e9),
	}
}

// idleHistogram counts a function's idle times (end of its last execution to
// its next invocation) in fixed bins; idle times beyond the range count as
// out of bounds. Memory is one counter per bin, whatever the traffic.
type idleHistogram struct {
	bins  []uint32
	total int
	oob   int
}

func (h *idleHistogram) add(p *HybridParams, it sim.Time) {
	if h.bins == nil {
		h.bins = make([]uint32, int(p.Range/p.Bin))
	}
	if it >= p.Range {
		h.oob++
		return
	}
	h.bins[int(it/p.Bin)]++
	h.total++
}

// windows returns the pre-warm window (how long after the function goes idle
// a fresh instance should be loaded) and the keep-alive window (how long that
// instance, or the idle one when pre-warm is 0, stays loaded), and whether the
// histogram is representative enough to use.
func (h *idleHistogram) windows(p *HybridParams) (prewarm, keepAlive sim.Time, ok bool) {
	n := h.total + h.oob
	if h.total < p.MinSamples || float64(h.oob) > p.MaxOOBShare*float64(n) {
		return 0, p.Fallback, false
	}
	// Coefficient of variation of the bin counts: a concentrated histogram
	// (a pattern) has a high CV; a flat one says little about the next idle time.
	var sum, sq float64
	for _, c := range h.bins {
		sum += float64(c)
		sq += float64(c) * float64(c)
	}
	k := float64(len(h.bins))
	mean := sum / k
	cv := math.Sqrt(math.Max(sq/k-mean*mean, 0)) / mean
	if cv < p.MinCV {
		return 0, p.Fallback, false
	}
	// Head: lower edge of the bin holding the Head percentile; tail: upper
	// edge of the bin holding the Tail percentile (percentiles of in-range
	// idle times). Then the margin: head shrinks, tail grows.
	head := sim.Time(h.percentileBin(p.Head)) * p.Bin
	tail := sim.Time(h.percentileBin(p.Tail)+1) * p.Bin
	prewarm = sim.Time(float64(head) * (1 - p.Margin))
	end := sim.Time(float64(tail) * (1 + p.Margin))
	return prewarm, end - prewarm, true
}

// percentileBin is the index of the bin where the cumulative count first
// reaches pct% of the in-range idle times.
func (h *idleHistogram) percentileBin(pct float64) int {
	need := pct / 100 * float64(h.total)
	var c float64
	for i, n := range h.bins {
		c += float64(n)
		if c >= need && c > 0 {
			return i
		}
	}
	return len(h.bins) - 1
}
