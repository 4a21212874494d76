package workloads

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Row traces (azure2021, csv) have one row per invocation. Rows need not
// be in arrival order: Azure 2021 rows are in end order (arrival = end −
// duration). A reordering heap holds the rows not yet safe to emit; a row
// is safe once every later row must arrive after it, which holds when rows
// are out of arrival order by at most ReorderWindow. A row further out of
// order is an error (never a silent reordering). The heap holds the rows
// of one window: memory grows with rate × window, not with the trace.

// rowLayout are the column positions of a row trace.
type rowLayout struct {
	app, fn, t, dur, mem int  // -1 when absent
	end                  bool // t is the end time (azure2021), else the arrival
	stamp                bool // t is a timestamp (RFC 3339 or Unix seconds): replay from the first row's
}

// rowTable is what a replay of a row trace needs beyond the options.
type rowTable struct {
	lay    rowLayout
	index  map[string]int32 // function hash -> index in Trace.Functions, -1 if not selected
	origin int64            // ns, trace time of replay time 0 before the window (timestamps)
	// sorted: every row arrives no earlier than the row above it, so a
	// replay streams rows straight through, without the reordering heap.
	sorted bool
}

func readRows(seed sim.Seed, o TraceOptions) (*Trace, error) {
	if o.ReorderWindow <= 0 {
		o.ReorderWindow = 10 * time.Minute
	}
	t := &Trace{Format: o.Format, opts: o}
	rt := &rowTable{index: map[string]int32{}}
	// Pass 1: every row checked, the function table built.
	var cands []TraceFunction
	var outside []int64
	p, err := newRowParser(o, rt, true)
	if err != nil {
		return nil, err
	}
	defer p.c.close()
	rt.sorted = true
	prev := int64(math.MinInt64)
	for {
		ok, e := p.next()
		if e != nil {
			return nil, e
		}
		if !ok {
			break
		}
		if p.bad {
			continue
		}
		if p.arrival < prev {
			rt.sorted = false
		}
		prev = p.arrival
		k, seen := rt.index[string(p.hash)]
		if !seen {
			h := string(p.hash)
			k = int32(len(cands))
			rt.index[h] = k
			cands = append(cands, TraceFunction{Hash: h, App: string(p.app)})
			cands[k].MemoryMB = o.MemoryMB
			outside = append(outside, 0)
		}
		if p.mem > 0 {
			cands[k].MemoryMB = max(cands[k].MemoryMB, p.mem)
		}
		if p.inWindow() {
			cands[k].Calls++
			if p.duration > 0 {
				p.st.ExecSeconds += float64(p.duration) / 1e9
			}
		} else {
			outside[k]++
		}
	}
	t.Stats = p.st
	if len(cands) == 0 {
		return nil, &TraceError{File: o.Invocations.Name, Msg: "no invocation rows; want a header row and at least one row"}
	}
	keep := o.Select.pick(seed, cands)
	for h := range rt.index {
		rt.index[h] = -1
	}
	var hashes []string
	for _, i := range keep {
		f := cands[i]
		f.Weight = 1
		f.MemoryMB = max(f.MemoryMB, o.MinMemoryMB, 1)
		f.Exec = o.Exec
		if p.lay.dur >= 0 || f.Exec == nil {
			f.Exec = dist.Constant{} // the rows carry the durations; this Spec is never drawn
		}
		rt.index[f.Hash] = int32(len(t.Functions))
		t.Functions = append(t.Functions, f)
		hashes = append(hashes, f.Hash)
		t.Stats.Calls += f.Calls
		t.Stats.OutsideWindow += outside[i]
	}
	if p.lay.fn >= 0 && o.Format == FormatAzure2021 {
		hashes = shortNames(hashes)
	}
	for i, n := range hashes {
		t.Functions[i].Name = n
	}
	rt.lay, rt.origin = p.lay, p.origin
	t.rows = rt
	return t, nil
}

// rowParser reads rows one at a time into its fields (no allocation per
// row), checking each the same way in every pass.
type rowParser struct {
	o      TraceOptions
	c      *csvFile
	lay    rowLayout
	st     TraceStats
	origin int64
	first  bool // no row read yet (timestamps: the first sets the origin)
	mark   int64
	// the current row
	bad      bool
	hash     []byte
	app      []byte
	arrival  int64 // ns, trace time minus origin
	duration int64 // ns, -1 when the trace has none
	mem      int
}

func newRowParser(o TraceOptions, rt *rowTable, first bool) (*rowParser, error) {
	c, err := openCSV(o.Invocations, o.SkipBadRows, o.Context)
	if err != nil {
		return nil, err
	}
	p := &rowParser{o: o, c: c, first: true, mark: math.MinInt64}
	if !first {
		p.lay, p.origin, p.first = rt.lay, rt.origin, false
		return p, nil
	}
	lay := rowLayout{app: c.col("app"), fn: -1, t: -1, dur: -1, mem: -1}
	need := func(name, want string) (int, error) {
		i := c.col(name)
		if i < 0 {
			c.close()
			return -1, &TraceError{File: c.name, Line: 1, Msg: fmt.Sprintf("no %s column; want %s", name, want)}
		}
		return i, nil
	}
	if o.Format == FormatAzure2021 {
		const want = "app,func,end_timestamp,duration (azure2021)"
		if lay.fn, err = need("func", want); err == nil {
			if lay.t, err = need("end_timestamp", want); err == nil {
				lay.dur, err = need("duration", want)
			}
		}
		if _, e := need("app", want); err == nil && e != nil {
			err = e
		}
		lay.end = true
	} else {
		cols := o.Columns
		want := "a time column (offset in seconds, or timestamp), optional function, duration (seconds) and memory_mb"
		switch {
		case cols.Time != "":
			lay.t, err = need(cols.Time, want)
			lay.stamp = !equalFold(cols.Time, "offset")
		case c.col("offset") >= 0:
			lay.t = c.col("offset")
		case c.col("timestamp") >= 0:
			lay.t, lay.stamp = c.col("timestamp"), true
		default:
			_, err = need("offset", want+" (or name the time column in columns.time)")
		}
		opt := func(name, dflt string) int {
			if name != "" {
				i, e := need(name, want)
				if err == nil && e != nil {
					err = e
				}
				return i
			}
			return c.col(dflt)
		}
		lay.fn = opt(cols.Function, "function")
		lay.dur = opt(cols.Duration, "duration")
		lay.mem = opt(cols.Memory, "memory_mb")
	}
	if err != nil {
		return nil, err
	}
	p.lay = lay
	return p, nil
}

func equalFold(a, b string) bool { return bytes.EqualFold([]byte(a), []byte(b)) }

// inWindow reports whether the current row arrives in [From, To).
func (p *rowParser) inWindow() bool {
	return p.arrival >= int64(p.o.From) && (p.o.To == 0 || p.arrival < int64(p.o.To))
}

var defaultFn = []byte("default")

// next reads a row; bad rows (with SkipBadRows) come back with p.bad set
// and are counted. The error is for a bad row without SkipBadRows.
func (p *rowParser) next() (bool, error) {
	if !p.c.next() {
		if err := p.c.err(); err != nil {
			return false, err // a *TraceError, or the context's error
		}
		return false, nil
	}
	p.st.Rows++
	e := p.parse()
	if e != nil {
		if !p.o.SkipBadRows {
			return false, e
		}
		p.st.SkippedRows++
		p.bad = true
		return true, nil
	}
	p.bad = false
	return true, nil
}

func (p *rowParser) parse() *TraceError {
	c, lay := p.c, p.lay
	if e := c.checkWidth(); e != nil {
		return e
	}
	if e := c.quoted(); e != nil {
		return e
	}
	p.hash, p.app = defaultFn, nil
	if lay.fn >= 0 {
		p.hash = bytes.TrimSpace(c.fields[lay.fn])
		if len(p.hash) == 0 {
			return c.bad(lay.fn, "empty function name")
		}
	}
	if lay.app >= 0 {
		p.app = bytes.TrimSpace(c.fields[lay.app])
	}
	p.duration = -1
	if lay.dur >= 0 {
		d, e := c.float(lay.dur, "a duration in seconds >= 0")
		if e != nil {
			return e
		}
		if d < 0 {
			return c.bad(lay.dur, "negative duration %v s; want >= 0", d)
		}
		if d > dist.MaxSeconds {
			return c.bad(lay.dur, "duration %g s is beyond 50 years; want at most %g s", d, dist.MaxSeconds)
		}
		p.duration = int64(math.Round(d * 1e9))
	}
	p.mem = 0
	if lay.mem >= 0 {
		f := bytes.TrimSpace(c.fields[lay.mem])
		v, err := strconv.Atoi(string(f))
		if err != nil || v < 1 {
			return c.bad(lay.mem, "want memory in MB, an integer >= 1, found %q", f)
		}
		p.mem = v
	}
	t, e := p.time()
	if e != nil {
		return e
	}
	key := t // what the rows are ordered by
	if lay.end {
		t -= p.duration
	}
	if p.first {
		p.first = false
		if lay.stamp {
			p.origin = t
		}
	}
	t -= p.origin
	// The ordering bound: every row arrives no earlier than the latest key
	// seen minus the window.
	if key-p.origin > p.mark+int64(p.o.ReorderWindow) {
		p.mark = key - p.origin - int64(p.o.ReorderWindow)
	}
	if t < p.mark {
		return &TraceError{File: c.name, Line: c.line, Msg: fmt.Sprintf("arrival %v is more than reorder_window (%v) before a row above it; rows must be in arrival (azure2021: end) order within that window, raise reorder_window",
			time.Duration(t), p.o.ReorderWindow)}
	}
	p.arrival = t
	return nil
}

// time reads the time column: seconds (a number), or for a timestamp
// column an RFC 3339 time or Unix seconds; ns.
func (p *rowParser) time() (int64, *TraceError) {
	c, col := p.c, p.lay.t
	f := bytes.TrimSpace(c.fields[col])
	if v, err := strconv.ParseFloat(string(f), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		if !p.lay.stamp && !p.lay.end && v < 0 {
			return 0, c.bad(col, "negative offset %v s; want seconds >= 0 from the start", v)
		}
		if math.Abs(v) > maxTraceSeconds {
			return 0, c.bad(col, "time %g s is beyond %g s (146 years); want seconds from the start, or Unix seconds", v, maxTraceSeconds)
		}
		return int64(math.Round(v * 1e9)), nil
	}
	if p.lay.stamp {
		if ts, err := time.Parse(time.RFC3339Nano, string(f)); err == nil {
			if y := ts.Year(); y < 1900 || y > 2100 { // UnixNano is undefined beyond 1678 to 2262
				return 0, c.bad(col, "year %d; want a time from 1900 to 2100", y)
			}
			return ts.UnixNano(), nil
		}
		return 0, c.bad(col, "want an RFC 3339 time (2021-01-31T13:00:00Z) or Unix seconds, found %q", f)
	}
	return 0, c.bad(col, "want seconds, a number, found %q", f)
}

// maxTraceSeconds bounds a time in a row trace: half the range of int64
// nanoseconds, so a difference of two such times (end − duration, time −
// origin) cannot overflow.
const maxTraceSeconds = 4.6e9

// rowItem is one pending invocation in the reordering heap.
type rowItem struct {
	at, exec sim.Time
	seq      int64
	fn       int32
}

type rowSource struct {
	t       *Trace
	p       *rowParser
	horizon sim.Time
	sc      scaler
	exec    []dist.Rander // per function when rows carry no duration
	heap    []rowItem
	seq     int64
	eof     bool
	err     error
	// a sorted trace's current row, emitted left more times (Scale)
	left int64
	cur  rowItem
}

func (rt *rowTable) source(t *Trace, seed sim.Seed, horizon sim.Time) (Source, error) {
	p, err := newRowParser(t.opts, rt, false)
	if err != nil {
		return nil, err
	}
	s := &rowSource{t: t, p: p, horizon: horizon, sc: newScaler(seed, t.opts.Scale)}
	if rt.lay.dur < 0 {
		for _, f := range t.Functions {
			s.exec = append(s.exec, f.Exec.New(seed.Source("exec/"+f.Name)))
		}
	}
	return s, nil
}

func (s *rowSource) less(a, b int) bool {
	h := s.heap
	return h[a].at < h[b].at || h[a].at == h[b].at && h[a].seq < h[b].seq
}

func (s *rowSource) push(it rowItem) {
	s.heap = append(s.heap, it)
	for k := len(s.heap) - 1; k > 0; {
		up := (k - 1) / 2
		if !s.less(k, up) {
			break
		}
		s.heap[k], s.heap[up] = s.heap[up], s.heap[k]
		k = up
	}
}

func (s *rowSource) pop() rowItem {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	s.heap = h[:last]
	for k := 0; ; {
		c := 2*k + 1
		if c >= len(s.heap) {
			break
		}
		if c+1 < len(s.heap) && s.less(c+1, c) {
			c++
		}
		if !s.less(c, k) {
			break
		}
		s.heap[k], s.heap[c] = s.heap[c], s.heap[k]
		k = c
	}
	return top
}

// Next implements Source.
func (s *rowSource) Next(inv *Invocation) bool {
	if s.t.rows.sorted {
		return s.nextSorted(inv)
	}
	for {
		if len(s.heap) > 0 && (s.eof || int64(s.heap[0].at)+int64(s.t.opts.From) <= s.p.mark) {
			it := s.pop()
			if it.at >= s.horizon {
				s.stop()
				return false
			}
			*inv = Invocation{At: it.at, Exec: it.exec, Fn: it.fn}
			return true
		}
		if s.eof {
			return false
		}
		s.read()
	}
}

func (s *rowSource) stop() {
	s.heap = s.heap[:0]
	if !s.eof {
		s.eof = true
		s.p.c.close()
	}
}

// nextSorted is Next for a sorted trace: each row is emitted as it is
// read, in the order the heap would give (time, then row).
func (s *rowSource) nextSorted(inv *Invocation) bool {
	for s.left == 0 {
		if s.eof {
			return false
		}
		fn, ok := s.row()
		if !ok {
			continue
		}
		at := sim.Time(s.p.arrival - int64(s.t.opts.From))
		if at >= s.horizon {
			s.stop()
			return false
		}
		s.left = s.sc.copies(1)
		s.cur = rowItem{at: at, exec: sim.Time(s.p.duration), fn: fn}
	}
	s.left--
	exec := s.cur.exec
	if exec < 0 {
		exec = dist.Seconds(s.exec[s.cur.fn].Rand())
	}
	*inv = Invocation{At: s.cur.at, Exec: exec, Fn: s.cur.fn}
	return true
}

// row reads the next row and returns its function, or false for a row not
// replayed (bad, outside the window, not selected) or at the end of the
// file or an error (s.eof set).
func (s *rowSource) row() (int32, bool) {
	ok, e := s.p.next()
	if e != nil {
		s.err = e
		s.stop()
		return 0, false
	}
	if !ok {
		s.eof = true
		s.p.c.close()
		return 0, false
	}
	p := s.p
	if p.bad || !p.inWindow() {
		return 0, false
	}
	fn, known := s.t.rows.index[string(p.hash)]
	if !known {
		s.err = &TraceError{File: p.c.name, Line: p.c.line, Msg: "function " + string(p.hash) + " was not in the file when it was first read; has the file changed?"}
		s.stop()
		return 0, false
	}
	return fn, fn >= 0
}

// read takes one row into the heap (or notes the end of the file).
func (s *rowSource) read() {
	fn, ok := s.row()
	if !ok {
		return
	}
	p := s.p
	n := s.sc.copies(1)
	at := sim.Time(p.arrival - int64(s.t.opts.From))
	for range n {
		exec := sim.Time(p.duration)
		if p.duration < 0 {
			exec = dist.Seconds(s.exec[fn].Rand())
		}
		s.push(rowItem{at: at, exec: exec, seq: s.seq, fn: fn})
		s.seq++
	}
}

// Err implements Source.
func (s *rowSource) Err() error { return s.err }
