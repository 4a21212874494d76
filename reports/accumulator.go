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
	waited                                        int64  // ended having waited for capacity (Record.Wait > 0)
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
	// With an invocation layer: function errors the caller saw, events
	// given up. Last, so the fields every request touches keep their
	// place.
	failed, deadLettered int64
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
	if r.Wait > 0 {
		t.waited++
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
	case models.Failed:
		t.failed++
	case models.DeadLettered:
		t.deadLettered++
	}
}

// Accumulator is a models.Observer that keeps a system's figures as they
// stream by: memory is independent of the number of requests.
type Accumulator struct {
	all  tally
	fns  []tally // nil with a single function: all stands for it
	bl   backlog // the in-flight count through the run (WatchBacklog)
	wait waits   // the completed requests' waits for capacity, whole system only
}

// waits are the completed requests' waits for capacity (Record.Wait: a
// fleet's queue for a worker, a FaaS throttle queue). A wait of 0 (most
// requests of a fleet below saturation) is only counted, as the completed
// requests less n: one branch per request, and the sketch, a few KB, holds
// the positive waits alone.
type waits struct {
	n   int64  // completed requests that waited (Wait > 0)
	sum sum128 // their waits, ns, exact
	max sim.Time
	sk  *ddsketch.DDSketch // positive waits, ms; nil until the first
	pos *store.DenseStore  // sk's store of positive values
}

func (w *waits) add(d sim.Time) {
	w.n++
	w.sum.add(uint64(d))
	w.max = max(w.max, d)
	ms := float64(d) / 1e6
	if w.sk == nil {
		w.pos = store.NewDenseStore()
		w.sk = ddsketch.NewDDSketch(latencyMapping, w.pos, store.NewDenseStore())
	}
	if ms > minIndexable && ms <= maxIndexable {
		w.pos.Add(latencyMapping.Index(ms))
		return
	}
	_ = w.sk.Add(ms) // never negative
}

func (w *waits) merge(b *waits) error {
	w.n += b.n
	w.sum.merge(b.sum)
	w.max = max(w.max, b.max)
	if b.sk == nil {
		return nil
	}
	if w.sk == nil {
		w.pos = store.NewDenseStore()
		w.sk = ddsketch.NewDDSketch(latencyMapping, w.pos, store.NewDenseStore())
	}
	return w.sk.MergeWith(b.sk)
}

// result is the wait of the completed requests, completed of them in all
// (n with a wait, the others 0): quantiles as a sketch of all of them
// gives, the zeros exact.
func (w *waits) result(completed int64) Wait {
	if completed == 0 {
		return Wait{}
	}
	out := Wait{Mean: w.sum.div(completed) / 1e6, Max: float64(w.max) / 1e6}
	if w.sk == nil {
		return out // none waited: every quantile is 0
	}
	sk := w.sk.Copy()
	if zeros := completed - w.n; zeros > 0 {
		_ = sk.AddWithCount(0, float64(zeros))
	}
	q := func(p float64) float64 {
		v, err := sk.GetValueAtQuantile(p)
		if err != nil || math.IsNaN(v) {
			return 0
		}
		return math.Min(v, out.Max) // within RelativeAccuracy, never past the exact maximum
	}
	out.P50, out.P90, out.P99 = q(0.50), q(0.90), q(0.99)
	return out
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
	if r.Wait > 0 && r.Outcome == models.Completed {
		a.wait.add(r.Wait)
	}
}

// Merge adds b's figures into a (replications and shards of one system).
// Counts, sums and sketches merge exactly.
func (a *Accumulator) Merge(b *Accumulator) error {
	a.bl.merge(&b.bl)
	if err := a.all.merge(&b.all); err != nil {
		return err
	}
	if err := a.wait.merge(&b.wait); err != nil {
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
	t.failed += b.failed
	t.deadLettered += b.deadLettered
	t.cold += b.cold
	t.waited += b.waited
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
		InFlight:   t.requests - t.completed - t.rejected - t.timedOut - t.failed - t.deadLettered,
		ColdStarts: t.cold,
		Waited:     t.waited,
	}
	if t.requests > 0 {
		c.WaitedRatio = float64(t.waited) / float64(t.requests)
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
