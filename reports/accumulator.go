package reports

import (
	"math"
	"sync"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// RelativeAccuracy bounds the relative error of every latency quantile
// faasim reports: the DDSketch guarantee is that the returned value is within
// ±0.5% of the exact quantile of the completed requests' latencies.
const RelativeAccuracy = 0.005

// tally is the per-function (or whole-system) running state.
type tally struct {
	requests, completed, rejected, timedOut, cold int64
	sumLatency                                    sum128 // completed only; ns, exact, cannot overflow
	maxLatency                                    sim.Time
	// sketch holds the completed latencies, ms, in a dense store; nil
	// until the first one. A function's tally (lean) first keeps up to
	// rawLimit latencies as they are, in raw, and makes its sketch from
	// them after that (most of 100,000 functions of a trace complete a
	// handful of requests: bytes, not the dense store's kilobytes).
	sketch *ddsketch.DDSketch
	pos    *store.DenseStore // the sketch's store of positive values, added to directly
	lean   bool
	raw    []float64
}

// rawLimit is the latencies a function's tally keeps raw before it makes
// its sketch: with 100,000 Zipf-popular functions and 2 M requests, a few
// thousand functions go past it.
const rawLimit = 64

// latencyMapping is every sketch's index mapping (immutable, so shared).
// Cubic interpolation avoids a math.Log per value.
var latencyMapping = func() *mapping.CubicallyInterpolatedMapping {
	m, err := mapping.NewCubicallyInterpolatedMapping(RelativeAccuracy)
	if err != nil {
		panic(err)
	}
	return m
}()

// newTally is a whole system's tally: its dense store grows only with the
// log range of latencies (a few KB), not with their count.
func newTally() tally { return tally{} }

// newFunctionTally is one function's (see tally.raw). Its quantiles are
// those of a sketch fed the same latencies: the bins do not depend on the
// order of adding.
func newFunctionTally() tally { return tally{lean: true} }

// Latencies in this range go straight to the positive store, as
// DDSketch.Add would put them (outside it: zero, or beyond the mapping).
var minIndexable, maxIndexable = latencyMapping.MinIndexableValue(), latencyMapping.MaxIndexableValue()

// add records one completed latency, ms. Going past DDSketch.Add to its
// store saves three dynamic calls per request (about 5% of case 1a's time);
// the bins are the same.
func (t *tally) add(ms float64) {
	switch {
	case t.pos != nil && ms > minIndexable && ms <= maxIndexable:
		t.pos.Add(latencyMapping.Index(ms))
	case t.lean && t.sketch == nil && len(t.raw) < rawLimit:
		t.raw = append(t.raw, ms)
	default:
		// Values are never negative, so Add cannot fail.
		_ = t.sk().Add(ms)
	}
}

// sk is the sketch, made (from the raw latencies, if any) on first use.
func (t *tally) sk() *ddsketch.DDSketch {
	if t.sketch == nil {
		t.pos = store.NewDenseStore()
		t.sketch = ddsketch.NewDDSketch(latencyMapping, t.pos, store.NewDenseStore())
		for _, v := range t.raw {
			_ = t.sketch.Add(v)
		}
		t.raw = nil
	}
	return t.sketch
}

// reset empties t for the next window, keeping the sketch's storage.
func (t *tally) reset() {
	sk, pos, lean := t.sketch, t.pos, t.lean
	if sk != nil {
		sk.Clear()
	}
	*t = tally{sketch: sk, pos: pos, lean: lean}
}

func (t *tally) ended(r *models.Record) {
	if r.Cold {
		t.cold++
	}
	switch r.Outcome {
	case models.Completed:
		t.completed++
		l := r.Latency()
		t.sumLatency.add(uint64(l)) // a latency is never negative
		if l > t.maxLatency {
			t.maxLatency = l
		}
		t.add(float64(l) / 1e6)
	case models.Rejected:
		t.rejected++
	case models.TimedOut:
		t.timedOut++
	}
}

// Accumulator is a models.Observer that keeps a system's figures as they
// stream by: memory is independent of the number of requests.
type Accumulator struct {
	all tally
	fns []tally // nil with a single function: all stands for it
	bl  backlog // the in-flight count through the run (WatchBacklog)
}

var _ models.Observer = (*Accumulator)(nil)

// NewAccumulator is ready for a system serving nfn functions.
func NewAccumulator(nfn int) *Accumulator {
	a := &Accumulator{all: newTally(), bl: backlog{next: len(backlog{}.at)}}
	if nfn > 1 {
		a.fns = make([]tally, nfn)
		for i := range a.fns {
			a.fns[i] = newFunctionTally()
		}
	}
	return a
}

// Arrived implements models.Observer.
func (a *Accumulator) Arrived(inv *workloads.Invocation) {
	if a.bl.next < len(a.bl.at) && inv.At >= a.bl.at[a.bl.next] {
		a.bl.sample(inv.At, &a.all)
	}
	a.all.requests++
	if a.fns != nil {
		a.fns[inv.Fn].requests++
	}
}

// Ended implements models.Observer.
func (a *Accumulator) Ended(r *models.Record) {
	if a.bl.next < len(a.bl.at) && r.End >= a.bl.at[a.bl.next] {
		a.bl.sample(r.End, &a.all)
	}
	a.all.ended(r)
	if a.fns != nil {
		a.fns[r.Fn].ended(r)
	}
}

// Merge adds b's figures into a (replications and shards of one system).
// Counts, sums and sketches merge exactly.
func (a *Accumulator) Merge(b *Accumulator) error {
	a.bl.merge(&b.bl)
	if err := a.all.merge(&b.all); err != nil {
		return err
	}
	for i := range a.fns {
		if err := a.fns[i].merge(&b.fns[i]); err != nil {
			return err
		}
	}
	return nil
}

func (t *tally) merge(b *tally) error {
	t.requests += b.requests
	t.completed += b.completed
	t.rejected += b.rejected
	t.timedOut += b.timedOut
	t.cold += b.cold
	t.sumLatency.merge(b.sumLatency)
	t.maxLatency = max(t.maxLatency, b.maxLatency)
	for _, v := range b.raw {
		t.add(v)
	}
	if b.sketch == nil {
		return nil
	}
	return t.sk().MergeWith(b.sketch)
}

func (t *tally) counts() Counts {
	c := Counts{
		Requests:   t.requests,
		Completed:  t.completed,
		Rejected:   t.rejected,
		TimedOut:   t.timedOut,
		InFlight:   t.requests - t.completed - t.rejected - t.timedOut,
		ColdStarts: t.cold,
	}
	if t.requests > 0 {
		c.ColdStartRatio = float64(t.cold) / float64(t.requests)
		c.RejectedRatio = float64(t.rejected) / float64(t.requests)
		c.TimedOutRatio = float64(t.timedOut) / float64(t.requests)
	}
	return c
}

// scratch sketches read the quantiles of a tally that holds raw latencies
// only, without keeping a sketch for it (or allocating one per function).
var scratch = sync.Pool{New: func() any {
	return ddsketch.NewDDSketch(latencyMapping, store.NewDenseStore(), store.NewDenseStore())
}}

func (t *tally) latency() Latency {
	if t.completed == 0 {
		return Latency{}
	}
	sk := t.sketch
	if sk == nil {
		sk = scratch.Get().(*ddsketch.DDSketch)
		defer scratch.Put(sk)
		sk.Clear()
		for _, v := range t.raw {
			_ = sk.Add(v)
		}
	}
	q := func(p float64) float64 {
		v, err := sk.GetValueAtQuantile(p)
		if err != nil || math.IsNaN(v) {
			return 0
		}
		// The sketch's value is within RelativeAccuracy of the true quantile;
		// the true quantile never exceeds the exact maximum.
		return math.Min(v, float64(t.maxLatency)/1e6)
	}
	return Latency{
		Mean: t.sumLatency.div(t.completed) / 1e6,
		P50:  q(0.50),
		P90:  q(0.90),
		P95:  q(0.95),
		P99:  q(0.99),
		P999: q(0.999),
		Max:  float64(t.maxLatency) / 1e6,
	}
}
