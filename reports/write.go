package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WriteJSON writes r as indented JSON (the results.json document).
func WriteJSON(w io.Writer, r *Results) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // constraints read "p99 < 300", not "p99 \u003c 300"
	return enc.Encode(r)
}

// csvMetrics are the columns of the CSV summaries after system, type and
// function: every metric, named by its results.json path (bill items of
// any system in r expanded), so a column reads as the key it mirrors.
func csvMetrics(r *Results) []Metric {
	var out []Metric
	for _, m := range Metrics {
		if strings.HasPrefix(m.Path, breakdownPrefix) {
			for _, k := range breakdownKeys(r) {
				out = append(out, breakdownMetric(k))
			}
			continue
		}
		if len(out) > 0 && out[len(out)-1].Path == m.Path {
			continue // instances.mean_busy: one column, two labels
		}
		out = append(out, m)
	}
	return out
}

func csvHeader(ms []Metric) []string {
	h := []string{"system", "type", "function"}
	for _, m := range ms {
		h = append(h, m.Path)
	}
	return h
}

// systemRows are s's CSV rows: the system ("*" in the function column),
// then each function of a multi-function system with the figures a
// function has. A figure the system or function lacks is empty.
func systemRows(s *SystemResult, ms []Metric) [][]string {
	row := func(fn string, v *SystemResult, perFunction bool) []string {
		out := []string{s.Name, s.Type, fn}
		for _, m := range ms {
			mm, _ := metricFor(m.Path, v) // the definition for v's type
			x, ok := mm.Value(v)
			if !ok || perFunction && !m.PerFunction {
				out = append(out, "")
				continue
			}
			out = append(out, strconv.FormatFloat(x, 'g', -1, 64))
		}
		return out
	}
	rows := [][]string{row("*", s, false)}
	for i := range s.Functions {
		rows = append(rows, row(s.Functions[i].Name, s.functionView(i), true))
	}
	return rows
}

// functionView is function i of s as a system result, for the figures a
// function has (its counts, latencies, cost and idle memory).
func (s *SystemResult) functionView(i int) *SystemResult {
	f := &s.Functions[i]
	v := &SystemResult{Name: s.Name, Type: s.Type, Counts: f.Counts, LatencyMS: f.LatencyMS,
		CostUSD: CostResult{Total: f.CostUSD}}
	if f.Requests > 0 {
		v.CostUSD.PerMillionRequests = sig(f.CostUSD / float64(f.Requests) * 1e6)
	}
	if f.Completed > 0 {
		v.CostUSD.PerMillionCompleted = sig(f.CostUSD / float64(f.Completed) * 1e6)
	}
	if s.KeepAlive != nil {
		v.KeepAlive = &KeepAliveResult{IdleInstanceSeconds: f.IdleInstanceSeconds, IdleGBSeconds: f.IdleGBSeconds}
	}
	return v
}

// WriteCSV writes one row per system ("*" in the function column) and, for
// multi-function systems, one per function.
func WriteCSV(w io.Writer, r *Results) error {
	ms := csvMetrics(r)
	cw := csv.NewWriter(w)
	cw.Write(csvHeader(ms))
	for i := range r.Systems {
		cw.WriteAll(systemRows(&r.Systems[i], ms))
	}
	cw.Flush()
	return cw.Error()
}

// WriteDir writes results.json and one CSV summary per system
// (<system>.csv) into dir, creating it. Each file is written atomically.
func WriteDir(dir string, r *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, "results.json"), b.Bytes()); err != nil {
		return err
	}
	ms := csvMetrics(r)
	for i, name := range FileNames(r) {
		b.Reset()
		cw := csv.NewWriter(&b)
		cw.Write(csvHeader(ms))
		cw.WriteAll(systemRows(&r.Systems[i], ms))
		if err := WriteFileAtomic(filepath.Join(dir, name+".csv"), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// FileNames gives each system a distinct file-safe name, in system order.
func FileNames(r *Results) []string {
	seen := map[string]bool{"results": true}
	var out []string
	for _, s := range r.Systems {
		base := strings.Map(func(c rune) rune {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
				return c
			}
			return '_'
		}, s.Name)
		name := base
		for k := 2; seen[name]; k++ {
			name = fmt.Sprintf("%s-%d", base, k)
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// WriteFileAtomic writes data to a temporary file beside path and renames
// it into place, so a crash never leaves half a file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
