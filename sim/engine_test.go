package sim_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/faasim/faasim/sim"
)

// recorder appends (time, arg) of every event it receives.
type recorder struct {
	at  []sim.Time
	arg []uint64
}

func (r *recorder) Fire(e *sim.Engine, arg uint64) {
	r.at = append(r.at, e.Now())
	r.arg = append(r.arg, arg)
}

func TestEngineOrder(t *testing.T) {
	tests := []struct {
		name  string
		at    []sim.Time // scheduling order; arg = index
		order []uint64   // expected firing order (args)
	}{
		// distinct times fire in time order whatever the scheduling order
		{"times", []sim.Time{30, 10, 20}, []uint64{1, 2, 0}},
		// equal times fire first-in first-out
		{"fifo ties", []sim.Time{5, 5, 5, 5}, []uint64{0, 1, 2, 3}},
		// ties mixed with earlier and later events keep FIFO within each time
		{"mixed", []sim.Time{7, 3, 7, 3, 0, 7}, []uint64{4, 1, 3, 0, 2, 5}},
		// time zero is a valid time
		{"zero", []sim.Time{0, 0}, []uint64{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sim.New()
			r := &recorder{}
			for i, at := range tt.at {
				e.Schedule(at, r, uint64(i))
			}
			if err := e.Run(context.Background(), 1000); err != nil {
				t.Fatal(err)
			}
			if len(r.arg) != len(tt.order) {
				t.Fatalf("fired %v, want %v", r.arg, tt.order)
			}
			for i := range tt.order {
				if r.arg[i] != tt.order[i] || r.at[i] != tt.at[tt.order[i]] {
					t.Fatalf("fired %v at %v, want %v", r.arg, r.at, tt.order)
				}
			}
			if e.Fired() != uint64(len(tt.at)) || e.Pending() != 0 {
				t.Errorf("fired %d pending %d, want %d and 0", e.Fired(), e.Pending(), len(tt.at))
			}
		})
	}
}

// TestEngineOrderRandom schedules many events with few distinct times, some
// from inside handlers, and checks the firing order is exactly (time, seq).
func TestEngineOrderRandom(t *testing.T) {
	const n = 20000
	rng := rand.New(rand.NewPCG(1, 2))
	e := sim.New()
	type key struct {
		at  sim.Time
		seq int
	}
	var fired []key
	seq := 0
	keys := map[uint64]key{}
	var h sim.HandlerFunc
	h = func(e *sim.Engine, arg uint64) {
		k := keys[arg]
		if k.at != e.Now() {
			t.Fatalf("event %d fired at %v, scheduled for %v", arg, e.Now(), k.at)
		}
		fired = append(fired, k)
		if seq < n && rng.IntN(2) == 0 { // schedule a follow-up, possibly at now
			at := e.Now() + sim.Time(rng.IntN(3))
			keys[uint64(seq)] = key{at, seq}
			e.Schedule(at, h, uint64(seq))
			seq++
		}
	}
	for seq < n/2 {
		at := sim.Time(rng.IntN(50))
		keys[uint64(seq)] = key{at, seq}
		e.Schedule(at, h, uint64(seq))
		seq++
	}
	for e.Step() {
	}
	if len(fired) != seq {
		t.Fatalf("fired %d of %d", len(fired), seq)
	}
	for i := 1; i < len(fired); i++ {
		a, b := fired[i-1], fired[i]
		if b.at < a.at || (b.at == a.at && b.seq < a.seq) {
			t.Fatalf("event %v fired after %v", b, a)
		}
	}
}

func TestEngineCancel(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	a := e.Schedule(10, r, 1)
	b := e.Schedule(20, r, 2)
	c := e.Schedule(20, r, 3)
	d := e.Schedule(30, r, 4)
	if !e.Cancel(b) {
		t.Fatal("Cancel of a pending event returned false")
	}
	if e.Cancel(b) {
		t.Error("second Cancel of the same event returned true")
	}
	if e.Pending() != 3 {
		t.Errorf("pending %d after cancel, want 3", e.Pending())
	}
	if !e.Step() {
		t.Fatal("Step fired nothing")
	}
	if e.Cancel(a) {
		t.Error("Cancel of a fired event returned true")
	}
	if e.Cancel(sim.EventID(999)) {
		t.Error("Cancel of an unknown id returned true")
	}
	if !e.Cancel(d) { // the last one in the heap
		t.Error("Cancel of the last pending event returned false")
	}
	if err := e.Run(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	if want := []uint64{1, 3}; len(r.arg) != 2 || r.arg[0] != want[0] || r.arg[1] != want[1] {
		t.Errorf("fired %v, want %v", r.arg, want)
	}
	_ = c
}

// TestEngineCancelHeap cancels a random half of many events and checks the
// rest still fire in (time, seq) order.
func TestEngineCancelHeap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	e := sim.New()
	r := &recorder{}
	const n = 5000
	ids := make([]sim.EventID, n)
	at := make([]sim.Time, n)
	for i := range ids {
		at[i] = sim.Time(rng.IntN(1000))
		ids[i] = e.Schedule(at[i], r, uint64(i))
	}
	cancelled := map[uint64]bool{}
	for _, i := range rng.Perm(n)[:n/2] {
		if !e.Cancel(ids[i]) {
			t.Fatalf("Cancel(%d) = false", i)
		}
		cancelled[uint64(i)] = true
	}
	if err := e.Run(context.Background(), 1000); err != nil {
		t.Fatal(err)
	}
	if len(r.arg) != n/2 {
		t.Fatalf("fired %d, want %d", len(r.arg), n/2)
	}
	for i, a := range r.arg {
		if cancelled[a] {
			t.Fatalf("cancelled event %d fired", a)
		}
		if i > 0 {
			p := r.arg[i-1]
			if at[a] < at[p] || (at[a] == at[p] && a < p) {
				t.Fatalf("event %d (t=%v) fired after %d (t=%v)", a, at[a], p, at[p])
			}
		}
	}
}

func TestEngineRunUntil(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	e.Schedule(5, r, 1)
	e.Schedule(10, r, 2) // exactly at until: fires
	e.Schedule(11, r, 3) // after until: stays pending
	// a handler at until that schedules at until: fires in the same Run
	e.Schedule(10, sim.HandlerFunc(func(e *sim.Engine, _ uint64) { e.After(0, r, 4) }), 0)
	if err := e.Run(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	if e.Now() != 10 {
		t.Errorf("clock %v after Run(10), want 10", e.Now())
	}
	if len(r.arg) != 3 || r.arg[0] != 1 || r.arg[1] != 2 || r.arg[2] != 4 {
		t.Errorf("fired %v, want [1 2 4]", r.arg)
	}
	if e.Pending() != 1 {
		t.Errorf("pending %d, want 1", e.Pending())
	}

	// An empty stretch: the clock still advances to until.
	if err := e.Run(context.Background(), 10); err != nil || e.Now() != 10 {
		t.Errorf("Run(10) again: now %v err %v", e.Now(), err)
	}
	if err := e.Run(context.Background(), 50); err != nil || e.Now() != 50 {
		t.Errorf("Run(50): now %v err %v, want 50", e.Now(), err)
	}
	if len(r.arg) != 4 || r.at[3] != 11 {
		t.Errorf("event at 11 fired at %v", r.at)
	}
	// An empty queue: the clock reads until.
	if err := e.Run(context.Background(), time.Hour); err != nil || e.Now() != time.Hour {
		t.Errorf("Run(1h) on empty queue: now %v err %v", e.Now(), err)
	}
	// Run to a time already past leaves the clock alone.
	if err := e.Run(context.Background(), time.Minute); err != nil || e.Now() != time.Hour {
		t.Errorf("Run(1m) at 1h: now %v err %v", e.Now(), err)
	}
	// After scheduled relative to the clock moved by Run.
	e.After(time.Second, r, 5)
	if !e.Step() || r.at[len(r.at)-1] != time.Hour+time.Second {
		t.Errorf("After(1s) at 1h fired at %v", r.at[len(r.at)-1])
	}
}

// TestEngineStop: a handler that calls Stop ends the run there: the rest of
// its own work happens, nothing else fires (not even events at the same
// instant, nor in a lane), the clock stays at the stop, and a later Run or
// Step fires nothing.
func TestEngineStop(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	l := e.NewLane()
	h := e.Register(r)
	e.Schedule(5, r, 1)
	e.Schedule(7, sim.HandlerFunc(func(e *sim.Engine, _ uint64) {
		e.Stop()
		e.After(0, r, 9) // scheduled by the stopping handler: pending, never fired
	}), 0)
	e.Schedule(7, r, 2)        // same instant, after the stop
	e.ScheduleLane(l, 8, h, 3) // a lane's event
	e.Schedule(20, r, 4)
	if err := e.Run(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	if len(r.arg) != 1 || r.arg[0] != 1 {
		t.Errorf("fired %v, want [1]", r.arg)
	}
	if e.Now() != 7 || !e.Stopped() {
		t.Errorf("clock %v, stopped %v; want 7, true", e.Now(), e.Stopped())
	}
	if e.Pending() != 4 {
		t.Errorf("pending %d, want 4", e.Pending())
	}
	if err := e.Run(context.Background(), 200); err != nil || e.Step() || len(r.arg) != 1 || e.Now() != 7 {
		t.Errorf("after the stop: fired %v, now %v, err %v", r.arg, e.Now(), err)
	}
}

// forever reschedules itself 1 ns later, and cancels a context after n events.
type forever struct {
	n      int
	cancel func()
}

func (f *forever) Fire(e *sim.Engine, arg uint64) {
	f.n--
	if f.n == 0 {
		f.cancel()
	}
	e.After(1, f, arg)
}

func TestEngineRunContext(t *testing.T) {
	// Cancelled before Run: the error comes back.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := sim.New()
	e.Schedule(1, &recorder{}, 0)
	if err := e.Run(ctx, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v, want context.Canceled", err)
	}

	// Cancelled from inside an endless run: Run stops within one check
	// interval (4096 events) and returns the context's error.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	e = sim.New()
	f := &forever{n: 10000, cancel: cancel}
	e.Schedule(0, f, 0)
	err := e.Run(ctx, 1<<62)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want context.Canceled", err)
	}
	if e.Fired() < 10000 || e.Fired() > 10000+4096 {
		t.Errorf("fired %d events, want 10000..14096", e.Fired())
	}
}

func TestEngineSchedulePastPanics(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	e.Schedule(100, r, 0)
	e.Step()
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Schedule before now", func() { e.Schedule(99, r, 0) }},
		{"After negative", func() { e.After(-1, r, 0) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
	e.Schedule(100, r, 0) // at now is fine
	if e.Pending() != 1 {
		t.Errorf("pending %d, want 1", e.Pending())
	}
}

func TestStepEmpty(t *testing.T) {
	e := sim.New()
	if e.Step() {
		t.Error("Step on an empty engine returned true")
	}
	if e.Now() != 0 || e.Fired() != 0 {
		t.Errorf("now %v fired %d", e.Now(), e.Fired())
	}
}

// churn keeps a steady population: each event schedules one more at a
// pseudo-random delay from a fixed table (no allocation, no RNG cost).
type churn struct {
	delays [1024]sim.Time
	i      int
}

func (c *churn) Fire(e *sim.Engine, arg uint64) {
	c.i = (c.i + 1) & 1023
	e.After(c.delays[c.i], c, arg)
}

// BenchmarkEngine fires events with about 1000 pending (exponential delays)
// and reports events per wall second. One op is one event.
func BenchmarkEngine(b *testing.B) { benchEngine(b, 1000) }

// BenchmarkEnginePending100k is BenchmarkEngine with 100,000 events pending
// (a model with 100,000 requests in flight).
func BenchmarkEnginePending100k(b *testing.B) { benchEngine(b, 100_000) }

func benchEngine(b *testing.B, population int) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := &churn{}
	for i := range c.delays {
		c.delays[i] = sim.Time(rng.ExpFloat64()*1e6) + 1
	}
	e := sim.New()
	for i := 0; i < population; i++ {
		e.Schedule(c.delays[i&1023], c, uint64(i))
	}
	for i := 0; i < 10*population; i++ { // reach a steady heap shape
		e.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Step()
	}
	b.StopTimer()
	if e.Pending() != population {
		b.Fatalf("pending %d, want %d", e.Pending(), population)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// TestLanesKeepOrder mixes the radix queue, two lanes (one fed in time
// order, one out of order so it falls back to the queue) and registered and
// unregistered handlers, some scheduled from inside handlers, some
// cancelled: events fire exactly in (time, sequence) order, as with one
// queue.
func TestLanesKeepOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	e := sim.New()
	type key struct {
		at  sim.Time
		seq int
	}
	keys := map[uint64]key{}
	var fired []key
	seq := 0
	var id sim.HandlerID
	check := func(e *sim.Engine, arg uint64) {
		k := keys[arg]
		if k.at != e.Now() {
			t.Fatalf("event %d fired at %v, scheduled for %v", arg, e.Now(), k.at)
		}
		fired = append(fired, k)
	}
	monotone, random := e.NewLane(), e.NewLane()
	var laneLast sim.Time
	var ids []sim.EventID
	var h sim.HandlerFunc
	schedule := func(at sim.Time) {
		keys[uint64(seq)] = key{at, seq}
		var ev sim.EventID
		switch rng.IntN(4) {
		case 0:
			ev = e.Schedule(at, h, uint64(seq))
		case 1:
			ev = e.ScheduleID(at, id, uint64(seq))
		case 2:
			laneLast = max(laneLast, at)
			ev = e.ScheduleLane(monotone, laneLast, id, uint64(seq))
			keys[uint64(seq)] = key{laneLast, seq}
		default:
			ev = e.ScheduleLane(random, at, id, uint64(seq))
		}
		ids = append(ids, ev)
		seq++
	}
	h = func(e *sim.Engine, arg uint64) {
		check(e, arg)
		if seq < 40000 && rng.IntN(3) > 0 {
			schedule(e.Now() + sim.Time(rng.IntN(5)))
		}
	}
	id = e.Register(h)
	for seq < 20000 {
		schedule(sim.Time(rng.IntN(100)))
	}
	cancelled := map[int]bool{}
	for _, i := range rng.Perm(len(ids))[:500] {
		if !e.Cancel(ids[i]) {
			t.Fatalf("Cancel(%d) = false", i)
		}
		cancelled[i] = true
	}
	for e.Step() {
	}
	if len(fired)+len(cancelled) != seq || e.Pending() != 0 {
		t.Fatalf("fired %d + cancelled %d of %d, %d pending", len(fired), len(cancelled), seq, e.Pending())
	}
	for i, k := range fired {
		if cancelled[k.seq] {
			t.Fatalf("cancelled event %d fired", k.seq)
		}
		if i > 0 {
			if p := fired[i-1]; k.at < p.at || (k.at == p.at && k.seq < p.seq) {
				t.Fatalf("event %v fired after %v", k, p)
			}
		}
	}
}

// TestDefer: a deferred event fires at the time it was deferred, after
// every event due then (those scheduled while they fire too, by lanes or
// the queue, the next arrival of a driver among them), before any later
// event, and deferred events fire in the order deferred.
func TestDefer(t *testing.T) {
	e := sim.New()
	var log []string
	var note sim.HandlerID
	note = e.Register(sim.HandlerFunc(func(e *sim.Engine, arg uint64) {
		log = append(log, string(rune('a'+arg))+"@"+e.Now().String())
	}))
	lane := e.NewLane()
	first := e.Register(sim.HandlerFunc(func(e *sim.Engine, arg uint64) {
		log = append(log, "first")
		e.Defer(note, 0)                 // a
		e.Defer(note, 1)                 // b
		e.ScheduleLane(lane, 5, note, 2) // c: due now, scheduled after the defers
		e.ScheduleID(5, note, 3)         // d: due now
		e.ScheduleID(6, note, 4)         // e: later
	}))
	e.ScheduleID(5, first, 0)
	if err := e.Run(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	want := []string{"first", "c@5ns", "d@5ns", "a@5ns", "b@5ns", "e@6ns"}
	if len(log) != len(want) {
		t.Fatalf("fired %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("fired %v, want %v", log, want)
		}
	}
	if e.Pending() != 0 {
		t.Fatalf("%d pending", e.Pending())
	}
}
