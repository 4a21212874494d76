package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// SweepColumn is one metric of one system in the sweep's terminal table.
type SweepColumn struct {
	System, Path string
}

// shortLabels name the common metrics briefly in the table's header; any
// other metric is headed by its path.
var shortLabels = map[string]string{
	"latency_ms.mean":               "mean ms",
	"latency_ms.p50":                "p50 ms",
	"latency_ms.p90":                "p90 ms",
	"latency_ms.p95":                "p95 ms",
	"latency_ms.p99":                "p99 ms",
	"latency_ms.p999":               "p99.9 ms",
	"latency_ms.max":                "max ms",
	"cost_usd.total":                "cost $",
	"cost_usd.per_million_requests": "$ per 1M",
	"cost_usd.monthly_estimate":     "$ per month",
	"cold_start_ratio":              "cold ratio",
	"rejected_ratio":                "rejected",
	"timed_out_ratio":               "timed out",
	"function_cold_start_ratio_p75": "cold p75 fn",
	"keep_alive.idle_gb_seconds":    "idle GB-s",
	"instances.mean":                "instances",
}

// WriteSweepTable prints the provenance, one row per point (the axes'
// values, then each column as "mean ± half-width"), the warnings as notes
// and the goal's answer in a sentence.
func WriteSweepTable(w io.Writer, s *Sweep, cols []SweepColumn) error {
	title := fmt.Sprintf("faasim %s | sweep %s", s.Version, s.Scenario)
	if s.File != "" {
		title += fmt.Sprintf(" (%s)", s.File)
	}
	title += fmt.Sprintf(" | seed %d", s.Seed)
	fmt.Fprint(w, wrap(title, tableWidth))
	what := fmt.Sprintf("%d point(s) × %d replication(s)", len(s.Points), s.Replications)
	if s.Replications > 1 {
		what += fmt.Sprintf("; ± is the half-width of the %g%% CI (Student t)", 100*s.Confidence)
	}
	fmt.Fprint(w, wrap(what, tableWidth))
	multi := map[string]bool{}
	for _, c := range cols {
		multi[c.System] = true
	}
	head := []string{}
	for _, a := range s.Axes {
		head = append(head, shortKey(a.Key, s.Axes))
	}
	for _, c := range cols {
		l, ok := shortLabels[c.Path]
		if !ok {
			l = c.Path
		}
		if len(multi) > 1 || len(s.Points) > 0 && len(s.Points[0].Systems) > 1 {
			l = c.System + " " + l
		}
		head = append(head, l)
	}
	answers := map[int]bool{} // point index -> the goal's answer there
	if g := s.Goal; g != nil {
		for _, p := range s.Points {
			for _, a := range g.Answers {
				if a.Met && sameParams(p.Params, a.Params) {
					if v, ok := p.Params.Get(g.Vary); ok && ParamLabel(v) == ParamLabel(a.Answer) {
						answers[p.Index] = true
					}
				}
			}
		}
	}
	var rows [][]string
	warned := map[string]bool{} // warning codes marked in the table
	for _, p := range s.Points {
		row := []string{}
		for _, a := range s.Axes {
			v, _ := p.Params.Get(a.Key)
			cell := a.Label(v)
			if f, ok := v.(float64); ok && a.Labels == nil {
				cell = strconv.FormatFloat(f, 'g', 6, 64) // sweep.json has every digit
			}
			if a.Goal && answers[p.Index] {
				cell += " *"
			}
			row = append(row, cell)
		}
		for _, c := range cols {
			cell := "-"
			if sys := p.System(c.System); sys != nil {
				if e, ok := sys.Metric(c.Path); ok {
					cell = FormatPM(e)
				}
				// A figure is never shown without its system's warning.
				if len(sys.Warnings) > 0 {
					cell += " !"
					for _, w := range sys.Warnings {
						warned[w.Code] = true
					}
				}
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	if len(head) == 0 {
		head = []string{""}
		for i := range rows {
			rows[i] = append([]string{""}, rows[i]...)
		}
	}
	if err := renderGrid(w, head, rows, len(s.Axes)); err != nil {
		return err
	}
	if len(warned) > 0 {
		codes := make([]string, 0, len(warned))
		for c := range warned {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		fmt.Fprint(w, wrap(fmt.Sprintf("! the system has a warning at that point (%s; see sweep.json points[].systems[].warnings)", strings.Join(codes, ", ")), tableWidth))
	}
	for _, wn := range s.Warnings {
		if wn.Code == "goal_unmet" {
			continue // the goal line says it
		}
		fmt.Fprint(w, wrap("note: "+wn.Message, tableWidth))
	}
	if g := s.Goal; g != nil {
		if len(answers) > 0 {
			fmt.Fprintf(w, "* the goal's answer (%s)\n", g.Vary)
		}
		for _, a := range g.Answers {
			at := ""
			if len(a.Params) > 0 {
				var l []string
				for _, p := range a.Params {
					l = append(l, p.Key+"="+s.paramLabel(p.Key, p.Value))
				}
				at = " at " + strings.Join(l, ", ")
			}
			fmt.Fprint(w, wrap(fmt.Sprintf("goal%s: %s", at, a.Sentence), tableWidth))
		}
	}
	return nil
}

// tableWidth is the terminal width the sweep's text keeps to.
const tableWidth = 100

func sameParams(point, sub Params) bool {
	for _, p := range sub {
		v, ok := point.Get(p.Key)
		if !ok || ParamLabel(v) != ParamLabel(p.Value) {
			return false
		}
	}
	return true
}

// shortKey is the last key of a key path ("systems[vms].instances" ->
// "instances"), or the whole path when another axis ends the same.
func shortKey(key string, axes []SweepAxis) string {
	last := func(k string) string {
		if i := strings.LastIndexAny(k, ".]"); i >= 0 && i+1 < len(k) {
			return k[i+1:]
		}
		return k
	}
	s := last(key)
	for _, a := range axes {
		if a.Key != key && last(a.Key) == s {
			return key
		}
	}
	return s
}

// FormatNumber writes x with about four significant digits, in plain
// decimals from 0.0001 to 10^7.
func FormatNumber(x float64) string {
	a := math.Abs(x)
	switch {
	case x == 0:
		return "0"
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case a >= 1e7 || a < 1e-4:
		return strconv.FormatFloat(x, 'g', 3, 64)
	case a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	d := 3 - int(math.Floor(math.Log10(a)))
	return trimZeros(strconv.FormatFloat(x, 'f', d, 64))
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// maxDecimals: beyond six decimals, a figure and its interval read better
// in exponent form.
const maxDecimals = 6

// decimals is how many decimals show h to two significant digits.
func decimals(h float64) int {
	if h <= 0 {
		return -1
	}
	return max(0, 1-int(math.Floor(math.Log10(h))))
}

// FormatPM writes an estimate as "193.2 ± 3.1": the half-width to two
// significant digits and the mean to the same decimal; the mean alone
// with one replication, "± 0" when every replication agrees.
func FormatPM(e Estimate) string {
	if !e.HasInterval() {
		return FormatNumber(e.Mean)
	}
	lo, hi := e.Interval()
	h := (hi - lo) / 2
	d := decimals(h)
	if d < 0 {
		return FormatNumber(e.Mean) + " ± 0"
	}
	if math.Abs(e.Mean) >= 1e7 || d > maxDecimals || math.Abs(e.Mean) < math.Pow(10, -float64(d)) {
		return FormatNumber(e.Mean) + " ± " + strconv.FormatFloat(h, 'g', 2, 64)
	}
	return strconv.FormatFloat(e.Mean, 'f', d, 64) + " ± " + strconv.FormatFloat(h, 'f', d, 64)
}

// FormatCI writes an estimate as "193.2 (95% CI 190.1-196.4)", or the mean
// alone with one replication.
func FormatCI(e Estimate, conf float64) string {
	if !e.HasInterval() {
		return FormatNumber(e.Mean)
	}
	lo, hi := e.Interval()
	if lo == hi {
		return FormatNumber(e.Mean) + " (in every replication)"
	}
	d := decimals((hi - lo) / 2)
	f := func(x float64) string {
		if d < 0 || math.Abs(x) >= 1e7 || d > maxDecimals || math.Abs(x) < math.Pow(10, -float64(d)) {
			return FormatNumber(x)
		}
		return strconv.FormatFloat(x, 'f', d, 64)
	}
	return fmt.Sprintf("%s (%g%% CI %s to %s)", f(e.Mean), 100*conf, f(lo), f(hi))
}
