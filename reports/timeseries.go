package reports

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// TimeseriesHeader is the first line of every <system>.timeseries.csv.
// docs/reports.md describes each column.
var TimeseriesHeader = []string{"window_start_s", "window_end_s", "arrivals", "completions", "cold_starts",
	"rejections", "timeouts", "instances_starting", "instances_busy", "instances_idle", "in_service",
	"queue_length", "latency_p50_ms", "latency_p99_ms", "cost_usd", "cost_usd_cumulative",
	// Added with the invocation layer (issue 17), after the first sixteen
	// so that readers by position keep working; ReadDir reads files
	// written before them too.
	"failed", "dead_lettered"}

// timeseriesV1 is the columns of a time series written before failed and
// dead_lettered were added.
const timeseriesV1 = 16

// Timeseries streams one system's time series as CSV: it observes the
// system's records (as a models.Observer) and writes one row each time a
// window closes (Sample, called by models.SimulateWith), then forgets the
// window. Memory is one small latency sketch, reset every window.
//
// Sums over the rows equal the run's totals exactly: arrivals, completions,
// cold starts, rejections, timeouts, failures and dead letters are integer counts of the same
// records the Accumulator counts, and cost_usd is the exact decimal
// difference of consecutive cumulative costs, each rounded to 9 significant
// digits as results.json rounds, so the column telescopes to the total.
type Timeseries struct {
	cw    *csv.Writer
	start sim.Time

	win tally // the current window's counts and latency sketch

	prevCum *big.Rat
	err     error
}

var _ models.Observer = (*Timeseries)(nil)

// NewTimeseries writes the header to w; the first window starts at the
// warm-up (the measured window's start).
func NewTimeseries(w io.Writer, warmup sim.Time) *Timeseries {
	t := &Timeseries{cw: csv.NewWriter(w), start: warmup, win: newTally(), prevCum: new(big.Rat)}
	t.err = t.cw.Write(TimeseriesHeader)
	return t
}

// Arrived implements models.Observer.
func (t *Timeseries) Arrived(*workloads.Invocation) { t.win.requests++ }

// Ended implements models.Observer. A record belongs to the window in which
// the system reports it.
func (t *Timeseries) Ended(r *models.Record) { t.win.ended(r) }

// Sample closes the window ending now with the system's state s, writes its
// row and opens the next window. Its signature fits models.SimulateOptions.
func (t *Timeseries) Sample(now sim.Time, s models.Snapshot) {
	if t.err != nil {
		return
	}
	i := func(x int64) string { return strconv.FormatInt(x, 10) }
	var p50, p99 string
	if w := &t.win; w.completed > 0 {
		l := w.latency()
		p50 = strconv.FormatFloat(sig(l.P50), 'g', -1, 64)
		p99 = strconv.FormatFloat(sig(l.P99), 'g', -1, 64)
	}
	cumS := strconv.FormatFloat(sig(s.CostUSD), 'g', -1, 64)
	cum, _ := new(big.Rat).SetString(cumS)
	cost := exactDecimal(new(big.Rat).Sub(cum, t.prevCum))
	t.prevCum = cum
	t.err = t.cw.Write([]string{secondsString(t.start), secondsString(now),
		i(t.win.requests), i(t.win.completed), i(t.win.cold), i(t.win.rejected), i(t.win.timedOut),
		strconv.Itoa(s.Starting), strconv.Itoa(s.Busy), strconv.Itoa(s.Idle), strconv.Itoa(s.InService),
		strconv.Itoa(s.Queued), p50, p99, cost, cumS, i(t.win.failed), i(t.win.deadLettered)})
	t.cw.Flush()
	if t.err == nil {
		t.err = t.cw.Error()
	}
	t.start = now
	t.win.reset()
}

// Err is the first write error, if any.
func (t *Timeseries) Err() error { return t.err }

// secondsString prints integer nanoseconds as exact decimal seconds.
func secondsString(d sim.Time) string {
	s := new(big.Rat).SetFrac64(int64(d), 1e9).FloatString(9)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// exactDecimal prints a rational whose denominator divides a power of ten
// (a difference of two decimals) exactly, without trailing zeros.
func exactDecimal(r *big.Rat) string {
	for n := 0; n < 40; n++ {
		s := r.FloatString(n)
		if back, ok := new(big.Rat).SetString(s); ok && back.Cmp(r) == 0 {
			return s
		}
	}
	return r.FloatString(40)
}

// Tee sends every record to each observer in turn.
func Tee(obs ...models.Observer) models.Observer { return tee(obs) }

type tee []models.Observer

func (t tee) Arrived(inv *workloads.Invocation) {
	for _, o := range t {
		o.Arrived(inv)
	}
}

func (t tee) Ended(r *models.Record) {
	for _, o := range t {
		o.Ended(r)
	}
}

// CDFHeader is the first line of every <system>.latency.csv.
var CDFHeader = []string{"latency_ms", "count", "cumulative_fraction"}

// WriteCDF writes the distribution of the system's completed latencies as
// the sketch holds it: one row per non-empty bin, in increasing latency
// (each value within RelativeAccuracy of the latencies it stands for), with
// the share of completed requests at or below it. Plots redraw the latency
// CDF from this file.
func (a *Accumulator) WriteCDF(w io.Writer) error {
	type bin struct{ v, n float64 }
	var bins []bin
	sk := a.all.sk()
	sk.ForEach(func(v, n float64) bool {
		bins = append(bins, bin{v, n})
		return false
	})
	slices.SortFunc(bins, func(a, b bin) int { return cmp.Compare(a.v, b.v) })
	total := sk.GetCount()
	cw := csv.NewWriter(w)
	cw.Write(CDFHeader)
	var cum float64
	for _, b := range bins {
		cum += b.n
		cw.Write([]string{strconv.FormatFloat(sig(b.v), 'g', -1, 64), strconv.FormatFloat(b.n, 'f', -1, 64),
			strconv.FormatFloat(sig(cum/total), 'g', -1, 64)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("latency CDF: %w", err)
	}
	return nil
}
