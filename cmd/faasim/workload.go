package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/scenarios"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

func newWorkloadCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workload",
		Short: "Look at a scenario's workload (see 'faasim workload preview')",
		Args:  exactArgs(0, ""),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPreviewCmd())
	return cmd
}

func newPreviewCmd() *cobra.Command {
	var interval time.Duration
	var seed uint64
	var maxEvents float64
	var sets setFlag
	cmd := &cobra.Command{
		Use:   "preview FILE|EXAMPLE",
		Short: "Tabulate a scenario's arrival rate per interval, without simulating any system",
		Args:  exactArgs(1, "a scenario file or example name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if interval < 0 {
				return usageError{fmt.Errorf("--interval %v: want a duration > 0", interval)}
			}
			sc, err := sets.open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			showWarnings(cmd.ErrOrStderr(), sc)
			if err := sc.CheckWorkloadBudget(maxEvents); err != nil {
				return err
			}
			if interval == 0 {
				interval = max(sc.Duration/24, 1)
			}
			if sc.Duration/interval > 10000 {
				return usageError{fmt.Errorf("--interval %v: want at most 10000 intervals in %v", interval, sc.Duration)}
			}
			s := sc.Seed
			if cmd.Flags().Changed("seed") {
				s = seed
			}
			src0, err := sc.NewSource(sim.Seed(s))
			if err != nil {
				return err
			}
			src := &ctxSource{Source: src0, ctx: cmd.Context()}
			bins := make([]int64, (sc.Duration+interval-1)/interval)
			var inv workloads.Invocation
			var total int64
			for src.Next(&inv) {
				bins[inv.At/interval]++
				total++
			}
			if err := src.Err(); err != nil {
				return traceErr(err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "scenario %s | workload %s | seed %d | %d arrivals in %v\n", sc.Name, sc.Workload.Type, s, total, sc.Duration)
			var peak int64
			for _, b := range bins {
				peak = max(peak, b)
			}
			fmt.Fprintf(w, "%-12s %10s %10s\n", "from", "arrivals", "rate /s")
			for i, b := range bins {
				from := sim.Time(i) * interval
				width := min(interval, sc.Duration-from)
				bar := 0
				if peak > 0 {
					bar = int((b*40 + peak/2) / peak)
				}
				fmt.Fprintf(w, "%-12v %10d %10.4g %s\n", from, b, float64(b)/width.Seconds(), strings.Repeat("#", bar))
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&interval, "interval", 0, "width of each row (default: the duration / 24)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "master random seed (default: the scenario's seed)")
	cmd.Flags().Float64Var(&maxEvents, "max-events", scenarios.DefaultMaxEvents, "refuse a workload estimated to need more arrivals and generator steps than this")
	addSetFlag(cmd, &sets)
	return cmd
}
