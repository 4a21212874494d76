package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot/vg"

	"github.com/faasim/faasim/reports"
)

func newPlotCmd() *cobra.Command {
	var (
		format  string
		width   float64
		height  float64
		systems []string
		noHTML  bool
		x, y    string
	)
	cmd := &cobra.Command{
		Use:   "plot DIR",
		Short: "Redraw the plots and report.html of a run or sweep directory (from 'faasim run/sweep --out DIR') without re-simulating",
		Long: `plot redraws the figures and report.html of a directory that 'faasim run --out'
or 'faasim sweep --out' wrote, from its results.json (with the time series and
latency files) or its sweep.json alone. With --x KEY --y METRIC (a sweep
directory) it draws that metric against that axis, with its confidence band,
as sweep_KEY_METRIC.png/.svg.`,
		Args: exactArgs(1, "a results directory written by 'faasim run --out DIR' or 'faasim sweep --out DIR'"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var formats []string
			switch format {
			case "png", "svg":
				formats = []string{format}
			case "both":
				formats = []string{"png", "svg"}
			default:
				return usageError{fmt.Errorf("--format %q: want png, svg or both", format)}
			}
			if width < 4 || height < 3 || width > 200 || height > 200 {
				return usageError{fmt.Errorf("--width %g --height %g: want a width of 4 to 200 cm and a height of 3 to 200 cm", width, height)}
			}
			if (x == "") != (y == "") {
				return usageError{fmt.Errorf("--x %q --y %q: give both, an axis of the sweep and a metric (PATH or SYSTEM.PATH)", x, y)}
			}
			o := reports.PlotOptions{Width: vg.Length(width) * vg.Centimeter, Height: vg.Length(height) * vg.Centimeter, Systems: systems}
			dir := args[0]
			reports.RemoveStaleTemps(dir) // left by a killed run of plot
			if _, err := os.Stat(filepath.Join(dir, "sweep.json")); err == nil {
				return writeSweepFigures(dir, o, formats, !noHTML, x, y)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if x != "" {
				if _, err := os.Stat(filepath.Join(dir, "results.json")); err == nil {
					return usageError{fmt.Errorf("--x %s --y %s: %s is a run's directory (results.json); --x and --y draw a sweep's axes (sweep.json)", x, y, dir)}
				}
			}
			return writeFigures(dir, o, formats, !noHTML)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "both", "png, svg or both")
	f.Float64Var(&width, "width", 16, "width of one figure, cm")
	f.Float64Var(&height, "height", 10, "height of one figure, cm (the timeline is twice as tall; a figure grows where its legend needs room)")
	f.StringSliceVar(&systems, "systems", nil, "draw only these systems, comma-separated (default: all)")
	f.BoolVar(&noHTML, "no-html", false, "do not rewrite report.html")
	f.StringVar(&x, "x", "", "with --y, in a sweep directory: draw METRIC against this axis (a key path of sweep.json's axes)")
	f.StringVar(&y, "y", "", "with --x: the metric, PATH (every system that has it) or SYSTEM.PATH")
	return cmd
}

// writeFigures reads a run's results directory and writes its plots (and
// report.html) into it.
func writeFigures(dir string, o reports.PlotOptions, formats []string, html bool) error {
	run, err := reports.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading results from %s: %w", dir, err)
	}
	if err := checkSystems(o.Systems, run.Results.Systems, func(s reports.SystemResult) string { return s.Name }); err != nil {
		return err
	}
	if _, err := reports.WriteRunFigures(dir, run, o, formats, html); err != nil {
		return fmt.Errorf("writing plots to %s: %w", dir, err)
	}
	return nil
}

// writeSweepFigures reads a sweep's directory and writes its figures (and
// report.html), or with x and y the one figure of y against x.
func writeSweepFigures(dir string, o reports.PlotOptions, formats []string, html bool, x, y string) error {
	s, err := reports.ReadSweepDir(dir)
	if err != nil {
		return fmt.Errorf("reading the sweep from %s: %w", dir, err)
	}
	var names []string
	for _, p := range s.Points {
		for _, sys := range p.Systems {
			if !slices.Contains(names, sys.Name) {
				names = append(names, sys.Name)
			}
		}
	}
	if err := checkSystems(o.Systems, names, func(n string) string { return n }); err != nil {
		return err
	}
	if x != "" {
		f, err := reports.SweepAxisFigure(s, x, y, o)
		if err != nil {
			return usageError{err}
		}
		if _, err := reports.WritePlots(dir, []reports.Figure{f}, formats); err != nil {
			return fmt.Errorf("writing plots to %s: %w", dir, err)
		}
		return nil
	}
	if _, err := reports.WriteSweepFigures(dir, s, o, formats, html); err != nil {
		return fmt.Errorf("writing plots to %s: %w", dir, err)
	}
	return nil
}

// checkSystems: every --systems name is one of the directory's systems;
// else bad input, before anything is rewritten.
func checkSystems[T any](want []string, have []T, name func(T) string) error {
	var known []string
	for _, h := range have {
		known = append(known, name(h))
	}
	for _, n := range want {
		if !slices.Contains(known, n) {
			return usageError{fmt.Errorf("--systems: no system %q in the results; systems: %v", n, known)}
		}
	}
	return nil
}
