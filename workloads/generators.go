package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// The generators below are all Arrivals: lazy, seeded from one *rand.Rand
// each (the caller names its stream), times in integer nanoseconds, and
// no allocation per arrival. Internally they keep float64 nanoseconds so
// rounding never accumulates, and return the time truncated to the
// nanosecond.

// stopAt tells a process that nothing at or after end (ns) is wanted, so
// that a loop looking for the next arrival (an MMPP whose busy states are
// rare, a thinned process with a tiny acceptance) gives up at the horizon
// instead of running on for as long as the clock can count. Sources call it
// with their horizon before the first Next.
func stopAt(a Arrivals, end sim.Time) {
	switch a := a.(type) {
	case *MMPP:
		a.pw.end = float64(end)
	case *OnOff:
		a.pw.end = float64(end)
	case *Spike:
		a.pw.end = float64(end)
	case *Diurnal:
		a.p.end = float64(end)
	case *Ramp:
		a.p.end = float64(end)
	case *Merge:
		for _, p := range a.parts {
			stopAt(p, end)
		}
	}
}

// NewPoissonStream is NewPoisson drawing from the named stream, so several
// Poisson processes of one scenario (the parts of a mix) are independent.
func NewPoissonStream(seed sim.Seed, stream string, rate float64) *Poisson {
	return &Poisson{meanGap: 1e9 / rate, r: seed.Stream(stream)}
}

// piecewise is a Poisson process whose rate is constant between change
// points given by next. It is exact: by memorylessness, a candidate gap
// that crosses a change point is discarded and redrawn from the change
// point at the new rate.
type piecewise struct {
	r     *rand.Rand
	t     float64 // ns
	rate  float64 // per ns
	until float64 // ns; the current rate holds on [t, until)
	next  func(at float64) (rate, until float64)
	end   float64 // ns; > 0: no arrival at or after it is wanted (stopAt)
}

func (p *piecewise) nextTime() (sim.Time, bool) {
	for {
		if p.rate > 0 {
			if c := p.t + p.r.ExpFloat64()/p.rate; c < p.until {
				p.t = c
				return dist.Nanos(c), true
			}
		}
		if math.IsInf(p.until, 1) || p.end > 0 && p.until >= p.end {
			return 0, false // rate 0 forever, or nothing more before the end
		}
		p.t = p.until
		p.rate, p.until = p.next(p.t)
	}
}

const nsPerS = 1e9

// MMPPState is one state of a Markov-modulated Poisson process.
type MMPPState struct {
	Rate        float64 // requests per second while in the state (>= 0)
	MeanSojourn float64 // mean time spent in the state per visit, seconds (> 0)
}

// MMPP is a Markov-modulated Poisson process: a continuous-time Markov
// chain over States, holding time in state i exponential with mean
// MeanSojourn_i, arrivals Poisson at Rate_i while in i. On leaving a state
// the chain moves to one of the other states uniformly at random. That
// jump chain is doubly stochastic, so its stationary law is uniform and
// the chain's is π_i = s_i / Σ s_j (s = mean sojourn); the long-run rate is
// Σ π_i λ_i. The first state is drawn from π, so the process is stationary
// from time 0.
type MMPP struct {
	pw     piecewise
	states []MMPPState
	state  int
}

var _ Arrivals = (*MMPP)(nil)

// NewMMPP returns an MMPP over states (at least one; a single state is a
// Poisson process).
func NewMMPP(r *rand.Rand, states []MMPPState) (*MMPP, error) {
	if len(states) == 0 {
		return nil, fmt.Errorf("workloads: mmpp needs at least one state")
	}
	var total float64
	for i, s := range states {
		if !(s.Rate >= 0) || math.IsInf(s.Rate, 0) || !(s.MeanSojourn > 0) || math.IsInf(s.MeanSojourn, 0) {
			return nil, fmt.Errorf("workloads: mmpp state %d: rate %v, mean sojourn %v s: want rate >= 0 and sojourn > 0", i, s.Rate, s.MeanSojourn)
		}
		total += s.MeanSojourn
	}
	m := &MMPP{states: append([]MMPPState(nil), states...)}
	u := r.Float64() * total
	for m.state = 0; m.state < len(states)-1 && u >= states[m.state].MeanSojourn; m.state++ {
		u -= states[m.state].MeanSojourn
	}
	m.pw = piecewise{r: r, next: m.enter}
	m.pw.rate, m.pw.until = m.hold(0)
	return m, nil
}

// hold is the rate (per ns) and end of a stay in the current state from at.
func (m *MMPP) hold(at float64) (float64, float64) {
	s := m.states[m.state]
	if len(m.states) == 1 {
		return s.Rate / nsPerS, math.Inf(1)
	}
	return s.Rate / nsPerS, at + m.pw.r.ExpFloat64()*s.MeanSojourn*nsPerS
}

func (m *MMPP) enter(at float64) (float64, float64) {
	k := m.pw.r.IntN(len(m.states) - 1)
	if k >= m.state {
		k++
	}
	m.state = k
	return m.hold(at)
}

// LongRunRate is Σ π_i λ_i, requests per second.
func (m *MMPP) LongRunRate() float64 {
	var num, den float64
	for _, s := range m.states {
		num += s.Rate * s.MeanSojourn
		den += s.MeanSojourn
	}
	return num / den
}

// Next implements Arrivals.
func (m *MMPP) Next() (sim.Time, bool) { return m.pw.nextTime() }

// OnOff alternates bursts of Poisson arrivals at Rate for On seconds with
// silences of Off seconds, starting with a burst at time 0.
type OnOff struct{ pw piecewise }

var _ Arrivals = (*OnOff)(nil)

// NewOnOff returns the on/off process; rate per second, on and off in seconds (> 0).
func NewOnOff(r *rand.Rand, rate, on, off float64) *OnOff {
	period, onNS := (on+off)*nsPerS, on*nsPerS
	var k float64 // cycle index
	burst := true // the stay that ends at the current change point
	o := &OnOff{}
	// Change points are computed from the cycle index, never by adding
	// periods up, so they do not drift.
	o.pw = piecewise{r: r, rate: rate / nsPerS, until: onNS, next: func(float64) (float64, float64) {
		if burst {
			burst = false
			return 0, k*period + period
		}
		k++
		burst = true
		return rate / nsPerS, k*period + onNS
	}}
	return o
}

// Next implements Arrivals.
func (o *OnOff) Next() (sim.Time, bool) { return o.pw.nextTime() }

// Spike is a Poisson baseline at Rate per second, multiplied by Multiplier
// on [At, At+Length): a flash crowd.
type Spike struct{ pw piecewise }

var _ Arrivals = (*Spike)(nil)

// NewSpike returns the spike process; rate per second, at and length in seconds.
func NewSpike(r *rand.Rand, rate, multiplier, at, length float64) *Spike {
	base, peak := rate/nsPerS, rate*multiplier/nsPerS
	start, end := at*nsPerS, (at+length)*nsPerS
	s := &Spike{}
	s.pw = piecewise{r: r, rate: base, until: start, next: func(t float64) (float64, float64) {
		if t < end {
			return peak, end
		}
		return base, math.Inf(1)
	}}
	if start <= 0 {
		s.pw.rate, s.pw.until = peak, end
	}
	return s
}

// Next implements Arrivals.
func (s *Spike) Next() (sim.Time, bool) { return s.pw.nextTime() }

// thinned is a non-homogeneous Poisson process of intensity rate(t) <= max
// (both per ns), sampled exactly by thinning (Lewis and Shedler, 1979):
// candidates from a Poisson process at max, each kept with probability
// rate(t)/max.
type thinned struct {
	r    *rand.Rand
	t    float64 // ns
	max  float64 // per ns
	rate func(t float64) float64
	end  float64 // ns; > 0: no arrival at or after it is wanted (stopAt)
}

func (p *thinned) nextTime() (sim.Time, bool) {
	if !(p.max > 0) {
		return 0, false
	}
	for {
		p.t += p.r.ExpFloat64() / p.max
		if p.end > 0 && p.t >= p.end {
			return 0, false
		}
		if p.r.Float64()*p.max < p.rate(p.t) {
			return dist.Nanos(p.t), true
		}
	}
}

// Diurnal is a non-homogeneous Poisson process with a sinusoidal rate
// between Trough and Peak (per second) over Period, highest at PeakAt:
//
//	λ(t) = (Peak+Trough)/2 + (Peak−Trough)/2 · cos(2π (t − PeakAt) / Period)
//
// sampled exactly by thinning.
type Diurnal struct{ p thinned }

var _ Arrivals = (*Diurnal)(nil)

// NewDiurnal returns the diurnal process; rates per second, peakAt and period in seconds.
func NewDiurnal(r *rand.Rand, trough, peak, peakAt, period float64) *Diurnal {
	mid, amp := (peak+trough)/2/nsPerS, (peak-trough)/2/nsPerS
	w, phase := 2*math.Pi/(period*nsPerS), peakAt*nsPerS
	return &Diurnal{thinned{r: r, max: peak / nsPerS, rate: func(t float64) float64 {
		return mid + amp*math.Cos(w*(t-phase))
	}}}
}

// DiurnalRate is λ(t) of NewDiurnal's process, per second, t in seconds.
func DiurnalRate(trough, peak, peakAt, period, t float64) float64 {
	return (peak+trough)/2 + (peak-trough)/2*math.Cos(2*math.Pi*(t-peakAt)/period)
}

// Next implements Arrivals.
func (d *Diurnal) Next() (sim.Time, bool) { return d.p.nextTime() }

// Ramp is a non-homogeneous Poisson process whose rate moves linearly from
// From to To (per second) over [0, Length] and stays at To after, sampled
// exactly by thinning.
type Ramp struct{ p thinned }

var _ Arrivals = (*Ramp)(nil)

// NewRamp returns the ramp; rates per second, length in seconds (> 0).
func NewRamp(r *rand.Rand, from, to, length float64) *Ramp {
	l := length * nsPerS
	f, g := from/nsPerS, to/nsPerS
	return &Ramp{thinned{r: r, max: math.Max(f, g), rate: func(t float64) float64 {
		if t >= l {
			return g
		}
		return f + (g-f)*t/l
	}}}
}

// Next implements Arrivals.
func (p *Ramp) Next() (sim.Time, bool) { return p.p.nextTime() }

// Cron fires every Every, the k-th firing at k·Every plus Offset plus an
// optional delay uniform on [0, Jitter) (Jitter <= Every, so firings stay
// in order), each firing FanOut simultaneous calls.
type Cron struct {
	every, offset, jitter sim.Time
	fanout                int
	r                     *rand.Rand
	k                     int64
	left                  int // calls of the current firing still to return
	at                    sim.Time
}

var _ Arrivals = (*Cron)(nil)

// NewCron returns the cron process. r may be nil when jitter is 0.
func NewCron(r *rand.Rand, every, offset, jitter sim.Time, fanout int) (*Cron, error) {
	if every <= 0 || offset < 0 || jitter < 0 || jitter > every || fanout < 1 {
		return nil, fmt.Errorf("workloads: cron every %v, offset %v, jitter %v, fan-out %d: want every > 0, offset >= 0, 0 <= jitter <= every, fan-out >= 1",
			every, offset, jitter, fanout)
	}
	return &Cron{every: every, offset: offset, jitter: jitter, fanout: fanout, r: r}, nil
}

// Next implements Arrivals.
func (c *Cron) Next() (sim.Time, bool) {
	if c.left == 0 {
		c.at = sim.Time(c.k)*c.every + c.offset
		if c.jitter > 0 {
			c.at += sim.Time(c.r.Int64N(int64(c.jitter)))
		}
		c.k++
		c.left = c.fanout
	}
	c.left--
	return c.at, true
}

// Merge is the superposition of several processes, in time order; equal
// times come from the lower-indexed part first. The parts are few (a
// scenario's mix), so the earliest is found by a linear scan of their
// next times: for k <= ~16 that beats a heap and never allocates.
type Merge struct {
	parts   []Arrivals
	next    []sim.Time
	live    []bool
	started bool
}

var _ Arrivals = (*Merge)(nil)

// NewMerge returns the superposition of parts. Each part is first asked
// for an arrival on the first NextFrom, after a source has told them its
// horizon (stopAt).
func NewMerge(parts ...Arrivals) *Merge {
	return &Merge{parts: parts, next: make([]sim.Time, len(parts)), live: make([]bool, len(parts))}
}

// NextFrom returns the next arrival and the index of the part it came from.
func (m *Merge) NextFrom() (sim.Time, int, bool) {
	if !m.started {
		m.started = true
		for i, p := range m.parts {
			m.next[i], m.live[i] = p.Next()
		}
	}
	best := -1
	for i, ok := range m.live {
		if ok && (best < 0 || m.next[i] < m.next[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, -1, false
	}
	t := m.next[best]
	m.next[best], m.live[best] = m.parts[best].Next()
	return t, best, true
}

// Next implements Arrivals.
func (m *Merge) Next() (sim.Time, bool) {
	t, _, ok := m.NextFrom()
	return t, ok
}
