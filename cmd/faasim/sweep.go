package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios/sweep"
)

// exitGoalUnmet is the exit code of `faasim sweep --fail-unmet` when a
// goal is not met (as k6 exits 99 when a threshold fails); without the
// flag an unmet goal is an answer, exit 0.
const exitGoalUnmet = 3

// goalUnmet marks a sweep whose goal was not met under --fail-unmet.
type goalUnmet struct{ error }

func newSweepCmd() *cobra.Command {
	var (
		out, format, metrics string
		jobs, reps           int
		seed                 uint64
		sets                 []string
		list, failUnmet      bool
	)
	cmd := &cobra.Command{
		Use:   "sweep FILE|EXAMPLE",
		Short: "Run a scenario's sweep (with replications and confidence intervals) and answer its goal",
		Long: `sweep runs the scenario at every point of its sweep: grid (every combination
of the axes, the first slowest; zip for axes that advance together), each point
R times with the same R seeds, and reports each metric's mean and Student-t
confidence interval. A goal: searches one key for the smallest or largest value
meeting constraints (judged on the pessimistic side of the interval), where an
expression changes sign (break-even), or the best of some values. See
docs/sweeps.md. The recipes answer common questions: faasim sweep break-even,
servers-for-p99, provisioned-for-cold-starts, memory-for-cost (also
power-tuning), keep-alive-frontier.`,
		Args: exactArgs(1, "a scenario file or example name (see 'faasim examples')"),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "json", "csv", "bench":
			default:
				return usageError{fmt.Errorf("--format %q: want table, json, csv or bench", format)}
			}
			if jobs < 0 {
				return usageError{fmt.Errorf("--jobs %d: want >= 1 (default: number of CPUs)", jobs)}
			}
			if reps < 0 {
				return usageError{fmt.Errorf("--replications %d: want >= 1", reps)}
			}
			opts := sweep.Options{Sets: sets, Replications: reps, Jobs: jobs}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &seed
			}
			var names []string
			for _, m := range strings.Split(metrics, ",") {
				if m = strings.TrimSpace(m); m != "" {
					names = append(names, m)
				}
			}
			var bar *progress
			if !list {
				bar = newProgress(cmd.ErrOrStderr())
			}
			if bar != nil {
				opts.Progress = bar.runs
			}
			sw, err := sweep.Open(args[0], opts)
			if err != nil {
				return err
			}
			cols, err := sw.Columns(names)
			if err != nil {
				return usageError{fmt.Errorf("--metrics: %w", err)}
			}
			if list {
				return listSweep(cmd.OutOrStdout(), sw)
			}
			var stage *staging
			if out != "" {
				if stage, err = newStaging(out); err != nil {
					return fmt.Errorf("--out %s: %w", out, err)
				}
				defer stage.abort() // unless committed: nothing partial is left behind
			}
			res, err := sw.Run(cmd.Context())
			bar.clear() // before the table, or an error, is printed
			if err != nil {
				return err
			}
			if stage != nil {
				if err := reports.WriteSweepDir(stage.dir, res); err != nil {
					return fmt.Errorf("writing the sweep to %s: %w", out, err)
				}
				if err := stage.commit(); err != nil {
					return fmt.Errorf("writing the sweep to %s: %w", out, err)
				}
			}
			var b bytes.Buffer
			switch format {
			case "table":
				err = reports.WriteSweepTable(&b, res, cols)
			case "json":
				err = reports.WriteSweepJSON(&b, res)
			case "csv":
				err = reports.WriteSweepCSV(&b, res)
			case "bench":
				err = reports.WriteSweepBench(&b, res, cols)
			}
			if err != nil {
				return err
			}
			if _, err := cmd.OutOrStdout().Write(b.Bytes()); err != nil {
				return err
			}
			if failUnmet && res.Goal != nil && !res.Goal.Met {
				return goalUnmet{fmt.Errorf("the goal is not met (--fail-unmet: exit %d)", exitGoalUnmet)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "also write sweep.json, sweep.csv, the figures and report.html into this directory")
	f.StringVar(&format, "format", "table", "output on stdout: table, json, csv or bench (Go benchmark lines for benchstat)")
	f.StringVar(&metrics, "metrics", "", "the table's (and bench's) metrics, comma-separated: PATH or SYSTEM.PATH (default: the goal's, else p99 latency and total cost)")
	f.IntVar(&jobs, "jobs", 0, "runs at once (default: number of CPUs; the output never depends on it)")
	f.IntVar(&reps, "replications", 0, "replications per point (default: the scenario's sweep.replications, else 1)")
	f.Uint64Var(&seed, "seed", 1, "base seed of the replications (default: the scenario's seed)")
	f.StringArrayVar(&sets, "set", nil, "KEY=VALUE: replace a scenario key; a list (a,b,c) or range ({from: 1, to: 9}) adds or replaces an axis")
	f.BoolVar(&list, "list", false, "print the points (and the goal's search) without running them")
	f.BoolVar(&failUnmet, "fail-unmet", false, fmt.Sprintf("exit %d when the goal is not met", exitGoalUnmet))
	return cmd
}

// listSweep prints what a sweep would run.
func listSweep(w io.Writer, sw *sweep.Sweep) error {
	fmt.Fprintf(w, "sweep %s (%s): %d point(s) × %d replication(s), seeds %s\n", sw.Name, sw.File, len(sw.Points), sw.Replications, seedsLabel(sweep.Seeds(sw.Seed, sw.Replications)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(sw.Axes) > 0 {
		head := []string{"point"}
		for _, a := range sw.Axes {
			head = append(head, a.Key)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, p := range sw.Points {
			row := []string{fmt.Sprint(p.Index)}
			for _, prm := range p.Params {
				row = append(row, reports.ParamLabel(prm.Value))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if g := sw.Goal; g != nil {
		fmt.Fprintf(w, "goal: %s\n", g.Plan())
	}
	for _, wn := range sw.Warnings {
		fmt.Fprintf(w, "note: %s\n", wn.Message)
	}
	return nil
}

func seedsLabel(seeds []uint64) string {
	var l []string
	for i, s := range seeds {
		if i == 3 && len(seeds) > 4 {
			l = append(l, fmt.Sprintf("… (%d more)", len(seeds)-3))
			break
		}
		l = append(l, fmt.Sprint(s))
	}
	return strings.Join(l, ", ")
}

// validateSweep checks a scenario's sweep and goal (every point decoded)
// for `faasim validate`.
func validateSweep(w io.Writer, name string, sets []string) error {
	sw, err := sweep.Open(name, sweep.Options{Sets: sets})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ok: sweep of %d point(s) × %d replication(s)", len(sw.Points), sw.Replications)
	if sw.Goal != nil {
		fmt.Fprintf(w, "; goal: %s", sw.Goal.Plan())
	}
	fmt.Fprintln(w)
	return nil
}
