package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// WriteSweepJSON writes s as indented JSON (the sweep.json document), with
// lists of numbers (the replications' values, seeds) on one line each.
func WriteSweepJSON(w io.Writer, s *Sweep) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := w.Write(numberList.ReplaceAllFunc(b.Bytes(), func(m []byte) []byte {
		m = bytes.Join(bytes.Fields(m), nil)
		return bytes.ReplaceAll(m, []byte(","), []byte(", "))
	}))
	return err
}

// numberList matches an indented JSON list of numbers only.
var numberList = regexp.MustCompile(`\[\s*-?[0-9][0-9eE+.-]*(?:,\s*-?[0-9][0-9eE+.-]*)*\s*\]`)

// WriteSweepCSV writes one row per point × system × metric: the axes'
// values (a sub-object as compact JSON), system, metric, mean, ci_low,
// ci_high (empty with one replication) and n.
func WriteSweepCSV(w io.Writer, s *Sweep) error {
	cw := csv.NewWriter(w)
	head := []string{}
	for _, a := range s.Axes {
		head = append(head, a.Key)
	}
	cw.Write(append(head, "system", "metric", "mean", "ci_low", "ci_high", "n"))
	for _, p := range s.Points {
		axes := make([]string, len(s.Axes))
		for i, a := range s.Axes {
			v, _ := p.Params.Get(a.Key)
			axes[i] = csvValue(v)
		}
		for _, sys := range p.Systems {
			for _, m := range sys.Metrics {
				lo, hi := "", ""
				if m.HasInterval() {
					lo, hi = formatFloat(*m.CILow), formatFloat(*m.CIHigh)
				}
				row := append(append([]string(nil), axes...), sys.Name, m.Path, formatFloat(m.Mean), lo, hi, strconv.Itoa(m.N))
				cw.Write(row)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvValue(v any) string {
	switch v := v.(type) {
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
	return ParamLabel(v)
}

// WriteSweepBench writes Go benchmark lines, one per point, system and
// replication, with the columns' metrics as values, so benchstat compares
// two sweeps (or the points of one, with -col /rate):
//
//	BenchmarkSweep/rate=10/memory_mb=1024/system=lambda 1 181.2 p99-ms 0.0123 total-usd
func WriteSweepBench(w io.Writer, s *Sweep, cols []SweepColumn) error {
	fmt.Fprintf(w, "scenario: %s\nseed: %d\nfaasim: %s\n", benchValue(s.Scenario), s.Seed, s.Version)
	for _, p := range s.Points {
		name := "BenchmarkSweep"
		for _, a := range s.Axes {
			v, _ := p.Params.Get(a.Key)
			name += "/" + benchValue(shortKey(a.Key, s.Axes)) + "=" + benchValue(ParamLabel(v))
		}
		for _, sys := range p.Systems {
			for r := 0; r < s.Replications; r++ {
				var b strings.Builder
				for _, c := range cols {
					if c.System != sys.Name {
						continue
					}
					if e, ok := sys.Metric(c.Path); ok && r < len(e.Values) {
						fmt.Fprintf(&b, " %s %s", formatFloat(e.Values[r]), benchUnit(c.Path))
					}
				}
				if b.Len() == 0 {
					continue
				}
				fmt.Fprintf(w, "%s/system=%s 1%s\n", name, benchValue(sys.Name), b.String())
			}
		}
	}
	return nil
}

// benchValue keeps a name part free of what the benchmark format splits
// on: spaces, slashes and (inside a key=value part) equals signs.
func benchValue(s string) string {
	return strings.Map(func(c rune) rune {
		switch c {
		case ' ', '\t', '/':
			return '_'
		case '=':
			return ':'
		}
		return c
	}, s)
}

// benchUnit names a metric as a benchmark unit: its last key, then the
// unit of its section ("latency_ms.p99" -> "p99-ms", "cost_usd.total" ->
// "total-usd"); any other path with dots as dashes.
func benchUnit(path string) string {
	head, rest, ok := strings.Cut(path, ".")
	if ok {
		for _, u := range []string{"_ms", "_usd"} {
			if strings.HasSuffix(head, u) && !strings.Contains(rest, ".") {
				return benchValue(rest) + "-" + strings.TrimPrefix(u, "_")
			}
		}
	}
	return benchValue(strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(path))
}

// WriteSweepDir writes everything `faasim sweep --out DIR` writes into
// dir, each file atomically: sweep.json, sweep.csv, and the figures and
// report.html that WriteSweepFigures draws (at the default size, PNG and
// SVG). Merged shards are written by it too, so they get the same files.
func WriteSweepDir(dir string, s *Sweep) error {
	if err := writeSweepData(dir, s); err != nil {
		return err
	}
	_, err := WriteSweepFigures(dir, s, PlotOptions{}, []string{"png", "svg"}, true)
	return err
}

// WriteSweepFigures draws a sweep's figures (SweepFigures) into dir in
// every format, and with html its report.html (SweepReport); it returns
// the figures. faasim plot DIR redraws a sweep directory with it, from
// sweep.json alone, and WriteSweepDir calls it after writing the data.
func WriteSweepFigures(dir string, s *Sweep, o PlotOptions, formats []string, html bool) ([]Figure, error) {
	return writeFiguresAndPage(dir, formats, html, func() ([]Figure, error) { return SweepFigures(s, o) },
		func() ([]byte, error) { return SweepReport(s, o) })
}

// ReadSweepDir reads dir/sweep.json.
func ReadSweepDir(dir string) (*Sweep, error) {
	path := filepath.Join(dir, "sweep.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Sweep{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// writeSweepData writes sweep.json and sweep.csv into dir.
func writeSweepData(dir string, s *Sweep) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := WriteSweepJSON(&b, s); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, "sweep.json"), b.Bytes()); err != nil {
		return err
	}
	b.Reset()
	if err := WriteSweepCSV(&b, s); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "sweep.csv"), b.Bytes())
}

// formatFloat writes x as JSON and CSV do: the shortest exact form.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
