package reports

import (
	"math"

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
	sketch                                        *ddsketch.DDSketch // completed latencies, ms
}

func newTally() tally {
	// Cubic interpolation avoids a math.Log per value; the dense store grows
	// only with the log range of latencies (a few KB), not with their count.
	m, err := mapping.NewCubicallyInterpolatedMapping(RelativeAccuracy)
	if err != nil {
		panic(err)
	}
	return tally{sketch: ddsketch.NewDDSketch(m, store.NewDenseStore(), store.NewDenseStore())}
}

// reset empties t for the next window, keeping the sketch's storage.
func (t *tally) reset() {
	sk := t.sketch
	sk.Clear()
	*t = tally{sketch: sk}
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
		// Latency in ms; values are never negative, so Add cannot fail.
		_ = t.sketch.Add(float64(l) / 1e6)
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
			a.fns[i] = newTally()
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
	return t.sketch.MergeWith(b.sketch)
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

func (t *tally) latency() Latency {
	if t.completed == 0 {
		return Latency{}
	}
	q := func(p float64) float64 {
		v, err := t.sketch.GetValueAtQuantile(p)
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
