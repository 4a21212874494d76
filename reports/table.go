package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// This file is the only one that knows tablewriter.

// WriteTable prints the provenance header and the comparison table: one
// column per system, one row per figure, so systems read side by side.
func WriteTable(w io.Writer, r *Results) error { return WriteTableWith(w, r, TableOptions{}) }

// TableOptions decorate the comparison table.
type TableOptions struct {
	// Baseline names a system: every comparable figure of the others also
	// shows its ratio to the baseline's, "(2.1x)".
	Baseline string
	// Color highlights the best values in bold green (for a terminal);
	// otherwise a "*" follows them.
	Color bool
}

// WriteTableWith is WriteTable with the best value of each comparable row
// marked and, optionally, ratios to a baseline system.
func WriteTableWith(w io.Writer, r *Results, o TableOptions) error {
	base := -1
	for i, s := range r.Systems {
		if s.Name == o.Baseline {
			base = i
		}
	}
	if o.Baseline != "" && base < 0 {
		var names []string
		for _, s := range r.Systems {
			names = append(names, s.Name)
		}
		return fmt.Errorf("baseline %q is not a system of the scenario; systems: %s", o.Baseline, strings.Join(names, ", "))
	}
	fmt.Fprintf(w, "faasim %s | scenario %s", r.Version, r.Scenario)
	if r.File != "" {
		fmt.Fprintf(w, " (%s)", r.File)
	}
	fmt.Fprintf(w, " | seed %d | simulated %v", r.Seed, seconds(r.SimulatedSeconds))
	if r.WarmupSeconds > 0 {
		fmt.Fprintf(w, ", of which warm-up %v (excluded)", seconds(r.WarmupSeconds))
	}
	fmt.Fprintln(w)

	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: []tw.Align{tw.AlignLeft}}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: []tw.Align{tw.AlignLeft}}),
	)
	head := []any{""}
	for _, s := range r.Systems {
		label := s.Name + " (" + s.Type + ")"
		head = append(head, label)
	}
	t.Header(head...)
	row := func(name string, f func(s *SystemResult) string) {
		cells := []any{name}
		m, comparable := MetricFor(name)
		var best []bool
		if comparable {
			best = m.Best(r)
		}
		for i := range r.Systems {
			c := f(&r.Systems[i])
			if comparable && base >= 0 && i != base {
				c += " (" + ratioOrDash(m.Value(&r.Systems[i]), m.Value(&r.Systems[base])) + ")"
			}
			if comparable && best[i] {
				if o.Color {
					c = "\x1b[1;32m" + c + "\x1b[0m"
				} else {
					c += " *"
				}
			}
			cells = append(cells, c)
		}
		t.Append(cells...)
	}
	row("platform", func(s *SystemResult) string { return orDash(s.Platform) })
	if hasFrontDoor(r) {
		row("front door", func(s *SystemResult) string {
			if s.FrontDoor == nil {
				return "-"
			}
			return s.FrontDoor.Type
		})
	}
	row("requests", func(s *SystemResult) string { return count(s.Requests) })
	row("completed", func(s *SystemResult) string { return count(s.Completed) })
	row("rejected", func(s *SystemResult) string { return countPct(s.Rejected, s.Requests) })
	row("timed out", func(s *SystemResult) string { return countPct(s.TimedOut, s.Requests) })
	row("cold starts", func(s *SystemResult) string { return countPct(s.ColdStarts, s.Requests) })
	if len(r.Systems) > 0 && len(r.Systems[0].Functions) > 1 {
		row("cold-start % p75 of functions", func(s *SystemResult) string {
			if s.Type != "faas" {
				return "-"
			}
			return pct(s.FunctionColdStartP75 * 100)
		})
	}
	row("latency mean ms", func(s *SystemResult) string { return ms(s.LatencyMS.Mean) })
	row("latency p50 ms", func(s *SystemResult) string { return ms(s.LatencyMS.P50) })
	row("latency p90 ms", func(s *SystemResult) string { return ms(s.LatencyMS.P90) })
	row("latency p99 ms", func(s *SystemResult) string { return ms(s.LatencyMS.P99) })
	row("latency p99.9 ms", func(s *SystemResult) string { return ms(s.LatencyMS.P999) })
	row("latency max ms", func(s *SystemResult) string { return ms(s.LatencyMS.Max) })
	row("instances mean", func(s *SystemResult) string { return num(s.Instances.Mean) })
	row("instances max", func(s *SystemResult) string { return strconv.Itoa(s.Instances.Max) })
	row("instances busy", func(s *SystemResult) string { return num(s.Instances.MeanBusy) })
	row("idle (warm, unused) GB-s", func(s *SystemResult) string {
		if s.KeepAlive == nil {
			return "-"
		}
		return sig3(s.KeepAlive.IdleGBSeconds)
	})
	fleetRows(r, row)
	for _, k := range breakdownKeys(r) {
		row("cost "+k+" $", func(s *SystemResult) string {
			v, ok := s.CostUSD.Breakdown[k]
			if !ok {
				return "-"
			}
			return usd(v)
		})
	}
	row("cost total $", func(s *SystemResult) string { return usd(s.CostUSD.Total) })
	row("cost per 1M requests $", func(s *SystemResult) string { return usd(s.CostUSD.PerMillionRequests) })
	if err := t.Render(); err != nil {
		return err
	}
	for _, s := range r.Systems {
		if s.InFlight > 0 {
			fmt.Fprintf(w, "note: %s had %s requests still in flight at the end (counted in requests only)\n", s.Name, count(s.InFlight))
		}
	}
	writeWorkloadNote(w, r)
	note := "* best value of the row"
	if o.Color {
		note = "bold green: best value of the row"
	}
	if base >= 0 {
		note += fmt.Sprintf("; (Nx): ratio to %s", r.Systems[base].Name)
	}
	fmt.Fprintln(w, note)
	fmt.Fprintf(w, "latency percentiles within ±%g%% (DDSketch); costs cover the measured %v\n",
		RelativeAccuracy*100, seconds(r.MeasuredSeconds()))
	return nil
}

func hasFrontDoor(r *Results) bool {
	for _, s := range r.Systems {
		if s.FrontDoor != nil {
			return true
		}
	}
	return false
}

// breakdownKeys lists cost items in first-seen order across systems.
func breakdownKeys(r *Results) []string {
	order := []string{"compute", "requests", "provisioned", "provisioned_compute", "pings", "servers",
		"ephemeral_storage", "api_gateway", "load_balancer"}
	seen := map[string]bool{}
	var keys []string
	for _, k := range order {
		for _, s := range r.Systems {
			if _, ok := s.CostUSD.Breakdown[k]; ok && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	var rest []string
	for _, s := range r.Systems {
		for k := range s.CostUSD.Breakdown {
			if !seen[k] {
				seen[k] = true
				rest = append(rest, k)
			}
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// count prints an integer with thousands separators.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func countPct(n, of int64) string {
	if n == 0 || of == 0 {
		return count(n)
	}
	return fmt.Sprintf("%s (%s%%)", count(n), pct(float64(n)/float64(of)*100))
}

func pct(p float64) string {
	switch {
	case p >= 10:
		return strconv.FormatFloat(p, 'f', 1, 64)
	case p >= 0.01:
		return strconv.FormatFloat(p, 'f', 2, 64)
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

// ms prints milliseconds with about four significant digits.
func ms(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return sig3(v)
}

func num(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// usd prints dollars with cents for large sums and three significant
// digits for small ones (a webhook's bill is a fraction of a cent).
func usd(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return sig3(v)
}

// sig3 prints v with three significant digits in plain decimal notation.
func sig3(v float64) string {
	if v == 0 {
		return "0"
	}
	d := 2 - int(math.Floor(math.Log10(math.Abs(v))))
	if d < 0 {
		d = 0
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// ratioOrDash is a/b as "2.1x", or "-" when b is zero.
func ratioOrDash(a, b float64) string {
	if b == 0 {
		if a == 0 {
			return "1.0x"
		}
		return "-"
	}
	return ratio(a, b)
}
