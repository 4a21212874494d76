package reports

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// Run is what a results directory holds, read back for plots and the HTML
// report without re-simulating. Series and CDF are per system, in system
// order; a system whose files are missing has nil there.
type Run struct {
	Results *Results
	Series  [][]Window
	CDF     [][]CDFPoint
}

// Window is one row of <system>.timeseries.csv (times in seconds from the
// start of the run; P50 and P99 are NaN in a window without completions).
type Window struct {
	Start, End                                              float64
	Arrivals, Completions, ColdStarts, Rejections, Timeouts int64
	Starting, Busy, Idle, InService, Queue                  int64
	P50, P99                                                float64 // ms
	Cost, CostCumulative                                    float64 // USD
	Failed, DeadLettered                                    int64   // 0 in a file from before the columns
}

// Alive is the instances alive at the end of the window.
func (w Window) Alive() int64 { return w.Starting + w.Busy + w.Idle }

// CDFPoint is one row of <system>.latency.csv.
type CDFPoint struct {
	LatencyMS, Count, Fraction float64
}

// ReadDir reads results.json and, where present, every system's time
// series and latency distribution from dir.
func ReadDir(dir string) (*Run, error) {
	b, err := readRegular(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, err
	}
	res := &Results{}
	if err := json.Unmarshal(b, res); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "results.json"), err)
	}
	run := &Run{Results: res, Series: make([][]Window, len(res.Systems)), CDF: make([][]CDFPoint, len(res.Systems))}
	for i, name := range FileNames(res) {
		path := filepath.Join(dir, name+".timeseries.csv")
		err := readCSV(path, TimeseriesHeader, timeseriesV1, func(f []float64) {
			run.Series[i] = append(run.Series[i], Window{Start: f[0], End: f[1],
				Arrivals: int64(f[2]), Completions: int64(f[3]), ColdStarts: int64(f[4]), Rejections: int64(f[5]),
				Timeouts: int64(f[6]), Starting: int64(f[7]), Busy: int64(f[8]), Idle: int64(f[9]),
				InService: int64(f[10]), Queue: int64(f[11]), P50: f[12], P99: f[13], Cost: f[14], CostCumulative: f[15],
				Failed: int64(f[16]), DeadLettered: int64(f[17])})
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		path = filepath.Join(dir, name+".latency.csv")
		err = readCSV(path, CDFHeader, len(CDFHeader), func(f []float64) {
			run.CDF[i] = append(run.CDF[i], CDFPoint{f[0], f[1], f[2]})
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return run, nil
}

// readCSV checks the header and calls row with each line's numbers (an
// empty cell is NaN; a column the file predates, 0). A file may have the
// first least columns of header or more, up to all of them (files written
// before later columns were added). Errors name the file, line and column.
func readCSV(path string, header []string, least int, row func([]float64)) error {
	f, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(head) < least || len(head) > len(header) {
		return fmt.Errorf("%s: line 1: %d columns, want %d (%s)", path, len(head), len(header), strings.Join(header, ","))
	}
	for i, h := range head {
		if h != header[i] {
			return fmt.Errorf("%s: line 1, column %d: header %q, want %q", path, i+1, h, header[i])
		}
	}
	r.FieldsPerRecord = len(head)
	vals := make([]float64, len(header))
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for i, c := range rec {
			if c == "" {
				vals[i] = math.NaN()
				continue
			}
			if vals[i], err = strconv.ParseFloat(c, 64); err != nil {
				return fmt.Errorf("%s: line %d, column %d (%s): %q is not a number", path, line, i+1, header[i], c)
			}
		}
		row(vals)
	}
}
