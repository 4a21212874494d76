package workloads

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Trace formats.
const (
	FormatAzure2019 = "azure2019" // per-minute counts per function + percentile files
	FormatAzure2021 = "azure2021" // one row per invocation: app,func,end_timestamp,duration
	FormatCSV       = "csv"       // one row per invocation, columns by header name
)

// TraceFormats lists the formats, for messages.
var TraceFormats = []string{FormatAzure2019, FormatAzure2021, FormatCSV}

// Input names a trace file and opens it, once per pass: a trace is read
// again for every system simulated, never held in memory.
type Input struct {
	Name string // as shown in messages
	Open func() (io.ReadCloser, error)
}

// FileInput is the Input of a file on disk, which must be a regular file:
// opening a FIFO blocks until someone writes to it, /dev/zero never ends,
// and a directory is not a trace. They are refused before being opened.
func FileInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) {
		if st, err := os.Stat(path); err != nil {
			return nil, err
		} else if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is %s; want a regular file", path, fileKind(st.Mode()))
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() { // the path may have been replaced
			f.Close()
			return nil, fmt.Errorf("%s is not a regular file; want a trace file", path)
		}
		return f, nil
	}}
}

// fileKind names what a non-regular file is.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// TraceError is a problem with a trace file, at a line and column when it
// is about one cell (Line and Column from 1; 0 when not known).
type TraceError struct {
	File         string
	Line, Column int
	Msg          string
}

// Where is "line L, column C" (or less when not known).
func (e *TraceError) Where() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d, column %d", e.Line, e.Column)
	case e.Line > 0:
		return fmt.Sprintf("line %d", e.Line)
	}
	return ""
}

func (e *TraceError) Error() string {
	if w := e.Where(); w != "" {
		return e.File + ": " + w + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}

// TraceOptions choose what of a trace is replayed and how.
type TraceOptions struct {
	Format      string
	Invocations Input
	Durations   *Input // azure2019: execution-time percentiles per function (required)
	Memory      *Input // azure2019: memory per function or app (optional)

	// Spread places an azure2019 minute's calls within the minute:
	// "uniform" evenly (the i-th of n at (i+½)/n of the minute), "poisson"
	// at n independent uniform times (a Poisson process given its count).
	Spread string
	Select Selection
	// From and To cut a window of trace time (To 0: to the end); trace
	// time From is replay time 0.
	From, To sim.Time
	// Scale multiplies the rate: each counted call (azure2019) or row is
	// replayed ⌊Scale⌋ times, and once more with probability frac(Scale).
	Scale float64
	// SkipBadRows skips malformed rows and counts them instead of failing.
	SkipBadRows bool
	// MinMemoryMB is the least memory a function is given (azure2019 memory
	// is what the app used, a platform allocates at least its minimum).
	MinMemoryMB int
	// MemoryMB is the memory of functions the trace gives none for.
	MemoryMB int
	// Exec is the execution time of csv rows with no duration column.
	Exec dist.Spec
	// ReorderWindow bounds how far out of arrival order rows may be
	// (azure2021 rows are in end order, arrival = end − duration).
	ReorderWindow sim.Time
	// Columns names the csv columns (defaults: offset or timestamp,
	// function, duration, memory_mb).
	Columns Columns
	// Context, if set, stops a pass over the file when it is done (Ctrl-C):
	// a trace of gigabytes takes a while to read. nil: never.
	Context context.Context
}

// Columns are the header names of a generic csv trace.
type Columns struct {
	Time, Function, Duration, Memory string
}

// Selection picks functions of a trace. Filters apply in order: Functions,
// Apps and Triggers keep functions whose hash (name) or app starts with one
// of the given prefixes, or whose trigger is one given; Top keeps the N with
// most calls in the window; Sample keeps N of those at random.
type Selection struct {
	Functions, Apps, Triggers []string
	Top, Sample               int
}

// TraceFunction is one function of a trace.
type TraceFunction struct {
	Function
	Hash, App, Trigger string
	Calls              int64 // in the window, before Scale
}

// TraceStats count what a pass over the trace found.
type TraceStats struct {
	Rows          int64 // data rows read
	SkippedRows   int64 // malformed rows skipped (SkipBadRows)
	Calls         int64 // calls of the selected functions in the window, before Scale
	OutsideWindow int64 // calls of selected functions outside the window
	// ExecSeconds sums the durations of the calls in the window (row
	// traces with a duration column), for an estimate of the load.
	ExecSeconds float64
}

// Trace is a checked trace: its function table and what a replay needs.
type Trace struct {
	Format    string
	Functions []TraceFunction
	Stats     TraceStats
	opts      TraceOptions
	az19      *az2019 // azure2019: per-minute counts of the selected functions
	rows      *rowTable
}

// Minutes is the number of per-minute counts an azure2019 trace keeps per
// function (0 for other formats).
func (t *Trace) Minutes() int {
	if t.az19 == nil {
		return 0
	}
	return t.az19.minutes
}

// Table is the function table, for NewSystem and reports.
func (t *Trace) Table() []Function {
	fns := make([]Function, len(t.Functions))
	for i, f := range t.Functions {
		fns[i] = f.Function
	}
	return fns
}

// ReadTrace reads and checks a trace: every row is parsed once here, so a
// malformed row is reported before any simulation.
func ReadTrace(seed sim.Seed, o TraceOptions) (*Trace, error) {
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.Spread == "" {
		o.Spread = "poisson"
	}
	switch o.Format {
	case FormatAzure2019:
		return readAzure2019(seed, o)
	case FormatAzure2021, FormatCSV:
		return readRows(seed, o)
	}
	return nil, fmt.Errorf("workloads: trace format %q; want one of %s", o.Format, strings.Join(TraceFormats, ", "))
}

// NewSource replays the trace: a fresh pass over the file, the same
// invocations for the same seed.
func (t *Trace) NewSource(seed sim.Seed, horizon sim.Time) (Source, error) {
	if t.az19 != nil {
		return t.az19.source(t, seed, horizon), nil
	}
	return t.rows.source(t, seed, horizon)
}

// csvFile reads a comma-separated file line by line into reused fields:
// no allocation per row. Quoted fields are not supported (no trace format
// here quotes), and a quote is an error rather than a wrong parse.
type csvFile struct {
	name   string
	rc     io.ReadCloser
	sc     *bufio.Scanner
	ctx    context.Context // nil: not cancellable
	cerr   error           // the context's error, once it stopped a pass
	line   int
	fields [][]byte
	header []string
	skip   bool
}

// maxLine bounds one line of a trace: an azure2019 row of 1,440 counts is
// ~10 KB.
const maxLine = 16 << 20

func openCSV(in Input, skip bool, ctx context.Context) (*csvFile, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, &TraceError{File: in.Name, Msg: fmt.Sprintf("cannot open: %v", err)}
	}
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	c := &csvFile{name: in.Name, rc: rc, sc: sc, skip: skip, ctx: ctx}
	if !c.next() {
		rc.Close()
		if err := c.err(); err != nil {
			return nil, err
		}
		return nil, &TraceError{File: in.Name, Msg: "empty file; want a header row naming the columns, then data rows"}
	}
	// A UTF-8 byte order mark (spreadsheets write one) is not part of the
	// first column's name.
	if len(c.fields) > 0 {
		c.fields[0] = bytes.TrimPrefix(c.fields[0], []byte("\xef\xbb\xbf"))
	}
	for _, f := range c.fields {
		c.header = append(c.header, strings.TrimSpace(string(f)))
	}
	return c, nil
}

// next reads the next non-blank line into fields. Every 4,096 lines it
// looks at the context: a pass that skips most of a large file (rows
// outside the window) must still stop on Ctrl-C.
func (c *csvFile) next() bool {
	for c.sc.Scan() {
		c.line++
		if c.ctx != nil && c.line&4095 == 0 {
			if err := c.ctx.Err(); err != nil {
				c.cerr = err
				return false
			}
		}
		b := bytes.TrimRight(c.sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		c.fields = c.fields[:0]
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				c.fields = append(c.fields, b)
				break
			}
			c.fields = append(c.fields, b[:i])
			b = b[i+1:]
		}
		return true
	}
	return false
}

// err is why the pass ended early: the context (returned as is, so a
// caller sees context.Canceled), or a read error or over-long line at a line.
func (c *csvFile) err() error {
	if c.cerr != nil {
		return c.cerr
	}
	if err := c.sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("a line longer than %d MB; want one row per line", maxLine>>20)
		}
		return &TraceError{File: c.name, Line: c.line + 1, Msg: msg}
	}
	return nil
}

func (c *csvFile) close() { c.rc.Close() }

// bad is a problem with column col (0-based) of the current line. A long
// cell is cut short: a 16 MB field is not echoed whole.
func (c *csvFile) bad(col int, format string, args ...any) *TraceError {
	for i, a := range args {
		if b, ok := a.([]byte); ok && len(b) > 80 {
			args[i] = fmt.Sprintf("%s… (%d bytes)", b[:60], len(b))
		}
	}
	msg := fmt.Sprintf(format, args...)
	if col >= 0 && col < len(c.header) {
		msg = fmt.Sprintf("%s: %s", c.header[col], msg)
	}
	return &TraceError{File: c.name, Line: c.line, Column: col + 1, Msg: msg}
}

// checkWidth reports a row whose column count differs from the header's.
func (c *csvFile) checkWidth() *TraceError {
	if len(c.fields) == len(c.header) {
		return nil
	}
	e := &TraceError{File: c.name, Line: c.line, Msg: fmt.Sprintf("%d columns, want %d as in the header", len(c.fields), len(c.header))}
	if len(c.fields) < len(c.header) {
		e.Msg += " (a truncated line?)"
	}
	return e
}

// quoted reports a field with a quote: not supported.
func (c *csvFile) quoted() *TraceError {
	for i, f := range c.fields {
		if bytes.IndexByte(f, '"') >= 0 {
			return c.bad(i, "quoted fields are not supported, found %q", f)
		}
	}
	return nil
}

// col finds a header column by name (case-insensitive), -1 if absent.
func (c *csvFile) col(name string) int {
	for i, h := range c.header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

func (c *csvFile) float(col int, what string) (float64, *TraceError) {
	f := bytes.TrimSpace(c.fields[col])
	v, err := strconv.ParseFloat(string(f), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, c.bad(col, "want %s, found %q", what, f)
	}
	return v, nil
}

// shortNames names functions by a prefix of their hash, long enough to be
// unique (at least 10 characters), so tables stay readable.
func shortNames(full []string) []string {
	for n := 10; ; n += 4 {
		out := make([]string, len(full))
		seen := map[string]bool{}
		clash := false
		for i, f := range full {
			s := f
			if len(s) > n {
				s = s[:n]
			}
			clash = clash || seen[s]
			seen[s] = true
			out[i] = s
		}
		if !clash {
			return out
		}
		longest := 0
		for _, f := range full {
			longest = max(longest, len(f))
		}
		if n >= longest {
			return full // equal full names are the caller's problem
		}
	}
}

// pick applies the selection to candidates (hash, app, trigger, calls),
// returning the kept indices in their original order.
func (s Selection) pick(seed sim.Seed, cands []TraceFunction) []int {
	var keep []int
	for i, f := range cands {
		if matchPrefix(s.Functions, f.Hash) && matchPrefix(s.Apps, f.App) &&
			(len(s.Triggers) == 0 || slices.Contains(s.Triggers, f.Trigger)) {
			keep = append(keep, i)
		}
	}
	if s.Top > 0 && s.Top < len(keep) {
		// Most calls first; ties by file order, so the choice is stable.
		sort.SliceStable(keep, func(a, b int) bool { return cands[keep[a]].Calls > cands[keep[b]].Calls })
		keep = keep[:s.Top]
		sort.Ints(keep)
	}
	if s.Sample > 0 && s.Sample < len(keep) {
		r := seed.Stream("trace/sample")
		r.Shuffle(len(keep), func(a, b int) { keep[a], keep[b] = keep[b], keep[a] })
		keep = keep[:s.Sample]
		sort.Ints(keep)
	}
	return keep
}

func matchPrefix(prefixes []string, s string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// scaler turns one counted call into ⌊x⌋ or ⌊x⌋+1 replays.
type scaler struct {
	whole int64
	frac  float64
	r     *rand.Rand
}

func newScaler(seed sim.Seed, x float64) scaler {
	w := math.Floor(x)
	return scaler{whole: int64(w), frac: x - w, r: seed.Stream("trace/scale")}
}

// exactCopies is the largest count whose extra copies are drawn one by one;
// above, one binomial draw gives their number: a minute of 4 billion calls
// at scale 1.5 took 21 s of Float64 calls, in one Next, deaf to Ctrl-C.
const exactCopies = 1 << 16

func (s scaler) copies(n int64) int64 {
	if s.frac == 0 {
		return n * s.whole
	}
	out := n * s.whole
	if n > exactCopies {
		return out + int64(distuv.Binomial{N: float64(n), P: s.frac, Src: s.r}.Rand())
	}
	for range n {
		if s.r.Float64() < s.frac {
			out++
		}
	}
	return out
}
