package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// runWithSeries runs system i while streaming its time series into
// o.SeriesDir, then writes its latency distribution there. Both files appear
// only when whole.
func (s *Scenario) runWithSeries(ctx context.Context, i int, sys models.System, src workloads.Source,
	acc *reports.Accumulator, progress func(sim.Time), o RunOptions) (reports.SystemState, error) {
	interval := s.Report.Interval
	if o.SeriesInterval > 0 {
		interval = o.SeriesInterval
	}
	if interval <= 0 {
		return reports.SystemState{}, fmt.Errorf("time series interval %v: want > 0", interval)
	}
	base := filepath.Join(o.SeriesDir, s.FileNames()[i])
	f, err := reports.CreateAtomic(base + ".timeseries.csv")
	if err != nil {
		return reports.SystemState{}, err
	}
	ts := reports.NewTimeseries(f, s.Warmup)
	sum, err := models.SimulateWith(ctx, sys, src, s.Window(), reports.Tee(acc, ts), models.SimulateOptions{
		Interval: interval, Sample: ts.Sample, Progress: progress,
	})
	if err == nil {
		err = ts.Err()
	}
	if err != nil {
		f.Abort()
		return reports.SystemState{}, err
	}
	if err := f.Commit(); err != nil {
		return reports.SystemState{}, err
	}
	var b bytes.Buffer
	if err := acc.WriteCDF(&b); err != nil {
		return reports.SystemState{}, err
	}
	if err := reports.WriteFileAtomic(base+".latency.csv", b.Bytes()); err != nil {
		return reports.SystemState{}, err
	}
	return reports.NewSystemState(acc, sum), nil
}

// FileNames are the systems' file-safe names, as reports.FileNames gives
// them for the results: <name>.csv, <name>.timeseries.csv, <name>.latency.csv.
func (s *Scenario) FileNames() []string {
	r := &reports.Results{Systems: make([]reports.SystemResult, len(s.Systems))}
	for i, sys := range s.Systems {
		r.Systems[i].Name = sys.Name
	}
	return reports.FileNames(r)
}
