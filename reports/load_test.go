package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadTimeseriesVersions: ReadDir reads a time series with every
// column, and one written before failed and dead_lettered were added (16
// columns: those read as 0); fewer columns, or a wrong name, is an error
// that names the file and the line.
func TestReadTimeseriesVersions(t *testing.T) {
	const results = `{"systems": [{"name": "s", "type": "faas"}]}`
	row16 := "0,60,10,9,1,0,0,0,1,2,1,0,80,120,0.5,0.5"
	for _, tc := range []struct {
		name, head, row string
		failed, dead    int64
		err             string
	}{
		{"all columns", strings.Join(TimeseriesHeader, ","), row16 + ",3,2", 3, 2, ""},
		{"before the invocation columns", strings.Join(TimeseriesHeader[:16], ","), row16, 0, 0, ""},
		{"too few", strings.Join(TimeseriesHeader[:15], ","), "0,60,10,9,1,0,0,0,1,2,1,0,80,120,0.5", 0, 0, "line 1: 15 columns, want 18"},
		{"renamed", strings.Replace(strings.Join(TimeseriesHeader, ","), "failed", "fails", 1), row16 + ",3,2", 0, 0, `column 17: header "fails", want "failed"`},
		{"short row", strings.Join(TimeseriesHeader, ","), row16, 0, 0, "record on line 2: wrong number of fields"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "results.json"), []byte(results), 0o644)
		os.WriteFile(filepath.Join(dir, "s.timeseries.csv"), []byte(tc.head+"\n"+tc.row+"\n"), 0o644)
		run, err := ReadDir(dir)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "s.timeseries.csv") {
				t.Errorf("%s: error %v, want one naming the file and %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		w := run.Series[0]
		if len(w) != 1 || w[0].Arrivals != 10 || w[0].CostCumulative != 0.5 || w[0].Failed != tc.failed || w[0].DeadLettered != tc.dead {
			t.Errorf("%s: windows %+v, want 10 arrivals, $0.5, %d failed, %d dead-lettered", tc.name, w, tc.failed, tc.dead)
		}
	}
}
