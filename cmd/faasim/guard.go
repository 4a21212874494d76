package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
	"github.com/faasim/faasim/workloads"
)

// The resource guards of a run (docs/semantics.md#bounds): the scenario's
// warnings are shown, the time-series window is bounded like
// report.interval, and a run whose estimate is beyond the budget is
// refused before it starts, naming the flag that lifts it.

// budgetFlags registers --max-events and --max-memory.
func budgetFlags(f *pflag.FlagSet, b *scenarios.Budget) {
	f.Float64Var(&b.MaxEvents, "max-events", scenarios.DefaultMaxEvents,
		"refuse a run estimated to need more simulated events than this (all systems)")
	f.Float64Var(&b.MaxMemoryMB, "max-memory", scenarios.DefaultMaxMemoryMB,
		"refuse a run estimated to need more MB of model state than this (the systems simulated at once)")
}

// showWarnings prints the scenario's warnings on w, one a line.
func showWarnings(w io.Writer, sc *scenarios.Scenario) {
	for _, p := range sc.Warnings {
		fmt.Fprintln(w, "faasim: warning:", p.String())
	}
}

// guardRun refuses a run of sc beyond the budget, before it starts: jobs
// systems at once, with time series (of window every, or the scenario's
// report.interval) when out is set.
func guardRun(sc *scenarios.Scenario, b scenarios.Budget, jobs int, out string, every time.Duration) error {
	if b.MaxEvents < 0 || b.MaxMemoryMB < 0 {
		return usageError{fmt.Errorf("--max-events %g --max-memory %g: want numbers > 0", b.MaxEvents, b.MaxMemoryMB)}
	}
	iv := time.Duration(0)
	if out != "" {
		if iv = every; iv == 0 {
			iv = sc.Report.Interval
		}
	}
	return sc.CheckBudget(sc.Estimate(jobs, iv), b)
}

// outDirErr makes a refused --out directory a bad-input error (exit 2).
func outDirErr(out string, err error) error {
	if errors.Is(err, reports.ErrNotResults) {
		return usageError{fmt.Errorf("--out %s", strings.TrimPrefix(err.Error(), out))}
	}
	return fmt.Errorf("--out %s: %w", out, err)
}

// checkFinite fails a run with a figure that is not a number, before any
// file is written.
func checkFinite(res *reports.Results) error {
	if bad := reports.NonFinite(res); len(bad) > 0 {
		return fmt.Errorf("results hold figures that are not finite numbers (an overflow; please report it with the scenario): %s", strings.Join(bad, ", "))
	}
	return nil
}

// ctxSource stops a workload when ctx is done: the loops of preview and
// trace inspect run no engine that would look at the context.
type ctxSource struct {
	workloads.Source
	ctx context.Context
	n   int
	err error
}

func (s *ctxSource) Next(inv *workloads.Invocation) bool {
	if s.n++; s.n&4095 == 0 {
		if s.err = s.ctx.Err(); s.err != nil {
			return false
		}
	}
	return s.Source.Next(inv)
}

func (s *ctxSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.Source.Err()
}

// showEstimate prints what a run of sc would take, and says so when the
// default budget would refuse it (validate checks the file, not the run).
func showEstimate(stdout, stderr io.Writer, sc *scenarios.Scenario) {
	e := sc.Estimate(0, 0)
	fmt.Fprintf(stdout, "estimate: about %.2g simulated events, %.3g MB of model state\n", e.Events, e.Bytes/(1<<20))
	for _, name := range e.Stopping {
		fmt.Fprintf(stdout, "estimate: system %q cannot keep up: its queue is expected to pass max_backlog_mb (%g MB), where its run stops, marked saturated\n",
			name, sc.MaxBacklogMB)
	}
	if err := sc.CheckBudget(e, scenarios.Budget{}); err != nil {
		fmt.Fprintln(stderr, "faasim: warning: faasim run would refuse it:", err)
	}
}
