package reports

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
)

// SystemState is one system's run as it ended: the accumulator's state
// (integer counts, exact latency sums, the latency sketches) and the
// model's summary (the bill, computed once at the run's end from integer
// granules, and the time-weighted instance figures). It is everything the
// system's SystemResult is computed from, so a run written as its states
// (a shard of a sweep, docs/distributed.md) gives the same figures, to the
// bit, wherever and whenever they are computed.
type SystemState struct {
	acc *Accumulator
	sum models.Summary
}

// NewSystemState keeps an ended run's accumulator and summary. The
// accumulator takes no more records.
func NewSystemState(acc *Accumulator, sum models.Summary) SystemState {
	acc.bl.finish(&acc.all)
	return SystemState{acc: acc, sum: sum}
}

// Result is the system's figures, as Accumulator.Result computes them.
func (s SystemState) Result(info SystemInfo) SystemResult { return s.acc.Result(info, s.sum) }

// The wire form of a state. Counts are integers, the latency sum an exact
// 128-bit integer in decimal, and each sketch DDSketch's own binary
// encoding (sketches-go's Encode, base64 in JSON) without its index
// mapping, which is the same for every sketch (SketchMapping). The
// summary is the model's, field by field: its floats are written in the
// shortest form that reads back as the same float64.
type stateJSON struct {
	Accumulator accumulatorJSON `json:"accumulator"`
	Summary     models.Summary  `json:"summary"`
}

type accumulatorJSON struct {
	All       tallyJSON   `json:"all"`
	Functions []tallyJSON `json:"functions,omitempty"`
	Backlog   backlogJSON `json:"backlog"`
	Wait      waitJSON    `json:"wait"`
}

// waitJSON is the completed requests' waits for capacity: how many waited,
// their exact sum and maximum, and the sketch of those waits (ms).
type waitJSON struct {
	Completed int64  `json:"completed_waited"`
	SumNS     string `json:"sum_ns"`
	MaxNS     int64  `json:"max_ns"`
	Sketch    []byte `json:"sketch,omitempty"`
}

type tallyJSON struct {
	Requests     int64  `json:"requests"`
	Completed    int64  `json:"completed"`
	Rejected     int64  `json:"rejected"`
	TimedOut     int64  `json:"timed_out"`
	ColdStarts   int64  `json:"cold_starts"`
	Waited       int64  `json:"waited"`
	SumLatencyNS string `json:"sum_latency_ns"` // completed requests' latencies, ns
	MaxLatencyNS int64  `json:"max_latency_ns"`
	Sketch       []byte `json:"sketch"` // completed latencies, ms
}

// backlogJSON is the in-flight count at the eight checkpoints (the
// saturated warning); At all zero when the run did not watch.
type backlogJSON struct {
	AtNS     [8]int64 `json:"at_ns"`
	InFlight [8]int64 `json:"in_flight"`
	Arrived  [8]int64 `json:"arrived"`
}

// EncodeStates writes a run's states (its systems', in scenario order) in
// their wire form: a JSON list.
func EncodeStates(states []SystemState) ([]byte, error) {
	ws := make([]stateJSON, len(states))
	for i, s := range states {
		ws[i] = s.wire()
	}
	return json.Marshal(ws)
}

// DecodeStates reads states written by EncodeStates; unknown keys are
// errors (a state from another faasim would silently lose them).
func DecodeStates(b []byte) ([]SystemState, error) {
	var ws []stateJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ws); err != nil {
		return nil, err
	}
	out := make([]SystemState, len(ws))
	for i := range ws {
		var err error
		if out[i], err = unwireState(&ws[i]); err != nil {
			return nil, fmt.Errorf("system %d: %w", i, err)
		}
	}
	return out, nil
}

func (s SystemState) wire() stateJSON {
	a := s.acc
	w := stateJSON{Summary: s.sum, Accumulator: accumulatorJSON{All: a.all.wire()}}
	for i := range a.fns {
		w.Accumulator.Functions = append(w.Accumulator.Functions, a.fns[i].wire())
	}
	for k := range a.bl.at {
		w.Accumulator.Backlog.AtNS[k] = int64(a.bl.at[k])
	}
	w.Accumulator.Backlog.InFlight, w.Accumulator.Backlog.Arrived = a.bl.inFlight, a.bl.arrived
	w.Accumulator.Wait = waitJSON{Completed: a.wait.n, SumNS: a.wait.sum.big().String(), MaxNS: int64(a.wait.max)}
	if a.wait.sk != nil {
		a.wait.sk.Encode(&w.Accumulator.Wait.Sketch, true)
	}
	return w
}

func (w *waits) unwire(j waitJSON, completed int64) error {
	sum, ok := new(big.Int).SetString(j.SumNS, 10)
	if j.SumNS == "" { // no wait recorded
		sum, ok = new(big.Int), true
	}
	if !ok || sum.Sign() < 0 || sum.BitLen() > 128 {
		return fmt.Errorf("sum_ns %q: want a non-negative integer below 2^128", j.SumNS)
	}
	if j.Completed < 0 || j.Completed > completed || j.MaxNS < 0 {
		return fmt.Errorf("completed_waited %d, max_ns %d: want 0 to the %d completed, and max_ns >= 0", j.Completed, j.MaxNS, completed)
	}
	*w = waits{n: j.Completed, sum: sum128FromBig(sum), max: sim.Time(j.MaxNS)}
	if len(j.Sketch) == 0 {
		if j.Completed > 0 {
			return fmt.Errorf("%d waits and no sketch", j.Completed)
		}
		return nil
	}
	w.pos = store.NewDenseStore()
	w.sk = ddsketch.NewDDSketch(latencyMapping, w.pos, store.NewDenseStore())
	if err := w.sk.DecodeAndMergeWith(j.Sketch); err != nil {
		return fmt.Errorf("sketch: %w", err)
	}
	if n := w.sk.GetCount(); n != float64(j.Completed) {
		return fmt.Errorf("sketch holds %g waits for %d", n, j.Completed)
	}
	return nil
}

func unwireState(w *stateJSON) (SystemState, error) {
	fns := w.Accumulator.Functions
	if len(fns) == 1 {
		return SystemState{}, fmt.Errorf("accumulator: one function tally; a single function is the whole system's")
	}
	a := &Accumulator{}
	if err := a.all.unwire(w.Accumulator.All); err != nil {
		return SystemState{}, fmt.Errorf("accumulator.all: %w", err)
	}
	if len(fns) > 0 {
		a.fns = make([]tally, len(fns))
	}
	for i := range a.fns {
		if err := a.fns[i].unwire(fns[i]); err != nil {
			return SystemState{}, fmt.Errorf("accumulator.functions[%d]: %w", i, err)
		}
	}
	if err := a.wait.unwire(w.Accumulator.Wait, a.all.completed); err != nil {
		return SystemState{}, fmt.Errorf("accumulator.wait: %w", err)
	}
	bl := w.Accumulator.Backlog
	for k := range a.bl.at {
		a.bl.at[k] = sim.Time(bl.AtNS[k])
	}
	a.bl.inFlight, a.bl.arrived = bl.InFlight, bl.Arrived
	a.bl.next = len(a.bl.at) // every checkpoint taken: the run has ended
	return SystemState{acc: a, sum: w.Summary}, nil
}

func (t *tally) wire() tallyJSON {
	var sk []byte
	if t.completed > 0 {
		// A function's few latencies kept raw go into a sketch first:
		// the same bins, so the same quantiles.
		t.sk().Encode(&sk, true)
	}
	return tallyJSON{Requests: t.requests, Completed: t.completed, Rejected: t.rejected, TimedOut: t.timedOut,
		ColdStarts: t.cold, Waited: t.waited, SumLatencyNS: t.sumLatency.big().String(), MaxLatencyNS: int64(t.maxLatency), Sketch: sk}
}

func (t *tally) unwire(w tallyJSON) error {
	sum, ok := new(big.Int).SetString(w.SumLatencyNS, 10)
	if !ok || sum.Sign() < 0 || sum.BitLen() > 128 {
		return fmt.Errorf("sum_latency_ns %q: want a non-negative integer below 2^128", w.SumLatencyNS)
	}
	if w.Requests < 0 || w.Completed < 0 || w.Rejected < 0 || w.TimedOut < 0 || w.ColdStarts < 0 || w.Waited < 0 ||
		w.Completed+w.Rejected+w.TimedOut > w.Requests || w.Waited > w.Requests || w.MaxLatencyNS < 0 {
		return fmt.Errorf("counts %+v: want non-negative counts, with completed + rejected + timed out <= requests, and waited <= requests", w)
	}
	*t = tally{requests: w.Requests, completed: w.Completed, rejected: w.Rejected, timedOut: w.TimedOut, cold: w.ColdStarts, waited: w.Waited,
		sumLatency: sum128FromBig(sum), maxLatency: sim.Time(w.MaxLatencyNS)}
	if w.Completed == 0 && len(w.Sketch) == 0 {
		return nil // no latencies: no sketch, as in the run
	}
	pos := store.NewDenseStore()
	sk := ddsketch.NewDDSketch(latencyMapping, pos, store.NewDenseStore())
	if err := sk.DecodeAndMergeWith(w.Sketch); err != nil {
		return fmt.Errorf("sketch: %w", err)
	}
	if n := sk.GetCount(); n != float64(w.Completed) {
		return fmt.Errorf("sketch holds %g latencies for %d completed requests", n, w.Completed)
	}
	t.sketch, t.pos = sk, pos
	return nil
}

func (s sum128) big() *big.Int {
	b := new(big.Int).SetUint64(s.hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(s.lo))
}

func sum128FromBig(b *big.Int) sum128 {
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0)))
	return sum128{hi: new(big.Int).Rsh(b, 64).Uint64(), lo: lo.Uint64()}
}

// SketchMapping names the index mapping of every latency sketch and gives
// its DDSketch encoding (base64): states written with another mapping
// cannot be read as this faasim's.
func SketchMapping() (name, encoding string) {
	var b []byte
	m := latencyMapping
	m.Encode(&b)
	return fmt.Sprintf("cubically interpolated, relative accuracy %.6g", m.RelativeAccuracy()), base64.StdEncoding.EncodeToString(b)
}
