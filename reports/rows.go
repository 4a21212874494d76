package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Row is one row of the comparison table, as both the terminal table and
// report.html show it: they are drawn from the same rows.
type Row struct {
	Label string
	Path  string // the metric's results.json path; "" for the platform row
	Cells []Cell // one per system, in system order
}

// Mark is what a cell says about its value against the row's others.
type Mark int8

const (
	NoMark Mark = iota
	Best        // the best value of the row ("*")
	Tied        // within the figures' resolution of the best, as the best is ("~")
)

// Cell is one system's figure in a row.
type Cell struct {
	Text string
	Mark Mark
	// Ratio is the value over the baseline system's ("2.1x"), with
	// TableOptions.Baseline on a comparable row.
	Ratio string
	// Note is the footnote of the system's warnings ("1"), beside every
	// marked figure of a system with a warning that bears on it.
	Note string
}

// Footnote is the warnings of one or more systems under the table,
// numbered in system order; systems with the very same warnings share one.
type Footnote struct {
	N        int
	Systems  []string
	Warnings []Warning
}

// Footnotes are the warnings under r's table.
func Footnotes(r *Results) []Footnote {
	var out []Footnote
next:
	for _, s := range r.Systems {
		if len(s.Warnings) == 0 {
			continue
		}
		for k := range out {
			if slices.Equal(out[k].Warnings, s.Warnings) {
				out[k].Systems = append(out[k].Systems, s.Name)
				continue next
			}
		}
		out = append(out, Footnote{N: len(out) + 1, Systems: []string{s.Name}, Warnings: s.Warnings})
	}
	return out
}

// Heads are the column heads: each system's name and type, with its
// footnote when it has warnings: "fleet-baseline (server) [2]".
func Heads(r *Results) []string {
	notes := notes(r)
	var out []string
	for i, s := range r.Systems {
		h := s.Name + " (" + s.Type + ")"
		if notes[i] != "" {
			h += " [" + notes[i] + "]"
		}
		out = append(out, h)
	}
	return out
}

// notes are each system's footnote number, "" without warnings.
func notes(r *Results) []string {
	out := make([]string, len(r.Systems))
	for i := range r.Systems {
		for _, f := range Footnotes(r) {
			if len(r.Systems[i].Warnings) > 0 && slices.Equal(f.Warnings, r.Systems[i].Warnings) {
				out[i] = strconv.Itoa(f.N)
			}
		}
	}
	return out
}

// Rows are r's comparison table: the platform, then every table metric
// the systems have (Metrics order), with the best value of each comparable
// row marked. base >= 0 adds ratios to that system on comparable rows.
func Rows(r *Results, base int) []Row { return rowsOf(r, tableMetrics(r), base) }

// FullRows are every figure of results.json the systems have, the table's
// and the others (ratios, keep-alive counts, booting hours, the 30-day
// estimate), in Metrics order, marked as the table marks them.
func FullRows(r *Results) []Row {
	var ms []Metric
	for _, m := range Metrics {
		switch {
		case strings.HasPrefix(m.Path, breakdownPrefix):
			for _, k := range breakdownKeys(r) {
				ms = append(ms, breakdownMetric(k))
			}
		case anySystem(r, m.Has):
			ms = append(ms, m)
		}
	}
	return rowsOf(r, ms, -1)
}

func rowsOf(r *Results, ms []Metric, base int) []Row {
	rows := []Row{{Label: "platform"}}
	for i := range r.Systems {
		rows[0].Cells = append(rows[0].Cells, Cell{Text: orDash(r.Systems[i].Platform)})
	}
	if anySystem(r, frontDoor) {
		row := Row{Label: "front door"}
		for i := range r.Systems {
			text := "-"
			if fd := r.Systems[i].FrontDoor; fd != nil {
				text = fd.Type
			}
			row.Cells = append(row.Cells, Cell{Text: text})
		}
		rows = append(rows, row)
	}
	if anySystem(r, func(s *SystemResult) bool { return s.Purchase != nil }) {
		row := Row{Label: "purchase"}
		for i := range r.Systems {
			text := "on demand"
			if p := r.Systems[i].Purchase; p != nil {
				text = fmt.Sprintf("%s (%s off)", p.Option, pct(p.Discount*100)+"%")
			}
			row.Cells = append(row.Cells, Cell{Text: text})
		}
		rows = append(rows, row)
	}
	notes := notes(r)
	for _, m := range ms {
		row := Row{Label: m.Label, Path: m.Path}
		marks := m.marks(r)
		for i := range r.Systems {
			s := &r.Systems[i]
			c := Cell{Text: m.Format(s), Mark: marks[i]}
			if c.Mark != NoMark && s.serious() {
				c.Note = notes[i]
			}
			if base >= 0 && i != base && m.Comparable() {
				v, ok := m.Value(s)
				b, bok := m.Value(&r.Systems[base])
				if ok && bok {
					c.Ratio = ratioOrDash(v, b)
				} else {
					c.Ratio = "-"
				}
			}
			row.Cells = append(row.Cells, c)
		}
		rows = append(rows, row)
	}
	return rows
}

// marks finds the best value of m among the systems that have it with
// enough samples and ran to the end (not stopped by the backlog budget). None when fewer than two systems compete or all their
// values are the same, or the same within the figures' resolution: a
// difference the figures cannot resolve is no difference. Values that
// print alike are equally best. When the best is within the sketch's
// error of values that print otherwise, all of them are Tied, as benchstat
// prints "~" for a difference that is not significant.
func (m *Metric) marks(r *Results) []Mark {
	out := make([]Mark, len(r.Systems))
	if !m.Comparable() {
		return out
	}
	var idx []int
	var vals []float64
	for i := range r.Systems {
		s := &r.Systems[i]
		// A stopped system's figures are of part of the run: none is best.
		if v, ok := m.Value(s); ok && s.Completed >= m.MinSamples && s.StoppedAtSeconds == nil {
			idx, vals = append(idx, i), append(vals, v)
		}
	}
	if len(idx) < 2 {
		return out
	}
	best := vals[0]
	for _, v := range vals {
		if m.Better == Lower && v < best || m.Better == Higher && v > best {
			best = v
		}
	}
	var group []int
	alike := true // the group prints as one value: all equally best to a reader
	for k, v := range vals {
		if !m.resolves(best, v) {
			group = append(group, idx[k])
			alike = alike && m.format(v, &SystemResult{}) == m.format(best, &SystemResult{})
		}
	}
	if len(group) == len(idx) {
		return out // nothing to tell apart
	}
	mark := Best
	if !alike {
		mark = Tied
	}
	for _, i := range group {
		out[i] = mark
	}
	return out
}
