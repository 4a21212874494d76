package reports

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
}

// Rows are r's comparison table: the platform, then every table metric
// the systems have (Metrics order), with the best value of each comparable
// row marked. base >= 0 adds ratios to that system on comparable rows.
func Rows(r *Results, base int) []Row {
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
	for _, m := range tableMetrics(r) {
		row := Row{Label: m.Label, Path: m.Path}
		marks := m.marks(r)
		for i := range r.Systems {
			s := &r.Systems[i]
			c := Cell{Text: m.Format(s), Mark: marks[i]}
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
// enough samples. None when fewer than two systems compete or all their
// values are the same, or the same within the figures' resolution: a
// difference the figures cannot resolve is no difference. When the best
// is not resolved from others (a percentile within the sketch's error of
// it), all of them are Tied, as benchstat prints "~" for a difference that
// is not significant.
func (m *Metric) marks(r *Results) []Mark {
	out := make([]Mark, len(r.Systems))
	if !m.Comparable() {
		return out
	}
	var idx []int
	var vals []float64
	for i := range r.Systems {
		s := &r.Systems[i]
		if v, ok := m.Value(s); ok && s.Completed >= m.MinSamples {
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
	exact := true
	for k, v := range vals {
		if !m.resolves(best, v) {
			group = append(group, idx[k])
			exact = exact && v == best
		}
	}
	if len(group) == len(idx) {
		return out // nothing to tell apart
	}
	mark := Best
	if !exact {
		mark = Tied
	}
	for _, i := range group {
		out[i] = mark
	}
	return out
}
