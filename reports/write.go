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
	return enc.Encode(r)
}

var csvHeader = []string{"system", "type", "function", "requests", "completed", "rejected", "timed_out", "in_flight",
	"cold_starts", "cold_start_ratio", "latency_mean_ms", "latency_p50_ms", "latency_p90_ms", "latency_p95_ms",
	"latency_p99_ms", "latency_p999_ms", "latency_max_ms", "cost_usd", "cost_per_million_requests_usd",
	"instances_mean", "instances_max", "instances_mean_busy"}

func csvRow(s *SystemResult, fn string, c Counts, l Latency, cost float64, perM string, inst []string) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	i := func(x int64) string { return strconv.FormatInt(x, 10) }
	row := []string{s.Name, s.Type, fn, i(c.Requests), i(c.Completed), i(c.Rejected), i(c.TimedOut), i(c.InFlight),
		i(c.ColdStarts), f(c.ColdStartRatio), f(l.Mean), f(l.P50), f(l.P90), f(l.P95), f(l.P99), f(l.P999), f(l.Max),
		f(cost), perM}
	return append(row, inst...)
}

func systemRows(s *SystemResult) [][]string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	inst := []string{f(s.Instances.Mean), strconv.Itoa(s.Instances.Max), f(s.Instances.MeanBusy)}
	rows := [][]string{csvRow(s, "*", s.Counts, s.LatencyMS, s.CostUSD.Total, f(s.CostUSD.PerMillionRequests), inst)}
	for _, fr := range s.Functions {
		perM := ""
		if fr.Requests > 0 {
			perM = f(sig(fr.CostUSD / float64(fr.Requests) * 1e6))
		}
		rows = append(rows, csvRow(s, fr.Name, fr.Counts, fr.LatencyMS, fr.CostUSD, perM, []string{"", "", ""}))
	}
	return rows
}

// WriteCSV writes one row per system ("*" in the function column) and, for
// multi-function systems, one per function.
func WriteCSV(w io.Writer, r *Results) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for i := range r.Systems {
		cw.WriteAll(systemRows(&r.Systems[i]))
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
	for i, name := range FileNames(r) {
		b.Reset()
		cw := csv.NewWriter(&b)
		cw.Write(csvHeader)
		cw.WriteAll(systemRows(&r.Systems[i]))
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
