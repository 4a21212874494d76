package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
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
		shard, emit, image   string
		shards               int
		budget               scenarios.Budget
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
			if err := checkDistributed(cmd, shard, emit, shards, out, list); err != nil {
				return err
			}
			opts := sweep.Options{Sets: sets, Replications: reps, Jobs: jobs, Budget: budget}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &seed
			}
			names := splitMetrics(metrics)
			var bar *progress
			if !list && emit == "" {
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
			if emit != "" {
				return emitRecipe(cmd, sw, recipe{engine: emit, shards: shards, arg: args[0], out: out, image: image,
					sets: sets, reps: reps, seed: opts.Seed, jobs: jobs})
			}
			if shard != "" {
				i, n, err := parseShard(shard, os.Getenv)
				if err != nil {
					return err
				}
				return runShard(cmd, sw, i, n, out, bar)
			}
			var stage *staging
			if out != "" {
				if stage, err = newStaging(out); err != nil {
					return outDirErr(out, err)
				}
				defer stage.abort() // unless committed: nothing partial is left behind
			}
			res, err := sw.Run(cmd.Context())
			bar.clear() // before the table, or an error, is printed
			if err != nil {
				return err
			}
			return writeSweepOutputs(cmd, res, stage, out, format, cols, failUnmet)
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
	budgetFlags(f, &budget) // per point: one run of its scenario
	f.StringVar(&shard, "shard", "", "run only shard i of N of the runs and write it to --out (i/N, auto for a Slurm job array, auto/N for a Kubernetes Indexed Job); merge the shards with 'faasim sweep merge'")
	f.StringVar(&emit, "emit", "", "print a recipe that runs the sweep as --shards shards and merges them: slurm (an sbatch job array) or kubernetes (an Indexed Job); runs nothing")
	f.IntVar(&shards, "shards", 0, "the number of shards of --emit")
	f.StringVar(&image, "image", "faasim:latest", "--emit kubernetes: the container image with faasim on its PATH")
	cmd.AddCommand(newSweepMergeCmd())
	return cmd
}

// writeSweepOutputs writes a finished sweep: its files into the stage (then
// moved into out) and the chosen format on stdout. faasim sweep and
// faasim sweep merge both end here, so they write the same files.
func writeSweepOutputs(cmd *cobra.Command, res *reports.Sweep, stage *staging, out, format string, cols []reports.SweepColumn, failUnmet bool) error {
	if stage != nil {
		if err := reports.WriteSweepDir(stage.dir, res); err != nil {
			return fmt.Errorf("writing the sweep to %s: %w", out, err)
		}
		if err := stage.commit(); err != nil {
			return fmt.Errorf("writing the sweep to %s: %w", out, err)
		}
	}
	var b bytes.Buffer
	var err error
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
}

// checkDistributed checks --shard, --emit and --shards against each
// other and the rest before anything runs.
func checkDistributed(cmd *cobra.Command, shard, emit string, shards int, out string, list bool) error {
	changed := func(names ...string) string {
		for _, n := range names {
			if cmd.Flags().Changed(n) {
				return "--" + n
			}
		}
		return ""
	}
	switch {
	case shard != "" && emit != "":
		return usageError{fmt.Errorf("--shard and --emit: --emit prints a recipe whose jobs pass --shard themselves; give one")}
	case shard != "" && out == "":
		return usageError{fmt.Errorf("--shard %s: give --out DIR, where the shard's file goes (every shard of a sweep may share one DIR)", shard)}
	case shard != "" && list:
		return usageError{fmt.Errorf("--shard and --list: --list runs nothing")}
	case shard != "" && changed("format", "metrics", "fail-unmet") != "":
		return usageError{fmt.Errorf("--shard with %s: a shard writes its runs, not a sweep; give %s to faasim sweep merge", changed("format", "metrics", "fail-unmet"), changed("format", "metrics", "fail-unmet"))}
	case emit != "" && emit != "slurm" && emit != "kubernetes":
		return usageError{fmt.Errorf("--emit %q: want slurm or kubernetes", emit)}
	case emit != "" && shards < 1:
		return usageError{fmt.Errorf("--emit %s: give --shards N (N >= 1), how many shards to split the runs into", emit)}
	case emit == "" && cmd.Flags().Changed("shards"):
		return usageError{fmt.Errorf("--shards %d: it goes with --emit slurm|kubernetes (for one shard, --shard i/N)", shards)}
	case emit != "" && changed("format", "list", "fail-unmet") != "":
		return usageError{fmt.Errorf("--emit with %s: --emit prints a recipe and runs nothing", changed("format", "list", "fail-unmet"))}
	}
	return nil
}

// runShard runs shard i of n and writes its file into out, atomically.
// Every shard of a sweep may write into one directory at once, so the
// file alone is staged (written beside its name, then renamed), not the
// directory as faasim run's --out is.
func runShard(cmd *cobra.Command, sw *sweep.Sweep, i, n int, out string, bar *progress) error {
	sh, err := sw.RunShard(cmd.Context(), i, n)
	bar.clear()
	if err != nil {
		return err
	}
	name := sweep.ShardFileName(i, n)
	var b bytes.Buffer
	if err := sh.Write(&b); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if err := reports.WriteFileAtomic(filepath.Join(out, name), b.Bytes()); err != nil {
		return fmt.Errorf("writing the shard to %s: %w", out, err)
	}
	kind, units := sw.Units()
	fmt.Fprintf(cmd.OutOrStdout(), "shard %d/%d of sweep %s: %d run(s), of the sweep's %d %s those numbered i with i mod %d = %d; written to %s\n",
		i, n, sw.Name, len(sh.Runs), units, kind, n, i, filepath.Join(out, name))
	return nil
}

func newSweepMergeCmd() *cobra.Command {
	var (
		out, format, metrics string
		jobs                 int
		failUnmet            bool
	)
	cmd := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Merge the shards of a sweep (faasim sweep --shard) into what one unsharded run writes",
		Long: `merge reads every shard file (shard-I-of-N.jsonl) in the directories (or the
files) given, checks that they are the N shards of one sweep, each once and
each whole (same faasim, same scenario and sweep SHA-256), opens that sweep
again to learn its points (nothing is simulated) and writes sweep.json,
sweep.csv and the table byte for byte as the unsharded 'faasim sweep' would.
A missing, duplicated, incomplete or foreign shard is exit 2, named.
See docs/distributed.md.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("%s wants the directories (or files) of the shards\nusage: %s", cmd.CommandPath(), cmd.UseLine())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "json", "csv", "bench":
			default:
				return usageError{fmt.Errorf("--format %q: want table, json, csv or bench", format)}
			}
			if out == "" {
				return usageError{fmt.Errorf("--out DIR: where the merged sweep.json, sweep.csv, figures and report.html go")}
			}
			if jobs < 0 {
				return usageError{fmt.Errorf("--jobs %d: want >= 1 (default: number of CPUs)", jobs)}
			}
			for _, a := range args {
				if _, err := os.Stat(a); err != nil {
					return usageError{fmt.Errorf("%s: %w", a, unwrapPath(err))}
				}
			}
			stage, err := newStaging(out)
			if err != nil {
				return fmt.Errorf("--out %s: %w", out, err)
			}
			defer stage.abort()
			sw, res, err := sweep.Merge(cmd.Context(), args, sweep.Options{Jobs: jobs})
			if err != nil {
				return err
			}
			cols, err := sw.Columns(splitMetrics(metrics))
			if err != nil {
				return usageError{fmt.Errorf("--metrics: %w", err)}
			}
			return writeSweepOutputs(cmd, res, stage, out, format, cols, failUnmet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "write the merged sweep.json, sweep.csv, figures and report.html into this directory (required)")
	f.StringVar(&format, "format", "table", "output on stdout: table, json, csv or bench")
	f.StringVar(&metrics, "metrics", "", "the table's (and bench's) metrics, comma-separated: PATH or SYSTEM.PATH")
	f.IntVar(&jobs, "jobs", 0, "runs summarised at once (default: number of CPUs; the output never depends on it)")
	f.BoolVar(&failUnmet, "fail-unmet", false, fmt.Sprintf("exit %d when the goal is not met", exitGoalUnmet))
	return cmd
}

// unwrapPath drops the operation of a *PathError ("stat x: no such file")
// to its reason, the path being named already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func splitMetrics(metrics string) []string {
	var names []string
	for _, m := range strings.Split(metrics, ",") {
		if m = strings.TrimSpace(m); m != "" {
			names = append(names, m)
		}
	}
	return names
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
