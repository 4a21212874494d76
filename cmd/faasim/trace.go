package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/scenarios"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

func newTraceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "trace",
		Short: "Work with trace files (see 'faasim trace inspect')",
		Args:  exactArgs(0, ""),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTraceInspectCmd())
	return cmd
}

func newTraceInspectCmd() *cobra.Command {
	var format, durations, memory string
	var skip bool
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Summarise a trace: functions, invocations, rates, burstiness, rare functions, durations",
		Args:  exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := fileInput(args[0])
			if format == "" {
				f, err := workloads.DetectFormat(in)
				if err != nil {
					return traceErr(err)
				}
				format = f
			}
			o := workloads.TraceOptions{Format: format, Invocations: in, SkipBadRows: skip, Spread: "poisson",
				MinMemoryMB: 1, MemoryMB: 128, Context: cmd.Context()}
			switch format {
			case workloads.FormatAzure2019:
				// Companions default to the files beside the trace.
				if durations == "" {
					durations = filepath.Join(filepath.Dir(args[0]), "durations.csv")
				}
				d := fileInput(durations)
				o.Durations = &d
				if memory == "" {
					if m := filepath.Join(filepath.Dir(args[0]), "memory.csv"); exists(m) {
						memory = m
					}
				}
				if memory != "" {
					m := fileInput(memory)
					o.Memory = &m
				}
			case workloads.FormatAzure2021, workloads.FormatCSV:
			default:
				return usageError{fmt.Errorf("--format %q: want %s", format, strings.Join(workloads.TraceFormats, ", "))}
			}
			tr, err := workloads.ReadTrace(1, o)
			if err != nil {
				return traceErr(err)
			}
			src, err := tr.NewSource(1, sim.Time(1<<62))
			if err != nil {
				return traceErr(err)
			}
			s, err := workloads.Summarize(&ctxSource{Source: src, ctx: cmd.Context()}, len(tr.Functions))
			if err != nil {
				return traceErr(err)
			}
			printSummary(cmd.OutOrStdout(), args[0], tr, s)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "azure2019, azure2021 or csv (default: guessed from the header)")
	f.StringVar(&durations, "durations", "", "azure2019: the durations file (default: durations.csv beside FILE)")
	f.StringVar(&memory, "memory", "", "azure2019: the memory file (default: memory.csv beside FILE, if any)")
	f.BoolVar(&skip, "skip-bad-rows", false, "skip and count malformed rows instead of stopping at the first")
	return cmd
}

func printSummary(w io.Writer, file string, tr *workloads.Trace, s workloads.TraceSummary) {
	fmt.Fprintf(w, "trace          %s (%s)\n", file, tr.Format)
	fmt.Fprintf(w, "rows           %d read, %d bad rows skipped\n", tr.Stats.Rows, tr.Stats.SkippedRows)
	fmt.Fprintf(w, "functions      %d\n", s.Functions)
	fmt.Fprintf(w, "invocations    %d over %v\n", s.Invocations, s.Span)
	fmt.Fprintf(w, "mean rate      %.4g /s\n", s.MeanRate)
	fmt.Fprintf(w, "peak rate      %.4g /s (busiest minute)\n", s.PeakRate)
	fmt.Fprintf(w, "peak to mean   %.3g\n", s.PeakToMean)
	fmt.Fprintf(w, "gap cv         %.3g (inter-arrival times; 1 for Poisson)\n", s.GapCV)
	fmt.Fprintf(w, "rare functions %.1f%% called less than once an hour\n", 100*s.RareShare)
	fmt.Fprintf(w, "duration       mean %v, p50 %v, p99 %v, max %v\n", secs(s.ExecMean), secs(s.ExecP50), secs(s.ExecP99), secs(s.ExecMax))
}

func secs(s float64) string {
	return sim.Time(s * 1e9).Round(sim.Time(1e5)).String() // 0.1 ms is plenty for a summary
}

func fileInput(p string) workloads.Input { return workloads.FileInput(p) }

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// traceErr makes a bad trace a bad-input error (exit 2).
func traceErr(err error) error {
	var te *workloads.TraceError
	if errors.As(err, &te) {
		return scenarios.Problems{{File: te.File, Path: te.Where(), Msg: te.Msg}}
	}
	return err
}
