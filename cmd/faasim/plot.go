package main

import (
	"fmt"
	"path/filepath"

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
	)
	cmd := &cobra.Command{
		Use:   "plot DIR",
		Short: "Redraw the plots and report.html of a results directory (from 'faasim run --out DIR') without re-simulating",
		Args:  exactArgs(1, "a results directory written by 'faasim run --out DIR'"),
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
			o := reports.PlotOptions{Width: vg.Length(width) * vg.Centimeter, Height: vg.Length(height) * vg.Centimeter, Systems: systems}
			reports.RemoveStaleTemps(args[0]) // left by a killed run of plot
			return writeFigures(args[0], o, formats, !noHTML)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "both", "png, svg or both")
	f.Float64Var(&width, "width", 16, "width of one figure, cm")
	f.Float64Var(&height, "height", 10, "height of one figure, cm (the timeline is twice as tall; a figure grows where its legend needs room)")
	f.StringSliceVar(&systems, "systems", nil, "draw only these systems, comma-separated (default: all)")
	f.BoolVar(&noHTML, "no-html", false, "do not rewrite report.html")
	return cmd
}

// writeFigures reads a results directory and writes its plots (and
// report.html) into it.
func writeFigures(dir string, o reports.PlotOptions, formats []string, html bool) error {
	run, err := reports.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading results from %s: %w", dir, err)
	}
	figs, err := reports.Figures(run, o)
	if err != nil {
		return usageError{fmt.Errorf("--systems: %w", err)}
	}
	if _, err := reports.WritePlots(dir, figs, formats); err != nil {
		return fmt.Errorf("writing plots to %s: %w", dir, err)
	}
	if html {
		if err := reports.WriteHTMLFile(filepath.Join(dir, "report.html"), run, figs); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, "report.html"), err)
		}
	}
	return nil
}
