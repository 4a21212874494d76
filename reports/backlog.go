package reports

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
)

// backlog samples the requests in flight (arrived, not yet ended) at eight
// evenly spaced instants of the measured window, so a system that keeps up
// can be told from one whose backlog grows through the run. Records reach
// an Accumulator in time order (arrivals at their arrival, ends at their
// end), so a checkpoint is taken by the first record at or after it: two
// comparisons per record, no event of its own.
type backlog struct {
	at       [8]sim.Time // checkpoint k at warm-up + (k+1)/8 of the window; zero: not watching
	next     int         // the next checkpoint to take; len(at) when done (or not watching)
	inFlight [8]int64
	arrived  [8]int64
}

// WatchBacklog makes the accumulator sample its in-flight count over w,
// for the saturated warning. Call it before the run.
func (a *Accumulator) WatchBacklog(w models.Window) {
	span := w.Horizon - w.Warmup
	for k := range a.bl.at {
		a.bl.at[k] = w.Warmup + span*sim.Time(k+1)/sim.Time(len(a.bl.at))
	}
	a.bl.next = 0
}

// sample records the state before the record at now, for every checkpoint
// now has reached.
func (b *backlog) sample(now sim.Time, t *tally) {
	for b.next < len(b.at) && now >= b.at[b.next] {
		b.inFlight[b.next] = t.requests - t.completed - t.rejected - t.timedOut
		b.arrived[b.next] = t.requests
		b.next++
	}
}

// finish takes the checkpoints no record reached (the run's end).
func (b *backlog) finish(t *tally) {
	for b.next < len(b.at) && b.at[len(b.at)-1] > 0 {
		b.inFlight[b.next] = t.requests - t.completed - t.rejected - t.timedOut
		b.arrived[b.next] = t.requests
		b.next++
	}
}

func (b *backlog) merge(o *backlog) {
	for k := range b.inFlight {
		b.inFlight[k] += o.inFlight[k]
		b.arrived[k] += o.arrived[k]
	}
}

// saturated is the warning of a backlog that grows through the second half
// of the window: at the end it exceeds mid-run's by more than a stable
// system's fluctuation (three standard deviations of the second half's
// arrival count, plus 10), and it rose through the half (at 3/4 it had
// already gained a quarter of that), so a last-minute burst reads as
// unfinished, not saturated. A system whose timeouts or queue limit cap the
// backlog is failing instead.
func (b *backlog) saturated() (Warning, bool) {
	if b.at[len(b.at)-1] == 0 {
		return Warning{}, false
	}
	mid, late, end := b.inFlight[3], b.inFlight[5], b.inFlight[7]
	growth := end - mid
	arrivals := float64(b.arrived[7] - b.arrived[3])
	if float64(growth) <= 3*math.Sqrt(arrivals)+10 || 4*(late-mid) < growth {
		return Warning{}, false
	}
	return Warning{Code: "saturated", Message: fmt.Sprintf(
		"arrivals outpace service: %s requests in flight at the end, up from %s at mid-run (the backlog grows by %s/s); latencies keep rising with the run's length",
		count(end), count(mid), sig3(float64(growth)/(b.at[7]-b.at[3]).Seconds()))}, true
}

// stopWarning is the saturated warning of a system whose backlog passed its
// memory budget (models.Stop): its run stopped there, and what it reports
// is what happened up to then.
func stopWarning(st *models.Stop) Warning {
	return Warning{Code: Saturated, Message: fmt.Sprintf(
		"its backlog passed the memory budget (max_backlog_mb %s: %s requests queued) at %v of simulated time, "+
			"so it was simulated no further: its figures (requests, latencies, bill, instances) cover the measured window up to then, "+
			"and the requests queued or in service at the stop are in flight; raise max_backlog_mb to go further, or give it the capacity its load needs",
		strconv.FormatFloat(float64(st.Budget)/(1<<20), 'g', 4, 64), count(st.Queued), st.At.Round(time.Millisecond))}
}

// stopTime prints a stop's time, seconds from the start, to the
// millisecond: "3h8m18.406s" (the table's rounded "3 h 8 min" would hide
// that two systems stopped apart).
func stopTime(s float64) string {
	return time.Duration(math.Round(s * 1e9)).Round(time.Millisecond).String()
}
