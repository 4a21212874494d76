package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// Human units for the figures: what a reader says aloud ("2.9 min",
// "$1,041.86", "14 days"), never what the program counts in ("173739 ms",
// "336h0m0s"). Tick markers put labels on round values of those units.

// humanMS prints a latency in milliseconds with three significant digits
// in the largest unit that keeps it at least 1: "0.35 ms", "155 ms",
// "2.16 s", "2.9 min", "1.5 h".
func humanMS(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0 ms"
	case a < 1000:
		return sigTrim(v, 3) + " ms"
	case a < 60e3:
		return sigTrim(v/1e3, 3) + " s"
	case a < 3600e3:
		return sigTrim(v/60e3, 3) + " min"
	case a < 86400e3:
		return sigTrim(v/3600e3, 3) + " h"
	}
	return sigTrim(v/86400e3, 3) + " days"
}

// humanSeconds prints a span of simulated time: "45 s", "84 min",
// "23 h 50 min", "14 days".
func humanSeconds(s float64) string {
	s = math.Round(s)
	switch {
	case s < 60 || (s < 120 && math.Mod(s, 60) != 0):
		return strconv.FormatFloat(s, 'f', -1, 64) + " s"
	case s < 2*3600:
		return sigTrim(s/60, 3) + " min"
	case s < 2*86400:
		h, m := math.Floor(s/3600), math.Round(math.Mod(s, 3600)/60)
		if m == 60 {
			h, m = h+1, 0
		}
		if m == 0 {
			return fmt.Sprintf("%.0f h", h)
		}
		return fmt.Sprintf("%.0f h %.0f min", h, m)
	}
	d := s / 86400
	if d == math.Round(d) {
		return fmt.Sprintf("%.0f days", d)
	}
	return sigTrim(d, 3) + " days"
}

// dollars prints US dollars: cents with thousands separators from $100 up
// ("$1,041.86"), three significant digits below ("$6.99", "$0.0278").
func dollars(v float64) string {
	if math.Abs(v) >= 100 {
		return "$" + grouped(v, 2)
	}
	return "$" + sig3(v)
}

// grouped prints v with d decimals and commas between thousands.
func grouped(v float64, d int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', d, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// sigTrim prints v with n significant digits, trailing zeros dropped,
// thousands grouped: 2.90 -> "2.9", 155.3 -> "155", 12345 -> "12,345".
func sigTrim(v float64, n int) string {
	if v == 0 {
		return "0"
	}
	d := max(n-1-int(math.Floor(math.Log10(math.Abs(v)))), 0)
	s := grouped(v, d)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// decimalsFor is the fewest decimals that print every multiple of step
// exactly (0.25 -> 2, 5 -> 0), at most 6.
func decimalsFor(step float64) int {
	for d := 0; d < 6; d++ {
		x := step * math.Pow10(d)
		if math.Abs(x-math.Round(x)) < 1e-9*math.Max(1, x) {
			return d
		}
	}
	return 6
}

// niceTicks labels multiples of a round step between min and max: at most
// Max labels (default 5), steps from Steps (default 1, 2, 2.5, 5 × 10^k;
// Integer keeps steps of at least 1 and drops 2.5), each label printed by
// Format (default: grouped digits).
type niceTicks struct {
	Max     int
	Integer bool
	Steps   []float64 // candidate steps, increasing; overrides the default sequence
	Format  func(v float64, step float64) string
}

var _ plot.Ticker = niceTicks{}

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	n := t.Max
	if n <= 1 {
		n = 5
	}
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return []plot.Tick{{Value: lo, Label: t.label(lo, 1)}}
	}
	step := t.step(lo, hi, n)
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: t.label(v, step)})
	}
	return ticks
}

// step is the smallest candidate that puts at most n ticks in [lo, hi].
func (t niceTicks) step(lo, hi float64, n int) float64 {
	fits := func(s float64) bool { return math.Floor(hi/s+1e-9)-math.Ceil(lo/s-1e-9)+1 <= float64(n) }
	if t.Steps != nil {
		for _, s := range t.Steps {
			if fits(s) {
				return s
			}
		}
		s := t.Steps[len(t.Steps)-1]
		for !fits(s) {
			s *= 2
		}
		return s
	}
	mant := []float64{1, 2, 2.5, 5}
	if t.Integer {
		mant = []float64{1, 2, 5}
	}
	e := math.Floor(math.Log10((hi - lo) / float64(n)))
	if t.Integer {
		e = math.Max(e, 0)
	}
	for ; ; e++ {
		for _, m := range mant {
			if s := m * math.Pow10(int(e)); fits(s) {
				return s
			}
		}
	}
}

func (t niceTicks) label(v, step float64) string {
	if t.Format != nil {
		return t.Format(v, step)
	}
	return grouped(v, decimalsFor(step))
}

// durationMS are the round latencies a log axis labels, in milliseconds,
// from 1 µs to 10 days; decade marks the coarse set (×10 apart, or as
// near as clock units allow: 10 s, 1 min, 10 min, 1 h).
var durationMS = []struct {
	ms     float64
	decade bool
}{
	{0.001, true}, {0.002, false}, {0.005, false}, {0.01, true}, {0.02, false}, {0.05, false},
	{0.1, true}, {0.2, false}, {0.5, false}, {1, true}, {2, false}, {5, false},
	{10, true}, {20, false}, {50, false}, {100, true}, {200, false}, {500, false},
	{1e3, true}, {2e3, false}, {5e3, false}, {10e3, true}, {20e3, false}, {30e3, false},
	{60e3, true}, {120e3, false}, {300e3, false}, {600e3, true}, {1200e3, false}, {1800e3, false},
	{3600e3, true}, {7200e3, false}, {18000e3, false}, {36000e3, true}, {86400e3, true}, {864000e3, true},
}

// logDurationTicks labels a log latency axis (milliseconds) at round clock
// values, "1 ms", "100 ms", "1 s", "1 min": the decade set when it puts at
// least three labels in range, else every 1-2-5 value; never more than
// Max labels (others become unlabelled minor ticks).
type logDurationTicks struct{ Max int }

var _ plot.Ticker = logDurationTicks{}

// Ticks implements plot.Ticker.
func (t logDurationTicks) Ticks(lo, hi float64) []plot.Tick {
	var in []int
	decades := 0
	for i, d := range durationMS {
		if d.ms >= lo*(1-1e-9) && d.ms <= hi*(1+1e-9) {
			in = append(in, i)
			if d.decade {
				decades++
			}
		}
	}
	labelAll := decades < 3
	var ticks []plot.Tick
	var labelled []int
	for _, i := range in {
		t := plot.Tick{Value: durationMS[i].ms}
		if labelAll || durationMS[i].decade {
			labelled = append(labelled, len(ticks))
		}
		ticks = append(ticks, t)
	}
	// Thin the labels to at most Max, keeping every k-th.
	n := t.Max
	if n < 2 {
		n = 6
	}
	k := (len(labelled) + n - 1) / n
	for j, at := range labelled {
		if k <= 1 || j%k == 0 {
			ticks[at].Label = durationLabel(ticks[at].Value)
		}
	}
	if len(labelled) == 0 && lo > 0 && hi > lo {
		// A range inside one 1-2-5 gap: label its ends.
		ticks = append(ticks, plot.Tick{Value: lo, Label: humanMS(lo)}, plot.Tick{Value: hi, Label: humanMS(hi)})
	}
	return ticks
}

// durationLabel prints a round latency for an axis: "0.01 ms", "500 ms",
// "2 s", "5 min", "1 h", "10 days".
func durationLabel(ms float64) string {
	switch {
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', -1, 64) + " ms"
	case ms < 60e3:
		return strconv.FormatFloat(ms/1e3, 'f', -1, 64) + " s"
	case ms < 3600e3:
		return strconv.FormatFloat(ms/60e3, 'f', -1, 64) + " min"
	case ms < 86400e3:
		return strconv.FormatFloat(ms/3600e3, 'f', -1, 64) + " h"
	}
	return strconv.FormatFloat(ms/86400e3, 'f', -1, 64) + " days"
}

// tailScale stretches a share p in [0, 1) as HDR histogram plots do: by
// -log10(1 - p), so 50%, 90%, 99% and 99.9% sit at 0.3, 1, 2 and 3 and
// every further "nine" of the tail gets as much room as the 90% of
// requests below p90.
type tailScale struct{}

var _ plot.Normalizer = tailScale{}

// maxTailShare is the highest share the tail axis draws (p99.9999): beyond
// it the position of the last request is set by the sample count alone.
const maxTailShare = 1 - 1e-6

func tail(p float64) float64 { return -math.Log10(1 - math.Min(math.Max(p, 0), maxTailShare)) }

// Normalize implements plot.Normalizer.
func (tailScale) Normalize(lo, hi, x float64) float64 {
	return (tail(x) - tail(lo)) / (tail(hi) - tail(lo))
}

// tailTicks labels a tail axis at 0%, 50%, 90%, 99%, 99.9%, ... with
// unlabelled ticks at 25% and 75%, and labels the axis' top with its own
// share ("99.89%") when it is more than a factor of 2 in 1/(1-p) above the
// last "nine", so the reader sees where the curves end.
type tailTicks struct{}

var _ plot.Ticker = tailTicks{}

// Ticks implements plot.Ticker.
func (tailTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	add := func(p float64, label string) {
		if p >= lo-1e-12 && p <= hi+1e-12 {
			ticks = append(ticks, plot.Tick{Value: p, Label: label})
		}
	}
	add(0, "0%")
	add(0.25, "")
	add(0.5, "50%")
	add(0.75, "")
	last := 0.5
	for n := 1; n <= 6; n++ {
		p := 1 - math.Pow10(-n)
		add(p, strconv.FormatFloat(100*p, 'f', max(n-2, 0), 64)+"%")
		if p <= hi+1e-12 {
			last = p
		}
	}
	if tail(hi)-tail(last) >= math.Log10(2) {
		// Digits enough to tell the top from the nine below it.
		d := max(0, int(math.Ceil(tail(hi)))-1)
		ticks = append(ticks, plot.Tick{Value: hi, Label: strconv.FormatFloat(math.Floor(100*hi*math.Pow10(d))/math.Pow10(d), 'f', d, 64) + "%"})
	}
	return ticks
}

// logTicks labels a log axis at 1, 10, 100, ... of its unit (adding the
// 2 and 5 in between when the range spans fewer than two decades), each
// label printed by Format (default: grouped digits): moneyLabel gives
// $0.01, $0.1, $1.
type logTicks struct{ Format func(v float64) string }

var _ plot.Ticker = logTicks{}

// Ticks implements plot.Ticker.
func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	format := t.Format
	if format == nil {
		format = func(v float64) string { return sigTrim(v, 3) }
	}
	fine := math.Log10(hi/lo) < 2
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); math.Pow10(int(e)) <= hi; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow10(int(e))
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || fine {
				t.Label = format(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// moneyTick prints a linear dollar axis's tick: whole dollars for a
// whole-dollar step ("$1,500"), else cents ("$0.25", "$7.50").
func moneyTick(v, step float64) string {
	if d := decimalsFor(step); d > 0 {
		return "$" + grouped(v, max(2, d))
	}
	return "$" + grouped(v, 0)
}

// moneyLabel prints a round dollar value: "$0.01", "$5", "$1,000".
func moneyLabel(v float64) string {
	if v >= 1 {
		return "$" + grouped(v, 0)
	}
	return "$" + strconv.FormatFloat(v, 'f', -1, 64)
}

// clockSteps are the tick steps of a time axis, per unit (minutes: 1, 2,
// 5, 10, 15, 30, 60; hours: 1, 2, 3, 4, 6, 12, 24; days: 1, 2, 7, 14, 28),
// so ticks fall on the hour and the day, never at 2.5 h.
var clockSteps = map[string][]float64{
	"s":    {1, 2, 5, 10, 15, 30, 60},
	"min":  {1, 2, 5, 10, 15, 30, 60},
	"h":    {1, 2, 3, 4, 6, 12, 24},
	"days": {1, 2, 7, 14, 28},
}

// timeUnit chooses the unit of a time axis spanning span seconds: the
// largest in which it spans at least 3 units (s, min, h, days), and the
// number of seconds in it.
func timeUnit(span float64) (string, float64) {
	switch {
	case span >= 3*86400:
		return "days", 86400
	case span >= 3*3600:
		return "h", 3600
	case span >= 3*60:
		return "min", 60
	}
	return "s", 1
}
