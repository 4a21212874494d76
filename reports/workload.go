package reports

import (
	"fmt"
	"io"
)

// WorkloadInfo is what arrived: results.json "workload".
type WorkloadInfo struct {
	Type      string     `json:"type"`      // a workload.type, or "per-function"
	Functions int        `json:"functions"` // functions in the table
	Trace     *TraceInfo `json:"trace,omitempty"`
}

// TraceInfo accounts for every row of a replayed trace.
type TraceInfo struct {
	File          string `json:"file"` // the invocations file as named in messages
	Format        string `json:"format"`
	Rows          int64  `json:"rows"`           // data rows read
	SkippedRows   int64  `json:"skipped_rows"`   // malformed rows skipped (skip_bad_rows)
	Calls         int64  `json:"calls"`          // calls of the selected functions in the window, before scale
	OutsideWindow int64  `json:"outside_window"` // calls of the selected functions outside the window
}

// writeWorkloadNote is the table's footnote for a trace: what was
// replayed and what was skipped, so nothing is dropped unseen.
func writeWorkloadNote(w io.Writer, r *Results) {
	if r.Workload == nil || r.Workload.Trace == nil {
		return
	}
	t := r.Workload.Trace
	fmt.Fprintf(w, "trace %s (%s): %d functions, %s calls in the window, %s outside it, %s bad rows skipped\n",
		t.File, t.Format, r.Workload.Functions, count(t.Calls), count(t.OutsideWindow), count(t.SkippedRows))
}
