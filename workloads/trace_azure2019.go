package workloads

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// The Azure Functions 2019 trace (Shahrad et al., "Serverless in the Wild",
// USENIX ATC 2020; CC-BY 4.0) gives, per function and day, one row of
// per-minute invocation counts:
//
//	HashOwner,HashApp,HashFunction,Trigger,1,2,...,1440
//
// with companion files of execution-time percentiles per function
// (percentile_Average_0,_1,_25,_50,_75,_99,_100, milliseconds) and of
// allocated memory per app or function (AverageAllocatedMb).

// az2019 keeps the per-minute counts of the selected functions: functions
// × minutes integers, whatever the number of invocations.
type az2019 struct {
	minutes int      // in the window
	counts  []uint32 // counts[f*minutes+m]
}

const minute = sim.Time(time.Minute)

// MaxCountCells bounds the per-minute counts an azure2019 replay holds (4
// bytes each): 1 GB, the whole 14-day trace's busiest day is a fifth of it.
const MaxCountCells = 1 << 28

// az19Percentiles are the execution-time percentiles of the durations file.
var az19Percentiles = []float64{0, 1, 25, 50, 75, 99, 100}

func readAzure2019(seed sim.Seed, o TraceOptions) (*Trace, error) {
	if o.Durations == nil {
		return nil, &TraceError{File: o.Invocations.Name, Msg: "an azure2019 trace needs its durations file (execution-time percentiles per function)"}
	}
	if o.From%minute != 0 || o.To%minute != 0 {
		return nil, fmt.Errorf("workloads: azure2019 window %v to %v: want whole minutes (the trace counts per minute)", o.From, o.To)
	}
	t := &Trace{Format: FormatAzure2019, opts: o}

	// Pass 1: every row checked, calls in and out of the window counted.
	var cands []TraceFunction
	var owners []string
	var rowOf []int     // data row ordinal of each candidate
	var outside []int64 // calls outside the window, per candidate
	var width, lo, hi int
	err := scan19(o, func(c *csvFile, row int, lay layout19) *TraceError {
		width = lay.minutes
		lo, hi = int(o.From/minute), width
		if o.To > 0 {
			hi = min(width, int(o.To/minute))
		}
		var in, out int64
		for m := 0; m < width; m++ {
			v, err := count19(c, lay.first+m)
			if err != nil {
				return err
			}
			if m >= lo && m < hi {
				in += int64(v)
			} else {
				out += int64(v)
			}
		}
		cands = append(cands, TraceFunction{Hash: string(c.fields[lay.fn]), App: string(c.fields[lay.app]),
			Trigger: string(c.fields[lay.trigger]), Calls: in})
		owners = append(owners, string(c.fields[lay.owner]))
		rowOf = append(rowOf, row)
		outside = append(outside, out)
		return nil
	}, &t.Stats)
	if err != nil {
		return nil, err
	}
	keep := o.Select.pick(seed, cands)

	// Companions: execution times (required per function) and memory.
	durs, err := readPercentiles19(o)
	if err != nil {
		return nil, err
	}
	mems, err := readMemory19(o)
	if err != nil {
		return nil, err
	}
	var hashes []string
	var chosen []int
	for _, i := range keep {
		f := cands[i]
		key := owners[i] + "," + f.App + "," + f.Hash
		spec, ok := durs[key]
		if !ok {
			spec, ok = durs[f.Hash]
		}
		if !ok {
			if o.SkipBadRows {
				t.Stats.SkippedRows++
				continue
			}
			return nil, &TraceError{File: o.Durations.Name, Msg: fmt.Sprintf("no row for function %s (app %s) of %s; every replayed function needs its execution-time percentiles (or set skip_bad_rows)",
				f.Hash, f.App, o.Invocations.Name)}
		}
		f.Exec = spec
		f.MemoryMB = max(o.MemoryMB, 1)
		if mb, ok := mems[key]; ok {
			f.MemoryMB = mb
		} else if mb, ok := mems[owners[i]+","+f.App]; ok {
			f.MemoryMB = mb
		}
		f.MemoryMB = max(f.MemoryMB, o.MinMemoryMB)
		f.Weight = 1
		t.Functions = append(t.Functions, f)
		hashes = append(hashes, f.Hash)
		chosen = append(chosen, rowOf[i])
		t.Stats.Calls += f.Calls
		t.Stats.OutsideWindow += outside[i]
	}
	for i, n := range shortNames(hashes) {
		t.Functions[i].Name = n
	}
	if len(t.Functions) == 0 {
		return nil, &TraceError{File: o.Invocations.Name, Msg: "no function of the trace is selected; loosen the selection"}
	}

	// Pass 2: the counts of the chosen rows, in the window.
	az := &az2019{minutes: max(hi-lo, 0)}
	if cells := len(chosen) * az.minutes; cells > MaxCountCells {
		return nil, &TraceError{File: o.Invocations.Name, Msg: fmt.Sprintf(
			"%d functions × %d minutes is %d counts (%d MB) to hold; want at most %d: narrow select (top, sample) or window",
			len(chosen), az.minutes, cells, cells*4>>20, MaxCountCells)}
	}
	az.counts = make([]uint32, len(chosen)*az.minutes)
	slot := map[int]int{}
	for k, r := range chosen {
		slot[r] = k
	}
	var discard TraceStats
	err = scan19(o, func(c *csvFile, row int, lay layout19) *TraceError {
		// Every count is parsed again, so a bad row is skipped in this pass
		// exactly as in the first and the row ordinals agree.
		k, chosen := slot[row]
		for m := 0; m < width; m++ {
			v, err := count19(c, lay.first+m)
			if err != nil {
				return err
			}
			if chosen && m >= lo && m < hi {
				az.counts[k*az.minutes+m-lo] = v
			}
		}
		return nil
	}, &discard)
	if err != nil {
		return nil, err
	}
	t.az19 = az
	return t, nil
}

// layout19 are the column positions of an invocations file.
type layout19 struct {
	owner, app, fn, trigger int
	first, minutes          int // first minute column, number of minute columns
}

// scan19 calls row for every good data row of the invocations file (row =
// ordinal among good rows), skipping and counting bad rows when asked.
func scan19(o TraceOptions, row func(c *csvFile, row int, lay layout19) *TraceError, st *TraceStats) error {
	c, err := openCSV(o.Invocations, o.SkipBadRows, o.Context)
	if err != nil {
		return err
	}
	defer c.close()
	lay := layout19{owner: c.col("HashOwner"), app: c.col("HashApp"), fn: c.col("HashFunction"), trigger: c.col("Trigger"), first: -1}
	for _, need := range []struct {
		name string
		at   int
	}{{"HashOwner", lay.owner}, {"HashApp", lay.app}, {"HashFunction", lay.fn}, {"Trigger", lay.trigger}} {
		if need.at < 0 {
			return &TraceError{File: c.name, Line: 1, Msg: fmt.Sprintf("no %s column; want HashOwner,HashApp,HashFunction,Trigger,1,2,... (azure2019 invocations)", need.name)}
		}
	}
	prev := 0
	for i, h := range c.header {
		n, err := strconv.Atoi(h)
		if err != nil {
			if lay.first >= 0 {
				return &TraceError{File: c.name, Line: 1, Column: i + 1, Msg: fmt.Sprintf("want a minute number after minute %d, found %q", prev, h)}
			}
			continue
		}
		switch {
		case lay.first < 0:
			lay.first = i
		case n != prev+1:
			return &TraceError{File: c.name, Line: 1, Column: i + 1, Msg: fmt.Sprintf("minute %d follows minute %d; want consecutive minutes", n, prev)}
		}
		prev = n
		lay.minutes++
	}
	if lay.minutes == 0 {
		return &TraceError{File: c.name, Line: 1, Msg: "no minute columns (1, 2, ...) in the header"}
	}
	good := 0
	for c.next() {
		st.Rows++
		e := c.checkWidth()
		if e == nil {
			e = c.quoted()
		}
		if e == nil {
			e = row(c, good, lay)
		}
		if e != nil {
			if !o.SkipBadRows {
				return e
			}
			st.SkippedRows++
			continue
		}
		good++
	}
	return c.err()
}

func count19(c *csvFile, col int) (uint32, *TraceError) {
	f := bytes.TrimSpace(c.fields[col])
	v, err := strconv.ParseUint(string(f), 10, 32)
	if err != nil {
		return 0, c.bad(col, "want a count of invocations, an integer >= 0, found %q", f)
	}
	return uint32(v), nil
}

// readPercentiles19 maps "owner,app,function" (and the function hash
// alone) to the empirical distribution of its percentiles, in seconds.
func readPercentiles19(o TraceOptions) (map[string]dist.Spec, error) {
	c, err := openCSV(*o.Durations, o.SkipBadRows, o.Context)
	if err != nil {
		return nil, err
	}
	defer c.close()
	owner, app, fn := c.col("HashOwner"), c.col("HashApp"), c.col("HashFunction")
	if fn < 0 {
		return nil, &TraceError{File: c.name, Line: 1, Msg: "no HashFunction column; want the azure2019 durations file"}
	}
	cols := make([]int, len(az19Percentiles))
	for i, p := range az19Percentiles {
		name := "percentile_Average_" + strconv.FormatFloat(p, 'f', -1, 64)
		if cols[i] = c.col(name); cols[i] < 0 {
			return nil, &TraceError{File: c.name, Line: 1, Msg: "no " + name + " column; want the azure2019 durations file"}
		}
	}
	out := map[string]dist.Spec{}
	for c.next() {
		e := c.checkWidth()
		var spec dist.Spec
		if e == nil {
			points := map[float64]float64{}
			for i, p := range az19Percentiles {
				v, err := c.float(cols[i], "a duration in milliseconds >= 0")
				if err == nil && v < 0 {
					err = c.bad(cols[i], "negative duration %v ms; want >= 0", v)
				}
				if err != nil {
					e = err
					break
				}
				points[p] = v / 1000
			}
			if e == nil {
				emp, err := dist.NewEmpirical(points)
				if err != nil {
					e = &TraceError{File: c.name, Line: c.line, Msg: err.Error()}
				}
				spec = emp
			}
		}
		if e != nil {
			if o.SkipBadRows {
				continue // a function without a good row is skipped, and counted, when it is selected
			}
			return nil, e
		}
		h := string(c.fields[fn])
		out[h] = spec
		if owner >= 0 && app >= 0 {
			out[string(c.fields[owner])+","+string(c.fields[app])+","+h] = spec
		}
	}
	return out, c.err()
}

// readMemory19 maps "owner,app,function" (or "owner,app" for the original
// per-app file) to memory in MB, AverageAllocatedMb rounded up.
func readMemory19(o TraceOptions) (map[string]int, error) {
	out := map[string]int{}
	if o.Memory == nil {
		return out, nil
	}
	c, err := openCSV(*o.Memory, o.SkipBadRows, o.Context)
	if err != nil {
		return nil, err
	}
	defer c.close()
	owner, app, fn, avg := c.col("HashOwner"), c.col("HashApp"), c.col("HashFunction"), c.col("AverageAllocatedMb")
	if owner < 0 || app < 0 || avg < 0 {
		return nil, &TraceError{File: c.name, Line: 1, Msg: "want columns HashOwner, HashApp and AverageAllocatedMb (azure2019 memory file)"}
	}
	for c.next() {
		e := c.checkWidth()
		var v float64
		if e == nil {
			v, e = c.float(avg, "memory in MB > 0")
			if e == nil && v <= 0 {
				e = c.bad(avg, "want memory in MB > 0, found %v", v)
			}
		}
		if e != nil {
			if o.SkipBadRows {
				continue
			}
			return nil, e
		}
		key := string(c.fields[owner]) + "," + string(c.fields[app])
		if fn >= 0 {
			key += "," + string(c.fields[fn])
		}
		out[key] = int(math.Ceil(v))
	}
	return out, c.err()
}

// az19Source replays per-minute counts in time order: in each minute, each
// function's calls are placed (evenly or as sorted uniforms, generated in
// order) and the functions merged by a heap of their next call. Memory:
// a few words per function.
type az19Source struct {
	az      *az2019
	fns     int
	horizon sim.Time
	uniform bool
	r       *rand.Rand
	sc      scaler
	exec    []dist.Rander

	minute int     // next minute to load
	start  float64 // ns, start of the loaded minute
	n, i   []int64 // calls this minute, index of the next
	u      []float64
	at     []float64 // ns, next call of each function
	heap   []int32
}

func (az *az2019) source(t *Trace, seed sim.Seed, horizon sim.Time) Source {
	f := len(t.Functions)
	s := &az19Source{az: az, fns: f, horizon: horizon, uniform: t.opts.Spread == "uniform",
		r: seed.Stream("trace/spread"), sc: newScaler(seed, t.opts.Scale),
		n: make([]int64, f), i: make([]int64, f), u: make([]float64, f), at: make([]float64, f), heap: make([]int32, 0, f)}
	for _, fn := range t.Functions {
		s.exec = append(s.exec, fn.Exec.New(seed.Source("exec/"+fn.Name)))
	}
	return s
}

const minuteNS = float64(time.Minute)

// advance sets at[f] to function f's next call in the loaded minute.
func (s *az19Source) advance(f int32) {
	n, i := s.n[f], s.i[f]
	if s.uniform {
		s.at[f] = s.start + (float64(i)+0.5)*minuteNS/float64(n)
	} else {
		// The (i+1)-th smallest of n uniforms given the i-th, u:
		// u + (1−u)(1 − V^(1/(n−i))), V uniform on (0, 1].
		v := 1 - s.r.Float64()
		s.u[f] += (1 - s.u[f]) * -math.Expm1(math.Log(v)/float64(n-i))
		s.at[f] = s.start + s.u[f]*minuteNS
	}
	s.at[f] = math.Min(s.at[f], s.start+minuteNS-1)
}

func (s *az19Source) less(a, b int32) bool {
	return s.at[a] < s.at[b] || s.at[a] == s.at[b] && a < b
}

func (s *az19Source) down(k int) {
	h := s.heap
	for {
		c := 2*k + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && s.less(h[c+1], h[c]) {
			c++
		}
		if !s.less(h[c], h[k]) {
			return
		}
		h[k], h[c] = h[c], h[k]
		k = c
	}
}

func (s *az19Source) load() bool {
	for len(s.heap) == 0 {
		if s.minute >= s.az.minutes || sim.Time(s.minute)*minute >= s.horizon {
			return false
		}
		m := s.minute
		s.start = float64(m) * minuteNS
		s.minute++
		for f := 0; f < s.fns; f++ {
			c := s.sc.copies(int64(s.az.counts[f*s.az.minutes+m]))
			if c == 0 {
				continue
			}
			s.n[f], s.i[f], s.u[f] = c, 0, 0
			s.advance(int32(f))
			s.heap = append(s.heap, int32(f))
		}
		for k := len(s.heap)/2 - 1; k >= 0; k-- {
			s.down(k)
		}
	}
	return true
}

// Next implements Source.
func (s *az19Source) Next(inv *Invocation) bool {
	if !s.load() {
		return false
	}
	f := s.heap[0]
	t := sim.Time(s.at[f])
	if t >= s.horizon {
		s.heap = s.heap[:0]
		s.minute = s.az.minutes
		return false
	}
	s.i[f]++
	if s.i[f] < s.n[f] {
		s.advance(f)
	} else {
		last := len(s.heap) - 1
		s.heap[0] = s.heap[last]
		s.heap = s.heap[:last]
	}
	s.down(0)
	*inv = Invocation{At: t, Exec: dist.Seconds(s.exec[f].Rand()), Fn: f}
	return true
}

// Err implements Source: the counts were checked when the trace was read.
func (s *az19Source) Err() error { return nil }
