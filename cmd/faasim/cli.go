package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Exit codes of the public contract.
const (
	exitOK          = 0
	exitFailure     = 1   // simulation or I/O failure
	exitBadInput    = 2   // bad scenario, flags or trace
	exitInterrupted = 130 // SIGINT (128 + 2, as shells report it)
)

// usageError marks a mistake in the command line.
type usageError struct{ error }

// run is the whole CLI, callable in-process by tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(ctx, stdout)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(stderr, "faasim: interrupted; nothing written")
		return exitInterrupted
	}
	fmt.Fprintln(stderr, "faasim:", strings.TrimRight(err.Error(), "\n"))
	var probs scenarios.Problems
	var ue usageError
	var gu goalUnmet
	switch {
	case errors.As(err, &gu):
		return exitGoalUnmet
	case errors.As(err, &probs) || errors.As(err, &ue):
		return exitBadInput
	}
	return exitFailure
}

func newRoot(ctx context.Context, stdout io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:     "faasim",
		Version: version(),
		Short:   "Simulate serverless platforms and server fleets: cost and latency, side by side",
		Long: `faasim replays a workload against FaaS platforms (cold starts, concurrency
limits, keep-alive) and always-on server fleets, and compares what each costs
with how slow it is. Scenarios are YAML, TOML or JSON files; the built-in
examples run by name:  faasim run webhook`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetContext(ctx)
	root.SetVersionTemplate("faasim {{.Version}}\n")
	// Cobra's own usage errors (bad flags, unknown commands) are bad input too.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageError{fmt.Errorf("unknown command %q; run 'faasim --help' for the commands", args[0])}
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	root.AddCommand(newRunCmd(), newValidateCmd(), newPlatformsCmd(), newExamplesCmd(), newVersionCmd(), newPlotCmd(), newTraceCmd(), newWorkloadCmd(), newSweepCmd())
	return root
}

func newRunCmd() *cobra.Command {
	var (
		seed   uint64
		format string
		out    string
		jobs   int
		every  time.Duration
		base   string
		sets   setFlag
		budget scenarios.Budget
	)
	cmd := &cobra.Command{
		Use:   "run FILE|EXAMPLE",
		Short: "Simulate every system of a scenario on the same workload and compare them",
		Args:  exactArgs(1, "a scenario file or example name (see 'faasim examples')"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Every flag is checked before anything is simulated or written.
			switch format {
			case "table", "json", "csv":
			default:
				return usageError{fmt.Errorf("--format %q: want table, json or csv", format)}
			}
			if jobs < 0 {
				return usageError{fmt.Errorf("--jobs %d: want >= 1 (default: number of CPUs)", jobs)}
			}
			if cmd.Flags().Changed("interval") && out == "" {
				return usageError{fmt.Errorf("--interval %v: it sets the time-series window of the files --out writes; give --out DIR too", every)}
			}
			if cmd.Flags().Changed("interval") && every <= 0 {
				return usageError{fmt.Errorf("--interval %v: want a duration > 0", every)}
			}
			sc, err := sets.open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			showWarnings(cmd.ErrOrStderr(), sc)
			if sc.Sweep {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: %s has a sweep or a goal, which 'faasim sweep %s' runs; this runs its base scenario once\n", sc.File, args[0])
			}
			if err := checkRunFlags(sc, base, every); err != nil {
				return err
			}
			if err := guardRun(sc, budget, jobs, out, every); err != nil {
				return err
			}
			opts := scenarios.RunOptions{Jobs: jobs}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &seed
			}
			var stage *staging
			if out != "" {
				if stage, err = newStaging(out); err != nil {
					return outDirErr(out, err)
				}
				defer stage.abort() // unless committed: nothing partial is left behind
				opts.SeriesDir, opts.SeriesInterval = stage.dir, every
			}
			p := newProgress(cmd.ErrOrStderr())
			if p != nil {
				opts.Progress = p.update
			}
			res, err := sc.Run(cmd.Context(), opts)
			p.clear() // before the table, or an error, is printed
			if err != nil {
				return err
			}
			if err := checkFinite(res); err != nil {
				return err
			}
			if stage != nil {
				if err := reports.WriteDir(stage.dir, res); err != nil {
					return fmt.Errorf("writing results to %s: %w", out, err)
				}
				if err := writeFigures(stage.dir, reports.PlotOptions{}, []string{"png", "svg"}, true); err != nil {
					return err
				}
				if err := stage.commit(); err != nil {
					return fmt.Errorf("writing results to %s: %w", out, err)
				}
			}
			var b bytes.Buffer
			switch format {
			case "table":
				err = reports.WriteTableWith(&b, res, reports.TableOptions{Baseline: base, Color: colorOK(cmd.OutOrStdout())})
			case "json":
				err = reports.WriteJSON(&b, res)
			case "csv":
				err = reports.WriteCSV(&b, res)
			}
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(b.Bytes())
			return err
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&seed, "seed", 1, "master random seed (default: the scenario's seed)")
	f.StringVar(&format, "format", "table", "output on stdout: table, json or csv")
	f.StringVar(&out, "out", "", "also write results.json, per-system CSVs, plots and report.html into this directory")
	f.IntVar(&jobs, "jobs", runtime.GOMAXPROCS(0), "systems simulated at once (results never depend on it)")
	f.StringVar(&base, "baseline", "", "show each system's figures as ratios to this system's")
	f.DurationVar(&every, "interval", 0, "with --out: time-series window (default: the scenario's report.interval, 1m)")
	addSetFlag(cmd, &sets)
	budgetFlags(f, &budget)
	return cmd
}

// checkRunFlags checks the flags that depend on the scenario, before it is
// simulated.
func checkRunFlags(sc *scenarios.Scenario, base string, every time.Duration) error {
	if base != "" {
		var names []string
		for _, s := range sc.Systems {
			if s.Name == base {
				names = nil
				break
			}
			names = append(names, s.Name)
		}
		if names != nil {
			return usageError{fmt.Errorf("--baseline %q is not a system of the scenario; systems: %s", base, strings.Join(names, ", "))}
		}
	}
	if measured := sc.Duration - sc.Warmup; every > 0 && measured/every > scenarios.MaxWindows {
		return usageError{fmt.Errorf("--interval %v makes %d windows of the measured %v; want at most %d (a longer interval)",
			every, measured/every, measured, scenarios.MaxWindows)}
	}
	return nil
}

func newValidateCmd() *cobra.Command {
	var sets setFlag
	cmd := &cobra.Command{
		Use:   "validate FILE|EXAMPLE",
		Short: "Load and check a scenario without simulating; print every problem",
		Args:  exactArgs(1, "a scenario file or example name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := sets.open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			showWarnings(cmd.ErrOrStderr(), sc)
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %s: scenario %q, %d system(s), %d function(s), %v simulated\n",
				sc.File, sc.Name, len(sc.Systems), len(sc.Functions), sc.Duration)
			showEstimate(cmd.OutOrStdout(), cmd.ErrOrStderr(), sc)
			if sc.Sweep {
				return validateSweep(cmd.OutOrStdout(), args[0], sets)
			}
			return nil
		},
	}
	addSetFlag(cmd, &sets)
	return cmd
}

func newExamplesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "examples",
		Short: "List the built-in example scenarios (run one with 'faasim run NAME')",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range scenarios.Examples() {
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print faasim's version",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "faasim %s\n", version())
			return nil
		},
	}
}

// exactArgs is cobra.ExactArgs with a message that says what is wanted.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			if n == 0 {
				return usageError{fmt.Errorf("%s takes no arguments", cmd.CommandPath())}
			}
			return usageError{fmt.Errorf("%s wants %s; got %d argument(s)\nusage: %s", cmd.CommandPath(), what, len(args), cmd.UseLine())}
		}
		return nil
	}
}

// setFlag is the repeatable --set KEY=VALUE of run, validate and workload
// preview.
type setFlag []string

func addSetFlag(cmd *cobra.Command, sets *setFlag) {
	cmd.Flags().StringArrayVar((*[]string)(sets), "set", nil,
		"override a scenario key, KEY=VALUE (repeatable): workload.rate=50, 'systems[lambda].memory_mb=1024', 'systems[0].keep_alive={policy: fixed, idle: 5m}'")
}

// overrides parses every --set; a malformed one is bad input.
func (s setFlag) overrides() ([]scenarios.Override, error) {
	var ovs []scenarios.Override
	for _, a := range s {
		ov, err := scenarios.ParseSet(a)
		if err != nil {
			return nil, usageError{err}
		}
		ovs = append(ovs, ov)
	}
	return ovs, nil
}

// open loads a scenario file or example with the --set overrides applied.
func (s setFlag) open(ctx context.Context, nameOrPath string) (*scenarios.Scenario, error) {
	ovs, err := s.overrides()
	if err != nil {
		return nil, err
	}
	return scenarios.OpenContext(ctx, nameOrPath, ovs...)
}
