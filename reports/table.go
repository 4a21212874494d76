package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

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
	fmt.Fprintf(w, " | seed %d | simulated %s", r.Seed, humanSeconds(r.SimulatedSeconds))
	if r.WarmupSeconds > 0 {
		fmt.Fprintf(w, ", of which warm-up %s (excluded)", humanSeconds(r.WarmupSeconds))
	}
	for _, ov := range r.Overrides {
		fmt.Fprintf(w, " | --set %s", ov)
	}
	fmt.Fprintln(w)

	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: []tw.Align{tw.AlignLeft}}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignRight, PerColumn: []tw.Align{tw.AlignLeft}}),
	)
	head := []any{""}
	for _, h := range Heads(r) {
		head = append(head, h)
	}
	t.Header(head...)
	var ties bool
	for _, row := range Rows(r, base) {
		cells := []any{row.Label}
		for _, c := range row.Cells {
			text := c.Text
			if c.Ratio != "" {
				text += " (" + c.Ratio + ")"
			}
			switch {
			case c.Mark == Best && o.Color:
				text = "\x1b[1;32m" + text + "\x1b[0m"
			case c.Mark == Best:
				text += " *"
			case c.Mark == Tied:
				text += " ~"
				ties = true
			}
			if c.Note != "" {
				text += " [" + c.Note + "]"
			}
			cells = append(cells, text)
		}
		t.Append(cells...)
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, f := range Footnotes(r) {
		for _, wn := range f.Warnings {
			fmt.Fprintf(w, "[%d] %s %s: %s\n", f.N, strings.Join(f.Systems, ", "), wn.Code, wn.Message)
		}
	}
	writeWorkloadNote(w, r)
	note := "* best value of the row"
	if o.Color {
		note = "bold green: best value of the row"
	}
	if ties {
		note += fmt.Sprintf("; ~ tied for best: within the ±%g%% the sketch resolves", RelativeAccuracy*100)
	}
	if base >= 0 {
		note += fmt.Sprintf("; (Nx): ratio to %s", r.Systems[base].Name)
	}
	fmt.Fprintln(w, note)
	fmt.Fprintf(w, "latency percentiles within ±%g%% (DDSketch); costs cover the measured %s%s\n",
		RelativeAccuracy*100, humanSeconds(r.MeasuredSeconds()), stoppedNote(r))
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "warning %s: %s\n", wn.Code, wn.Message)
	}
	fmt.Fprint(w, wrap("verdict: "+Verdict(r), 100))
	return nil
}

// wrap breaks text into lines of at most width columns at spaces
// (runes, not bytes), each line ending in a newline.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := len([]rune(word))
		if i > 0 && line+1+n > width {
			b.WriteString("\n")
			line = 0
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(word)
		line += n
	}
	b.WriteString("\n")
	return b.String()
}

// breakdownKeys lists cost items in first-seen order across systems.
func breakdownKeys(r *Results) []string {
	order := []string{"compute", "requests", "provisioned", "provisioned_compute", "pings", "commitment", "servers",
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

// renderGrid prints a plain table: a header and rows of text, the first
// left columns left-aligned (labels), the rest right-aligned (figures).
func renderGrid(w io.Writer, head []string, rows [][]string, left int) error {
	align := make([]tw.Align, len(head))
	for i := range align {
		align[i] = tw.AlignRight
		if i < left {
			align[i] = tw.AlignLeft
		}
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	h := make([]any, len(head))
	for i, c := range head {
		h[i] = c
	}
	t.Header(h...)
	for _, r := range rows {
		cells := make([]any, len(r))
		for i, c := range r {
			cells[i] = c
		}
		if err := t.Append(cells...); err != nil {
			return err
		}
	}
	return t.Render()
}

// stoppedNote says which systems' figures cover less than the measured
// window: those stopped by their backlog budget, each up to its stop.
func stoppedNote(r *Results) string {
	var l []string
	for i := range r.Systems {
		if s := &r.Systems[i]; s.StoppedAtSeconds != nil {
			d := max(0, *s.StoppedAtSeconds-r.WarmupSeconds)
			l = append(l, fmt.Sprintf("%s's only the %s up to its stop", s.Name, humanSeconds(d)))
		}
	}
	if len(l) == 0 {
		return ""
	}
	return "; " + strings.Join(l, ", ")
}
