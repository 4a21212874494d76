package workloads

import (
	"io"
	"strings"
	"testing"
)

// TestSortedDetected: the first pass marks a csv trace in arrival order as
// sorted (replayed without the heap) and one row out of order as not; an
// azure2021 trace (rows in end order) is sorted only if its arrivals are.
func TestSortedDetected(t *testing.T) {
	in := func(s string) Input {
		return Input{Name: "t.csv", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }}
	}
	for _, tt := range []struct {
		format, rows string
		sorted       bool
	}{
		{FormatCSV, "offset,function\n0,a\n0,b\n1.5,a\n", true},  // ties keep the file's order
		{FormatCSV, "offset,function\n0,a\n2,b\n1.5,a\n", false}, // one row back
		{FormatAzure2021, "app,func,end_timestamp,duration\nx,a,2,1\nx,b,3,1\n", true},
		{FormatAzure2021, "app,func,end_timestamp,duration\nx,a,2,0.5\nx,b,3,2\n", false}, // ends in order, arrivals not
	} {
		tr, err := ReadTrace(1, TraceOptions{Format: tt.format, Invocations: in(tt.rows)})
		if err != nil {
			t.Fatal(err)
		}
		if tr.rows.sorted != tt.sorted {
			t.Errorf("%s %q: sorted %v, want %v", tt.format, tt.rows, tr.rows.sorted, tt.sorted)
		}
	}
}
